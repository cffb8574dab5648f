/**
 * The upsert SQL every store writes with, from a table's definition: INSERT … ON CONFLICT of a VALUES list or a
 * SELECT, the conflict's SET list (in merge mode the model's merge rules keep the earliest/latest value), and the
 * order in which a write's tables go (targets before the tables pointing at them).
 */
import { sql } from 'kysely';
import type { TableDef } from '../schema/derive-schema.js';
import type { Sql, SqlDialect, Statement } from './sql-dialect.js';

export type ConflictMode = 'keep' | 'replace' | 'merge';

/** Where a table's rows go in a write: targets of foreign keys and navigations before the tables pointing at them. */
export function writeRank(t: TableDef): number {
  return (t.foreignKeys.length ? 2 : 0) + (t.navigations.length ? 1 : 0);
}

/** Column → 'min' | 'max' for the table's hierarchy, from the merge rules the model declares on its properties. */
export function mergeRules(table: TableDef): Map<string, 'min' | 'max'> {
  const rules = new Map<string, 'min' | 'max'>();
  for (const col of table.columns) if (col.property?.mergeRule) rules.set(col.name, col.property.mergeRule);
  return rules;
}

/** `SET col = excluded.col, …`; in merge mode the MERGE_RULES columns keep the earliest/latest non-null value. */
export function conflictUpdates(table: TableDef, merge: boolean): Sql[] {
  const rules = merge ? mergeRules(table) : undefined;
  const current = (c: string): Sql => sql.ref(`${table.name}.${c}`);
  const incoming = (c: string): Sql => sql`excluded.${sql.id(c)}`;
  return table.columns
    .filter((c) => c.name !== table.keyColumn)
    .map(({ name: c }) => {
      const rule = rules?.get(c);
      if (!rule) return sql`${sql.id(c)} = ${incoming(c)}`;
      const pick = rule === 'min' ? sql`<` : sql`>`;
      return sql`${sql.id(c)} = CASE WHEN ${incoming(c)} IS NULL THEN ${current(c)} WHEN ${current(c)} IS NULL THEN ${incoming(c)} WHEN ${incoming(c)} ${pick} ${current(c)} THEN ${incoming(c)} ELSE ${current(c)} END`;
    });
}

/** INSERT of `source` (VALUES … or SELECT …); on a key conflict update (upsert) or, without updates, keep the row. */
export function insertStatement(dialect: SqlDialect, table: TableDef, source: Sql, updates: Sql[] | undefined, columns: readonly string[] = table.columns.map((c) => c.name)): Statement {
  const cols = sql.join(columns.map((c) => sql.id(c)));
  const conflict = updates ? sql`DO UPDATE SET ${sql.join(updates)}` : sql`DO NOTHING`;
  return sql`INSERT INTO ${sql.table(table.name)} (${cols}) ${source} ON CONFLICT (${sql.id(table.keyColumn)}) ${conflict}`.compile(dialect.kysely);
}

/** The text of INSERT … ON CONFLICT of `source` (VALUES … or SELECT … WHERE …) into `columns`, in a conflict mode. */
export function insertFrom(dialect: SqlDialect, table: TableDef, source: Sql, mode: ConflictMode, columns: readonly string[]): string {
  return insertStatement(dialect, table, source, mode === 'keep' ? undefined : conflictUpdates(table, mode === 'merge'), columns).sql;
}
