/**
 * @microsoft/microsoft-graph-client 3.x against tigraph over HTTPS, used the way Graph apps use it: `Client.init`
 * with `baseUrl` and `customHosts` pointed at tigraph and an auth provider returning a tigraph token. This client
 * only attaches the token and follows `@odata.nextLink` over https (graph-protocol.md §9), so every check here
 * also proves the TLS setup. Run in a child process by test/conformance/graph-client.test.ts.
 */
import assert from 'node:assert/strict';
import { Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { DEMO_ADVISORY_ARTICLE_ID, DEMO_ARTICLE_ID, DEMO_VULNERABILITY_ID } from '../../../src/seed/demo-articles.js';
import { DOC_ARTICLE_ID, DOC_VULNERABILITY_ID } from '../../../src/seed/doc-examples-articles.js';
import { assertSameIdSet, CHECK_HEADER, createRecorder, GUID, newTraceId, readConfig, TI, VERSIONS } from './check.js';

const config = readConfig();
const x = config.expected;
const check = createRecorder('graph-client');

const clientFor = (baseUrl: string, token: string): Client =>
  Client.init({
    authProvider: (done) => done(null, token),
    baseUrl,
    customHosts: new Set([new URL(baseUrl).hostname]),
  });

const client = clientFor(config.httpsUrl, config.token);
const T_INDICATOR = '#microsoft.graph.security.intelligenceProfileIndicator';
const T_HOSTNAME = '#microsoft.graph.security.hostname';

async function expectGraphError(p: Promise<unknown>): Promise<GraphError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GraphError, `expected a GraphError, got ${String(e)}`);
    return e;
  }
  assert.fail('the request succeeded; expected a GraphError');
}

