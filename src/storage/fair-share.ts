/**
 * Fair use of the database by clients: each client (ReadOptions.client, the throttling key of its token) may run at
 * most `perClient` reads at once; its further reads wait in its own queue, in order, while other clients' reads go
 * ahead. So one client's expensive queries cannot take every pooled PostgreSQL connection or every SQLite reader
 * thread. Waiting counts against the read's deadline: one still queued then fails with `deadlineExceeded`.
 */
import { errors } from '../errors/catalog.js';
import type { ReadOptions } from './store.js';

interface Waiter {
  readonly grant: () => void;
  readonly fail: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface ClientState {
  running: number;
  readonly waiting: Waiter[];
}

/** Reads without a client (imports, the server's own) share one key. */
const INTERNAL = 'internal';

export class FairShare {
  private readonly clients = new Map<string, ClientState>();

  constructor(readonly perClient: number) {
    if (!(perClient >= 1)) throw new Error(`FairShare: perClient must be at least 1, not ${perClient}`);
  }

  /** Runs `read` once the client has a free share; the share is given back when it settles. */
  async run<T>(options: ReadOptions, read: () => Promise<T>): Promise<T> {
    const key = options.client ?? INTERNAL;
    let state = this.clients.get(key);
    if (!state) this.clients.set(key, (state = { running: 0, waiting: [] }));
    if (state.running >= this.perClient) await this.wait(state, options);
    else state.running++;
    try {
      return await read();
    } finally {
      this.release(key, state);
    }
  }

  /** Reads of `client` running now (tests, diagnostics). */
  running(client: string | undefined): number {
    return this.clients.get(client ?? INTERNAL)?.running ?? 0;
  }

  private wait(state: ClientState, options: ReadOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, fail: reject };
      const deadline = options.deadline;
      if (deadline) {
        waiter.timer = setTimeout(() => {
          const i = state.waiting.indexOf(waiter);
          if (i >= 0) state.waiting.splice(i, 1);
          reject(errors.deadlineExceeded(deadline.ms));
        }, Math.max(0, deadline.at - Date.now()));
      }
      state.waiting.push(waiter);
    });
  }

  private release(key: string, state: ClientState): void {
    const next = state.waiting.shift();
    if (next) {
      // The share passes straight to the client's next read: `running` stays as it is.
      if (next.timer) clearTimeout(next.timer);
      next.grant();
      return;
    }
    state.running--;
    if (state.running === 0) this.clients.delete(key);
  }
}
