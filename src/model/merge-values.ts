/**
 * The one place the model's merge rules (MERGE_RULES, a property's `mergeRule`) are applied to values: an
 * import's in-memory merge of repeated indicators and PostgreSQL's collapse of duplicate keys in one COPY batch
 * call it; the SQL stores apply the same rule to stored rows in `ON CONFLICT … DO UPDATE` (sql-store.ts).
 * null (unknown) never wins over a known time: 'min' keeps the earliest, 'max' the latest known value.
 */
export type MergeRule = 'min' | 'max';

export function mergeByRule(rule: MergeRule, a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return rule === 'min' ? Math.min(a, b) : Math.max(a, b);
}
