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
import { bindHopRest, type BoundResource } from '../odata/path/bind-resource-path.js';
import type { ApiVersion } from '../odata/path/parse-resource-path.js';
import { DEFAULT_MAX_PAGE_CHARS, planCollection, planCount, planEntity, queryShape, type PagingSettings } from '../odata/plan/build-query-plan.js';
import { encodeSkipToken } from '../odata/paging/skip-token.js';
import { createEnumSpelling, type EnumSpelling, type EnumSpellingMode } from '../odata/serialize/enum-spelling.js';
import { writeEntity, type Json, type WriteOptions } from '../odata/serialize/write-entity.js';
import type { ReadOptions, Store } from '../storage/store.js';
import { buildNextLink, rawOptionValue } from './next-link.js';
import { handleWrite } from './handle-write-request.js';
import { SETS } from '../model/names.js';
import { handleImportAction } from './handle-import-action.js';
import { ImportJobQueue, type ImportJobQueueOptions } from './import-job-queue.js';
import { routeRequest, type Route } from './route-request.js';
import type { Logger } from 'pino';

/** The per-request deadline of reads (ServiceConfig.deadlineMs). */
export const DEFAULT_DEADLINE_MS = 10_000;

export const JSON_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface ServiceConfig {
  readonly model: Model;
  readonly store: Store;
  readonly paging: PagingSettings;
  readonly limits: QueryLimits;
  /** Every read's database work is cancelled this long after the request reached the service (504); default 10 s. */
  readonly deadlineMs?: number;
  readonly strict: boolean;
  /** Enum spelling on /beta ('documented' = the long names of Microsoft's beta resource page); v1.0 always uses the CSDL's. */
  readonly betaEnumSpelling: EnumSpellingMode;
  readonly importQueue?: Partial<ImportJobQueueOptions>;
  readonly logger?: Logger;
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
  /** The body as the route declares it: parsed JSON for writes, a RawBody for a bytes action. */
  readonly body?: unknown;
  /** Who asked (http/client-key.ts): the store shares itself fairly between clients. */
  readonly client?: string;
}

export interface ServiceResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}


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

/** The service: `route` decides what a request needs (access, body) before it is read; `dispatch` answers it. */
export interface Service {
  /** Route and answer in one step (in-process callers that authenticate elsewhere, or not at all). */
  (req: ServiceRequest): Promise<ServiceResponse>;
  route(method: string, path: string): Route;
  dispatch(route: Route, req: ServiceRequest): Promise<ServiceResponse>;
  readonly jobs: ImportJobQueue;
  /** Stops the import queue (unfinished jobs are marked interrupted). */
  close(): Promise<void>;
}

