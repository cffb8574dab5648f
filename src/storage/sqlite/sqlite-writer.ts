/**
 * The main thread's side of the SQLite writer thread (sqlite-writer-thread.ts): posts bulk writes and resolves each
 * when its transaction committed (rejects with the thread's error, or when the thread died). The thread holds one
 * message at a time; writes posted meanwhile wait here and go together in the next message, which the thread
 * commits as one transaction (each write still fails alone: see the thread). The store drains it before anything
 * else touches the database (sqlite-store.ts), so a write on the store's own connection never waits on the
 * thread's lock and every read sees the writes before it.
 *
 * A staged write (BulkWrite.stage) with nothing queued before it is posted at once, even while the thread is busy:
 * it waits in the thread's message queue, serialized (about 1.1 MB for 5,000 indicators), rather than on this
 * heap as objects. Staged appends are cheap, but every so often one of them merges what is staged (bulk-staging.ts,
 * 1–3 s at 1M indicators), and the importer goes on reading the next batches meanwhile. The thread runs its
 * messages in the order posted, so the order of the writes holds.
 */
import { Worker } from 'node:worker_threads';
import type { BulkWrite } from './bulk-write.js';
import type { WriterReply, WriterRequest, WriterSetup } from './sqlite-writer-thread.js';

const THREAD_URL = new URL('./sqlite-writer-thread.js', import.meta.url);

/**
 * The writer thread's young generation (V8's new space), MiB. The thread keeps little alive in JS (the batches of
 * one message while it writes them), but V8 sizes every isolate's young generation the same, and the thread's heap
 * held 40–50 MiB committed for 4–9 MiB live. Capped at 8 MiB, the peak anonymous memory of a bulk load fell by
 * 14–30 MiB at the same wall time (measured on 2 cores, one run each: 300k indicators 189–200 MiB against
 * 212–225 MiB, 26.3–29.8 s against 28.4–32.9 s; 1M 267 MiB against 281 MiB, 96.3 s against 95.6 s).
 */
export const WRITER_YOUNG_GENERATION_MB = 8;

export class SqliteWriter {
  private readonly worker: Worker;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** Writes posted while the thread was busy, for its next message. */
  private queued: { id: number; write: BulkWrite }[] = [];
  /** Messages posted to the thread and not answered yet. */
  private posted = 0;
  private last: Promise<void> = Promise.resolve();
  private dead: Error | undefined;
  /** Messages posted to the thread: one transaction each (unless one of its writes failed). */
  transactions = 0;

  constructor(setup: WriterSetup) {
    // None of the parent's Node flags: some make a thread fail to start (--input-type of a program given by -e,
    // --trace-gc…), and it needs none.
    this.worker = new Worker(THREAD_URL, { workerData: setup, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    this.worker.on('message', (replies: WriterReply[]) => {
      this.posted--;
      for (const reply of replies) {
        const w = this.waiting.get(reply.id);
        if (!w) continue;
        this.waiting.delete(reply.id);
        if ('ok' in reply) w.resolve();
        else w.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
      }
      if (this.posted === 0) this.send();
    });
    const fail = (e: Error): void => {
      this.dead = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.queued = [];
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
  }

  /** Runs `w` after the writes posted before it; resolves when it committed. */
  write(w: BulkWrite): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queued.push({ id, write: w });
    if (this.posted === 0 || (w.stage && this.queued.length === 1)) this.send();
    // drain() waits for every write, failed or not; each caller sees its own write's outcome.
    this.last = done.catch(() => undefined);
    return done;
  }

  /** Posts the queued writes as the thread's next message. */
  private send(): void {
    if (this.queued.length === 0 || this.dead) return;
    const writes = this.queued;
    this.queued = [];
    this.posted++;
    this.transactions++;
    this.worker.postMessage({ writes } satisfies WriterRequest);
  }

  /** Settles when every write posted so far has committed or failed. */
  drain(): Promise<void> {
    return this.last;
  }

  /** The thread's V8 limits, as the running thread has them (empty once it stopped). */
  get resourceLimits(): { readonly maxYoungGenerationSizeMb?: number } {
    return this.worker.resourceLimits ?? {};
  }

  get busy(): boolean {
    return this.waiting.size > 0;
  }

  async close(): Promise<void> {
    await this.drain();
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
