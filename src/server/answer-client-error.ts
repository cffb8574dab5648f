/**
 * node:http's 'clientError' handler: what never became a request object still gets a Graph error body.
 *
 * - A request or headers timeout (node's `requestTimeout`/`headersTimeout`) is 408 RequestTimeout; a socket that
 *   can no longer be written is destroyed.
 * - Oversized headers are 431, anything else that does not parse 400 — after the response to a valid request
 *   that came before it on the same connection (pipelining): that response is sent first, then the error, then
 *   the connection closes. Without the wait a valid POST followed by one stray byte was executed while its
 *   client saw only the 400.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../errors/catalog.js';
import { rawErrorResponse } from '../http/write-error.js';

/** The response node:http is writing on this socket, if any (its documented-by-use `_httpMessage`). */
const inFlight = (socket: Duplex): ServerResponse | undefined => (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;

export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? errors.requestTimeout() : err.code === 'HPE_HEADER_OVERFLOW' ? errors.headersTooLarge() : errors.badRequestSyntax();
  let answered = false;
  const answer = (): void => {
    if (answered) return;
    answered = true;
    if (socket.writable) socket.end(rawErrorResponse(e, randomUUID()));
    else socket.destroy();
  };
  const pending = inFlight(socket);
  if (pending && !pending.writableFinished) {
    pending.once('finish', answer);
    pending.once('close', answer);
  } else answer();
}
