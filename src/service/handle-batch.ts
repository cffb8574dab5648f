/**
 * Graph JSON batching (graph-protocol.md §7): `POST /v1.0/$batch` and `/beta/$batch` with `{"requests": […]}`,
 * at most 20, each `id` (unique, case-insensitive), `method`, relative `url`, optional `headers`, `body`
 * (`headers` must then name `Content-Type`) and `dependsOn`. Requests run one at a time, dependencies first; a
 * request whose dependency failed (status ≥ 400, or itself 424) answers 424 without running. The answer is
 * `{"responses": [{id, status, headers, body}]}` in request order. Each inner request goes through `run`, which
 * the HTTP boundary supplies with the batch's own principal (so no request exceeds the token's permissions) and
 * which shapes inner errors there; this module knows neither HTTP nor the store.
 */
import { errors } from '../errors/catalog.js';
import type { ServiceResponse } from './handle-odata-request.js';

export const MAX_BATCH_REQUESTS = 20;

export interface InnerRequest {
  readonly method: string;
  /** `/v1.0/…` or `/beta/…`, percent-encoded as sent, without the query. */
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface Item {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly dependsOn: string[];
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

function readItems(body: unknown): Item[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (typeof body !== 'object' || body === null || !Array.isArray(requests)) throw errors.invalidBody('a batch is {"requests": [...]}');
  if (requests.length === 0) throw errors.invalidBody('the batch has no requests');
  if (requests.length > MAX_BATCH_REQUESTS) throw errors.limitExceeded('requests in a batch', MAX_BATCH_REQUESTS, requests.length);
  const seen = new Set<string>();
  const items = requests.map((r, i): Item => {
    const o = r as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) throw errors.invalidBody(`requests[${i}] is not an object`);
    if (typeof o['id'] !== 'string' || o['id'] === '') throw errors.invalidBody(`requests[${i}].id must be a non-empty string`);
    const id = o['id'];
    if (seen.has(id.toLowerCase())) throw errors.invalidBody(`requests[${i}].id '${id}' is not unique (ids are case-insensitive)`);
    seen.add(id.toLowerCase());
    const method = typeof o['method'] === 'string' ? o['method'].toUpperCase() : '';
    if (!METHODS.includes(method)) throw errors.invalidBody(`requests[${i}].method must be one of ${METHODS.join(', ')}`);
    if (typeof o['url'] !== 'string' || o['url'] === '' || /^[a-z][a-z0-9+.-]*:/i.test(o['url'])) throw errors.invalidBody(`requests[${i}].url must be a relative URL`);
    const headers: Record<string, string> = {};
    if (o['headers'] !== undefined) {
      if (typeof o['headers'] !== 'object' || o['headers'] === null || Array.isArray(o['headers'])) throw errors.invalidBody(`requests[${i}].headers must be an object`);
      for (const [k, v] of Object.entries(o['headers'])) headers[k.toLowerCase()] = String(v);
    }
    if (o['body'] !== undefined && headers['content-type'] === undefined) throw errors.invalidBody(`requests[${i}] has a body but no Content-Type header`);
    const dependsOn = o['dependsOn'] === undefined ? [] : o['dependsOn'];
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) throw errors.invalidBody(`requests[${i}].dependsOn must be an array of ids`);
    return { id, method, url: o['url'], headers, body: o['body'], dependsOn: dependsOn as string[] };
  });
  for (const it of items) for (const d of it.dependsOn) if (!seen.has(d.toLowerCase())) throw errors.invalidBody(`request '${it.id}' depends on unknown id '${d}'`);
  return items;
}

/** Dependencies first (a cycle is a 400). */
function order(items: Item[]): Item[] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const out: Item[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (it: Item): void => {
    const k = it.id.toLowerCase();
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'visiting') throw errors.invalidBody(`the dependsOn of request '${it.id}' form a cycle`);
    state.set(k, 'visiting');
    for (const d of it.dependsOn) visit(byId.get(d.toLowerCase())!);
    state.set(k, 'done');
    out.push(it);
  };
  items.forEach(visit);
  return out;
}

export async function handleBatch(version: string, body: unknown, run: (req: InnerRequest) => Promise<ServiceResponse>): Promise<ServiceResponse> {
  const items = readItems(body);
  const results = new Map<string, { status: number; headers: Record<string, string>; body?: unknown }>();
  for (const it of order(items)) {
    const failed = it.dependsOn.find((d) => (results.get(d.toLowerCase())?.status ?? 0) >= 400);
    if (failed !== undefined) {
      results.set(it.id.toLowerCase(), {
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: { error: { code: 'FailedDependency', message: `The request depends on request '${failed}', which failed.` } },
      });
      continue;
    }
    // Relative to the version root: `/security/…`, `security/…`, or with the version repeated.
    const url = it.url.startsWith('/') ? it.url : `/${it.url}`;
    const withVersion = /^\/(v1\.0|beta)(\/|$)/i.test(url) ? url : `/${version}${url}`;
    const q = withVersion.indexOf('?');
    const out = await run({ method: it.method, path: q < 0 ? withVersion : withVersion.slice(0, q), query: q < 0 ? '' : withVersion.slice(q + 1), headers: it.headers, body: it.body });
    let parsed: unknown;
    if (out.body !== '') {
      try {
        parsed = /json/i.test(out.headers['Content-Type'] ?? '') ? JSON.parse(out.body) : out.body;
      } catch {
        parsed = out.body;
      }
    }
    results.set(it.id.toLowerCase(), { status: out.status, headers: out.headers, ...(parsed !== undefined ? { body: parsed } : {}) });
  }
  const responses = items.map((it) => ({ id: it.id, ...results.get(it.id.toLowerCase())! }));
  return { status: 200, headers: { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'OData-Version': '4.0' }, body: JSON.stringify({ responses }) };
}
