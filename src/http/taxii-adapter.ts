/**
 * node:http adapter for TAXII 2.1 (src/taxii): content negotiation (406 for an Accept that allows no TAXII
 * 2.1 media type), authentication with the API's bearer tokens, the caller's read/write permission, and every
 * failure shaped as a TAXII error message (`title`, `description`, `http_status`) in the TAXII media type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errors } from '../errors/catalog.js';
import { hasPermission, READ, WRITE } from '../auth/require-permission.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import { MODEL } from '../model/model.js';
import type { Store } from '../storage/store.js';
import { createTaxiiService, TAXII_MEDIA_TYPE, type TaxiiRequest, type TaxiiResponse } from '../taxii/handle-taxii-request.js';
import { toODataError } from './write-error.js';
import type { BasicVerifier } from '../taxii/basic-credentials.js';

export interface TaxiiHttpConfig {
  readonly store: Store;
  readonly verifyToken: TokenVerifier;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly origin: string;
  /** HTTP Basic users (src/taxii/basic-credentials.ts); none = bearer tokens only. */
  readonly basic?: BasicVerifier;
}

const services = new WeakMap<Store, (req: TaxiiRequest) => Promise<TaxiiResponse>>();

/** Whether an Accept header allows `application/taxii+json;version=2.1` (absent = anything). */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
    if (type === '*/*' || type === 'application/*') return true;
    return type === 'application/taxii+json' && (version === undefined || version === '2.1');
  });
}

export async function handleTaxiiHttp(req: IncomingMessage, res: ServerResponse, config: TaxiiHttpConfig): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const send = (r: TaxiiResponse): void => {
    res.writeHead(r.status, { ...r.headers, 'Content-Length': Buffer.byteLength(r.body) });
    res.end(req.method === 'HEAD' ? undefined : r.body);
  };
  try {
    const accept = req.headers.accept;
    if (!acceptsTaxii(accept)) throw errors.taxiiNotAcceptable(String(accept));
    const authorization = req.headers.authorization;
    let principal: { readonly permissions: ReadonlySet<string> };
    if (authorization !== undefined && /^Basic\s/i.test(authorization)) {
      const permissions = config.basic ? await config.basic(authorization) : undefined;
      if (!permissions) throw errors.taxiiUnauthorized();
      principal = { permissions };
    } else principal = await config.verifyToken(authorization);
    const method = req.method ?? 'GET';
    let body: string | undefined;
    if (method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > config.maxBodyBytes) throw errors.payloadTooLarge(config.maxBodyBytes);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > config.maxBodyBytes) throw errors.payloadTooLarge(config.maxBodyBytes);
        chunks.push(chunk as Buffer);
      }
      body = Buffer.concat(chunks).toString('utf8');
    }
    let service = services.get(config.store);
    if (!service) {
      service = createTaxiiService({ store: config.store, model: MODEL, maxContentLength: config.maxBodyBytes });
      services.set(config.store, service);
    }
    send(
      await service({
        method,
        ...(body !== undefined ? { body, contentType: req.headers['content-type'] ?? '' } : {}),
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        origin: config.origin,
        canRead: hasPermission(principal, READ),
        canWrite: hasPermission(principal, WRITE),
      }),
    );
  } catch (err) {
    const e = toODataError(err);
    if (e.status >= 500) config.logger.error({ err: e.cause ?? err, url }, 'TAXII request failed');
    const title = e.status === 401 ? 'Unauthorized' : e.status === 403 && e.code !== 'Forbidden' ? 'Forbidden' : e.code;
    send({ status: e.status, headers: { 'Content-Type': TAXII_MEDIA_TYPE, ...e.headers }, body: JSON.stringify({ title, description: e.message, http_status: String(e.status) }) });
  }
}
