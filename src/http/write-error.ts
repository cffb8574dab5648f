/**
 * The boundary where errors become Graph error bodies:
 * {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}} with a JSON content type
 * (Kiota parses an ODataError only then) and the `innerError` spelling the SDKs map.
 */
import { ODataError } from '../errors/odata-error.js';
import { errors } from '../errors/catalog.js';

export const ERROR_CONTENT_TYPE = 'application/json;charset=utf-8';

/** Graph's innerError.date has no zone designator: 2017-07-31T20:55:01. */
const innerDate = (now: Date): string => now.toISOString().slice(0, 19);

export function toODataError(err: unknown): ODataError {
  return err instanceof ODataError ? err : errors.internal(err);
}

export function errorBody(err: ODataError, requestId: string, clientRequestId: string, now = new Date()): string {
  return JSON.stringify({
    error: {
      code: err.code,
      message: err.message,
      ...(err.target ? { target: err.target } : {}),
      innerError: { date: innerDate(now), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  });
}

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/** A complete raw HTTP/1.1 error response, for errors raised before node:http produced a request (clientError). */
export function rawErrorResponse(err: ODataError, requestId: string): string {
  const body = errorBody(err, requestId, requestId);
  return [
    `HTTP/1.1 ${err.status} ${REASONS[err.status] ?? 'Error'}`,
    `Content-Type: ${ERROR_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `request-id: ${requestId}`,
    `client-request-id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
