/**
 * The OData service in process, without a socket: a real store (SQLite in memory by default; a fresh PostgreSQL
 * schema with TIGRAPH_TEST_STORE=postgres) seeded with the demo dataset, and `createService` called with a
 * request object. This is the only file in test/ that knows how the service is constructed and called, so a
 * change to the service's routing or configuration is one edit here.
 *
 * Errors the service throws are shaped exactly as the HTTP boundary shapes them (`toODataError` + `errorBody`
 * from src/http/write-error.ts) with a fixed request id and date, so a test can compare the whole Graph error
 * JSON.
 */
import { MODEL, type Model } from '../../src/model/model.js';
import { DEFAULT_LIMITS, type QueryLimits } from '../../src/odata/limits/query-limits.js';
import type { EnumSpellingMode } from '../../src/odata/serialize/enum-spelling.js';
import { DEMO_DATASET } from '../../src/seed/demo-dataset.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import { createService } from '../../src/service/handle-odata-request.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { errorBody, ERROR_CONTENT_TYPE, toODataError } from '../../src/http/write-error.js';
import { createTestPostgresStore } from '../support/postgres.js';
import { TEST_STORE } from '../support/test-server.js';

/** The origin requests claim to come to; every absolute URL in a response starts with it. */
export const ORIGIN = 'http://tigraph.test';
/** The request id and date the shaped error bodies carry. */
export const REQUEST_ID = '00000000-0000-4000-8000-000000000001';
export const ERROR_DATE = new Date('2026-01-02T03:04:05.678Z');

export interface HarnessOptions {
  readonly model: Model;
  readonly strict: boolean;
  readonly betaEnumSpelling: EnumSpellingMode;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly limits: QueryLimits;
}

export interface HarnessRequest {
  readonly method?: string;
  readonly prefer?: string;
  readonly body?: unknown;
}

export interface HarnessResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): any;
}

export interface ServiceHarness {
  readonly store: Store;
  /** `target` is the path and query as a client sends them, e.g. `/v1.0/security/threatIntelligence/hosts?$top=2`. */
  request(target: string, options?: HarnessRequest): Promise<HarnessResponse>;
  /** A GET answered with JSON: status and parsed body. */
  get(target: string, options?: HarnessRequest): Promise<{ status: number; body: any; headers: Readonly<Record<string, string>> }>;
  close(): Promise<void>;
}

async function openSeededStore(model: Model): Promise<Store> {
  const store: Store = TEST_STORE === 'postgres' ? await createTestPostgresStore() : new SqliteStore(model, { filename: ':memory:' });
  await loadSeed(store, model, DEMO_DATASET);
  return store;
}

export async function createServiceHarness(partial: Partial<HarnessOptions> = {}): Promise<ServiceHarness> {
  const o: HarnessOptions = { model: MODEL, strict: false, betaEnumSpelling: 'csdl', defaultPageSize: 100, maxPageSize: 999, limits: DEFAULT_LIMITS, ...partial };
  const store = await openSeededStore(o.model);
  const service = await createService({
    model: o.model,
    store,
    paging: { defaultPageSize: o.defaultPageSize, maxPageSize: o.maxPageSize },
    limits: o.limits,
    strict: o.strict,
    betaEnumSpelling: o.betaEnumSpelling,
  });
  const respond = (status: number, headers: Record<string, string>, text: string): HarnessResponse => ({ status, headers, text, json: () => JSON.parse(text) });
  const request = async (target: string, r: HarnessRequest = {}): Promise<HarnessResponse> => {
    const q = target.indexOf('?');
    try {
      const out = await service({
        method: r.method ?? 'GET',
        path: q < 0 ? target : target.slice(0, q),
        query: q < 0 ? '' : target.slice(q + 1),
        origin: ORIGIN,
        prefer: r.prefer,
        body: r.body,
      });
      return respond(out.status, out.headers, out.body);
    } catch (err) {
      const e = toODataError(err);
      return respond(e.status, { 'Content-Type': ERROR_CONTENT_TYPE, ...e.headers }, errorBody(e, REQUEST_ID, REQUEST_ID, ERROR_DATE));
    }
  };
  return {
    store,
    request,
    async get(target, r) {
      const res = await request(target, r);
      return { status: res.status, body: res.json(), headers: res.headers };
    },
    close: async () => {
      await service.close();
      await store.close();
    },
  };
}

/** The Graph error JSON the boundary writes for this status' code and message, with the harness's fixed ids. */
export function graphError(code: string, message: string): unknown {
  return { error: { code, message, innerError: { date: '2026-01-02T03:04:05', 'request-id': REQUEST_ID, 'client-request-id': REQUEST_ID } } };
}
