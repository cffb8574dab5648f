/**
 * Everything that differs between SQL dialects, in one interface. Shared compilation code
 * (compile-query.ts, ddl.ts) asks the dialect and never branches on which database it is.
 * Kysely is used as the SQL fragment composer and per-dialect compiler (placeholders, identifier quoting).
 */
import type { Kysely, RawBuilder } from 'kysely';
import type { ColumnKind, TableDef } from '../schema/derive-schema.js';

export type Sql = RawBuilder<unknown>;

/** SQL text and its positional parameters (what Kysely's compile produces, or a cached text with new values). */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  /** A stable name for a statement of a fixed shape: servers that support it prepare it once per connection. */
  readonly name?: string;
}

export interface SqlDialect {
  readonly name: string;
  /** A compile-only Kysely instance (DummyDriver) with this dialect's query compiler. */
  readonly kysely: Kysely<unknown>;
  columnType(kind: ColumnKind): string;
  /** Text/number value at `path` inside a JSON text expression; `numeric` casts for comparison. */
  jsonValue(json: Sql, path: readonly string[], numeric: boolean): Sql;
  /** A FROM-clause item producing one row per element of the JSON array `json`, aliased `alias`. */
  jsonArrayItems(json: Sql, alias: string): Sql;
  /** The element value of a `jsonArrayItems` row, or a value at `path` inside it. */
  jsonItemValue(alias: string, path: readonly string[], numeric: boolean): Sql;
  startsWith(subject: Sql, prefix: Sql): Sql;
  endsWith(subject: Sql, suffix: Sql): Sql;
  contains(subject: Sql, part: Sql): Sql;
  /** Case-insensitive containment, for $search. */
  containsIgnoringCase(subject: Sql, part: Sql): Sql;
  /** `a = b` where NULL = NULL is true (OData eq semantics when either side may be null). */
  notDistinct(a: Sql, b: Sql): Sql;
  distinct(a: Sql, b: Sql): Sql;
  readonly falseValue: Sql;
  /** The argument of a string function (lower, length, …) as text; parameters are untyped in some dialects. */
  asText(x: Sql): Sql;
  /** ORDER BY direction with OData's null ordering (nulls sort lowest); plain ASC/DESC for non-nullable keys. */
  orderDirection(direction: 'asc' | 'desc', nullable: boolean): Sql;
  /** An index column definition; nullable columns are ordered nulls-lowest like OData's $orderby. */
  indexColumn(quotedName: string, nullable: boolean): string;
  /** Suffix of a SELECT that locks the rows it returns until commit ('' where writers are serialized anyway). */
  rowLock(mode: 'share' | 'update'): Sql;
  /**
   * A condition put first in every any()/all() subquery, evaluated once per inner row: it aborts the statement once
   * the running read is past its deadline (SQLite: a function of the connection, sqlite/deadline-guard.ts). Absent
   * where the database server cancels statements itself (PostgreSQL: pg_cancel_backend).
   */
  readonly rowGuard?: Sql;
  /** DDL adding the ingestion-time column, clock and stamping triggers (ingest-time.ts) to the tables. */
  ingestTimeStatements(tables: readonly TableDef[]): string[];
}
