/**
 * The SQLite writer thread (worker_threads entry, started by sqlite-writer.ts): its own connection to the store's
 * file, running one bulk write (bulk-write.ts) at a time in its own transaction and answering when it committed.
 * A large import writes here while its main thread reads and resolves the next batch (two cores, not one).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyBulkWrite, type BulkWrite } from './bulk-write.js';

export interface WriterRequest {
  readonly id: number;
  readonly write: BulkWrite;
}

export type WriterReply = { readonly id: number; readonly ok: true } | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

export interface WriterSetup {
  readonly filename: string;
  readonly mmapBytes: number;
  readonly cacheKiB: number;
}

const setup = workerData as WriterSetup;
const db = new Database(setup.filename, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma(`mmap_size = ${setup.mmapBytes}`);
db.pragma(`cache_size = -${setup.cacheKiB}`);
// Checkpoint every 32 MiB of WAL rather than every 4: a checkpoint copies the pages the batches rewrote, and bulk
// batches rewrite many of the same pages.
db.pragma('wal_autocheckpoint = 8192');

const statements = new Map<string, Database.Statement>();
function prepare(text: string): Database.Statement {
  let st = statements.get(text);
  if (!st) {
    st = db.prepare(text);
    statements.set(text, st);
  }
  return st;
}

parentPort!.on('message', (req: WriterRequest) => {
  let reply: WriterReply;
  try {
    applyBulkWrite(db, prepare, req.write);
    reply = { id: req.id, ok: true };
  } catch (e) {
    reply = { id: req.id, error: { message: (e as Error).message, ...((e as { code?: string }).code ? { code: (e as { code: string }).code } : {}) } };
  }
  parentPort!.postMessage(reply);
});
