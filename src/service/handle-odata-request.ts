/**
 * One OData request through the pipeline: parse the path → bind it → bind the query options (with limits) →
 * plan → store → serialize. Knows nothing about the HTTP framework (http/ adapts node:http to it) or about
 * authentication (done before). Returns the status, headers and body to send.
 */
import { errors } from '../errors/catalog.js';
import type { Model } from '../model/model.js';
import { writeCsdlXml } from '../csdl/write-csdl-xml.js';
import { writeServiceDocument } from '../csdl/write-service-document.js';
import { bindQueryOptions } from '../odata/bind/bind-query-options.js';
import type { BoundQueryOptions, SelectItem } from '../odata/bind/semantic-tree.js';
import type { QueryLimits } from '../odata/limits/query-limits.js';
import { bindResourcePath, type BoundResource } from '../odata/path/bind-resource-path.js';
import { parseResourcePath, type ApiVersion } from '../odata/path/parse-resource-path.js';
import { planCollection, planCount, planEntity, queryShape, type PagingSettings } from '../odata/plan/build-query-plan.js';
import { encodeSkipToken } from '../odata/paging/skip-token.js';
import { createEnumSpelling, type EnumSpelling, type EnumSpellingMode } from '../odata/serialize/enum-spelling.js';
import { writeEntity, type Json, type WriteOptions } from '../odata/serialize/write-entity.js';
import type { Store } from '../storage/store.js';
import { buildNextLink, rawOptionValue } from './next-link.js';
import { handleWrite } from './handle-write-request.js';
import { ImportJobs } from './import-jobs.js';

export const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface ServiceConfig {
  readonly model: Model;
  readonly store: Store;
  readonly paging: PagingSettings;
  readonly limits: QueryLimits;
  readonly strict: boolean;
  /** Enum spelling on /beta ('documented' = the long names of Microsoft's beta resource page); v1.0 always uses the CSDL's. */
  readonly betaEnumSpelling: EnumSpellingMode;
}

export interface ServiceRequest {
  readonly method: string;
  /** Path as received, percent-encoded, without the query. */
  readonly path: string;
  /** Query as received, without '?'. */
  readonly query: string;
  /** scheme://host[:port] of this server as the client addressed it. */
  readonly origin: string;
  readonly prefer: string | undefined;
  /** The parsed JSON body of a write (POST/PATCH). */
  readonly body?: unknown;
}

export interface ServiceResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const READ_METHODS = ['GET', 'HEAD'];
export const WRITE_METHODS = ['POST', 'PATCH', 'DELETE'];

interface Preferences {
  readonly includeUnknownEnumMembers: boolean;
  readonly maxPageSize: number | undefined;
}

function readPreferences(prefer: string | undefined): Preferences {
  if (!prefer) return { includeUnknownEnumMembers: false, maxPageSize: undefined };
  const parts = prefer.split(',').map((p) => p.trim().toLowerCase());
  const max = parts.map((p) => /^odata\.maxpagesize\s*=\s*(\d{1,6})$/.exec(p)).find((m) => m);
  return { includeUnknownEnumMembers: parts.includes('include-unknown-enum-members'), maxPageSize: max ? Math.max(1, Number(max[1])) : undefined };
}

