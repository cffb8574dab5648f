/**
 * Graph JSON written by the service in process: exact bodies for an entity, a collection, a navigation target and
 * the service document; `$select` key sets; `$expand` shapes; `@odata.context` for every kind of resource; enum
 * spelling per version; headers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServiceHarness, ORIGIN, type ServiceHarness } from './service-harness.js';

const TI = 'security/threatIntelligence';
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const NS = '#microsoft.graph.security';

let h: ServiceHarness;
let documented: ServiceHarness;
before(async () => {
  h = await createServiceHarness();
  documented = await createServiceHarness({ betaEnumSpelling: 'documented' });
});
after(async () => {
  await h.close();
  await documented.close();
});

const ACTINIUM_INDICATORS = [
  {
    '@odata.type': `${NS}.intelligenceProfileIndicator`,
    id: '0458d995-f7a0-05b1-3274-c8b8ce097ddc',
    source: 'microsoft',
    firstSeenDateTime: '2009-09-02T03:29:10.000Z',
    lastSeenDateTime: '2009-09-02T03:29:10.000Z',
    artifact: { '@odata.type': `${NS}.hostname`, id: 'contoso.com' },
  },
  {
    '@odata.type': `${NS}.intelligenceProfileIndicator`,
    id: '47ccdbeb-816b-ac86-b96b-f31459d34b08',
    source: 'microsoft',
    firstSeenDateTime: '2022-05-02T23:09:20.000Z',
    lastSeenDateTime: null,
    artifact: { '@odata.type': `${NS}.hostname`, id: 'fake-malicious.site' },
  },
];

const DEMO_IP_ADDRESS = {
  '@odata.type': `${NS}.ipAddress`,
  id: '2001:db8:5:3::86e3',
  firstSeenDateTime: '2021-04-10T08:57:56.000Z',
  lastSeenDateTime: '2022-08-17T06:00:37.000Z',
  autonomousSystem: { name: 'SYNTHETIC-DEMO-AS64498', number: 64498, organization: 'Synthetic demo data (tigraph)', value: 'AS64498' },
  countryOrRegion: 'ZZ',
  hostingProvider: 'Synthetic demo data (tigraph)',
  netblock: '2001:db8:5::/48',
};

/** Deep equality including the order of keys at every level (Graph JSON is compared as written). */
function assertExactJson(text: string, expected: unknown): void {
  assert.equal(text, JSON.stringify(expected));
}

