/**
 * The pieces of a PostgreSQL bulk write (postgres-store.ts): rows of one batch merged by key before COPY, the COPY
 * itself (text format, streamed in 64 KiB chunks, into a staging table or, for keys known to be new, the table
 * itself), and the grouping of a bulk load's index builds over connections.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mergeByRule } from '../../model/merge-values.js';
import type { Row } from '../sql/row-codec.js';
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_COLUMN } from '../sql/ingest-time.js';
import { UNIQUE_VIOLATION } from './postgres-errors.js';

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

/** The columns of `table` that some of `rows` set, and its key, in the table's order. */
export function setColumns(table: TableDef, rows: readonly Row[]): string[] {
  const set = new Set<string>([table.keyColumn]);
  for (const row of rows) for (const c in row) set.add(c);
  return table.columns.map((c) => c.name).filter((c) => set.has(c));
}

/** COPYs `rows` (their `columns`) into `table`, each row followed by the `constants` (the same for every row). */
export async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly Row[], constants: Readonly<Record<string, unknown>> = {}): Promise<void> {
  const fixed = Object.keys(constants);
  const stream = client.query(copyFrom(`COPY "${table}" (${[...columns, ...fixed].map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  const tail = fixed.map((c) => `\t${copyField(constants[c])}`).join('') + '\n';
  const lines = function* (): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) chunk += (i ? '\t' : '') + copyField(row[columns[i]!]);
      chunk += tail;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await pipeline(Readable.from(lines()), stream);
}

/**
 * COPYs `rows`, whose keys the writer took for new (WriteRecord.expectNew), into `table` itself with the
 * transaction's `stamp`, under a savepoint. When a key is there after all (another process wrote it since, or two
 * rows share it) the COPY fails on the primary key, the savepoint undoes it, and false sends the rows down the
 * upsert path instead. Written in any order: every writing transaction takes the ingestion clock before its first
 * row (ingest-time-postgres.ts; here `stamp`), so two never wait on each other's keys.
 */
export async function appendNew(client: pg.PoolClient, table: TableDef, rows: readonly Row[], stamp: number): Promise<boolean> {
  await client.query('SAVEPOINT tigraph_append');
  try {
    await copyRows(client, table.name, setColumns(table, rows), rows, { [INGEST_COLUMN]: stamp });
  } catch (e) {
    if ((e as { code?: unknown }).code !== UNIQUE_VIOLATION) throw e;
    await client.query('ROLLBACK TO SAVEPOINT tigraph_append');
    return false;
  }
  await client.query('RELEASE SAVEPOINT tigraph_append');
  return true;
}
