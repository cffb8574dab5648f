/**
 * Kiota and every entity type of threatIntelligence beyond the profiles (issue 13 point 6): one response of each
 * type, fetched through the Kiota adapter from the URL template the generated msgraph-beta-sdk request builders
 * spell, is deserialized with the SDK's `create…FromDiscriminatorValue` and compared, member by member and at every
 * depth, with the raw JSON of the same request (`typed-model.ts`): each member typed with the JSON's exact value,
 * nothing left in `additionalData` but `@odata.context` (the SDK models, 1.0.0-preview.81, have a property for every
 * member tigraph sends; the comparison would list any it lacked). The members the server sent are pinned too, and a few values per type are asserted as
 * literals through the typed model, so an empty or partial response cannot pass.
 * Run in a child process by test/conformance/kiota.test.ts.
 */
import assert from 'node:assert/strict';
import type { Parsable, ParsableFactory, RequestAdapter } from '@microsoft/kiota-abstractions';
import * as S from '@microsoft/msgraph-beta-sdk/models/security/index.js';
import { PageIterator } from '@microsoft/msgraph-sdk-core';
import { assertSameIdSet, createRecorder, readConfig, VERSIONS } from './check.js';
import { adapterFor, errorMappings, request } from './kiota-client.js';
import { compareWithJson, jsonKeys } from './typed-model.js';
import * as D from './typed-model-cases.js';

const config = readConfig();
const check = createRecorder('kiota');
const TI = '{+baseurl}/security/threatIntelligence';

interface Case<T extends Parsable> {
  /** The type, as named in the check. */
  readonly type: string;
  /** Path of the request, after TI (URL template syntax) and its path parameters. */
  readonly template: string;
  readonly path: Record<string, string>;
  readonly factory: ParsableFactory<T>;
  /** The members the server must send (sorted). */
  readonly keys: readonly string[];
  /** For a collection response: the members every item must carry (sorted). */
  readonly itemKeys?: readonly string[];
  /** Literal values, read through the typed model. */
  pin(m: T): void;
}
const kase = <T extends Parsable>(c: Case<T>): Case<T> => c;
const BY_KEY = '{?%24expand,%24select}';
const LIST = '{?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}';

