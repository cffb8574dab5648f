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

export interface BulkTable {
  /** INSERT … ON CONFLICT DO NOTHING, its values and then the stamp. */
  readonly keepSql: string;
  /** INSERT … ON CONFLICT DO UPDATE (replace or merge), the same values. */
  readonly writeSql: string;
  /** Each row's values in column order; the stamp is appended when the row is inserted. */
  readonly rows: unknown[][];
  /** 1 where the row is insert-if-absent. */
  readonly keep: Uint8Array;
}

export interface BulkWrite {
  readonly removals: readonly Statement[];
  readonly tables: readonly BulkTable[];
}

export function bulkRowCount(w: BulkWrite): number {
  let n = 0;
  for (const t of w.tables) n += t.rows.length;
  return n;
}

/** Runs `w` in one transaction on `db` (`prepare` caches statements by text). */
export function applyBulkWrite(db: Database.Database, prepare: (sql: string) => Database.Statement, w: BulkWrite): void {
  db.transaction(() => {
    for (const s of w.removals) prepare(s.sql).run(...(s.parameters as unknown[]));
    const rows = bulkRowCount(w);
    if (rows === 0) return;
    let stamp = Number(prepare(RESERVE_STAMPS_SQL).pluck().get(rows)) - rows + 1;
    for (const t of w.tables) {
      const keep = prepare(t.keepSql);
      const write = prepare(t.writeSql);
      for (let i = 0; i < t.rows.length; i++) {
        const row = t.rows[i]!;
        row.push(stamp++);
        (t.keep[i] ? keep : write).run(row);
      }
    }
  })();
}