for (const v of VERSIONS) {
  const large = `${TI}/intelProfiles/${x.largeProfileId}/indicators`;

  await check(v, 'envelope', 'get() of the doc example indicator returns the entity at the root with @odata.context', async () => {
    const body = await client.api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`).version(v).get();
    assert.equal(body.id, x.docIndicatorId);
    assert.equal(body['@odata.context'], `${config.httpsUrl}/${v}/$metadata#security/threatIntelligence/intelligenceProfileIndicators/$entity`);
    assert.equal(body.value, undefined, 'no value wrapper around a single entity');
    assert.equal(body.source, 'microsoft');
    assert.equal(body.firstSeenDateTime, '2022-05-02T23:09:20.000Z');
  });

  await check(v, '@odata.type', 'entities and the polymorphic artifact carry #-prefixed @odata.type', async () => {
    const body = await client.api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`).version(v).get();
    assert.equal(body['@odata.type'], T_INDICATOR);
    assert.equal(body.artifact['@odata.type'], T_HOSTNAME);
    assert.equal(body.artifact.id, x.docHostname);
  });

  await check(v, 'query options', '.select() returns only the selected properties', async () => {
    const body = await client.api(large).version(v).select(['id', 'source']).top(3).get();
    assert.equal(body.value.length, 3);
    for (const item of body.value) {
      assert.ok(typeof item.id === 'string' && typeof item.source === 'string');
      assert.deepEqual(Object.keys(item).filter((k) => !k.startsWith('@odata.')).sort(), ['id', 'source']);
    }
    assert.match(body['@odata.context'], /\/indicators\(id,source\)$/);
  });

  await check(v, 'query options', ".filter() with a string literal (source eq 'osint') returns only matching items", async () => {
    const body = await client.api(large).version(v).filter("source eq 'osint'").top(999).get();
    assert.ok(body.value.length > 0);
    for (const item of body.value) assert.equal(item.source, 'osint');
  });

  await check(v, 'query options', '.top(5) returns 5 items and an https @odata.nextLink', async () => {
    const body = await client.api(large).version(v).top(5).get();
    assert.equal(body.value.length, 5);
    assert.ok(String(body['@odata.nextLink']).startsWith(`${config.httpsUrl}/${v}/`), `nextLink ${body['@odata.nextLink']}`);
  });

  await check(v, 'counts', '.count() adds @odata.count with the collection size', async () => {
    const body = await client.api(large).version(v).count(true).top(1).get();
    assert.equal(body['@odata.count'], x.largeProfileIndicatorIds.length);
    assert.equal(body.value.length, 1);
  });

  await check(v, 'counts', 'the /$count segment comes back as text/plain and is read as text', async () => {
    const body = await client.api(`${large}/$count`).version(v).get();
    assert.equal(String(body).trim(), String(x.largeProfileIndicatorIds.length));
  });

  await check(v, 'query options', ".orderby('title desc') sorts the profiles", async () => {
    const body = await client.api(`${TI}/intelProfiles`).version(v).orderby('title desc').select('id,title').top(999).get();
    const titles: string[] = body.value.map((p: { title: string }) => p.title);
    assert.ok(titles.length >= 10);
    for (let i = 1; i < titles.length; i++) assert.ok(titles[i - 1]! >= titles[i]!, `${titles[i - 1]} before ${titles[i]}`);
  });

  await check(v, 'query options', ".expand('artifact') inlines the derived artifact", async () => {
    const body = await client.api(`${TI}/intelligenceProfileIndicators/${x.contosoIndicatorId}`).version(v).expand('artifact').get();
    assert.equal(body.artifact['@odata.type'], T_HOSTNAME);
    assert.equal(body.artifact.id, x.hostId);
    assert.equal(body.artifact.registrar, 'MarkMonitor Inc.');
  });

  await check(v, 'paging', `PageIterator walks every page of ${x.largeProfileId}'s indicators with .top(40): no duplicate, no missing id`, async (ctx) => {
    const traceId = newTraceId(`paging-${v}`);
    const headers = { [CHECK_HEADER]: traceId };
    const first: PageCollection = await client.api(large).version(v).top(40).headers(headers).get();
    const ids: string[] = [];
    const nextLinks: string[] = [];
    if (first['@odata.nextLink']) nextLinks.push(first['@odata.nextLink']);
    const iterator = new PageIterator(
      client,
      first,
      (item: { id: string }) => {
        ids.push(item.id);
        return true;
      },
      { headers },
    );
    await iterator.iterate();
    assert.ok(iterator.isComplete());
    assertSameIdSet(ids, x.largeProfileIndicatorIds, 'PageIterator');
    const pages = Math.ceil(x.largeProfileIndicatorIds.length / 40);
    assert.ok(pages > 3);
    for (const link of nextLinks) assert.ok(link.startsWith('https://'), link);
    ctx.expectServer(traceId, { exactAttempts: pages, httpsWithToken: true, statuses: Array(pages).fill(200) });
  });

  for (const [set, expectedIds, seeded] of [
    ['articles', x.articleIds, [DOC_ARTICLE_ID, DEMO_ARTICLE_ID, DEMO_ADVISORY_ARTICLE_ID]],
    ['vulnerabilities', x.vulnerabilityIds, [DOC_VULNERABILITY_ID, DEMO_VULNERABILITY_ID]],
  ] as const) {
    await check(v, 'paging', `PageIterator walks ${set} with .top(1), one item a page: the same items, in the same order, as one direct listing`, async (ctx) => {
      assert.deepEqual([...expectedIds].sort(), [...seeded].sort(), `the seeded ${set}`);
      const traceId = newTraceId(`paging-${set}-${v}`);
      const headers = { [CHECK_HEADER]: traceId };
      const first: PageCollection = await client.api(`${TI}/${set}`).version(v).top(1).headers(headers).get();
      assert.equal(first.value.length, 1);
      assert.ok(String(first['@odata.nextLink']).startsWith(`${config.httpsUrl}/${v}/${TI.slice(1)}/${set}?`), `nextLink ${first['@odata.nextLink']}`);
      const items: { id: string }[] = [];
      const iterator = new PageIterator(client, first, (item: { id: string }) => (items.push(item), true), { headers });
      await iterator.iterate();
      assert.ok(iterator.isComplete());
      assertSameIdSet(items.map((i) => i.id), expectedIds, 'PageIterator');
      const direct = await client.api(`${TI}/${set}`).version(v).top(999).get();
      assert.equal(direct['@odata.nextLink'], undefined, 'the direct listing is one page');
      assert.deepEqual(items, direct.value, 'every item as the direct listing has it, in its order');
      ctx.expectServer(traceId, { exactAttempts: expectedIds.length, httpsWithToken: true, statuses: Array(expectedIds.length).fill(200) });
    });
  }

  await check(v, 'errors', 'a 404 surfaces as GraphError with statusCode, code, requestId and date', async () => {
    const e = await expectGraphError(client.api(`${TI}/intelProfiles/no-such-profile`).version(v).get());
    assert.equal(e.statusCode, 404);
    assert.equal(e.code, 'ResourceNotFound');
    assert.match(String(e.requestId), GUID);
    assert.ok(e.date instanceof Date && !Number.isNaN(e.date.getTime()));
    assert.match(e.message, /no-such-profile/);
  });

  await check(v, 'errors', 'an invalid $filter surfaces as GraphError 400 BadRequest', async () => {
    const e = await expectGraphError(client.api(large).version(v).filter('source eq').get());
    assert.equal(e.statusCode, 400);
    assert.equal(e.code, 'BadRequest');
    assert.match(String(e.requestId), GUID);
  });

  await check(v, 'errors', 'a rejected token surfaces as GraphError 401 InvalidAuthenticationToken', async () => {
    const e = await expectGraphError(clientFor(config.httpsUrl, 'not-a-token').api(large).version(v).get());
    assert.equal(e.statusCode, 401);
    assert.equal(e.code, 'InvalidAuthenticationToken');
  });

  for (const status of [429, 503] as const) {
    await check(v, 'throttling', `a ${status} with Retry-After: 1 is retried by the client's RetryHandler, which then succeeds`, async (ctx) => {
      const traceId = newTraceId(`retry${status}-${v}`);
      const body = await client
        .api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`)
        .version(v)
        .headers({ [CHECK_HEADER]: traceId, 'x-tigraph-inject-fault': `${status}; attempts=1` })
        .get();
      assert.equal(body.id, x.docIndicatorId);
      ctx.expectServer(traceId, { exactAttempts: 2, retryAttemptHeaders: true, minDelayMs: 900, statuses: [status, 200], httpsWithToken: true });
    });
  }

  await check(v, 'throttling', 'a persistent 429 is retried 3 times, then surfaces as GraphError TooManyRequests', async (ctx) => {
    const traceId = newTraceId(`retry-exhausted-${v}`);
    const e = await expectGraphError(
      client
        .api(`${TI}/intelProfiles`)
        .version(v)
        .headers({ [CHECK_HEADER]: traceId, 'x-tigraph-inject-fault': '429; retry-after=0' })
        .get(),
    );
    assert.equal(e.statusCode, 429);
    assert.equal(e.code, 'TooManyRequests');
    assert.equal(e.message, 'Please retry again later.');
    ctx.expectServer(traceId, { exactAttempts: 4, retryAttemptHeaders: true, statuses: [429, 429, 429, 429] });
  });
}

// The documented long enum spelling (server started with betaEnumSpelling 'documented').
const documented = clientFor(config.documentedHttpsUrl, config.documentedToken);
await check('v1.0', 'enums', "documented-spelling server: v1.0 still says source 'microsoft'", async () => {
  const body = await documented.api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`).version('v1.0').get();
  assert.equal(body.source, 'microsoft');
});
await check('beta', 'enums', "documented-spelling server: beta says source 'microsoftDefenderThreatIntelligence' and filters by it", async () => {
  const body = await documented.api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`).version('beta').get();
  assert.equal(body.source, 'microsoftDefenderThreatIntelligence');
  const list = await documented
    .api(`${TI}/intelProfiles/${x.largeProfileId}/indicators`)
    .version('beta')
    .filter("source eq 'openSourceIntelligence'")
    .select('id,source')
    .top(999)
    .get();
  assert.ok(list.value.length > 0);
  for (const item of list.value) assert.equal(item.source, 'openSourceIntelligence');
});
await check('beta', 'enums', "default server: beta says source 'microsoft' (the CSDL/SDK spelling)", async () => {
  const body = await client.api(`${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`).version('beta').get();
  assert.equal(body.source, 'microsoft');
});