const CASES = [
  kase<S.Article>({
    type: 'Article',
    template: `/articles/{article%2Did}${BY_KEY}`,
    path: { 'article%2Did': D.ARTICLE_ID },
    factory: S.createArticleFromDiscriminatorValue,
    keys: D.keys('body', 'createdDateTime', 'imageUrl', 'isFeatured', 'lastUpdatedDateTime', 'summary', 'tags', 'title'),
    pin: (m) => {
      assert.equal(m.title, 'Batloader Malware Abuses Legitimate Tools Uses Obfuscated JavaScript Files in Q4 2022 Attacks');
      assert.equal(m.summary?.format, 'markdown');
      assert.equal(m.isFeatured, false);
      assert.equal(m.createdDateTime?.toISOString(), '2023-03-03T18:20:22.677Z');
      assert.deepEqual(m.tags, ['OSINT', 'Batloader', 'RoyalRansomware', 'Python', 'JavaScript', 'MSI', 'PowerShell']);
    },
  }),
  kase<S.ArticleIndicator>({
    type: 'ArticleIndicator',
    template: `/articleIndicators/{articleIndicator%2Did}${BY_KEY}`,
    path: { 'articleIndicator%2Did': D.ARTICLE_INDICATOR_ID },
    factory: S.createArticleIndicatorFromDiscriminatorValue,
    keys: D.keys('artifact', 'source'),
    pin: (m) => {
      assert.equal(m.source, 'osint');
      assert.equal(m.artifact?.odataType, D.T_IP);
      assert.equal(m.artifact?.id, '198.51.100.200');
    },
  }),
  kase<S.Vulnerability>({
    type: 'Vulnerability',
    template: `/vulnerabilities/{vulnerability%2Did}${BY_KEY}`,
    path: { 'vulnerability%2Did': D.VULNERABILITY_ID },
    factory: S.createVulnerabilityFromDiscriminatorValue,
    keys: D.keys(...D.VULNERABILITY_MEMBERS),
    pin: (m) => {
      assert.equal(m.severity, 'high');
      assert.equal(m.priorityScore, 100);
      assert.equal(m.cvss3Summary?.severity, 'critical');
      assert.equal(m.cvss3Summary?.score, 10);
      assert.equal(m.cvss2Summary?.vectorString, 'AV:N/AC:M/Au:N/C:C/I:C/A:C');
      assert.deepEqual(m.commonWeaknessEnumerationIds, ['CWE-20', 'CWE-400', 'CWE-502']);
      assert.equal(m.references?.[0]?.url, 'https://msrc-blog.microsoft.com/2021/12/11/microsofts-response-to-cve-2021-44228-apache-log4j2/');
      assert.equal(m.publishedDateTime?.toISOString(), '2021-12-10T18:15:00.000Z');
      assert.equal(m.activeExploitsObserved, true);
    },
  }),
  kase<S.VulnerabilityComponent>({
    type: 'VulnerabilityComponent',
    template: `/vulnerabilities/{vulnerability%2Did}/components/{vulnerabilityComponent%2Did}${BY_KEY}`,
    path: { 'vulnerability%2Did': D.VULNERABILITY_ID, 'vulnerabilityComponent%2Did': D.VULNERABILITY_COMPONENT_ID },
    factory: S.createVulnerabilityComponentFromDiscriminatorValue,
    keys: D.keys('name'),
    pin: (m) => assert.equal(m.name, 'Apache Software Foundation Log4j 2.0'),
  }),
  kase<S.WhoisRecord>({
    type: 'WhoisRecord',
    template: `/whoisRecords/{whoisRecord%2Did}${BY_KEY}`,
    path: { 'whoisRecord%2Did': D.WHOIS_ID },
    factory: S.createWhoisRecordFromDiscriminatorValue,
    keys: D.keys(...D.WHOIS_MEMBERS),
    pin: (m) => {
      assert.equal(m.whoisServer, 'rdap.markmonitor.com');
      assert.equal(m.admin?.address?.city, 'Redmond');
      assert.equal(m.registrar?.organization, 'MarkMonitor Inc.');
      assert.equal(m.expirationDateTime?.toISOString(), '2023-08-31T00:00:00.000Z');
      assert.deepEqual(m.nameservers?.map((n) => n.host?.id), [1, 2, 3, 4].map((n) => `ns${n}.contoso-dns.com`));
      assert.equal(m.nameservers?.[0]?.host?.odataType, D.T_HOSTNAME, 'whoisNameserver.host picked by discriminator');
      assert.equal(m.host?.id, 'contoso.com');
    },
  }),
  kase<S.WhoisHistoryRecordCollectionResponse>({
    type: 'WhoisHistoryRecord (whoisRecords/{id}/history, a WhoisHistoryRecordCollectionResponse)',
    template: `/whoisRecords/{whoisRecord%2Did}/history${LIST}`,
    path: { 'whoisRecord%2Did': D.DEMO_WHOIS_ID },
    factory: S.createWhoisHistoryRecordCollectionResponseFromDiscriminatorValue,
    keys: ['@odata.context', 'value'],
    itemKeys: D.keys(...D.WHOIS_MEMBERS).filter((k) => k !== '@odata.context'),
    pin: (m) => {
      assert.deepEqual(m.value?.map((r) => r.id), [`${D.DEMO_WHOIS_ID}-2022`, `${D.DEMO_WHOIS_ID}-2023`]);
      for (const r of m.value ?? []) assert.equal(r.odataType, '#microsoft.graph.security.whoisHistoryRecord');
      assert.equal(m.value?.[0]?.registrar?.name, 'Old Example Registrar (synthetic)');
      assert.equal(m.value?.[1]?.lastSeenDateTime?.toISOString(), '2024-11-01T00:00:00.000Z');
    },
  }),
  kase<S.HostPair>({
    type: 'HostPair',
    template: `/hostPairs/{hostPair%2Did}${BY_KEY}`,
    path: { 'hostPair%2Did': D.HOST_PAIR_ID },
    factory: S.createHostPairFromDiscriminatorValue,
    keys: D.keys('childHost', 'firstSeenDateTime', 'lastSeenDateTime', 'linkKind', 'parentHost'),
    pin: (m) => {
      assert.equal(m.linkKind, 'finalRedirect');
      assert.equal(m.parentHost?.odataType, D.T_HOSTNAME);
      assert.equal(m.childHost?.id, 'contoso.com');
      assert.equal(m.lastSeenDateTime?.toISOString(), '2023-06-23T06:33:31.493Z');
    },
  }),
  kase<S.HostPort>({
    type: 'HostPort',
    template: `/hostPorts/{hostPort%2Did}${BY_KEY}`,
    path: { 'hostPort%2Did': D.HOST_PORT_ID },
    factory: S.createHostPortFromDiscriminatorValue,
    keys: D.keys('banners', 'firstSeenDateTime', 'host', 'lastScanDateTime', 'lastSeenDateTime', 'mostRecentSslCertificate', 'port', 'protocol', 'services', 'status', 'timesObserved'),
    pin: (m) => {
      assert.equal(m.port, 443);
      assert.equal(m.status, 'open');
      assert.equal(m.protocol, 'tcp');
      assert.equal(m.timesObserved, 15590);
      assert.deepEqual(m.banners?.map((b) => b.timesObserved), [2, 2975]);
      assert.equal(m.banners?.[0]?.scanProtocol, 'http_raw');
      assert.deepEqual(m.services?.map((s) => [s.isRecent, s.component?.odataType, s.component?.id]), [
        [true, '#microsoft.graph.security.hostComponent', 'EVfwHhqkUQESmqrKSFHobDUHDAKBsWLf'],
        [false, '#microsoft.graph.security.hostComponent', 'ZobhjJgOwebxpsXdCUjfTpshygqgcfJj'],
      ]);
      assert.equal(m.mostRecentSslCertificate?.id, D.SSL_CERTIFICATE_ID);
      assert.equal(m.host?.odataType, D.T_IP);
      assert.equal(m.host?.id, '8.8.8.8');
    },
  }),
  kase<S.HostReputation>({
    type: 'HostReputation',
    template: `/hosts/{host%2Did}/reputation${BY_KEY}`,
    path: { 'host%2Did': D.REPUTATION_HOST },
    factory: S.createHostReputationFromDiscriminatorValue,
    keys: D.keys('classification', 'rules', 'score'),
    pin: (m) => {
      assert.equal(m.classification, 'malicious');
      assert.equal(m.score, 100);
      assert.deepEqual(m.rules?.map((r) => r.severity), ['high', 'medium', 'medium', 'low']);
      assert.equal(m.rules?.[0]?.relatedDetailsUrl, 'https://ti.defender.microsoft.com/article/831b70a4');
    },
  }),
  kase<S.Subdomain>({
    type: 'Subdomain',
    template: `/subdomains/{subdomain%2Did}${BY_KEY}`,
    path: { 'subdomain%2Did': D.SUBDOMAIN_ID },
    factory: S.createSubdomainFromDiscriminatorValue,
    keys: D.keys('firstSeenDateTime', 'host'),
    pin: (m) => {
      assert.equal(m.id, D.SUBDOMAIN_ID, "the id's `$$` survives the template's percent-encoding");
      assert.equal(m.firstSeenDateTime?.toISOString(), '2023-01-10T00:00:00.000Z');
      assert.equal(m.host?.id, 'tigraph-demo.example');
    },
  }),
  kase<S.HostSslCertificate>({
    type: 'HostSslCertificate',
    template: `/hostSslCertificates/{hostSslCertificate%2Did}${BY_KEY}`,
    path: { 'hostSslCertificate%2Did': D.HOST_SSL_CERTIFICATE_ID },
    factory: S.createHostSslCertificateFromDiscriminatorValue,
    keys: D.keys('firstSeenDateTime', 'host', 'lastSeenDateTime', 'ports', 'sslCertificate'),
    pin: (m) => {
      assert.deepEqual(m.ports?.map((p) => p.port), [80, 3000]);
      assert.equal(m.ports?.[1]?.lastSeenDateTime?.toISOString(), '2023-04-02T00:00:00.000Z');
      assert.equal(m.sslCertificate?.odataType, '#microsoft.graph.security.sslCertificate');
      assert.equal(m.sslCertificate?.id, D.SSL_CERTIFICATE_ID);
      assert.equal(m.host?.id, 'contoso.com');
    },
  }),
  kase<S.SslCertificate>({
    type: 'SslCertificate',
    template: `/sslCertificates/{sslCertificate%2Did}${BY_KEY}`,
    path: { 'sslCertificate%2Did': D.SSL_CERTIFICATE_ID },
    factory: S.createSslCertificateFromDiscriminatorValue,
    keys: D.keys('expirationDateTime', 'fingerprint', 'firstSeenDateTime', 'issueDateTime', 'issuer', 'lastSeenDateTime', 'serialNumber', 'sha1', 'subject'),
    pin: (m) => {
      assert.equal(m.fingerprint, 'fb:96:55:15:05:f1:ed:b2:4d:d3:b3:6f:cf:fd:b7:65:83:3b:81:18');
      assert.equal(m.serialNumber, '1137389559885717770175191329273386705719099773');
      assert.equal(m.subject?.commonName, 'microsoft.com');
      assert.equal(m.subject?.alternateNames?.length, 6);
      assert.equal(m.subject?.address?.state, 'WA');
      assert.equal(m.issuer?.commonName, 'Microsoft Azure TLS Issuing CA 05');
      assert.equal(m.expirationDateTime?.toISOString(), '2024-03-03T18:56:17.000Z');
      assert.equal(m.sha1, 'fb96551505f1edb24dd3b36fcffdb765833b8118');
    },
  }),
  kase<S.PassiveDnsRecord>({
    type: 'PassiveDnsRecord',
    template: `/passiveDnsRecords/{passiveDnsRecord%2Did}${BY_KEY}`,
    path: { 'passiveDnsRecord%2Did': D.PASSIVE_DNS_ID },
    factory: S.createPassiveDnsRecordFromDiscriminatorValue,
    keys: D.keys('artifact', 'collectedDateTime', 'firstSeenDateTime', 'lastSeenDateTime', 'parentHost', 'recordType'),
    pin: (m) => {
      assert.equal(m.recordType, 'A');
      assert.equal(m.collectedDateTime?.toISOString(), '2023-03-07T13:59:34.735Z');
      assert.equal(m.parentHost?.odataType, D.T_HOSTNAME);
      assert.equal(m.artifact?.odataType, D.T_IP, 'the artifact picked by discriminator (createArtifactFromDiscriminatorValue)');
      assert.equal(m.artifact?.id, '20.103.85.33');
    },
  }),
  kase<S.HostComponent>({
    type: 'HostComponent',
    template: `/hostComponents/{hostComponent%2Did}${BY_KEY}`,
    path: { 'hostComponent%2Did': D.COMPONENT_ID },
    factory: S.createHostComponentFromDiscriminatorValue,
    keys: D.keys('category', 'firstSeenDateTime', 'host', 'lastSeenDateTime', 'name', 'version'),
    pin: (m) => {
      assert.deepEqual([m.name, m.version, m.category], ['Microsoft-IIS', '10.0', 'Server']);
      assert.equal(m.firstSeenDateTime?.toISOString(), '2023-02-28T00:00:19.644Z');
      assert.equal(m.host?.id, 'contoso.com');
    },
  }),
  kase<S.HostCookie>({
    type: 'HostCookie',
    template: `/hostCookies/{hostCookie%2Did}${BY_KEY}`,
    path: { 'hostCookie%2Did': D.COOKIE_ID },
    factory: S.createHostCookieFromDiscriminatorValue,
    keys: D.keys('domain', 'firstSeenDateTime', 'host', 'lastSeenDateTime', 'name'),
    pin: (m) => {
      assert.deepEqual([m.name, m.domain, m.host?.id], ['OIDC', 'securemail.contoso.com', 'securemail.contoso.com']);
      assert.equal(m.lastSeenDateTime?.toISOString(), '2023-02-28T04:57:15.288Z');
    },
  }),
  kase<S.HostTracker>({
    type: 'HostTracker',
    template: `/hostTrackers/{hostTracker%2Did}${BY_KEY}`,
    path: { 'hostTracker%2Did': D.TRACKER_ID },
    factory: S.createHostTrackerFromDiscriminatorValue,
    keys: D.keys('firstSeenDateTime', 'host', 'kind', 'lastSeenDateTime', 'value'),
    pin: (m) => {
      assert.deepEqual([m.kind, m.value, m.host?.id], ['ContosoId', 'contoso-advertising', 'about.ads.contoso.com']);
      assert.equal(m.firstSeenDateTime?.toISOString(), '2019-06-13T17:25:22.761Z');
    },
  }),
  kase<S.Host>({
    type: 'Hostname (hosts/{id}, createHostFromDiscriminatorValue)',
    template: `/hosts/{host%2Did}${BY_KEY}`,
    path: { 'host%2Did': 'contoso.com' },
    factory: S.createHostFromDiscriminatorValue,
    keys: D.keys('firstSeenDateTime', 'lastSeenDateTime', 'registrant', 'registrar'),
    pin: (h) => {
      const m = h as S.Hostname;
      assert.equal(m.odataType, D.T_HOSTNAME);
      assert.deepEqual([m.registrar, m.registrant], ['MarkMonitor Inc.', 'Microsoft Corporation']);
      assert.equal(m.firstSeenDateTime?.toISOString(), '2009-09-02T03:29:10.000Z');
    },
  }),
  kase<S.Host>({
    type: 'IpAddress (hosts/{id}, createHostFromDiscriminatorValue)',
    template: `/hosts/{host%2Did}${BY_KEY}`,
    path: { 'host%2Did': D.DEMO_IPV4 },
    factory: S.createHostFromDiscriminatorValue,
    keys: D.keys('autonomousSystem', 'countryOrRegion', 'firstSeenDateTime', 'hostingProvider', 'lastSeenDateTime', 'netblock'),
    pin: (h) => {
      const m = h as S.IpAddress;
      assert.equal(m.odataType, D.T_IP);
      assert.equal(m.netblock, '203.0.113.0/24');
      assert.equal(m.countryOrRegion, 'ZZ');
      assert.deepEqual([m.autonomousSystem?.number, m.autonomousSystem?.value, m.autonomousSystem?.name], [64500, 'AS64500', 'SYNTHETIC-DEMO-AS64500']);
    },
  }),
];

