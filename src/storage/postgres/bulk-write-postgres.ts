/**
 * The pieces of a PostgreSQL bulk write (postgres-store.ts): rows of one batch merged by key before COPY, the COPY
 * itself (text format, streamed in 64 KiB chunks), and the grouping of a bulk load's index builds over connections.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mergeByRule } from '../../model/merge-values.js';
import type { Row } from '../sql/row-codec.js';

/** Deals `statements` round-robin into at most `n` non-empty groups, each keeping their order. */
export function indexBuildGroups<T>(statements: readonly T[], n: number): T[][] {
  const groups: T[][] = Array.from({ length: Math.max(1, Math.min(n, statements.length)) }, () => []);
  statements.forEach((s, i) => groups[i % groups.length]!.push(s));
  return statements.length === 0 ? [] : groups;
}

/** Rows sharing a key collapse into one: MERGE_RULES columns keep the earliest/latest non-null value, others the last. */
export function mergeDuplicateKeys(rows: Row[], key: string, rules: ReadonlyMap<string, 'min' | 'max'>): Row[] {
  const byKey = new Map<unknown, Row>();
  for (const row of rows) {
    const prev = byKey.get(row[key]);
    if (!prev) {
      byKey.set(row[key], row);
      continue;
    }
    const merged: Row = { ...row };
    for (const [col, rule] of rules) {
      merged[col] = mergeByRule(rule, (prev[col] ?? null) as number | null, (row[col] ?? null) as number | null);
    }
    byKey.set(row[key], merged);
  }
  return [...byKey.values()];
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/**
 * A value in COPY text format: backslash escapes for \\, tab, newline and carriage return; \\N for NULL. Most values
 * (ids, hostnames, numbers) hold none of the four: one test finds that, instead of four replacements per value.
 */
export const copyField = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  const text = String(v);
  return NEEDS_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
};

/** COPYs `rows` (their `columns`) into `table`. */
export async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  const lines = function* (): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) chunk += (i ? '\t' : '') + copyField(row[columns[i]!]);
      chunk += '\n';
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await pipeline(Readable.from(lines()), stream);
}
