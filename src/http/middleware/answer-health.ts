/** `/healthz` (the process answers) and `/readyz` (the store answers; 503 with Retry-After otherwise), without auth. */
import type { Store } from '../../storage/store.js';
import type { Responder } from '../respond.js';
import type { Step } from '../exchange.js';

export const HEALTH_PATHS: readonly string[] = ['/healthz', '/readyz'];

export const answerHealth =
  (store: Store, responder: Responder): Step =>
  async (x) => {
    if (!HEALTH_PATHS.includes(x.path)) return;
    const health = await store.health();
    const status = x.path === '/readyz' && !health.ok ? 503 : 200;
    responder.respond(
      x,
      status,
      { 'Content-Type': 'application/json;charset=utf-8', ...(status === 503 ? { 'Retry-After': '1' } : {}) },
      JSON.stringify({ status: health.ok ? 'ok' : 'degraded', store: health.store, detail: health.detail }),
    );
    return 'done';
  };
