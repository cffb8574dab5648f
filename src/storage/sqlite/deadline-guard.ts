/**
 * Cancelling a SQLite read at its deadline. better-sqlite3 has no sqlite3_interrupt, so the cancellation point is a
 * function of the connection: `tigraph_live()` is the first condition of every any()/all() subquery (the only
 * construct whose cost grows faster than the tables it reads, compile-query.ts), SQLite calls it once per inner row,
 * and past the deadline it throws, which ends the statement with that error. Checking the clock on every 256th call
 * keeps its cost to a counter increment per row.
 */
import type Database from 'better-sqlite3';
import { sql } from 'kysely';

const FUNCTION_NAME = 'tigraph_live';
const DEADLINE_MESSAGE = 'tigraph: the read ran past its deadline';

/** The SQL of the guard condition (sqlite-dialect.ts puts it in every lambda subquery). */
export const deadlineGuardSql = sql`${sql.raw(FUNCTION_NAME)}() = 1`;

export class DeadlineGuard {
  private at = Number.POSITIVE_INFINITY;
  private calls = 0;

  /** Registers the guard on a connection; every connection that may run compiled queries needs it. */
  install(db: Database.Database): void {
    db.function(FUNCTION_NAME, { deterministic: false, directOnly: true }, () => {
      if ((++this.calls & 255) === 0 && Date.now() > this.at) throw new Error(DEADLINE_MESSAGE);
      return 1;
    });
  }

  /** Runs `read` (synchronous) so that the guard ends it at `at` (epoch ms; undefined: no deadline). */
  run<T>(at: number | undefined, read: () => T): T {
    this.at = at ?? Number.POSITIVE_INFINITY;
    this.calls = 0;
    try {
      return read();
    } finally {
      this.at = Number.POSITIVE_INFINITY;
    }
  }
}

export function isDeadlineError(e: unknown): boolean {
  return e instanceof Error && e.message === DEADLINE_MESSAGE;
}
