/**
 * One `Store.write` on SQLite as plain data, so that it runs the same on the store's connection or on the writer
 * thread (sqlite-writer.ts), where the main thread goes on reading the next batch meanwhile: the removals, then per
 * table its rows (values in column order) and whether each row keeps a stored one (insert-if-absent) or is written
 * (upsert). All of it in one transaction.
 *
 * The rows carry their ingestion stamp (../sql/ingest-time.ts) themselves: the transaction reserves one stamp per
 * row from the clock (RESERVE_STAMPS_SQL) and binds it as the last value, so the INSERT trigger (which fires only
 * for rows inserted without a stamp) does not write every row a second time. An upsert that updates a stored row
 * gets its new stamp from the UPDATE trigger, as any update does.
 */
import type Database from 'better-sqlite3';
import type { Statement } from '../sql/sql-dialect.js';
import { RESERVE_STAMPS_SQL } from './ingest-time-sqlite.js';
import type { BulkStaging, StagedTableSql } from './bulk-staging.js';

export interface BulkTable {
  /** The table written. */
  readonly table: string;
  /** INSERT … ON CONFLICT DO NOTHING, its values and then the stamp. */
  readonly keepSql: string;
  /** INSERT … ON CONFLICT DO UPDATE (replace or merge), the same values. */
  readonly writeSql: string;
  /** Values per row (the columns bound; the stamp comes after them). */
  readonly width: number;
  /** Where in a row's values its primary key is. */
  readonly key: number;
  /**
   * The rows' values one after another, `width` per row, in column order: one flat array rather than an array per
   * row, so that posting a batch to the writer thread clones one object, not thousands.
   */
  readonly values: unknown[];
  /** 1 where the row is insert-if-absent; its length is the number of rows. */
  readonly keep: Uint8Array;
  /** How the table's rows are staged (bulk-staging.ts): set on the tables of every write of a store that stages. */
  readonly staging?: StagedTableSql;
}

export interface BulkWrite {
  readonly removals: readonly Statement[];
  readonly tables: readonly BulkTable[];
  /** The rows are staged (WriteOptions.stage, bulk-staging.ts) where they can be, else written directly. */
  readonly stage?: boolean;
  /** Merges the staged rows into their tables (after the writes before it, before the ones after it). */
  readonly mergeStaged?: boolean;
}

/**
 * About the bytes `w` takes serialized, as posted to the writer thread (sqlite-writer.ts): the length of each string
 * value and statement (V8 writes Latin-1 text a byte per character, other text two: the estimate counts one), 9 per
 * other value, 1 per row's flag.
 */
export function bulkWriteBytes(w: BulkWrite): number {
  let n = 0;
  for (const t of w.tables) {
    n += t.keep.length + t.keepSql.length + t.writeSql.length;
    for (const v of t.values) n += typeof v === 'string' ? v.length : 9;
  }
  return n;
}

export function bulkRowCount(w: BulkWrite): number {
  let n = 0;
  for (const t of w.tables) n += t.keep.length;
  return n;
}

/** Runs `w` in one transaction on `db` (`prepare` caches statements by text); throws what applyBulkWrites returns. */
export function applyBulkWrite(db: Database.Database, prepare: (sql: string) => Database.Statement, w: BulkWrite, staging?: BulkStaging): void {
  const failed = applyBulkWrites(db, prepare, [w], staging);
  if (failed) throw failed;
}

/**
 * The error a committed `mergeStaged` write reports for staged writes that failed at a merge (bulk-staging.ts):
 * their rows were left out, the others merged. Its code is the first failure's.
 */
export function mergeFailure(f: { error: Error; count: number }): Error {
  const code = (f.error as { code?: string }).code;
  return Object.assign(new Error(`${f.count} staged write${f.count === 1 ? '' : 's'} failed when merged, and ${f.count === 1 ? 'its rows were' : 'their rows were'} left out: ${f.error.message}`), code ? { code } : {});
}

