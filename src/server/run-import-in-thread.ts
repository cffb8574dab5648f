/**
 * The import runner of a server on a SQLite file: each job runs in a thread of its own (import-thread.ts) with its
 * own connection, so the server keeps answering while a large import writes. WAL mode lets the server's reader
 * threads read beside it; the job's batches are committed one transaction at a time, as in `tigraph import`.
 */
import { Worker } from 'node:worker_threads';
import { ODataError } from '../errors/odata-error.js';
import type { ImportRunner } from '../service/import-job-queue.js';
import type { ImportThreadReply, ImportThreadSetup } from './import-thread.js';

const THREAD_URL = new URL('./import-thread.js', import.meta.url);

export function importInThread(filename: string): ImportRunner {
  return (options) =>
    new Promise((resolve, reject) => {
      const setup: ImportThreadSetup = { filename, options };
      const worker = new Worker(THREAD_URL, { workerData: setup });
      let settled = false;
      worker.once('message', (reply: ImportThreadReply) => {
        settled = true;
        if ('summary' in reply) resolve(reply.summary);
        else if ('graphError' in reply) reject(new ODataError(reply.graphError.status, reply.graphError.code, reply.graphError.message));
        else reject(new Error(`import thread: ${reply.internalError}`));
      });
      worker.once('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`import thread exited with code ${code} before it answered`));
      });
    });
}
