/**
 * CORS for the origins given with `--cors-origin` (none by default: no CORS headers at all). A preflight
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin is answered here, before
 * authentication — browsers send preflights without credentials — with the methods and headers Microsoft's Graph
 * clients send. Other origins' preflights go on down the chain unanswered by CORS (401 without a token), so the
 * browser refuses the call. Actual requests from an allowed origin get `Access-Control-Allow-Origin` and the
 * response headers Graph clients read (`request-id`, `client-request-id`, `Retry-After`, `Location`) exposed.
 * Bearer tokens travel in `Authorization`, so credentials (cookies) are never allowed.
 */
import type { Responder } from '../respond.js';
import type { Step } from '../exchange.js';

export const CORS_ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, DELETE, OPTIONS';
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, client-request-id, return-client-request-id, Prefer, ConsistencyLevel, SdkVersion, OData-Version, OData-MaxVersion, Accept';
export const CORS_EXPOSED_HEADERS = 'request-id, client-request-id, Retry-After, Location, OData-Version';
/** How long a browser may cache a preflight answer (seconds). */
export const CORS_MAX_AGE = '600';

/** An origin as browsers send it: scheme://host[:port], lower-case, no path; undefined when it is not one. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const u = new URL(value);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return undefined;
    if (!/^https?:\/\/[^/]+\/?$/i.test(value)) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

export const answerCors =
  (origins: readonly string[], responder: Responder): Step =>
  async (x) => {
    if (origins.length === 0) return;
    const origin = x.req.headers.origin;
    if (typeof origin !== 'string' || !origins.includes(origin)) return;
    const res = x.res;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (x.method === 'OPTIONS' && typeof x.req.headers['access-control-request-method'] === 'string') {
      responder.respond(x, 204, {
        'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS,
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
        'Access-Control-Max-Age': CORS_MAX_AGE,
      }, '');
      return 'done';
    }
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
  };
