/**
 * Kiota against tigraph over HTTPS: `DefaultRequestAdapter` (@microsoft/kiota-bundle: FetchRequestAdapter with the
 * JSON/text/form parse-node factories registered) with the real `AzureIdentityAuthenticationProvider` (a fake
 * credential, `allowedHosts` = tigraph's host:port), and the models and `create…FromDiscriminatorValue` functions
 * of @microsoft/msgraph-beta-sdk. The fluent `/security` request builders are not published on npm, so each
 * `RequestInformation` is built by hand from the generated URL template (graph-protocol.md §8.5–8.6).
 * Run in a child process by test/conformance/kiota.test.ts.
 */
import assert from 'node:assert/strict';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk';
import {
  createHostFromDiscriminatorValue,
  createIntelligenceProfileCollectionResponseFromDiscriminatorValue,
  createIntelligenceProfileFromDiscriminatorValue,
  createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue,
  createIntelligenceProfileIndicatorFromDiscriminatorValue,
  type Host,
  type Hostname,
  type IntelligenceProfile,
  type IntelligenceProfileCollectionResponse,
  type IntelligenceProfileIndicator,
  type IntelligenceProfileIndicatorCollectionResponse,
  type IpAddress,
} from '@microsoft/msgraph-beta-sdk/models/security/index.js';
import { PageIterator } from '@microsoft/msgraph-sdk-core';
import { assertSameIdSet, CHECK_HEADER, createRecorder, GUID, newTraceId, readConfig, VERSIONS } from './check.js';
import { adapterFor, authFor, errorMappings, expectODataError, request, unmapped } from './kiota-client.js';

const config = readConfig();
const x = config.expected;
const check = createRecorder('kiota');

const T_INDICATOR = '#microsoft.graph.security.intelligenceProfileIndicator';
const T_HOSTNAME = '#microsoft.graph.security.hostname';
const T_IP = '#microsoft.graph.security.ipAddress';

// URL templates exactly as the generated (unpublished) msgraph-beta-sdk-security request builders spell them.
const INDICATOR = '{+baseurl}/security/threatIntelligence/intelligenceProfileIndicators/{intelligenceProfileIndicator%2Did}{?%24expand,%24select}';
const PROFILES = '{+baseurl}/security/threatIntelligence/intelProfiles{?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}';
const PROFILE = '{+baseurl}/security/threatIntelligence/intelProfiles/{intelligenceProfile%2Did}{?%24expand,%24select}';
const PROFILE_INDICATORS =
  '{+baseurl}/security/threatIntelligence/intelProfiles/{intelligenceProfile%2Did}/indicators{?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}';
const PROFILE_INDICATORS_COUNT = '{+baseurl}/security/threatIntelligence/intelProfiles/{intelligenceProfile%2Did}/indicators/$count{?%24filter,%24search}';
const HOST = '{+baseurl}/security/threatIntelligence/hosts/{host%2Did}{?%24expand,%24select}';