/** The raw body of the request, through the same adapter (and so the same URL expansion and middleware). */
async function rawJson(adapter: RequestAdapter, c: Case<Parsable>): Promise<Record<string, unknown>> {
  const buf = await adapter.sendPrimitive<ArrayBuffer>(request(TI + c.template, c.path), 'ArrayBuffer', errorMappings);
  assert.ok(buf, 'a body');
  return JSON.parse(new TextDecoder().decode(buf)) as Record<string, unknown>;
}

for (const v of VERSIONS) {
  const adapter = adapterFor(config.httpsUrl, config.token, v);
  for (const c of CASES as unknown as Case<Parsable>[]) {
    await check(v, 'typed models', `${c.type}: every member deserializes into its typed property with the JSON's value; additionalData holds only @odata.context`, async () => {
      const json = await rawJson(adapter, c);
      assert.deepEqual(jsonKeys(json), [...c.keys].sort(), 'the members the server sent');
      if (c.itemKeys) for (const item of json['value'] as unknown[]) assert.deepEqual(jsonKeys(item), c.itemKeys, 'the members of an item');
      const model = await adapter.send<Parsable>(request(TI + c.template, c.path), c.factory, errorMappings);
      assert.ok(model, 'a model');
      assert.deepEqual(compareWithJson(model, json), ['$.@odata.context'], 'members left in additionalData');
      c.pin(model);
    });
  }

  await check(v, 'paging', "msgraph-sdk-core's PageIterator walks articles with $top=1 into typed Articles (ArticleCollectionResponse): every id once", async () => {
    const first = await adapter.send<S.ArticleCollectionResponse>(request(`${TI}/articles${LIST}`, {}, { '%24top': 1 }), S.createArticleCollectionResponseFromDiscriminatorValue, errorMappings);
    assert.equal(first?.value?.length, 1);
    const items: S.Article[] = [];
    const iterator = new PageIterator<S.Article>(
      adapter,
      { ...first!, value: first!.value ?? [], odataNextLink: first!.odataNextLink ?? undefined },
      (item) => (items.push(item), true),
      S.createArticleCollectionResponseFromDiscriminatorValue as never,
      errorMappings,
    );
    await iterator.iterate();
    assert.equal(iterator.getPagingState(), 'Complete');
    assertSameIdSet(items.map((a) => a.id!), config.expected.articleIds, 'PageIterator');
    for (const a of items) assert.ok(a.createdDateTime instanceof Date && typeof a.title === 'string', a.id!);
  });
}
