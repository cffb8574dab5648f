/**
 * TAXII 2.1 (OASIS TAXII 2.1 specification) over the store, without HTTP framework knowledge (src/http adapts
 * node:http to it): discovery `/taxii2/`, one API root `/taxii2/api/`, collections, objects (keyset-paged by the
 * server-side ingestion time), one object, its versions and the manifest. Errors are thrown from the catalog
 * and shaped as TAXII error messages by the caller.
 */
import { errors } from '../errors/catalog.js';
import type { Model } from '../model/model.js';
import type { Store } from '../storage/store.js';
import { ObjectAdder } from './add-objects.js';
import { ObjectLister, type ObjectFilters, type ObjectPage } from './list-objects.js';
import { listCollections, type TaxiiCollection } from './taxii-collections.js';
import { formatMicros, parseMicros } from './taxii-time.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const API_ROOT = '/taxii2/api/';
/** Objects per page when `limit` is absent, and the most a page holds. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface TaxiiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly origin: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** Content-Type of a POST, as sent. */
  readonly contentType?: string;
  /** The body of a POST (already bounded by max_content_length). */
  readonly body?: string;
}

export interface TaxiiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface TaxiiConfig {
  readonly store: Store;
  readonly model: Model;
  readonly maxContentLength: number;
}

const ok = (body: unknown, headers: Record<string, string> = {}): TaxiiResponse => ({ status: 200, headers: { 'Content-Type': TAXII_MEDIA_TYPE, ...headers }, body: JSON.stringify(body) });

/** Query parameters, decoded; a repeated one is an error (TAXII lists values comma-separated). */
function readQuery(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) {
    if (out.has(k)) throw errors.taxiiBadParameter(k, 'given more than once; list values comma-separated');
    out.set(k, v);
  }
  return out;
}

const ALLOWED = new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']);
const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

function readFilters(q: Map<string, string>, allowed: readonly string[]): { filters: ObjectFilters; limit: number; next: string | undefined; fingerprint: string } {
  for (const k of q.keys()) if (!ALLOWED.has(k) || !allowed.includes(k)) throw errors.taxiiBadParameter(k, 'not a parameter of this endpoint');
  const limitText = q.get('limit');
  if (limitText !== undefined && !/^[1-9]\d{0,8}$/.test(limitText)) throw errors.taxiiBadParameter('limit', `'${limitText}' is not a positive integer`);
  const limit = Math.min(limitText === undefined ? DEFAULT_PAGE_SIZE : Number(limitText), MAX_PAGE_SIZE);
  const versions = list(q.get('match[version]'));
  for (const v of versions ?? []) if (!['first', 'last', 'all'].includes(v)) parseMicros('match[version]', v);
  const filters: ObjectFilters = {
    addedAfter: q.has('added_after') ? parseMicros('added_after', q.get('added_after')!) : undefined,
    ids: list(q.get('match[id]')),
    types: list(q.get('match[type]')),
    versions,
    specVersions: list(q.get('match[spec_version]')),
  };
  const fingerprint = JSON.stringify([filters.addedAfter ?? null, filters.ids ?? null, filters.types ?? null, filters.versions ?? null, filters.specVersions ?? null]);
  return { filters, limit, next: q.get('next'), fingerprint };
}

function pageHeaders(page: ObjectPage): Record<string, string> {
  if (page.objects.length === 0) return {};
  const stamps = page.objects.map((o) => o.added);
  return { 'X-TAXII-Date-Added-First': formatMicros(Math.min(...stamps)), 'X-TAXII-Date-Added-Last': formatMicros(Math.max(...stamps)) };
}