for (const v of VERSIONS) {
  const adapter = adapterFor(config.httpsUrl, config.token, v);
  const large = { 'intelligenceProfile%2Did': x.largeProfileId };

  await check(v, 'envelope', 'the doc example Get deserializes into IntelligenceProfileIndicator with every field typed', async () => {
    const ind = await adapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
    assert.ok(ind);
    assert.equal(ind.id, x.docIndicatorId);
    assert.equal(ind.odataType, T_INDICATOR);
    assert.equal(ind.source, 'microsoft');
    assert.ok(ind.firstSeenDateTime instanceof Date);
    assert.equal(ind.firstSeenDateTime.toISOString(), '2022-05-02T23:09:20.000Z');
    assert.equal(ind.lastSeenDateTime, undefined);
    assert.deepEqual(unmapped(ind), []);
  });

  await check(v, '@odata.type', 'the artifact is picked by discriminator: a Hostname with its typed registrar/registrant', async () => {
    const doc = await adapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
    assert.equal(doc?.artifact?.odataType, T_HOSTNAME);
    assert.equal(doc?.artifact?.id, x.docHostname);
    const ind = await adapter.send<IntelligenceProfileIndicator>(
      request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.contosoIndicatorId }, { '%24expand': ['artifact'] }),
      createIntelligenceProfileIndicatorFromDiscriminatorValue,
      errorMappings,
    );
    const host = ind?.artifact as Hostname | undefined;
    assert.equal(host?.odataType, T_HOSTNAME);
    assert.equal(host?.registrar, 'MarkMonitor Inc.', 'registrar typed (the base artifact deserializer would leave it in additionalData)');
    assert.equal(host?.registrant, 'Microsoft Corporation');
    assert.ok(host?.firstSeenDateTime instanceof Date);
    assert.deepEqual(unmapped(host!), []);
  });

  await check(v, 'paging', `the list deserializes into IntelligenceProfileIndicatorCollectionResponse; odataNextLink followed to the end with $top=40: no duplicate, no missing id`, async (ctx) => {
    const traceId = newTraceId(`kiota-paging-${v}`);
    const ids: string[] = [];
    let pages = 0;
    let page = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(request(PROFILE_INDICATORS, large, { '%24top': 40 }, { [CHECK_HEADER]: traceId }), createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings);
    for (;;) {
      assert.ok(page?.value, 'a page with value');
      pages++;
      assert.ok(page.value.length <= 40);
      for (const item of page.value) {
        assert.equal(item.odataType, T_INDICATOR);
        ids.push(item.id!);
      }
      const next = page.odataNextLink;
      if (!next) break;
      assert.ok(next.startsWith(`${config.httpsUrl}/${v}/`), next);
      // As msgraph-sdk-core's PageIterator does: the nextLink becomes the URL template (run through the expander).
      const ri = request(next, {}, {}, { [CHECK_HEADER]: traceId });
      page = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(ri, createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings);
    }
    assertSameIdSet(ids, x.largeProfileIndicatorIds, 'odataNextLink walk');
    assert.ok(pages > 3, `${pages} pages`);
    ctx.expectServer(traceId, { exactAttempts: pages, httpsWithToken: true });
  });

  await check(v, 'paging', "msgraph-sdk-core's PageIterator walks every page with $top=40: no duplicate, no missing id", async () => {
    const first = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(request(PROFILE_INDICATORS, large, { '%24top': 40 }), createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings);
    assert.ok(first);
    const ids: string[] = [];
    const iterator = new PageIterator<IntelligenceProfileIndicator>(
      adapter,
      { ...first, value: first.value ?? [], odataNextLink: first.odataNextLink ?? undefined },
      (item) => {
        ids.push(item.id!);
        return true;
      },
      createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue as never,
      errorMappings,
    );
    await iterator.iterate();
    assert.equal(iterator.getPagingState(), 'Complete');
    assertSameIdSet(ids, x.largeProfileIndicatorIds, 'PageIterator');
  });

  await check(v, 'envelope', 'intelProfiles/{id} deserializes into IntelligenceProfile with its complex values typed', async () => {
    const p = await adapter.send<IntelligenceProfile>(request(PROFILE, { 'intelligenceProfile%2Did': x.profileId }), createIntelligenceProfileFromDiscriminatorValue, errorMappings);
    assert.ok(p);
    assert.equal(p.id, x.profileId);
    assert.equal(p.title, 'ACTINIUM');
    assert.equal(p.kind, 'actor');
    assert.deepEqual(p.aliases, ['Primitive Bear', 'TEMP.Armageddon', 'Shuckworm', 'Gamaredon']);
    assert.deepEqual(p.targets, ['Government', 'Humanitarian']);
    assert.equal(p.countriesOrRegionsOfOrigin?.[0]?.code, 'Country/Region code');
    assert.equal(p.countriesOrRegionsOfOrigin?.[0]?.label, 'Country/Region');
    assert.equal(p.summary?.format, 'text');
    assert.match(p.summary?.content ?? '', /^ACTINIUM is an activity group/);
    assert.equal(p.description?.format, 'markdown');
    assert.equal(p.tradecraft?.format, 'markdown');
    assert.equal(p.firstActiveDateTime?.toISOString(), '2022-01-31T16:00:00.000Z');
    assert.deepEqual(unmapped(p), []);
    for (const c of [p.summary!, p.description!, p.tradecraft!, p.countriesOrRegionsOfOrigin![0]!]) assert.deepEqual(unmapped(c), []);
  });

  await check(v, '@odata.type', 'hosts/{id} deserializes (createHostFromDiscriminatorValue) into Hostname or IpAddress by discriminator', async () => {
    const h = (await adapter.send<Host>(request(HOST, { 'host%2Did': x.hostId }), createHostFromDiscriminatorValue, errorMappings)) as Hostname | undefined;
    assert.equal(h?.odataType, T_HOSTNAME);
    assert.equal(h?.registrar, 'MarkMonitor Inc.');
    assert.deepEqual(unmapped(h!), []);
    assert.ok(x.ipHostIds.length > 0);
    for (const id of x.ipHostIds) {
      const ip = (await adapter.send<Host>(request(HOST, { 'host%2Did': id }), createHostFromDiscriminatorValue, errorMappings)) as IpAddress | undefined;
      assert.equal(ip?.odataType, T_IP, id);
      assert.equal(ip?.id, id);
      assert.equal(typeof ip?.netblock, 'string', `netblock typed for ${id}`);
      assert.equal(typeof ip?.autonomousSystem?.number, 'number', `autonomousSystem typed for ${id}`);
      assert.deepEqual(unmapped(ip!), [], id);
    }
  });

  await check(v, 'query options', '$select, $filter, $orderby and $top as Kiota puts them on the wire', async () => {
    const sel = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(request(PROFILE_INDICATORS, large, { '%24select': ['id', 'source'], '%24top': 3 }), createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings);
    assert.equal(sel?.value?.length, 3);
    for (const i of sel!.value!) assert.ok(i.source !== undefined && i.firstSeenDateTime === undefined && i.artifact === undefined);
    const filtered = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(
      request(PROFILE_INDICATORS, large, { '%24filter': "source eq 'osint'", '%24orderby': ['firstSeenDateTime desc'], '%24top': 999 }),
      createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue,
      errorMappings,
    );
    const items = filtered?.value ?? [];
    assert.ok(items.length > 0);
    for (const i of items) assert.equal(i.source, 'osint');
    for (let k = 1; k < items.length; k++) assert.ok(items[k - 1]!.firstSeenDateTime!.getTime() >= items[k]!.firstSeenDateTime!.getTime());
    const tools = await adapter.send<IntelligenceProfileCollectionResponse>(request(PROFILES, {}, { '%24filter': "kind eq 'tool'" }), createIntelligenceProfileCollectionResponseFromDiscriminatorValue, errorMappings);
    assert.ok((tools?.value?.length ?? 0) > 0);
    for (const p of tools!.value!) assert.equal(p.kind, 'tool');
  });

  await check(v, 'counts', '$count=true fills odataCount', async () => {
    const page = await adapter.send<IntelligenceProfileIndicatorCollectionResponse>(request(PROFILE_INDICATORS, large, { '%24count': true, '%24top': 1 }), createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings);
    assert.equal(page?.odataCount, x.largeProfileIndicatorIds.length);
  });

  await check(v, 'counts', "the /$count segment is read through the text parse node (sendPrimitive 'number', text/plain)", async () => {
    const n = await adapter.sendPrimitive<number>(request(PROFILE_INDICATORS_COUNT, large, {}, {}, 'text/plain;q=0.9'), 'number', errorMappings);
    assert.equal(n, x.largeProfileIndicatorIds.length);
  });

  await check(v, 'errors', 'a 404 is thrown as ODataError with error.code, message and innerError ids', async () => {
    const e = await expectODataError(adapter.send<IntelligenceProfile>(request(PROFILE, { 'intelligenceProfile%2Did': 'no-such-profile' }), createIntelligenceProfileFromDiscriminatorValue, errorMappings));
    assert.equal(e.responseStatusCode, 404);
    assert.equal(e.errorEscaped?.code, 'ResourceNotFound');
    assert.equal(e.message, e.errorEscaped?.message);
    assert.match(e.errorEscaped?.innerError?.requestId ?? '', GUID);
    assert.match(e.errorEscaped?.innerError?.clientRequestId ?? '', GUID);
    assert.ok(e.errorEscaped?.innerError?.date instanceof Date);
    assert.equal(e.responseHeaders?.['request-id']?.[0], e.errorEscaped?.innerError?.requestId);
  });

  await check(v, 'errors', 'an invalid $filter is thrown as ODataError 400 BadRequest', async () => {
    const e = await expectODataError(adapter.send<IntelligenceProfileIndicatorCollectionResponse>(request(PROFILE_INDICATORS, large, { '%24filter': 'source eq' }), createIntelligenceProfileIndicatorCollectionResponseFromDiscriminatorValue, errorMappings));
    assert.equal(e.responseStatusCode, 400);
    assert.equal(e.errorEscaped?.code, 'BadRequest');
  });

  await check(v, 'errors', 'a rejected token is thrown as ODataError 401 InvalidAuthenticationToken', async () => {
    const bad = adapterFor(config.httpsUrl, 'not-a-token', v);
    const e = await expectODataError(bad.send<IntelligenceProfileCollectionResponse>(request(PROFILES), createIntelligenceProfileCollectionResponseFromDiscriminatorValue, errorMappings));
    assert.equal(e.responseStatusCode, 401);
    assert.equal(e.errorEscaped?.code, 'InvalidAuthenticationToken');
  });

  await check(v, 'throttling', "a 429 with Retry-After: 1 is retried by Kiota's RetryHandler, which then succeeds", async (ctx) => {
    const traceId = newTraceId(`kiota-retry-${v}`);
    const ind = await adapter.send<IntelligenceProfileIndicator>(
      request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }, {}, { [CHECK_HEADER]: traceId, 'x-tigraph-inject-fault': '429; attempts=1' }),
      createIntelligenceProfileIndicatorFromDiscriminatorValue,
      errorMappings,
    );
    assert.equal(ind?.id, x.docIndicatorId);
    ctx.expectServer(traceId, { exactAttempts: 2, retryAttemptHeaders: true, minDelayMs: 900, statuses: [429, 200], httpsWithToken: true });
  });

  await check(v, 'throttling', 'a persistent 503 is retried 3 times, then thrown as ODataError ServiceUnavailable', async (ctx) => {
    const traceId = newTraceId(`kiota-retry-exhausted-${v}`);
    const e = await expectODataError(
      adapter.send<IntelligenceProfileCollectionResponse>(request(PROFILES, {}, {}, { [CHECK_HEADER]: traceId, 'x-tigraph-inject-fault': '503; retry-after=0' }), createIntelligenceProfileCollectionResponseFromDiscriminatorValue, errorMappings),
    );
    assert.equal(e.responseStatusCode, 503);
    assert.equal(e.errorEscaped?.code, 'ServiceUnavailable');
    ctx.expectServer(traceId, { exactAttempts: 4, retryAttemptHeaders: true, statuses: [503, 503, 503, 503] });
  });

  await check(v, 'envelope', "GraphBetaRequestAdapter (msgraph-beta-sdk's adapter with the Graph middleware) reads the doc example", async () => {
    const graphAdapter = new GraphBetaRequestAdapter(authFor(config.httpsUrl, config.token));
    graphAdapter.baseUrl = `${config.httpsUrl}/${v}`;
    const ind = await graphAdapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
    assert.equal(ind?.id, x.docIndicatorId);
    assert.equal(ind?.artifact?.odataType, T_HOSTNAME);
  });
}

