/** SQLite (better-sqlite3) specifics of SQL generation. */
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import type { ColumnKind } from '../schema/derive-schema.js';
import type { Sql, SqlDialect } from '../sql/sql-dialect.js';

const jsonPath = (path: readonly string[]): string => `$${path.map((p) => `.${p}`).join('')}`;

import { sqliteIngestTimeStatements } from './ingest-time-sqlite.js';
import { deadlineGuardSql } from './deadline-guard.js';
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  kysely: new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  columnType: (kind: ColumnKind) => ({ text: 'TEXT', integer: 'INTEGER', bigint: 'INTEGER', double: 'REAL', json: 'TEXT' })[kind],
  jsonValue: (json: Sql, path: readonly string[]) => sql`json_extract(${json}, ${jsonPath(path)})`,
  jsonArrayItems: (json: Sql, alias: string) => sql`json_each(${json}) AS ${sql.id(alias)}`,
  jsonItemValue: (alias: string, path: readonly string[]) =>
    path.length === 0 ? sql`${sql.ref(`${alias}.value`)}` : sql`json_extract(${sql.ref(`${alias}.value`)}, ${jsonPath(path)})`,
  startsWith: (s: Sql, p: Sql) => sql`(substr(${s}, 1, length(${p})) = ${p})`,
  endsWith: (s: Sql, p: Sql) => sql`(length(${p}) <= length(${s}) AND substr(${s}, length(${s}) - length(${p}) + 1) = ${p})`,
  contains: (s: Sql, p: Sql) => sql`(instr(${s}, ${p}) > 0)`,
  containsIgnoringCase: (s: Sql, p: Sql) => sql`(instr(lower(${s}), lower(${p})) > 0)`,
  notDistinct: (a: Sql, b: Sql) => sql`(${a} IS ${b})`,
  distinct: (a: Sql, b: Sql) => sql`(${a} IS NOT ${b})`,
  falseValue: sql`0`,
  asText: (x: Sql) => x,
  // SQLite already sorts NULL lowest (first ascending, last descending).
  orderDirection: (d) => (d === 'asc' ? sql`ASC` : sql`DESC`),
  indexColumn: (name: string) => name,
  // Writes run in one synchronous BEGIN IMMEDIATE transaction: nothing interleaves, so no row locks are needed.
  rowLock: () => sql``,
  rowGuard: deadlineGuardSql,
  ingestTimeStatements: sqliteIngestTimeStatements,
};
