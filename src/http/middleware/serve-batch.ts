/**
 * Graph JSON batching at /{version}/$batch: the batch's token authenticates it; each inner request is routed
 * and checked against that token's permissions by itself (src/http/batch-adapter.ts).
 */
import type { TokenVerifier } from '../../auth/verify-token.js';
import type { Service } from '../../service/handle-odata-request.js';
import { BATCH_PATH, runBatch } from '../batch-adapter.js';
import type { Step } from '../exchange.js';
import { originOf } from '../origin.js';
import type { Responder } from '../respond.js';
import { readJson } from './read-body.js';
import { clientKey } from '../client-key.js';

export const serveBatch =
  (config: { service: Pick<Service, 'route' | 'dispatch'>; verifyToken: TokenVerifier; responder: Responder; maxBodyBytes: number; trustProxy: boolean }): Step =>
  async (x) => {
    if (x.method !== 'POST' || !BATCH_PATH.test(x.path)) return;
    const principal = await config.verifyToken(x.req.headers.authorization);
    x.principal = principal;
    const body = await readJson(x.req, config.maxBodyBytes);
    const out = await runBatch(x.path, body, principal, config.service, { origin: originOf(x.req, config.trustProxy), requestId: x.requestId, clientRequestId: x.clientRequestId, client: clientKey(x) });
    config.responder.respond(x, out.status, out.headers, out.body);
    return 'done';
  };
