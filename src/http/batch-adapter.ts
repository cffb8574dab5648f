/**
 * The HTTP side of `$batch` (src/service/handle-batch.ts): each inner request gets the batch principal's
 * permission check (Read for GET, ReadWrite for writes) and the OData service, and its failures become Graph
 * error bodies here, at the boundary, like those of any request.
 */
import { errors } from '../errors/catalog.js';
import { READ, WRITE, requirePermission } from '../auth/require-permission.js';
import type { Principal } from '../auth/verify-token.js';
import { handleBatch } from '../service/handle-batch.js';
import type { Service, ServiceResponse } from '../service/handle-odata-request.js';
import { ERROR_CONTENT_TYPE, errorBody, toODataError } from './write-error.js';

export const BATCH_PATH = /^\/(v1\.0|beta)\/\$batch$/i;

export async function runBatch(
  path: string,
  body: unknown,
  principal: Principal,
  service: Pick<Service, 'route' | 'dispatch'>,
  context: { readonly origin: string; readonly requestId: string; readonly clientRequestId: string; readonly client?: string },
): Promise<ServiceResponse> {
  const version = BATCH_PATH.exec(path)![1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
  return handleBatch(version, body, async (inner) => {
    try {
      if (BATCH_PATH.test(inner.path)) throw errors.invalidBody('a batch cannot contain a batch');
      const route = service.route(inner.method, inner.path);
      if (route.access !== 'public') requirePermission(principal, route.access === 'write' ? [WRITE] : [READ]);
      if (route.body === 'bytes') throw errors.invalidBody('the import action takes a file body and cannot run inside a batch');
      return await service.dispatch(route, { method: inner.method, path: inner.path, query: inner.query, origin: context.origin, prefer: inner.headers['prefer'], body: inner.body, ...(context.client ? { client: context.client } : {}) });
    } catch (err) {
      const e = toODataError(err);
      return { status: e.status, headers: { 'Content-Type': ERROR_CONTENT_TYPE, ...e.headers }, body: errorBody(e, context.requestId, context.clientRequestId) };
    }
  });
}