// The documented long enum spelling (server started with betaEnumSpelling 'documented').
await check('v1.0', 'enums', "documented-spelling server: v1.0 still deserializes source 'microsoft'", async () => {
  const adapter = adapterFor(config.documentedHttpsUrl, config.documentedToken, 'v1.0');
  const ind = await adapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
  assert.equal(ind?.source, 'microsoft');
});
await check('beta', 'enums', "documented-spelling server: Kiota's IndicatorSource has no member 'microsoftDefenderThreatIntelligence', so beta source is undefined (why 'csdl' is the default)", async () => {
  const adapter = adapterFor(config.documentedHttpsUrl, config.documentedToken, 'beta');
  const ind = await adapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
  assert.equal(ind?.id, x.docIndicatorId);
  assert.equal(ind?.source, undefined);
});
await check('beta', 'enums', "default server: beta source deserializes to the SDK member 'microsoft'", async () => {
  const adapter = adapterFor(config.httpsUrl, config.token, 'beta');
  const ind = await adapter.send<IntelligenceProfileIndicator>(request(INDICATOR, { 'intelligenceProfileIndicator%2Did': x.docIndicatorId }), createIntelligenceProfileIndicatorFromDiscriminatorValue, errorMappings);
  assert.equal(ind?.source, 'microsoft');
});