export async function createService(config: ServiceConfig): Promise<Service> {
  const { model } = config;
  const spellings: Record<ApiVersion, EnumSpelling> = { 'v1.0': createEnumSpelling('csdl'), beta: createEnumSpelling(config.betaEnumSpelling) };
  const metadata: Record<ApiVersion, string> = {
    'v1.0': writeCsdlXml(model, { enumSpelling: 'csdl' }),
    beta: writeCsdlXml(model, { enumSpelling: config.betaEnumSpelling }),
  };
  const tokenKey = await config.store.secret('skiptoken');
  const jobs = await ImportJobQueue.open(model, config.store, { ...config.importQueue, ...(config.logger ? { logger: config.logger } : {}) });
  const jobSet = model.entitySet(SETS.importJobs)!;

  const json = (status: number, body: unknown, extra: Record<string, string> = {}): ServiceResponse => ({
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...extra },
    body: JSON.stringify(body),
  });

  /** 201/202 answers: the entity read back, its context and Location. */
  const created = async (status: number, version: ApiVersion, origin: string, resource: BoundResource & { kind: 'entity' }): Promise<ServiceResponse> => {
    const serviceRoot = `${origin}/${version}`;
    const record = await config.store.findOne({ kind: 'entity', type: resource.type, key: resource.key, parent: resource.parent, expand: [] });
    if (!record) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key); // deleted by a concurrent request
    const location = `${serviceRoot}/${model.servicePath}/${resource.set.name}/${encodeURIComponent(resource.key)}`;
    const entity = writeEntity(record, undefined, [], { enums: spellings[version], includeUnknownEnumMembers: false });
    return json(status, { '@odata.context': `${serviceRoot}/$metadata#${resource.contextPath}/$entity`, ...entity }, { Location: location });
  };

  async function dispatch(route: Route, req: ServiceRequest): Promise<ServiceResponse> {
    const { target } = route;
    if (target.kind === 'error') throw target.error;
    const serviceRoot = `${req.origin}/${target.version}`;
    if (target.kind === 'metadata') return { status: 200, headers: { 'Content-Type': 'application/xml;charset=utf-8', 'OData-Version': '4.0' }, body: metadata[target.version] };
    if (target.kind === 'serviceDocument') return json(200, writeServiceDocument(model, serviceRoot));
    const resource = target.resource;
    if (resource.kind === 'action') {
      const id = await handleImportAction(jobs, resource.action, req.query, req.body);
      return created(202, target.version, req.origin, { kind: 'entity', set: jobSet, type: jobSet.entityType, key: id, parent: undefined, contextPath: `${model.servicePath}/${jobSet.name}` });
    }
    if (route.access === 'write') {
      const outcome = await handleWrite(model, config.store, req.method, resource, req.body);
      if (!outcome.created) return { status: 204, headers: { 'OData-Version': '4.0' }, body: '' };
      return created(201, target.version, req.origin, outcome.created.resource);
    }
    const ms = config.deadlineMs ?? DEFAULT_DEADLINE_MS;
    return read(resource, target.version, req, { deadline: { at: Date.now() + ms, ms }, ...(req.client ? { client: req.client } : {}) });
  }

  /** The resource a deeper path names, once the entity its first part reaches is known (bind-resource-path.ts). */
  async function resolveHop(hop: BoundResource & { kind: 'hop' }, rd: ReadOptions): Promise<BoundResource> {
    const from = hop.from;
    if (from.kind === 'entity') {
      const record = await config.store.findOne({ kind: 'entity', type: from.type, key: from.key, parent: from.parent, expand: [] }, rd);
      if (!record) throw errors.resourceNotFound(from.type.qualifiedName, from.key);
      return bindHopRest(model, hop, record.type, from.key);
    }
    const source = await config.store.findOne({ kind: 'entity', type: from.sourceType, key: from.key, parent: undefined, expand: [from.navigation] }, rd);
    if (!source) throw errors.resourceNotFound(from.sourceType.qualifiedName, from.key);
    const target = source.navigations[from.navigation.name];
    if (!target || target.kind !== 'record') throw errors.resourceNotFound(from.navigation.target.qualifiedName, target?.id ?? `${from.key}/${from.navigation.name}`);
    return bindHopRest(model, hop, target.type, target.values[target.type.key.name] as string);
  }

  async function read(resource: Exclude<BoundResource, { kind: 'action' }>, version: ApiVersion, req: ServiceRequest, rd: ReadOptions): Promise<ServiceResponse> {
    if (resource.kind === 'hop') {
      const next = await resolveHop(resource, rd);
      if (next.kind === 'action') throw errors.unknownSegment(next.action.name);
      return read(next, version, req, rd);
    }
    const serviceRoot = `${req.origin}/${version}`;
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
    const write: WriteOptions = { enums: spellings[version], includeUnknownEnumMembers: prefs.includeUnknownEnumMembers };
    const applied: Record<string, string> = {};
    if (prefs.includeUnknownEnumMembers) applied['Preference-Applied'] = 'include-unknown-enum-members';
    const context = (path: string, select: readonly SelectItem[] | undefined, suffix = ''): string =>
      `${serviceRoot}/$metadata#${path}${select ? `(${select.map((s) => s.property.name).join(',')})` : ''}${suffix}`;

    switch (resource.kind) {
      case 'collection': {
        if (resource.count) {
          const n = await config.store.count(planCount(resource, options), rd);
          return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8', 'OData-Version': '4.0', ...applied }, body: String(n) };
        }
        const paging = { ...config.paging, tokenKey, ...(prefs.maxPageSize ? { maxPageSize: Math.min(prefs.maxPageSize, config.paging.maxPageSize) } : {}) };
        if (prefs.maxPageSize) applied['Preference-Applied'] = [applied['Preference-Applied'], `odata.maxpagesize=${paging.maxPageSize}`].filter(Boolean).join(', ');
        const filterText = rawOptionValue(req.query, 'filter') ?? '';
        const searchText = rawOptionValue(req.query, 'search') ?? '';
        const { query, pageSize, shape } = planCollection(resource, options, paging, (orderBy) => queryShape(resource, orderBy, filterText, searchText));
        const [page, count] = await Promise.all([config.store.findMany(query, rd), options.count ? config.store.count(planCount(resource, options), rd) : Promise.resolve(undefined)]);
        // Serialized one by one so that the page can end early when its entities grow past the budget.
        const budget = paging.maxPageChars ?? DEFAULT_MAX_PAGE_CHARS;
        const items: string[] = [];
        let chars = 0;
        for (const r of page.records.slice(0, pageSize)) {
          const item = JSON.stringify(writeEntity(r, options.select, options.expand, write));
          if (items.length > 0 && chars + item.length > budget) break;
          items.push(item);
          chars += item.length + 1;
        }
        const served = items.length;
        const head: Record<string, Json> = { '@odata.context': context(resource.contextPath, options.select) };
        if (count !== undefined) head['@odata.count'] = count;
        if (page.records.length > served) head['@odata.nextLink'] = buildNextLink(`${req.origin}${req.path}`, req.query, encodeSkipToken(shape, page.sortKeys[served - 1]!, tokenKey));
        const body = `${JSON.stringify(head).slice(0, -1)},"value":[${items.join(',')}]}`;
        return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...applied }, body };
      }
      case 'entity': {
        const record = await config.store.findOne(planEntity(resource, options), rd);
        if (!record) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key);
        return json(200, { '@odata.context': context(resource.contextPath, options.select, '/$entity'), ...writeEntity(record, options.select, options.expand, write) }, applied);
      }
      case 'navigation': {
        const source = await config.store.findOne({ kind: 'entity', type: resource.sourceType, key: resource.key, parent: undefined, expand: [resource.navigation] }, rd);
        if (!source) throw errors.resourceNotFound(resource.sourceType.qualifiedName, resource.key);
        const target = source.navigations[resource.navigation.name];
        if (!target || target.kind !== 'record') throw errors.resourceNotFound(resource.navigation.target.qualifiedName, target?.id ?? `${resource.key}/${resource.navigation.name}`);
        return json(200, { '@odata.context': context(resource.contextPath, options.select, '/$entity'), ...writeEntity(target, options.select, options.expand, write) }, applied);
      }
    }
  }

  const route = (method: string, path: string): Route => routeRequest(model, method, path);
  const service = (async (req: ServiceRequest) => dispatch(route(req.method, req.path), req)) as Service;
  return Object.assign(service, { route, dispatch, jobs, close: () => jobs.close() });
}

export type { BoundQueryOptions, BoundResource };
