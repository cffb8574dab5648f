/**
 * The SQLite reader pool: a few threads (sqlite-reader-thread.ts), each with its own connection to the store's
 * file, that run the store's reads off the event loop. Reads queue in arrival order for the first free thread.
 *
 * Deadlines: a read still queued at its deadline fails without running; a running one is ended by the connection's
 * deadline guard (deadline-guard.ts) in the thread; one that does not end within GRACE_MS after its deadline (work
 * the guard does not see, such as a long sort) has its thread terminated and replaced, so the pool never shrinks and
 * the caller never waits past deadline + grace.
 */
import { Worker } from 'node:worker_threads';
import type { Statement } from '../sql/sql-dialect.js';
import type { Row } from '../sql/row-codec.js';
import type { ReaderReply, ReaderRequest, ReaderSetup } from './sqlite-reader-thread.js';

export const GRACE_MS = 250;

/** Why a read failed: past its deadline, or a SQLite error (message and code as the thread saw them). */
export class ReadFailed extends Error {
  constructor(
    readonly deadline: boolean,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Task {
  readonly statement: Statement;
  readonly at: number | undefined;
  readonly resolve: (rows: Row[]) => void;
  readonly reject: (e: Error) => void;
}

interface Reader {
  worker: Worker;
  task?: Task & { id: number; timer?: NodeJS.Timeout };
}

const THREAD_URL = new URL('./sqlite-reader-thread.js', import.meta.url);

export class SqliteReaders {
  private readonly readers: Reader[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly setup: ReaderSetup,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.readers.push(this.spawn());
  }

  get size(): number {
    return this.readers.length;
  }

  /** Runs one read on a free thread; `at` is its deadline (epoch ms). */
  run(statement: Statement, at: number | undefined): Promise<Row[]> {
    if (this.closed) return Promise.reject(new ReadFailed(false, 'the store is closed'));
    return new Promise<Row[]>((resolve, reject) => {
      this.queue.push({ statement, at, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new ReadFailed(false, 'the store is closed'));
    await Promise.all(
      this.readers.map(async (r) => {
        if (r.task) this.finish(r, (t) => t.reject(new ReadFailed(false, 'the store is closed')));
        await r.worker.terminate();
      }),
    );
  }

  private spawn(): Reader {
    const reader: Reader = { worker: this.startThread() };
    this.bind(reader);
    return reader;
  }

  private startThread(): Worker {
    const worker = new Worker(THREAD_URL, { workerData: this.setup });
    worker.unref();
    return worker;
  }

  /** A thread that is lost or stuck past its task's deadline is terminated and a fresh one takes its slot. */
  private replace(reader: Reader): void {
    const old = reader.worker;
    reader.worker = this.startThread();
    this.bind(reader);
    void old.terminate().catch(() => {});
    this.dispatch();
  }

  private bind(reader: Reader): void {
    const worker = reader.worker;
    worker.on('message', (reply: ReaderReply) => {
      if (reader.worker !== worker || !reader.task || reader.task.id !== reply.id) return;
      this.finish(reader, (t) => {
        if ('rows' in reply) t.resolve(reply.rows as Row[]);
        else if ('deadline' in reply) t.reject(new ReadFailed(true, 'deadline'));
        else t.reject(new ReadFailed(false, reply.error.message, reply.error.code));
      });
      this.dispatch();
    });
    const lost = (why: string): void => {
      if (this.closed || reader.worker !== worker) return;
      if (reader.task) this.finish(reader, (t) => t.reject(new ReadFailed(false, why)));
      this.replace(reader);
    };
    worker.on('error', (e) => lost(`the reader thread failed: ${e.message}`));
    worker.on('exit', (code) => lost(`the reader thread exited (${code})`));
  }

  private finish(reader: Reader, settle: (t: Task) => void): void {
    const task = reader.task!;
    if (task.timer) clearTimeout(task.timer);
    reader.task = undefined;
    settle(task);
  }

  private dispatch(): void {
    for (const reader of this.readers) {
      if (reader.task) continue;
      let task: Task | undefined;
      while ((task = this.queue.shift())) {
        if (task.at !== undefined && Date.now() >= task.at) task.reject(new ReadFailed(true, 'deadline'));
        else break;
      }
      if (!task) return;
      const id = this.nextId++;
      const running: Reader['task'] = { ...task, id };
      reader.task = running;
      if (task.at !== undefined) {
        running.timer = setTimeout(() => {
          if (reader.task !== running) return;
          this.finish(reader, (t) => t.reject(new ReadFailed(true, 'deadline')));
          this.replace(reader);
        }, Math.max(0, task.at - Date.now()) + GRACE_MS);
        running.timer.unref();
      }
      const request: ReaderRequest = { id, sql: task.statement.sql, parameters: task.statement.parameters, ...(task.at !== undefined ? { at: task.at } : {}) };
      reader.worker.postMessage(request);
    }
  }
}
