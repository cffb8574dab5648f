/**
 * The SQLite writer thread (worker_threads entry, started by sqlite-writer.ts): its own connection to the store's
 * file, running the bulk writes (bulk-write.ts) it is sent and answering when they committed. A large import writes
 * here while its main thread reads and resolves the next batches (two cores, not one).
 *
 * A message holds the writes queued while the thread was busy with the one before, oldest first: they commit in one
 * transaction (a commit rewrites every page the batches touched, and consecutive batches of random keys touch the
 * same pages). If that transaction fails, each write is run again in a transaction of its own, so a failed write
 * fails alone and the others commit, as if they had been sent one by one.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyBulkWrites, type BulkWrite } from './bulk-write.js';
import { BulkStaging } from './bulk-staging.js';

export interface WriterRequest {
  readonly writes: readonly { readonly id: number; readonly write: BulkWrite }[];
}

export type WriterReply = { readonly id: number; readonly ok: true } | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

export interface WriterSetup {
  readonly filename: string;
  readonly mmapBytes: number;
  readonly cacheKiB: number;
  /** Staged rows at which a staged write merges them (bulk-staging.ts). */
  readonly mergeAtRows: number;
  readonly busyTimeoutMs: number;
}

const setup = workerData as WriterSetup;
const db = new Database(setup.filename, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${setup.busyTimeoutMs}`);
db.pragma(`mmap_size = ${setup.mmapBytes}`);
db.pragma(`cache_size = -${setup.cacheKiB}`);
// Checkpoint every 256 MiB of WAL rather than every 4: a checkpoint copies (and syncs) the pages the batches
// rewrote, and bulk batches of random keys rewrite many of the same pages (about 5% of a 300k load's time against
// 32 MiB). After a checkpoint the WAL file is cut back to 64 MiB, so it does not keep its largest size on disk.
db.pragma('wal_autocheckpoint = 65536');
db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);

const statements = new Map<string, Database.Statement>();
function prepare(text: string): Database.Statement {
  let st = statements.get(text);
  if (!st) {
    st = db.prepare(text);
    statements.set(text, st);
  }
  return st;
}

// The rows of staged writes (bulk-staging.ts): TEMP tables of this connection.
const staging = new BulkStaging(prepare, setup.mergeAtRows);

const failure = (id: number, e: unknown): WriterReply => ({ id, error: { message: (e as Error).message, ...((e as { code?: string }).code ? { code: (e as { code: string }).code } : {}) } });

parentPort!.on('message', (req: WriterRequest) => {
  let replies: WriterReply[];
  try {
    // Staged writes that failed at a merge are reported by the merge request among these (bulk-write.ts).
    const failed = applyBulkWrites(db, prepare, req.writes.map((w) => w.write), staging);
    replies = req.writes.map(({ id, write }) => (failed && write.mergeStaged ? failure(id, failed) : { id, ok: true }));
  } catch (e) {
    if (req.writes.length === 1) replies = [failure(req.writes[0]!.id, e)];
    else {
      replies = req.writes.map(({ id, write }) => {
        try {
          const failed = applyBulkWrites(db, prepare, [write], staging);
          return failed ? failure(id, failed) : { id, ok: true };
        } catch (each) {
          return failure(id, each);
        }
      });
    }
  }
  parentPort!.postMessage(replies);
});