describe('service: serialization', () => {
  it('an entity: every property in model order, @odata.type, ISO 8601 UTC dates, complex values, JSON headers', async () => {
    const r = await h.request(`/v1.0/${TI}/intelProfiles/actinium`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.headers, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0' });
    assertExactJson(r.text, {
      '@odata.context': `${ORIGIN}/v1.0/$metadata#${TI}/intelProfiles/$entity`,
      '@odata.type': `${NS}.intelligenceProfile`,
      id: 'actinium',
      aliases: ['Primitive Bear', 'TEMP.Armageddon', 'Shuckworm', 'Gamaredon'],
      countriesOrRegionsOfOrigin: [{ code: 'Country/Region code', label: 'Country/Region' }],
      description: {
        content:
          '### Summary\n\nACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine. On February 4, 2022, Microsoft released a [blog]...',
        format: 'markdown',
      },
      firstActiveDateTime: '2022-01-31T16:00:00.000Z',
      kind: 'actor',
      summary: {
        content: 'ACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine',
        format: 'text',
      },
      targets: ['Government', 'Humanitarian'],
      title: 'ACTINIUM',
      tradecraft: {
        content: '#### Tactics, Techniques, and Procedures\n\n[ACTINIUM](https://attack.mitre.org/groups/G0047/) has exhibited use of the following attack techniques...',
        format: 'markdown',
      },
    });
  });

  it('a contained collection: artifact inlined as an {@odata.type, id} reference, unset dates as null', async () => {
    const r = await h.request(`/v1.0/${TI}/intelProfiles/actinium/indicators`);
    assert.equal(r.status, 200);
    assertExactJson(r.text, { '@odata.context': `${ORIGIN}/v1.0/$metadata#${TI}/intelProfiles('actinium')/indicators`, value: ACTINIUM_INDICATORS });
  });

  it('$select: exactly the selected properties plus @odata.type, in model order; the context lists them in request order', async () => {
    const r = await h.get(`/v1.0/${TI}/intelProfiles?$top=2&$select=title,kind,id`);
    assert.equal(r.body['@odata.context'], `${ORIGIN}/v1.0/$metadata#${TI}/intelProfiles(title,kind,id)`);
    assert.deepEqual(
      r.body.value.map((v: object) => Object.keys(v)),
      [
        ['@odata.type', 'id', 'kind', 'title'],
        ['@odata.type', 'id', 'kind', 'title'],
      ],
    );
    assert.deepEqual(r.body.value[1], { '@odata.type': `${NS}.intelligenceProfile`, id: 'actinium', kind: 'actor', title: 'ACTINIUM' });
    const one = await h.request(`/beta/${TI}/intelProfiles/mint-sandstorm?$select=id,title,kind`);
    assertExactJson(one.text, {
      '@odata.context': `${ORIGIN}/beta/$metadata#${TI}/intelProfiles(id,title,kind)/$entity`,
      '@odata.type': `${NS}.intelligenceProfile`,
      id: 'mint-sandstorm',
      kind: 'actor',
      title: 'Mint Sandstorm',
    });
    // A selected property without a value is null, not omitted.
    const indicators = await h.get(`/v1.0/${TI}/intelProfiles/actinium/indicators?$select=id,lastSeenDateTime`);
    assert.deepEqual(indicators.body.value, [
      { '@odata.type': `${NS}.intelligenceProfileIndicator`, id: '0458d995-f7a0-05b1-3274-c8b8ce097ddc', lastSeenDateTime: '2009-09-02T03:29:10.000Z' },
      { '@odata.type': `${NS}.intelligenceProfileIndicator`, id: '47ccdbeb-816b-ac86-b96b-f31459d34b08', lastSeenDateTime: null },
    ]);
  });

  it('$expand=artifact: the full artifact of its concrete type; a nested $select narrows it; $select without the navigation still expands it', async () => {
    const full = await h.get(`/v1.0/${TI}/intelProfiles/mint-sandstorm/indicators?$orderby=firstSeenDateTime&$top=1&$skip=2&$expand=artifact`);
    assert.deepEqual(full.body.value, [
      {
        '@odata.type': `${NS}.intelligenceProfileIndicator`,
        id: '0a7b6ea9-b4ed-1ae1-5696-1508708cfbac',
        source: 'osint',
        firstSeenDateTime: '2021-04-10T08:57:56.000Z',
        lastSeenDateTime: '2022-08-17T06:00:37.000Z',
        artifact: DEMO_IP_ADDRESS,
      },
    ]);
    assert.deepEqual(Object.keys(full.body.value[0].artifact), Object.keys(DEMO_IP_ADDRESS));
    const narrow = await h.get(`/v1.0/${TI}/intelProfiles/mint-sandstorm/indicators?$orderby=firstSeenDateTime&$top=1&$skip=2&$expand=artifact($select=id)&$select=id,source`);
    assert.equal(narrow.body['@odata.context'], `${ORIGIN}/v1.0/$metadata#${TI}/intelProfiles('mint-sandstorm')/indicators(id,source)`);
    assert.deepEqual(narrow.body.value, [
      {
        '@odata.type': `${NS}.intelligenceProfileIndicator`,
        id: '0a7b6ea9-b4ed-1ae1-5696-1508708cfbac',
        source: 'osint',
        artifact: { '@odata.type': `${NS}.ipAddress`, id: '2001:db8:5:3::86e3' },
      },
    ]);
    const unexpanded = await h.get(`/v1.0/${TI}/intelProfiles/mint-sandstorm/indicators?$orderby=firstSeenDateTime&$top=1&$skip=2&$select=id,source`);
    assert.deepEqual(Object.keys(unexpanded.body.value[0]), ['@odata.type', 'id', 'source'], 'without $expand a $select leaves the navigation out');
    // The nested $select binds to the declared type (artifact): a property of a derived type is not found there.
    const derived = await h.get(`/v1.0/${TI}/intelProfiles/mint-sandstorm/indicators?$top=1&$expand=artifact($select=netblock)`);
    assert.equal(derived.status, 400);
    assert.equal(derived.body.error.message, "Parsing OData Select and Expand failed: Could not find a property named 'netblock' on type 'microsoft.graph.security.artifact'.");
    const single = await h.get(`/v1.0/${TI}/intelligenceProfileIndicators/47ccdbeb-816b-ac86-b96b-f31459d34b08?$expand=artifact`);
    assert.deepEqual(single.body, {
      '@odata.context': `${ORIGIN}/v1.0/$metadata#${TI}/intelligenceProfileIndicators/$entity`,
      ...ACTINIUM_INDICATORS[1],
      artifact: { '@odata.type': `${NS}.hostname`, id: 'fake-malicious.site', firstSeenDateTime: null, lastSeenDateTime: null, registrant: null, registrar: null },
    });
  });

  it('a navigation target and an entity of a derived type carry their own @odata.type; contexts name the path', async () => {
    const nav = await h.request(`/beta/${TI}/intelligenceProfileIndicators/0a7b6ea9-b4ed-1ae1-5696-1508708cfbac/artifact`);
    assert.equal(nav.status, 200);
    assertExactJson(nav.text, { '@odata.context': `${ORIGIN}/beta/$metadata#${TI}/intelligenceProfileIndicators('0a7b6ea9-b4ed-1ae1-5696-1508708cfbac')/artifact/$entity`, ...DEMO_IP_ADDRESS });
    const host = await h.request(`/v1.0/${TI}/hosts/${encodeURIComponent('2001:db8:5:3::86e3')}`);
    assertExactJson(host.text, { '@odata.context': `${ORIGIN}/v1.0/$metadata#${TI}/hosts/$entity`, ...DEMO_IP_ADDRESS });
    const contained = await h.get(`/v1.0/${TI}/intelProfiles/actinium/indicators/47ccdbeb-816b-ac86-b96b-f31459d34b08?$select=id`);
    assert.deepEqual(contained.body, {
      '@odata.context': `${ORIGIN}/v1.0/$metadata#${TI}/intelProfiles('actinium')/indicators(id)/$entity`,
      '@odata.type': `${NS}.intelligenceProfileIndicator`,
      id: '47ccdbeb-816b-ac86-b96b-f31459d34b08',
    });
  });

  it('enum spelling: v1.0 always the CSDL names; beta the documented names when configured', async () => {
    const beta = await documented.get(`/beta/${TI}/intelProfiles/actinium/indicators?$select=id,source`);
    assert.deepEqual(
      beta.body.value.map((v: { source: string }) => v.source),
      ['microsoftDefenderThreatIntelligence', 'microsoftDefenderThreatIntelligence'],
    );
    const v1 = await documented.get(`/v1.0/${TI}/intelProfiles/actinium/indicators?$select=id,source`);
    assert.deepEqual(
      v1.body.value.map((v: { source: string }) => v.source),
      ['microsoft', 'microsoft'],
    );
    const csdlBeta = await h.get(`/beta/${TI}/intelProfiles/actinium/indicators?$select=id,source`);
    assert.deepEqual(
      csdlBeta.body.value.map((v: { source: string }) => v.source),
      ['microsoft', 'microsoft'],
    );
  });

  it('Prefer: include-unknown-enum-members is acknowledged with Preference-Applied', async () => {
    const r = await h.request(`/v1.0/${TI}/intelProfiles/actinium/indicators?$select=id`, { prefer: 'include-unknown-enum-members' });
    assert.deepEqual(r.headers, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', 'Preference-Applied': 'include-unknown-enum-members' });
  });

  it('the service document', async () => {
    const r = await h.request('/v1.0/');
    assert.equal(r.status, 200);
    assertExactJson(r.text, { '@odata.context': `${ORIGIN}/v1.0/$metadata`, value: [{ name: 'security', kind: 'Singleton', url: 'security' }] });
  });
});
