/**
 * node:http adapter, in order: request ids → URL length limit → health/readiness (no auth) → authentication
 * and permission (all API routes but the version roots and $metadata) → the OData service → response.
 * Every failure, at any step, leaves as a Graph error body; nothing else escapes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errors } from '../errors/catalog.js';
import { READ, WRITE, requirePermission } from '../auth/require-permission.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import { WRITE_METHODS, type ServiceRequest, type ServiceResponse } from '../service/handle-odata-request.js';
import { isImportActionPath, type RawBody } from '../service/import-jobs.js';
import type { Store } from '../storage/store.js';
import { ERROR_CONTENT_TYPE, errorBody, toODataError } from './write-error.js';
import { handleTaxiiHttp } from './taxii-adapter.js'; // TAXII hook (issue 14)
import type { BasicVerifier } from '../taxii/basic-credentials.js'; // TAXII hook (issue 14)
import { BATCH_PATH, runBatch } from './batch-adapter.js'; // $batch hook (issue 14)

export interface ListenerConfig {
  readonly service: (req: ServiceRequest) => Promise<ServiceResponse>;
  readonly verifyToken: TokenVerifier;
  readonly store: Store;
  readonly logger: Logger;
  readonly maxUrlLength: number;
  readonly maxBodyBytes: number;
  /** Behind a reverse proxy: take the scheme and host of absolute URLs from X-Forwarded-Proto/-Host. */
  readonly trustProxy?: boolean;
  /** TAXII HTTP Basic users (issue 14). */
  readonly taxiiBasic?: BasicVerifier;
}

const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** Version roots and $metadata are public, like Graph's. */
const PUBLIC_PATH = /^\/(v1\.0|beta)(\/(\$metadata)?)?$/i;

export function createRequestListener(config: ListenerConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger } = config;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const sent = req.headers['client-request-id'];
    const clientRequestId = typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : requestId;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);

    const finish = (status: number, headers: Record<string, string>, body: string): void => {
      res.writeHead(status, { ...headers, 'request-id': requestId, 'client-request-id': clientRequestId, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      logger.info({ requestId, method: req.method, url: url.length > 300 ? `${url.slice(0, 300)}…` : url, status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    };
    const fail = (err: unknown): void => {
      const e = toODataError(err);
      if (e.status >= 500 && e.code === 'InternalServerError') logger.error({ requestId, err: e.cause }, 'unhandled error');
      finish(e.status, { 'Content-Type': ERROR_CONTENT_TYPE, ...e.headers }, errorBody(e, requestId, clientRequestId));
    };

    const run = async (): Promise<void> => {
      if (url.length > config.maxUrlLength) throw errors.uriTooLong(config.maxUrlLength);
      if (path === '/healthz' || path === '/readyz') {
        const health = await config.store.health();
        const status = path === '/readyz' && !health.ok ? 503 : 200;
        finish(status, { 'Content-Type': 'application/json;charset=utf-8', ...(status === 503 ? { 'Retry-After': '1' } : {}) }, JSON.stringify({ status: health.ok ? 'ok' : 'degraded', store: health.store, detail: health.detail }));
        return;
      }
      // ── TAXII hook (issue 14): paths under /taxii2/ go to the TAXII 2.1 adapter ──
      if (path === '/taxii2' || path.startsWith('/taxii2/')) {
        return handleTaxiiHttp(req, res, { store: config.store, verifyToken: config.verifyToken, logger, maxBodyBytes: config.maxBodyBytes, origin: originOf(req, config.trustProxy ?? false), ...(config.taxiiBasic ? { basic: config.taxiiBasic } : {}) });
      }
      // ── end TAXII hook ──
      const method = req.method ?? 'GET';
      // ── $batch hook (issue 14): the batch's principal; each inner request checks its own permission ──
      if (method === 'POST' && BATCH_PATH.test(path)) {
        const principal = await config.verifyToken(req.headers.authorization);
        const out = await runBatch(path, await readJsonBody(req, config.maxBodyBytes), principal, config.service, { origin: originOf(req, config.trustProxy ?? false), requestId, clientRequestId });
        finish(out.status, out.headers, out.body);
        return;
      }
      // ── end $batch hook ──
      const writing = WRITE_METHODS.includes(method);
      if (!PUBLIC_PATH.test(path)) {
        const principal = await config.verifyToken(req.headers.authorization);
        requirePermission(principal, writing ? [WRITE] : [READ]);
      }
      const body =
        method === 'POST' || method === 'PATCH' ? (isImportActionPath(path) ? await readBody(req, config.maxBodyBytes) : await readJsonBody(req, config.maxBodyBytes)) : undefined;
      const prefer = req.headers.prefer;
      const out = await config.service({ method, path, query, origin: originOf(req, config.trustProxy ?? false), prefer: Array.isArray(prefer) ? prefer.join(',') : prefer, body });
      finish(out.status, out.headers, out.body);
    };
    run().catch(fail);
  };
}

/** Reads a request body as bytes, bounded in size, with its media type (the import action takes any format). */
async function readBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw errors.payloadTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw errors.payloadTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return { kind: 'raw', contentType, bytes: Buffer.concat(chunks) };
}

/** Reads and parses a JSON request body, bounded in size; anything else is a Graph 4xx. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw errors.unsupportedMediaType(type || '(none)');
  const text = (await readBody(req, limit)).bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.invalidBody(`not valid JSON (${(e as Error).message})`);
  }
}

/** scheme://host as the client addressed this server (for absolute nextLinks and context URLs). */
function originOf(req: IncomingMessage, trustProxy: boolean): string {
  const first = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();
  const validHost = (h: string | undefined): h is string => !!h && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(h);
  const forwardedProto = trustProxy ? first(req.headers['x-forwarded-proto']) : undefined;
  const forwardedHost = trustProxy ? first(req.headers['x-forwarded-host']) : undefined;
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  const scheme = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : tls ? 'https' : 'http';
  const host = validHost(forwardedHost) ? forwardedHost : validHost(req.headers.host) ? req.headers.host : `${req.socket.localAddress}:${req.socket.localPort}`;
  return `${scheme}://${host}`;
}
