/**
 * node:http adapter: one ordered chain of steps, built by the composition root (server/start-server.ts):
 *
 *   request ids → URL limit → health → route → authentication → faults → body → dispatch → respond
 *
 * This module assigns the request ids, refuses a request with two Host headers (400: proxies and the app could
 * disagree on which host was meant), runs the steps in order until one answers, and sends every failure, at any
 * step, through the one response writer as a Graph error body; nothing else escapes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors/catalog.js';
import type { Exchange, Step } from './exchange.js';
import type { Responder } from './respond.js';

const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export interface ListenerConfig {
  readonly steps: readonly Step[];
  readonly responder: Responder;
}

function exchangeOf(req: IncomingMessage, res: ServerResponse): Exchange {
  const requestId = randomUUID();
  const sent = req.headers['client-request-id'];
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    req,
    res,
    method: req.method ?? 'GET',
    url,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    requestId,
    clientRequestId: typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : requestId,
    started: process.hrtime.bigint(),
    answered: false,
  };
}

/** How many Host headers the request carried (node:http keeps only the first in `headers`). */
function hostHeaders(req: IncomingMessage): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') n++;
  return n;
}

export function createRequestListener(config: ListenerConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const { steps, responder } = config;
  return (req, res) => {
    const x = exchangeOf(req, res);
    const run = async (): Promise<void> => {
      if (hostHeaders(req) > 1) throw errors.duplicateHost();
      for (const step of steps) if ((await step(x)) === 'done') return;
      throw new Error('listener: no step answered the request');
    };
    run().catch((err: unknown) => responder.fail(x, err));
  };
}
