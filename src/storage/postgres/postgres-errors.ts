/** How driver errors of the PostgreSQL store map to the error catalog: a statement timeout, a lost database. */
import { errors } from '../../errors/catalog.js';
import { ODataError } from '../../errors/odata-error.js';

/** Errors that mean "the database is unreachable or going away", as opposed to a bad statement. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
/** query_canceled: the statement ran past statement_timeout (the server cancelled it; the connection is fine). */
export const STATEMENT_TIMEOUT = '57014';
/** unique_violation: a row with the key exists (a bulk write's append of keys it took for new: postgres-store.ts). */
export const UNIQUE_VIOLATION = '23505';
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;

/** The catalog error for a driver error: a statement timeout says so, a lost database is 503; others unchanged. */
export function translatePostgresError(e: unknown, statementTimeoutMs: number): unknown {
  if (e instanceof ODataError) return e;
  if ((e as { code?: unknown } | null)?.code === STATEMENT_TIMEOUT) return errors.queryTimeout(statementTimeoutMs);
  if (isUnavailable(e)) return errors.serviceUnavailable('the database is unreachable; retry shortly', 1);
  return e;
}

export function isUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code && UNAVAILABLE_CODES.has(err.code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(err?.message ?? '');
}
