/**
 * The one response writer of the listener chain: every answer, success or error from any step (faults
 * included), leaves through `respond` with the request ids and one log line.
 */
import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';
import type { Exchange } from './exchange.js';
import { ERROR_CONTENT_TYPE, errorBody, toODataError } from './write-error.js';

export interface Responder {
  respond(x: Exchange, status: number, headers: Record<string, string>, body: string | Buffer): void;
  fail(x: Exchange, err: unknown): void;
}

export function createResponder(logger: Logger, audit?: AuditLog): Responder {
  const respond = (x: Exchange, status: number, headers: Record<string, string>, body: string | Buffer): void => {
    if (x.answered) return;
    x.answered = true;
    // The log line is written before the response (the server's logger writes synchronously), so an answer a client
    // has seen always has its line, even if the process is killed right after.
    logger.info({ requestId: x.requestId, method: x.method, url: x.url.length > 300 ? `${x.url.slice(0, 300)}…` : x.url, status, ms: Number(process.hrtime.bigint() - x.started) / 1e6 }, 'request');
    // The audit line too (writes, imports, refused authentication): an acknowledged write always has it.
    audit?.record(x, status, headers);
    x.res.writeHead(status, { ...headers, 'request-id': x.requestId, 'client-request-id': x.clientRequestId, 'Content-Length': Buffer.byteLength(body) });
    x.res.end(x.method === 'HEAD' ? undefined : body);
  };
  const fail = (x: Exchange, err: unknown): void => {
    const e = toODataError(err);
    if (e.status >= 500 && e.code === 'InternalServerError') logger.error({ requestId: x.requestId, err: e.cause }, 'unhandled error');
    respond(x, e.status, { 'Content-Type': ERROR_CONTENT_TYPE, ...e.headers }, errorBody(e, x.requestId, x.clientRequestId));
  };
  return { respond, fail };
}