export function createTaxiiService(config: TaxiiConfig): (req: TaxiiRequest) => Promise<TaxiiResponse> {
  const lister = new ObjectLister(config.store, config.model);
  const adder = new ObjectAdder(config.store, config.model);

  const collectionResource = (c: TaxiiCollection, req: TaxiiRequest): Record<string, unknown> => ({
    id: c.id,
    title: c.title,
    description: c.description,
    can_read: req.canRead,
    can_write: req.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  });

  const findCollection = async (id: string): Promise<TaxiiCollection> => {
    const c = (await listCollections(config.store, config.model)).find((x) => x.id === id);
    if (!c) throw errors.taxiiNotFound(`Collection '${id}'`);
    return c;
  };

  /** Pages through the collection for one object id (match[id]); bounded by the scan limit below. */
  const findObject = async (c: TaxiiCollection, id: string, q: Map<string, string>): Promise<ObjectPage['objects']> => {
    const { filters, fingerprint } = readFilters(q, ['match[version]', 'match[spec_version]']);
    const f: ObjectFilters = { ...filters, ids: [id] };
    let next: string | undefined;
    for (let i = 0; i < 1000; i++) {
      const page = await lister.page(c, f, MAX_PAGE_SIZE, next, fingerprint);
      if (page.objects.length) return page.objects;
      if (!page.next) break;
      next = page.next;
    }
    throw errors.taxiiNotFound(`Object '${id}' in collection '${c.id}'`);
  };

  return async function handle(req: TaxiiRequest): Promise<TaxiiResponse> {
    const path = req.path.endsWith('/') ? req.path : `${req.path}/`;
    const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const q = readQuery(req.query);
    const isPost = req.method === 'POST';
    if (req.method !== 'GET' && req.method !== 'HEAD' && !(isPost && segments.length === 5 && segments[4] === 'objects')) throw errors.taxiiMethodNotAllowed(req.method);
    if (segments.length === 1) {
      return ok({ title: 'tigraph TAXII 2.1', description: 'Threat intelligence from tigraph.', default: `${req.origin}${API_ROOT}`, api_roots: [`${req.origin}${API_ROOT}`] });
    }
    if (segments[1] !== 'api') throw errors.taxiiNotFound(`API root '${segments[1]}'`);
    if (segments.length === 2) return ok({ title: 'tigraph', description: 'Intelligence profiles and indicators as STIX 2.1.', versions: [TAXII_MEDIA_TYPE], max_content_length: config.maxContentLength });
    if (!req.canRead) throw errors.taxiiForbidden('read this API root');
    if (segments[2] === 'status' && segments.length === 4) return ok(adder.status(segments[3]!));
    if (segments[2] === 'collections') {
      if (segments.length === 3) return ok({ collections: (await listCollections(config.store, config.model)).map((c) => collectionResource(c, req)) });
      const c = await findCollection(segments[3]!);
      if (segments.length === 4) return ok(collectionResource(c, req));
      if (isPost) {
        const type = (req.contentType ?? '').replace(/\s+/g, '').toLowerCase();
        if (type !== TAXII_MEDIA_TYPE) throw errors.taxiiUnsupportedMediaType(req.contentType ?? '(none)');
        if (!req.canWrite) throw errors.taxiiForbidden(`write to collection '${c.id}'`);
        const status = await adder.add(c, req.body ?? '');
        return { status: 202, headers: { 'Content-Type': TAXII_MEDIA_TYPE }, body: JSON.stringify(status) };
      }
      if (segments[4] === 'objects' && segments.length === 5) {
        const { filters, limit, next, fingerprint } = readFilters(q, [...ALLOWED]);
        const page = await lister.page(c, filters, limit, next, fingerprint);
        const body = page.objects.length ? { more: page.next !== undefined, ...(page.next ? { next: page.next } : {}), objects: page.objects.map((o) => o.object) } : {};
        return ok(body, pageHeaders(page));
      }
      if (segments[4] === 'manifest' && segments.length === 5) {
        const { filters, limit, next, fingerprint } = readFilters(q, [...ALLOWED]);
        const page = await lister.page(c, filters, limit, next, fingerprint);
        const objects = page.objects.map((o) => ({ id: o.object['id'], date_added: formatMicros(o.added), version: o.object['modified'], media_type: STIX_MEDIA_TYPE }));
        return ok(objects.length ? { more: page.next !== undefined, ...(page.next ? { next: page.next } : {}), objects } : {}, pageHeaders(page));
      }
      if (segments[4] === 'objects' && segments.length === 6) {
        const found = await findObject(c, segments[5]!, q);
        return ok({ more: false, objects: found.map((o) => o.object) }, pageHeaders({ objects: found, next: undefined }));
      }
      if (segments[4] === 'objects' && segments.length === 7 && segments[6] === 'versions') {
        const found = await findObject(c, segments[5]!, new Map([...q].filter(([k]) => k === 'match[spec_version]')));
        return ok({ more: false, versions: found.map((o) => o.object['modified']) }, pageHeaders({ objects: found, next: undefined }));
      }
    }
    throw errors.taxiiNotFound(`TAXII endpoint '${req.path}'`);
  };
}
