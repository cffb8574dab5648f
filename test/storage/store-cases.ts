/**
 * The store conformance suite: every backend runs these same cases (SQLite now; PostgreSQL calls it too).
 * A backend that must skip a case passes { skip: { 'case name': 'reason' } } and the reason is printed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../src/model/model.js';
import { bindQueryOptions } from '../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../../src/odata/limits/query-limits.js';
import { readEntity } from '../../src/odata/deserialize/read-entity.js';
import { planCollection, queryShape } from '../../src/odata/plan/build-query-plan.js';
import { encodeSkipToken } from '../../src/odata/paging/skip-token.js';
import { bindResourcePath } from '../../src/odata/path/bind-resource-path.js';
import { parseResourcePath } from '../../src/odata/path/parse-resource-path.js';
import type { Store } from '../../src/storage/store.js';
import { ODataError } from '../../src/errors/odata-error.js';

const PROFILES = MODEL.entitySet('intelProfiles')!;
const INDICATORS = MODEL.entitySet('intelligenceProfileIndicators')!;

export function profile(id: string, indicators: Record<string, unknown>[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Profile ${id}`,
    kind: 'actor',
    firstActiveDateTime: '2020-01-01T00:00:00Z',
    summary: { content: `summary of ${id}`, format: 'text' },
    description: { content: '', format: 'markdown' },
    aliases: [`alias-${id}`],
    indicators,
    ...extra,
  };
}

export function indicator(id: string, host: string, first: string, last: string | null = null, source = 'osint'): Record<string, unknown> {
  return { id, source, firstSeenDateTime: first, lastSeenDateTime: last, artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: host } };
}

export const writesOf = (...profiles: Record<string, unknown>[]) => profiles.flatMap((p) => readEntity(MODEL, PROFILES.entityType, p, { partial: false }).writes);

/** The collection plan the service builds for `path?query` (one page of `pageSize`). */
/** The `$skiptoken` key of the store-level listings (the service takes the store's own secret). */
export const TEST_TOKEN_KEY = Buffer.alloc(32, 3);

export function planFor(path: string, query = '', pageSize = 3): ReturnType<typeof planCollection> {
  const parsed = parseResourcePath(`/v1.0/${MODEL.servicePath}/${path}`, MODEL.container.rootPath);
  if (parsed.kind !== 'resource') throw new Error(`not a resource path: ${path}`);
  const resource = bindResourcePath(MODEL, parsed.segments);
  if (resource.kind !== 'collection') throw new Error(`not a collection: ${path}`);
  const options = bindQueryOptions(query, { model: MODEL, type: resource.type, isCollection: true, where: path, strict: false, includeUnknownEnumMembers: false, limits: DEFAULT_LIMITS });
  const shapeQuery = query.replace(/&?\$skiptoken=[^&]*/, '');
  return planCollection(resource, options, { defaultPageSize: pageSize, maxPageSize: pageSize, tokenKey: TEST_TOKEN_KEY }, (o) => queryShape(resource, o, shapeQuery, ''));
}

/** Lists a URL's collection through the real planner, page by page, like the service does. */
export async function list(store: Store, path: string, query = ''): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  for (;;) {
    const plan = planFor(path, [query, token ? `$skiptoken=${token}` : ''].filter(Boolean).join('&'));
    const page = await store.findMany(plan.query);
    ids.push(...page.records.slice(0, plan.pageSize).map((r) => r.values['id'] as string));
    if (page.records.length <= plan.pageSize) return ids;
    token = encodeSkipToken(plan.shape, page.sortKeys[plan.pageSize - 1]!, TEST_TOKEN_KEY);
  }
}

export interface StoreCaseOptions {
  readonly name: string;
  readonly create: () => Promise<Store>;
  readonly skip?: Readonly<Record<string, string>>;
}

