/**
 * `/healthz` (the process answers) and `/readyz` (the store answers; 503 with Retry-After otherwise), without auth.
 * Unauthenticated, they say only `{"status":"up"}` or `{"status":"down"}`; with a valid read (or write) token they
 * also name the store and its detail (the SQLite path, the pool state), which are for operators only. A missing or
 * invalid token is not an error here: probes carry none.
 */
import { hasPermission, READ } from '../../auth/require-permission.js';
import type { TokenVerifier } from '../../auth/verify-token.js';
import type { Store } from '../../storage/store.js';
import type { Responder } from '../respond.js';
import type { Step } from '../exchange.js';

export const HEALTH_PATHS: readonly string[] = ['/healthz', '/readyz'];

async function mayReadDetails(verifyToken: TokenVerifier, authorization: string | undefined): Promise<boolean> {
  if (!authorization) return false;
  try {
    return hasPermission(await verifyToken(authorization), READ);
  } catch {
    return false;
  }
}

export const answerHealth =
  (store: Store, responder: Responder, verifyToken: TokenVerifier): Step =>
  async (x) => {
    if (!HEALTH_PATHS.includes(x.path)) return;
    const health = await store.health();
    const status = x.path === '/readyz' && !health.ok ? 503 : 200;
    const state = health.ok ? 'up' : 'down';
    const body = (await mayReadDetails(verifyToken, x.req.headers.authorization)) ? { status: state, store: health.store, detail: health.detail } : { status: state };
    responder.respond(x, status, { 'Content-Type': 'application/json;charset=utf-8', ...(status === 503 ? { 'Retry-After': '1' } : {}) }, JSON.stringify(body));
    return 'done';
  };
