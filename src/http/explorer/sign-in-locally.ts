/**
 * The explorer's one-click sign-in (issue 15), for `--auth dev` only:
 *
 *   GET  /ui/sign-in  → {"mode":"dev"|"oidc","localSignIn":true|false}   (what the page offers; no token needed)
 *   POST /ui/sign-in  → {"token","tokenType":"Bearer","expiresIn":3600,"permission":"ThreatIntelligence.Read.All"}
 *
 * The token is a READ token signed by the data directory's development key, exactly what `tigraph token
 * --expires-in 3600` prints, so it passes the API's permission checks and no others: the explorer gains no
 * endpoint the API would refuse it. The POST is refused (Graph 403 `Forbidden`) unless every check holds:
 *
 * - the auth mode is `dev` (in `oidc` mode the page asks for a pasted token instead);
 * - the peer is a loopback address and no proxy forwarded the request (`X-Forwarded-For`/`Forwarded` absent);
 * - the Host is a loopback name (`localhost`, `127.x.y.z`, `[::1]`), so a DNS-rebound name cannot use it;
 * - CSRF: the custom header `X-Tigraph-Sign-In: 1` (a cross-origin page cannot send it without a preflight,
 *   which CORS refuses for it), `Origin` equal to this server's origin, and `Sec-Fetch-Site` `same-origin`
 *   when the browser sends it.
 */
import { mintToken } from '../../auth/mint-token.js';
import { READ } from '../../auth/require-permission.js';
import type { SigningKey } from '../../auth/signing-key.js';
import { errors } from '../../errors/catalog.js';
import { originOf } from '../origin.js';
import type { Responder } from '../respond.js';
import type { Exchange, Step } from '../exchange.js';
import { setExplorerHeaders } from './serve-explorer.js';

export const SIGN_IN_PATH = '/ui/sign-in';
export const SIGN_IN_HEADER = 'x-tigraph-sign-in';
/** Lifetime of a minted explorer token (seconds). */
export const SIGN_IN_TOKEN_SECONDS = 3600;

export interface SignInOptions {
  readonly mode: 'dev' | 'oidc';
  readonly signingKey: SigningKey;
  readonly responder: Responder;
}

export const isLoopbackAddress = (address: string | undefined): boolean =>
  !!address && (/^127(\.\d{1,3}){3}$/.test(address) || address === '::1' || /^::ffff:127(\.\d{1,3}){3}$/i.test(address));

/** `localhost`, `127.x.y.z` or `[::1]`, with an optional port. */
export const isLoopbackHost = (host: string | undefined): boolean => !!host && /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i.test(host);

/** Why the POST must be refused, or undefined when it may mint a token. */
export function refusal(x: Exchange, mode: 'dev' | 'oidc'): string | undefined {
  const h = x.req.headers;
  if (mode !== 'dev') return 'the server runs with --auth oidc; paste a token from your identity provider';
  if (!isLoopbackAddress(x.req.socket.remoteAddress) || h['x-forwarded-for'] !== undefined || h['forwarded'] !== undefined) {
    return 'it is only offered to a browser on this machine (loopback)';
  }
  if (!isLoopbackHost(h.host)) return 'the Host header must be localhost, 127.0.0.1 or [::1]';
  if (h[SIGN_IN_HEADER] !== '1') return "the header 'X-Tigraph-Sign-In: 1' is missing";
  if (h.origin !== originOf(x.req, false)) return "the Origin header must be this server's origin";
  const site = h['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return "the request must come from this server's own page (Sec-Fetch-Site: same-origin)";
  return undefined;
}

export const signInLocally =
  (options: SignInOptions): Step =>
  async (x) => {
    if (x.path !== SIGN_IN_PATH) return;
    setExplorerHeaders(x);
    const json = { 'Content-Type': 'application/json;charset=utf-8' };
    if (x.method === 'GET' || x.method === 'HEAD') {
      const offered = options.mode === 'dev' && isLoopbackAddress(x.req.socket.remoteAddress) && isLoopbackHost(x.req.headers.host);
      options.responder.respond(x, 200, json, JSON.stringify({ mode: options.mode, localSignIn: offered }));
      return 'done';
    }
    if (x.method !== 'POST') throw errors.methodNotAllowed(x.method, ['GET', 'HEAD', 'POST']);
    const reason = refusal(x, options.mode);
    if (reason) throw errors.localSignInRefused(reason);
    const token = await mintToken(options.signingKey, { expiresInSeconds: SIGN_IN_TOKEN_SECONDS });
    options.responder.respond(x, 200, json, JSON.stringify({ token, tokenType: 'Bearer', expiresIn: SIGN_IN_TOKEN_SECONDS, permission: READ }));
    return 'done';
  };
