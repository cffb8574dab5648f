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
 *
 * How many writes a caller keeps posted is bounded twice: by count (the constants below, the store's
 * writesInFlight and stagedWritesInFlight) and, whatever their count, by the bytes they take (queuedBytes against
 * STAGED_WRITER_QUEUE_BYTES or WRITER_QUEUE_BYTES: the store's writeQueueFull).
 */
import { Worker } from 'node:worker_threads';
import { bulkWriteBytes, type BulkWrite } from './bulk-write.js';
import type { WriterReply, WriterRequest, WriterSetup } from './sqlite-writer-thread.js';

/**
 * Bulk writes the writer thread may have queued (Store.writesInFlight). 4 rather than 8: queued batches live on
 * both heaps until their transaction ends (the main thread's until posted, the thread's while it runs them), and
 * with 4 the peak anonymous memory of a 1M-indicator import was 274–300 MiB against 289–376 MiB, at the same wall
 * time (300k: 7.2–7.3 s against 6.8–7.5 s; 1M, measured with a heap growth factor of 1.5
 * rather than the import's 2: 28.5 s for both).
 */
export const WRITER_QUEUE = 4;

/**
 * Staged writes the writer thread may have queued (Store.stagedWritesInFlight): they are posted at once and wait
 * serialized in the thread's queue (sqlite-writer.ts), about 1.1 MB per 5,000 indicators, while a merge runs. With 4,
 * the reading thread of a 1M-indicator first load stood idle 7–11 s in all, in bursts of 1–2.6 s (the merges).
 * Measured on 2 cores, in runs interleaved with one another (one import each): 4: 50.7–59.2 s, mean 54.1 s over six,
 * 248–263 MiB peak anonymous memory; 8: 44.2–53.0 s, mean 49.1 s over three, 259–271 MiB; 12: 43.4–54.2 s, mean
 * 48.1 s over six, 275–288 MiB. 8 keeps most of the gain with room under 300 MiB. 1M more into a store of 1M,
 * interleaved, two each: 70.0 and 73.0 s with 8 against 79.3 and 85.4 s with 4, at 285–288 MiB against 279–282.
 */
export const STAGED_WRITER_QUEUE = 8;
/**
 * The same into a store that held no indicator (a first load), where the reading thread waits out the merges (1–2.6 s
 * each; 8 batches cover about 1.3 s of its reading) and holds no digests of stored keys (about 25 MiB at 1M). 1M
 * into an empty store, 2 cores, 9 interleaved imports each: 8: 32.7–45.6 s, mean 40.5 s, 252–258 MiB peak anonymous
 * memory; 12: 30.1–41.6 s, mean 36.0 s, 267–277 MiB; 16: 29.5–42.2 s, mean 33.8 s, 285–308 MiB. Into a store of 1M
 * (the thread's merges are the bottleneck there) 12 gained nothing: 49.9, 51.8 s against 47.7, 54.3 s, at 298–303 MiB.
 */
export const FIRST_LOAD_STAGED_WRITER_QUEUE = 12;
/**
 * The bytes (bulkWriteBytes) the staged writes posted and not committed may hold before a caller settles the oldest
 * (Store.writeQueueFull), whatever their count: the counts above were measured on the benchmark's rows, about
 * 1.1 MB per batch of 5,000 indicators, and rows of long values (URLs of kilobytes) make every batch several times
 * larger. Measured on 2 cores, 200,000 indicators with URLs of 2,000 characters (a 528 MB bundle, staged; about
 * 6 MB per batch): without a budget, 445–482 MiB peak anonymous memory, 22.6–25.4 s (five imports); with 16 MiB,
 * 253–265 MiB, 24.3–30.1 s (six); 24 MiB: 284 MiB, 25.5 s; 32 MiB: 308 MiB, 27.7 s (one each). The benchmark's
 * batches (0.94 MB) stay under it with 12 queued (1M indicators: 38.9 s, 275 MiB against 36.5 s, 280 MiB without).
 */
export const STAGED_WRITER_QUEUE_BYTES = 16 << 20;
/**
 * The same for direct writes, which wait on this heap as objects while the thread is busy and then go to it in one
 * message (one transaction). 100,000 indicators with URLs of 2,000 characters, not staged, 2 cores, two imports each:
 * 8 MiB: 240–245 MiB peak anonymous memory, 10.9–11.1 s; 16 MiB: 289–294 MiB, 11.7–11.9 s. The benchmark's direct
 * batches (4 queued, about 3.8 MB) stay under it.
 */
export const WRITER_QUEUE_BYTES = 8 << 20;

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
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void; bytes: number }>();
  /** bulkWriteBytes of the writes posted and not answered yet. */
  queuedBytes = 0;
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
        this.queuedBytes -= w.bytes;
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
      this.queuedBytes = 0;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
  }

  /** Runs `w` after the writes posted before it; resolves when it committed. */
  write(w: BulkWrite): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    const bytes = bulkWriteBytes(w);
    this.queuedBytes += bytes;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject, bytes }));
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