export function createService(config: ServiceConfig): (req: ServiceRequest) => Promise<ServiceResponse> {
  const spellings: Record<ApiVersion, EnumSpelling> = { 'v1.0': createEnumSpelling('csdl'), beta: createEnumSpelling(config.betaEnumSpelling) };
  const metadata: Record<ApiVersion, string> = {
    'v1.0': writeCsdlXml(config.model, { enumSpelling: 'csdl' }),
    beta: writeCsdlXml(config.model, { enumSpelling: config.betaEnumSpelling }),
  };

  const json = (status: number, body: unknown, extra: Record<string, string> = {}): ServiceResponse => ({
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...extra },
    body: JSON.stringify(body),
  });

  const importJobs = new ImportJobs(config.model, config.store);

  return async function handle(req: ServiceRequest): Promise<ServiceResponse> {
    const jobResponse = await importJobs.handle(req);
    if (jobResponse) return jobResponse;
    const parsed = parseResourcePath(req.path);
    if (parsed.kind === 'unknown') throw errors.pathNotFound(req.path);
    const serviceRoot = `${req.origin}/${parsed.version}`;
    if (!READ_METHODS.includes(req.method)) {
      if (parsed.kind !== 'resource' || !WRITE_METHODS.includes(req.method)) throw errors.methodNotAllowed(req.method, READ_METHODS);
      const target = bindResourcePath(config.model, parsed.segments);
      const outcome = await handleWrite(config.model, config.store, req.method, target, req.body);
      if (!outcome.created) return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
      const { resource } = outcome.created;
      const record = await config.store.findOne({ kind: 'entity', type: resource.type, key: resource.key, parent: resource.parent, expand: [] });
      if (!record) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key); // deleted by a concurrent request
      const location = `${serviceRoot}/security/threatIntelligence/${resource.set.name}/${encodeURIComponent(resource.key)}`;
      const entity = writeEntity(record, undefined, [], { enums: spellings[parsed.version], includeUnknownEnumMembers: false });
      return json(201, { '@odata.context': `${serviceRoot}/$metadata#${resource.contextPath}/$entity`, ...entity }, { Location: location });
    }
    if (parsed.kind === 'metadata') return { status: 200, headers: { 'Content-Type': 'application/xml;charset=utf-8', 'OData-Version': '4.0' }, body: metadata[parsed.version] };
    if (parsed.kind === 'serviceDocument') return json(200, writeServiceDocument(config.model, serviceRoot));

    const resource = bindResourcePath(config.model, parsed.segments);
    const prefs = readPreferences(req.prefer);
    const type = resource.kind === 'navigation' ? resource.navigation.target : resource.type;
    const options = bindQueryOptions(req.query, {
      model: config.model,
    type,
      isCollection: resource.kind === 'collection',
      where: resource.kind === 'collection' ? resource.contextPath.split('/').at(-1)! : type.name,
      strict: config.strict,
      includeUnknownEnumMembers: prefs.includeUnknownEnumMembers,
      limits: config.limits,
    });
    const write: WriteOptions = { enums: spellings[parsed.version], includeUnknownEnumMembers: prefs.includeUnknownEnumMembers };
    const applied: Record<string, string> = {};
    if (prefs.includeUnknownEnumMembers) applied['Preference-Applied'] = 'include-unknown-enum-members';
    const context = (path: string, select: readonly SelectItem[] | undefined, suffix = ''): string =>
      `${serviceRoot}/$metadata#${path}${select ? `(${select.map((s) => s.property.name).join(',')})` : ''}${suffix}`;

    switch (resource.kind) {
      case 'collection': {
        if (resource.count) {
          const n = await config.store.count(planCount(resource, options));
          return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8', 'OData-Version': '4.0', ...applied }, body: String(n) };
        }
        const paging = prefs.maxPageSize ? { ...config.paging, maxPageSize: Math.min(prefs.maxPageSize, config.paging.maxPageSize) } : config.paging;
        if (prefs.maxPageSize) applied['Preference-Applied'] = [applied['Preference-Applied'], `odata.maxpagesize=${paging.maxPageSize}`].filter(Boolean).join(', ');
        const filterText = rawOptionValue(req.query, 'filter') ?? '';
        const searchText = rawOptionValue(req.query, 'search') ?? '';
        const { query, pageSize, shape } = planCollection(resource, options, paging, (orderBy) => queryShape(resource, orderBy, filterText, searchText));
        const [page, count] = await Promise.all([config.store.findMany(query), options.count ? config.store.count(planCount(resource, options)) : Promise.resolve(undefined)]);
        const records = page.records.slice(0, pageSize);
        const body: Record<string, Json> = { '@odata.context': context(resource.contextPath, options.select) };
        if (count !== undefined) body['@odata.count'] = count;
        if (page.records.length > pageSize) body['@odata.nextLink'] = buildNextLink(`${req.origin}${req.path}`, req.query, encodeSkipToken(shape, page.sortKeys[pageSize - 1]!));
        body['value'] = records.map((r) => writeEntity(r, options.select, options.expand, write));
        return json(200, body, applied);
      }
      case 'entity': {
        const record = await config.store.findOne(planEntity(resource, options));
        if (!record) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key);
        return json(200, { '@odata.context': context(resource.contextPath, options.select, '/$entity'), ...writeEntity(record, options.select, options.expand, write) }, applied);
      }
      case 'navigation': {
        const source = await config.store.findOne({ kind: 'entity', type: resource.sourceType, key: resource.key, parent: undefined, expand: [resource.navigation] });
        if (!source) throw errors.resourceNotFound(resource.sourceType.qualifiedName, resource.key);
        const target = source.navigations[resource.navigation.name];
        if (!target || target.kind !== 'record') throw errors.resourceNotFound(resource.navigation.target.qualifiedName, target?.id ?? `${resource.key}/${resource.navigation.name}`);
        return json(200, { '@odata.context': context(resource.contextPath, options.select, '/$entity'), ...writeEntity(target, options.select, options.expand, write) }, applied);
      }
    }
  };
}

export type { BoundQueryOptions, BoundResource };
