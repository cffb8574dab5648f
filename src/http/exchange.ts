/**
 * One request on its way through the listener chain: what the steps have learned so far. Steps run in the order
 * the composition root gives them; each may answer (and end the chain) or enrich the exchange for the next.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/verify-token.js';
import type { Route } from '../service/route-request.js';

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** As received: path (percent-encoded, without the query) and query (without '?'). */
  readonly url: string;
  readonly path: string;
  readonly query: string;
  readonly requestId: string;
  readonly clientRequestId: string;
  readonly started: bigint;
  /** Set by the routing step. */
  route?: Route;
  /** Set by the authentication step (absent for public routes). */
  principal?: Principal;
  /** Set by the body step, as the route declares it. */
  body?: unknown;
  /** True once a response was written. */
  answered: boolean;
}

/** A step of the chain: resolves `'done'` when it answered the request, anything else to go on. */
export type Step = (x: Exchange) => Promise<'done' | void>;