/**
 * Runs the writes in order in one transaction: all of them commit or none. Consecutive direct writes without
 * removals run as one, each table's rows in key order (writeInKeyOrder); a write with removals runs its removals
 * and then its rows. With `staging` (the connection's, bulk-staging.ts), a write marked `stage` appends its rows
 * there when it can; a direct write touching a staged table first merges the staging, as `mergeStaged` does. When
 * the transaction rolls back, so does the staging's state. Returns, when the writes include a `mergeStaged` one
 * and the transaction committed, the error for staged writes that failed at a merge since the last report
 * (mergeFailure); undefined otherwise.
 */
export function applyBulkWrites(db: Database.Database, prepare: (sql: string) => Database.Statement, ws: readonly BulkWrite[], staging?: BulkStaging): Error | undefined {
  const before = staging?.snapshot();
  try {
    db.transaction(() => {
      let together: BulkWrite[] = [];
      const writeTogether = (): void => {
        if (together.length > 0) writeInKeyOrder(prepare, together);
        together = [];
      };
      for (const w of ws) {
        if (staging) {
          if (w.stage && w.removals.length === 0) {
            // The direct writes before it first: the append may merge what is staged (in parts: bulk-staging.ts).
            writeTogether();
            if (staging.append(w.tables)) continue;
          }
          if (w.mergeStaged || w.removals.length > 0 || staging.mustMergeBefore(w.tables)) {
            writeTogether();
            staging.merge();
          }
        }
        if (w.removals.length > 0) {
          writeTogether();
          writeRows(prepare, w);
        } else together.push(w);
      }
      writeTogether();
    })();
  } catch (e) {
    staging?.restore(before);
    throw e;
  }
  const failed = staging && ws.some((w) => w.mergeStaged) ? staging.takeFailure() : undefined;
  return failed && mergeFailure(failed);
}

/**
 * The rows of writes without removals, per table (in the order the writes name the tables) and in key order. Keys
 * are random (hashed ids), so rows in arrival order land on leaf pages all over the primary-key index; once that
 * index outgrows the page cache (a store of a million indicators), pages are evicted and read back many times in one
 * transaction. In key order the insertions sweep the index once. The sort is stable and spans all the writes' rows
 * of a table (whatever columns each write binds), so rows of one key keep the writes' order (the later one still
 * wins, an insert-if-absent the earlier one); without removals the writes do not depend on each other's order
 * otherwise.
 */
function writeInKeyOrder(prepare: (sql: string) => Database.Statement, ws: readonly BulkWrite[]): void {
  let rows = 0;
  for (const w of ws) rows += bulkRowCount(w);
  if (rows === 0) return;
  let stamp = Number(prepare(RESERVE_STAMPS_SQL).pluck().get(rows)) - rows + 1;
  const byTable = new Map<string, BulkTable[]>();
  for (const w of ws) {
    for (const t of w.tables) {
      const list = byTable.get(t.table);
      if (list) list.push(t);
      else byTable.set(t.table, [t]);
    }
  }
  for (const tables of byTable.values()) {
    const refs: { t: number; o: number; i: number; k: string }[] = [];
    tables.forEach((t, n) => {
      for (let i = 0, o = 0; i < t.keep.length; i++, o += t.width) refs.push({ t: n, o, i, k: String(t.values[o + t.key]) });
    });
    refs.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    // Per write: its statements and one parameter array, refilled for each row (the statement copies what it binds).
    const bound = tables.map((t) => ({ keep: prepare(t.keepSql), write: prepare(t.writeSql), row: new Array<unknown>(t.width + 1) }));
    for (const { t: n, o, i } of refs) {
      const t = tables[n]!;
      const { keep, write, row } = bound[n]!;
      for (let c = 0; c < t.width; c++) row[c] = t.values[o + c];
      row[t.width] = stamp++;
      (t.keep[i] ? keep : write).run(row);
    }
  }
}

/** One write's removals, then its rows (in key order), inside the caller's transaction. */
function writeRows(prepare: (sql: string) => Database.Statement, w: BulkWrite): void {
  for (const s of w.removals) prepare(s.sql).run(...(s.parameters as unknown[]));
  writeInKeyOrder(prepare, [w]);
}