export function runStoreCases({ name, create, skip = {} }: StoreCaseOptions): void {
  const test = (title: string, fn: (store: Store) => Promise<void>): void => {
    const reason = skip[title];
    if (reason) {
      it(title, { skip: `${name} skips this case: ${reason}` }, () => {});
      return;
    }
    it(title, async () => {
      const store = await create();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`store cases: ${name}`, () => {
    test('a $filter through two single-valued navigations compiles every hop (hostPair → childHost → reputation/score)', async (store) => {
      // compileAccess once returned inside the first pass of its loop, so a/b/c compiled only a/b.
      const hostPairs = MODEL.entitySet('hostPairs')!;
      const host = (id: string, score: number) => ({
        '@odata.type': '#microsoft.graph.security.hostname',
        id,
        registrar: null,
        registrant: null,
        firstSeenDateTime: null,
        lastSeenDateTime: null,
        reputation: { id: `rep-${id}`, classification: 'malicious', score, rules: [] },
      });
      const pair = (id: string, child: [string, number], parent: [string, number]) =>
        readEntity(MODEL, hostPairs.entityType, { id, firstSeenDateTime: '2024-01-01T00:00:00Z', lastSeenDateTime: null, linkKind: 'redirect', childHost: host(...child), parentHost: host(...parent) }, { partial: false }).writes;
      await store.write([...pair('pair-a', ['child-a.example', 90], ['parent-a.example', 10]), ...pair('pair-b', ['child-b.example', 20], ['parent-b.example', 95])]);
      assert.deepEqual(await list(store, 'hostPairs', '$filter=childHost/reputation/score gt 50'), ['pair-a']);
      assert.deepEqual(await list(store, 'hostPairs', '$filter=parentHost/reputation/score gt 50'), ['pair-b']);
      assert.deepEqual(await list(store, 'hostPairs', '$filter=childHost/reputation/score lt 50 and parentHost/reputation/score gt 50'), ['pair-b']);
      assert.deepEqual(await list(store, 'hostPairs', '$filter=childHost/reputation/id eq \'rep-child-a.example\''), ['pair-a']);
      assert.deepEqual(await list(store, 'hostPairs', '$orderby=parentHost/reputation/id desc'), ['pair-b', 'pair-a']);
    });

    test('starts empty and round-trips a profile with its indicators and artifacts', async (store) => {
      assert.equal(await store.isEmpty(), true);
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')])));
      assert.equal(await store.isEmpty(), false);
      const p = await store.findOne({ kind: 'entity', type: PROFILES.entityType, key: 'p1', parent: undefined, expand: [] });
      assert.equal(p?.values['title'], 'Profile p1');
      assert.deepEqual(p?.values['aliases'], ['alias-p1']);
      assert.deepEqual(p?.values['summary'], { content: 'summary of p1', format: 0 });
      const i = await store.findOne({ kind: 'entity', type: INDICATORS.entityType, key: 'i1', parent: undefined, expand: [INDICATORS.entityType.navigation('artifact')!] });
      assert.equal(i?.values['firstSeenDateTime'], Date.parse('2024-01-01T00:00:00Z'));
      const art = i?.navigations['artifact'];
      assert.equal(art?.kind, 'record');
      assert.equal(art?.type.name, 'hostname');
    });

    test('a write is all or nothing', async (store) => {
      const good = writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z')]));
      const bad = { ...good.at(-1)!, record: { ...good.at(-1)!.record, values: { ...good.at(-1)!.record.values, firstSeenDateTime: null } } };
      await assert.rejects(store.write([...good.slice(0, -1), bad]));
      assert.equal(await store.isEmpty(), true, 'nothing of the failed batch is stored');
    });

    test('merge keeps the earliest first seen and the latest last seen', async (store) => {
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z')])), { merge: true });
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z', null, 'public')])), { merge: true });
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', '2024-05-01T00:00:00Z', '2024-06-01T00:00:00Z')])), { merge: true });
      const i = await store.findOne({ kind: 'entity', type: INDICATORS.entityType, key: 'i1', parent: undefined, expand: [] });
      assert.equal(i?.values['firstSeenDateTime'], Date.parse('2024-01-01T00:00:00Z'));
      assert.equal(i?.values['lastSeenDateTime'], Date.parse('2024-06-01T00:00:00Z'));
      assert.equal(await store.count({ kind: 'count', type: INDICATORS.entityType, parent: undefined, filter: undefined, search: undefined }), 1);
    });

    test('keyset pages are complete and ordered, with parent scope and filter', async (store) => {
      const inds = Array.from({ length: 10 }, (_, k) => indicator(`i${k}`, `h${k}.example`, `2024-01-${String(10 - k).padStart(2, '0')}T00:00:00Z`, k % 3 === 0 ? null : '2024-12-01T00:00:00Z', k % 2 ? 'osint' : 'public'));
      await store.write(writesOf(profile('p1', inds), profile('p2', [indicator('j1', 'x.example', '2024-01-01T00:00:00Z')])));
      assert.deepEqual(await list(store, 'intelProfiles/p1/indicators'), inds.map((i) => i['id']).sort());
      assert.deepEqual(await list(store, 'intelProfiles/p1/indicators', '$orderby=firstSeenDateTime'), inds.map((i) => i['id']).reverse());
      assert.deepEqual(await list(store, 'intelProfiles/p1/indicators', "$filter=source eq 'osint'&$orderby=lastSeenDateTime desc"), ['i7', 'i5', 'i1', 'i9', 'i3'], 'ties broken by the key in the last direction');
      assert.deepEqual(await list(store, 'intelligenceProfileIndicators', '$orderby=lastSeenDateTime,id desc'), ['j1', 'i9', 'i6', 'i3', 'i0', 'i8', 'i7', 'i5', 'i4', 'i2', 'i1']);
    });

    test('a large batch with repeated keys merges within the batch and with stored rows', async (store) => {
      const day = (d: number): string => new Date(Date.UTC(2024, 0, 1) + d * 86400000).toISOString();
      const inds = (offset: number) => Array.from({ length: 300 }, (_, k) => indicator(`i${k % 150}`, `h${k % 150}.example`, day(offset + k), day(offset + k + 400)));
      await store.write(writesOf(profile('p1', inds(10))), { merge: true });
      await store.write(writesOf(profile('p1', inds(0)), profile('p2', [indicator('j', "quote'back\\slash.example", day(1))])), { merge: true });
      assert.equal(await store.count({ kind: 'count', type: INDICATORS.entityType, parent: undefined, filter: undefined, search: undefined }), 151);
      const i7 = await store.findOne({ kind: 'entity', type: INDICATORS.entityType, key: 'i7', parent: undefined, expand: [] });
      assert.equal(i7?.values['firstSeenDateTime'], Date.parse(day(7)), 'earliest of 7, 157, 17, 167');
      assert.equal(i7?.values['lastSeenDateTime'], Date.parse(day(10 + 157 + 400)), 'latest of all four');
      const j = await store.findOne({ kind: 'entity', type: INDICATORS.entityType, key: 'j', parent: undefined, expand: [INDICATORS.entityType.navigation('artifact')!] });
      assert.equal(j?.navigations['artifact']?.kind === 'record' ? j.navigations['artifact'].values['id'] : undefined, "quote'back\\slash.example");
    });

    test('keys lists every key of a table once, in key order, page by page (subtypes sharing the table included)', async (store) => {
      const inds = Array.from({ length: 7 }, (_, k) => indicator(`k${6 - k}`, `h${k}.example`, '2024-01-01T00:00:00Z'));
      await store.write([...writesOf(profile('p1', inds)), { record: { kind: 'record', type: MODEL.entityType('microsoft.graph.security.ipAddress'), values: { id: '192.0.2.1' }, navigations: {} } }]);
      const pages: (readonly string[])[] = [];
      for await (const page of store.keys(INDICATORS.entityType, 3)) pages.push(page);
      assert.deepEqual(pages, [['k0', 'k1', 'k2'], ['k3', 'k4', 'k5'], ['k6']]);
      const artifacts: string[] = [];
      for await (const page of store.keys(MODEL.entitySet('hosts')!.entityType)) artifacts.push(...page);
      assert.deepEqual(artifacts, ['192.0.2.1', 'h0.example', 'h1.example', 'h2.example', 'h3.example', 'h4.example', 'h5.example', 'h6.example']);
      const none: (readonly string[])[] = [];
      for await (const page of store.keys(PROFILES.entityType, 1)) none.push(page);
      assert.deepEqual(none, [['p1']]);
    });

    test('the pivot finds the profiles that list an artifact', async (store) => {
      await store.write(writesOf(profile('p1', [indicator('a', 'shared.example', '2024-01-01T00:00:00Z')]), profile('p2', [indicator('b', 'shared.example', '2024-01-01T00:00:00Z')]), profile('p3', [indicator('c', 'other.example', '2024-01-01T00:00:00Z')])));
      assert.deepEqual(await list(store, 'intelProfiles', `$filter=indicators/any(i: i/artifact/id eq 'shared.example')`), ['p1', 'p2']);
      assert.deepEqual(await list(store, 'intelProfiles', `$filter=aliases/any(a: a eq 'alias-p3')`), ['p3']);
    });

    test('a referenced artifact does not overwrite a stored one', async (store) => {
      const full = { '@odata.type': '#microsoft.graph.security.hostname', id: 'a.example', registrar: 'R' };
      await store.write(writesOf(profile('p1', [{ ...indicator('i1', 'a.example', '2024-01-01T00:00:00Z'), artifact: full }])));
      await store.write(writesOf(profile('p1', [indicator('i2', 'a.example', '2024-01-01T00:00:00Z')])));
      const i = await store.findOne({ kind: 'entity', type: INDICATORS.entityType, key: 'i2', parent: undefined, expand: [INDICATORS.entityType.navigation('artifact')!] });
      const art = i?.navigations['artifact'];
      assert.equal(art?.kind === 'record' ? art.values['registrar'] : undefined, 'R');
    });

    test('a read past its deadline is cancelled and fails with 504 GatewayTimeout', async (store) => {
      // Two nested any() over 3,000 indicators of one profile: 9 million containment tests, seconds of work.
      const many = Array.from({ length: 3000 }, (_, i) => indicator(`d${i}`, `h${i}.deadline.example`, '2024-01-01T00:00:00Z'));
      await store.write(writesOf(profile('p1', many)));
      const plan = planFor('intelProfiles', '$filter=indicators/any(a: indicators/any(b: contains(b/artifact/id, a/artifact/id) and b/id ne a/id))');
      const started = Date.now();
      await assert.rejects(store.findMany(plan.query, { deadline: { at: Date.now() + 300, ms: 300 } }), (e: unknown) => {
        assert.ok(e instanceof ODataError);
        assert.deepEqual([e.status, e.code, e.message], [504, 'GatewayTimeout', "The request ran longer than the server's deadline of 300 ms and its query was cancelled; narrow $filter or $search, or page with a smaller $top."]);
        return true;
      });
      assert.ok(Date.now() - started < 300 + 500, `cancelled after ${Date.now() - started} ms`);
      assert.deepEqual(await list(store, 'intelProfiles'), ['p1'], 'the store serves the next read');
    });

    test('health reports the store', async (store) => {
      const h = await store.health();
      assert.equal(h.ok, true);
      assert.equal(h.store, store.kind);
    });
  });
}
