/**
 * An import job's thread (worker_threads entry, started by run-import-in-thread.ts): opens its own connection to
 * the SQLite store's file and runs the import engine there, so that the engine's synchronous write transactions
 * (better-sqlite3) never hold the server's event loop. Posts one reply: the summary, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ODataError } from '../errors/odata-error.js';
import { runImport, type ImportOptions } from '../import/run-import.js';
import type { ImportSummary } from '../import/import-summary.js';
import { MODEL } from '../model/model.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';

export interface ImportThreadSetup {
  readonly filename: string;
  readonly options: Omit<ImportOptions, 'store' | 'model'>;
}

export type ImportThreadReply =
  | { readonly summary: ImportSummary }
  | { readonly graphError: { readonly status: number; readonly code: string; readonly message: string } }
  | { readonly internalError: string };

const setup = workerData as ImportThreadSetup;
let reply: ImportThreadReply;
const store = new SqliteStore(MODEL, { filename: setup.filename });
try {
  reply = { summary: await runImport({ ...setup.options, store, model: MODEL }) };
} catch (e) {
  reply = e instanceof ODataError ? { graphError: { status: e.status, code: e.code, message: e.message } } : { internalError: e instanceof Error ? (e.stack ?? e.message) : String(e) };
} finally {
  await store.close();
}
parentPort!.postMessage(reply);
