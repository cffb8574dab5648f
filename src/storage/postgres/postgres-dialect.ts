/**
 * PostgreSQL specifics of SQL generation. JSON columns are stored as text (like SQLite) and read through
 * jsonb operators; string-function arguments get explicit `::text` casts because bound parameters carry no type.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import type { ColumnKind } from '../schema/derive-schema.js';
import type { Sql, SqlDialect } from '../sql/sql-dialect.js';

const pathLiteral = (path: readonly string[]): string => `{${path.join(',')}}`;
const text = (x: Sql): Sql => sql`(${x})::text`;

import { postgresIngestTimeStatements } from './ingest-time-postgres.js';
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  kysely: new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
  columnType: (kind: ColumnKind) => ({ text: 'TEXT', integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE PRECISION', json: 'TEXT' })[kind],
  jsonValue: (json: Sql, path: readonly string[], numeric: boolean) => {
    const v = sql`((${json})::jsonb #>> ${pathLiteral(path)}::text[])`;
    return numeric ? sql`(${v})::double precision` : v;
  },
  jsonArrayItems: (json: Sql, alias: string) => sql`jsonb_array_elements((${json})::jsonb) AS ${sql.id(alias)}(value)`,
  jsonItemValue: (alias: string, path: readonly string[], numeric: boolean) => {
    const v = sql`(${sql.ref(`${alias}.value`)} #>> ${pathLiteral(path)}::text[])`;
    return numeric ? sql`(${v})::double precision` : v;
  },
  startsWith: (s: Sql, p: Sql) => sql`(left(${text(s)}, length(${text(p)})) = ${text(p)})`,
  endsWith: (s: Sql, p: Sql) => sql`(right(${text(s)}, length(${text(p)})) = ${text(p)})`,
  contains: (s: Sql, p: Sql) => sql`(strpos(${text(s)}, ${text(p)}) > 0)`,
  containsIgnoringCase: (s: Sql, p: Sql) => sql`(strpos(lower(${text(s)}), lower(${text(p)})) > 0)`,
  notDistinct: (a: Sql, b: Sql) => sql`(${a} IS NOT DISTINCT FROM ${b})`,
  distinct: (a: Sql, b: Sql) => sql`(${a} IS DISTINCT FROM ${b})`,
  falseValue: sql`false`,
  asText: text,
  // PostgreSQL sorts NULL highest by default; OData wants it lowest. Non-nullable keys keep the plain form so the
  // default btree order (and its backward scan) serves them.
  orderDirection: (d, nullable) => (nullable ? (d === 'asc' ? sql`ASC NULLS FIRST` : sql`DESC NULLS LAST`) : d === 'asc' ? sql`ASC` : sql`DESC`),
  indexColumn: (name: string, nullable: boolean) => (nullable ? `${name} NULLS FIRST` : name),
  rowLock: (mode: 'share' | 'update') => (mode === 'share' ? sql`FOR SHARE` : sql`FOR UPDATE`),
  ingestTimeStatements: postgresIngestTimeStatements,
};
