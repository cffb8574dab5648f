/**
 * A SQLite reader thread (worker_threads entry, started by sqlite-readers.ts): its own connection to the store's
 * file, query-only, answering one compiled read at a time. Reads run here so that no query holds the server's event
 * loop; WAL mode lets them run beside the writer on the main thread, each seeing the last committed state.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DeadlineGuard, isDeadlineError } from './deadline-guard.js';

export interface ReaderRequest {
  readonly id: number;
  readonly sql: string;
  readonly parameters: readonly unknown[];
  /** Epoch ms; absent: no deadline. */
  readonly at?: number;
}

export type ReaderReply =
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly deadline: true }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } };

export interface ReaderSetup {
  readonly filename: string;
  readonly mmapBytes: number;
}

const setup = workerData as ReaderSetup;
const db = new Database(setup.filename, { fileMustExist: true });
db.pragma('query_only = 1');
db.pragma('busy_timeout = 5000');
db.pragma(`mmap_size = ${setup.mmapBytes}`);
db.pragma('cache_size = -16384');
const guard = new DeadlineGuard();
guard.install(db);

const statements = new Map<string, Database.Statement>();
function prepare(text: string): Database.Statement {
  let st = statements.get(text);
  if (!st) {
    st = db.prepare(text);
    if (statements.size > 2000) statements.clear();
    statements.set(text, st);
  }
  return st;
}

parentPort!.on('message', (req: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    reply = { id: req.id, rows: guard.run(req.at, () => prepare(req.sql).all(...(req.parameters as unknown[]))) };
  } catch (e) {
    reply = isDeadlineError(e) ? { id: req.id, deadline: true } : { id: req.id, error: { message: (e as Error).message, ...((e as { code?: string }).code ? { code: (e as { code: string }).code } : {}) } };
  }
  parentPort!.postMessage(reply);
});
