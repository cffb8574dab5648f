/** The keyset-paging condition of a compiled list query ($skiptoken: the rows strictly after the last one sent). */
import { sql } from 'kysely';
import type { SortValue } from '../../odata/plan/query-plan.js';
import type { Sql } from './sql-dialect.js';

/** Keyset condition "strictly after `values`" for the ordering; row-value comparison when it is index-friendly. */
export function afterCondition(keys: readonly { expr: Sql; direction: 'asc' | 'desc'; nullable: boolean }[], values: readonly SortValue[]): Sql {
  const uniform = keys.every((k) => !k.nullable && k.direction === keys[0]!.direction) && values.every((v) => v !== null);
  if (uniform) {
    const op = keys[0]!.direction === 'asc' ? sql`>` : sql`<`;
    return sql`((${sql.join(keys.map((k) => k.expr))}) ${op} (${sql.join(values.map((v) => sql`${v}`))}))`;
  }
  const equal = (e: Sql, v: SortValue): Sql => (v === null ? sql`${e} IS NULL` : sql`${e} = ${v}`);
  const after = (e: Sql, v: SortValue, d: 'asc' | 'desc', nullable: boolean): Sql => {
    if (d === 'asc') return v === null ? sql`${e} IS NOT NULL` : sql`${e} > ${v}`;
    if (v === null) return sql`1 = 0`;
    return nullable ? sql`(${e} < ${v} OR ${e} IS NULL)` : sql`${e} < ${v}`;
  };
  const branches = keys.map((k, i) => {
    const prefix = keys.slice(0, i).map((p, j) => equal(p.expr, values[j]!));
    return sql`(${sql.join([...prefix, after(k.expr, values[i]!, k.direction, k.nullable)], sql` AND `)})`;
  });
  return sql`(${sql.join(branches, sql` OR `)})`;
}
