/**
 * Query options end to end. Expected results are computed in the test from the complete, unfiltered listing
 * (the oracle), so every assertion checks the SQL pushdown against an independent evaluation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, VERSIONS, type TestServer } from '../support/test-server.js';

interface Indicator {
  id: string;
  source: string;
  firstSeenDateTime: string;
  lastSeenDateTime: string | null;
  artifact: { '@odata.type': string; id: string };
}
interface Profile {
  id: string;
  title: string;
  kind: string;
  aliases: string[];
  summary: { content: string };
}

let s: TestServer;
let all: Indicator[];
let profiles: Profile[];

async function collect<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = `${s.url}${path}`;
  while (next) {
    const r: Response = await fetch(next, { headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 200, next);
    const body = (await r.json()) as { value: T[]; '@odata.nextLink'?: string };
    out.push(...body.value);
    next = body['@odata.nextLink'];
  }
  return out;
}
const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();

before(async () => {
  s = await startTestServer();
  all = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$top=999`);
  profiles = await collect<Profile>(`/v1.0${TI}/intelProfiles?$top=999`);
  assert.ok(all.length > 300, `demo data has ${all.length} indicators`);
});
after(() => s.close());

describe('$filter', () => {
  const cases: [string, (i: Indicator) => boolean][] = [
    ["source eq 'osint'", (i) => i.source === 'osint'],
    ["source ne 'osint'", (i) => i.source !== 'osint'],
    ["source eq microsoft.graph.security.indicatorSource'public'", (i) => i.source === 'public'],
    ['source eq microsoft', (i) => i.source === 'microsoft'],
    ["source eq 'microsoftDefenderThreatIntelligence'", (i) => i.source === 'microsoft'],
    ['source eq openSourceIntelligence', (i) => i.source === 'osint'],
    ["source in ('public', 'osint')", (i) => i.source === 'public' || i.source === 'osint'],
    ['lastSeenDateTime eq null', (i) => i.lastSeenDateTime === null],
    ['lastSeenDateTime ne null', (i) => i.lastSeenDateTime !== null],
    ['firstSeenDateTime ge 2024-01-01T00:00:00Z', (i) => i.firstSeenDateTime >= '2024-01-01T00:00:00.000Z'],
    ['firstSeenDateTime lt 2022-06-01', (i) => i.firstSeenDateTime < '2022-06-01T00:00:00.000Z'],
    ['lastSeenDateTime gt 2025-03-01T00:00:00+02:00', (i) => i.lastSeenDateTime !== null && i.lastSeenDateTime > '2025-02-28T22:00:00.000Z'],
    ['not (lastSeenDateTime lt 2025-01-01T00:00:00Z)', (i) => !(i.lastSeenDateTime !== null && i.lastSeenDateTime < '2025-01-01T00:00:00.000Z')],
    ["NOT(source eq 'osint') and (lastSeenDateTime eq null or firstSeenDateTime le 2022-01-01T00:00:00Z)", (i) => i.source !== 'osint' && (i.lastSeenDateTime === null || i.firstSeenDateTime <= '2022-01-01T00:00:00.000Z')],
    ["startswith(artifact/id, 'update')", (i) => i.artifact.id.startsWith('update')],
    ["endsWith(artifact/id,'.example')", (i) => i.artifact.id.endsWith('.example')],
    ["contains(artifact/id, '2001:db8')", (i) => i.artifact.id.includes('2001:db8')],
    ["artifact/id eq 'fake-malicious.site'", (i) => i.artifact.id === 'fake-malicious.site'],
    ["tolower(artifact/id) eq 'fake-malicious.site' or length(artifact/id) eq 3", (i) => i.artifact.id.toLowerCase() === 'fake-malicious.site' || i.artifact.id.length === 3],
  ];
  for (const [filter, predicate] of cases) {
    it(filter, async () => {
      const got = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent(filter)}&$top=200`);
      const expected = all.filter(predicate);
      assert.ok(expected.length > 0 || filter.includes('length'), 'the case selects something');
      assert.deepEqual(ids(got), ids(expected));
    });
  }

  it('any() over string collections and the indicators pivot', async () => {
    const byAlias = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("aliases/any(a: a eq 'ACTINIUM')")}`);
    assert.deepEqual(ids(byAlias.body.value), ids(profiles.filter((p) => p.aliases.includes('ACTINIUM'))));
    const startsWith = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("aliases/any(a: startswith(a, 'APT'))")}`);
    assert.deepEqual(ids(startsWith.body.value), ids(profiles.filter((p) => p.aliases.some((a) => a.startsWith('APT')))));
    const nonEmpty = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent('targets/any()')}`);
    assert.ok(nonEmpty.body.value.length > 0);
    const artifact = all.find((i) => i.artifact.id.endsWith('.example'))!.artifact.id;
    const pivot = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent(`indicators/any(i: i/artifact/id eq '${artifact}')`)}&$select=id`);
    const owners = await Promise.all(
      profiles.map(async (p) => ((await collect<Indicator>(`/v1.0${TI}/intelProfiles/${p.id}/indicators?$top=999`)).some((i) => i.artifact.id === artifact) ? p.id : undefined)),
    );
    assert.deepEqual(ids(pivot.body.value), owners.filter((x): x is string => !!x).sort());
    assert.deepEqual(Object.keys(pivot.body.value[0]), ['@odata.type', 'id']);
    const osintTools = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("kind eq 'tool' and indicators/any(i: i/source eq 'osint')")}`);
    assert.ok(osintTools.body.value.every((p: Profile) => p.kind === 'tool'));
  });

  it('any() over a complex collection compares the named property of each item (countries of origin by code)', async () => {
    const ru = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("countriesOrRegionsOfOrigin/any(c: c/code eq 'RU')")}&$select=id`);
    assert.equal(ru.status, 200, JSON.stringify(ru.body));
    assert.deepEqual(ids(ru.body.value), ['forest-blizzard', 'midnight-blizzard', 'seashell-blizzard']);
    const label = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("countriesOrRegionsOfOrigin/any(c: c/label eq 'Russia' or c/code in ('KP'))")}&$select=id`);
    assert.deepEqual(ids(label.body.value), ['emerald-sleet', 'forest-blizzard', 'midnight-blizzard', 'seashell-blizzard']);
    // a value of another item's property, or the object as text, does not match
    const r = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("countriesOrRegionsOfOrigin/any(c: contains(c/code, 'Russia'))")}&$select=id`);
    assert.deepEqual(r.body.value, []);
  });

  it('isof(artifact, Namespace.Type) filters indicators by the type of their artifact, derived types included', async () => {
    const byType = (types: string[]) => ids(all.filter((i) => types.includes(i.artifact['@odata.type'])));
    const T = '#microsoft.graph.security.';
    const cases: [string, string[]][] = [
      ['isof(artifact, microsoft.graph.security.hostname)', [`${T}hostname`]],
      ["isof(artifact, 'microsoft.graph.security.ipAddress')", [`${T}ipAddress`]],
      ['isof(artifact, microsoft.graph.security.host)', [`${T}hostname`, `${T}ipAddress`]],
      ["not isof(artifact, microsoft.graph.security.host) and source ne 'public'", []],
    ];
    for (const [filter, types] of cases) {
      const got = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent(filter)}&$top=999`);
      const expected = filter.startsWith('not')
        ? ids(all.filter((i) => !i.artifact['@odata.type'].endsWith('hostname') && !i.artifact['@odata.type'].endsWith('ipAddress') && i.source !== 'public'))
        : byType(types);
      assert.ok(expected.length > 0, filter);
      assert.deepEqual(ids(got), expected, filter);
    }
    const hosts = byType([`${T}hostname`, `${T}ipAddress`]).length;
    const count = await s.json(`/v1.0${TI}/intelligenceProfileIndicators/$count?$filter=${encodeURIComponent('isof(artifact, microsoft.graph.security.host)')}`);
    assert.equal(count.body, hosts);
    // inside any(): the profiles with an IP address among their indicators
    const withIp = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent('indicators/any(i: isof(i/artifact, microsoft.graph.security.ipAddress))')}&$select=id&$top=999`);
    const expectedProfiles: string[] = [];
    for (const p of profiles) {
      const list = await collect<Indicator>(`/v1.0${TI}/intelProfiles/${encodeURIComponent(p.id)}/indicators?$top=999`);
      if (list.some((i) => i.artifact['@odata.type'] === `${T}ipAddress`)) expectedProfiles.push(p.id);
    }
    assert.deepEqual(ids(withIp.body.value), expectedProfiles.sort());
  });

  it('isof() refuses what it cannot answer, naming the problem and its position', async () => {
    const cases: [string, string][] = [
      ['isof(artifact, microsoft.graph.security.intelligenceProfile)', "Invalid filter clause: 'microsoft.graph.security.intelligenceProfile' is not 'microsoft.graph.security.artifact' or a type derived from it at position 15."],
      ['isof(source, microsoft.graph.security.host)', "Invalid filter clause: isof() is supported as isof(navigation, Namespace.Type) on a single-valued navigation such as 'artifact' at position 5."],
      ['isof(artifact, hostname)', "Invalid filter clause: isof() needs a qualified type name (Namespace.Type) but found 'hostname' at position 15."],
      ['isof(artifact)', "Invalid filter clause: the function 'isof' takes 2 arguments but was given 1 at position 0."],
    ];
    for (const [filter, message] of cases) {
      const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent(filter)}`);
      assert.equal(r.status, 400, filter);
      assert.equal(r.body.error.message, message, filter);
    }
  });

  it("kind eq 'tool' on profiles, with a null comparison and OData null semantics", async () => {
    const tools = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("kind eq 'tool' and title ne null")}`);
    assert.deepEqual(ids(tools.body.value), ids(profiles.filter((p) => p.kind === 'tool')));
    const none = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent('title eq null')}`);
    assert.deepEqual(none.body.value, []);
  });
});

describe('$orderby, $top, $skip, $count, $select, $expand, $search', () => {
  it('orders by several keys and directions', async () => {
    const got = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$orderby=source desc,firstSeenDateTime asc&$top=100`);
    const rank: Record<string, number> = { microsoft: 0, osint: 1, public: 2 };
    const expected = [...all].sort((a, b) => rank[b.source]! - rank[a.source]! || a.firstSeenDateTime.localeCompare(b.firstSeenDateTime) || a.id.localeCompare(b.id));
    assert.deepEqual(got.map((x) => x.id), expected.map((x) => x.id));
  });

  it('nulls sort lowest (first ascending, last descending)', async () => {
    const asc = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$orderby=lastSeenDateTime&$top=150`);
    const nulls = all.filter((i) => i.lastSeenDateTime === null).length;
    assert.ok(nulls > 0);
    assert.ok(asc.slice(0, nulls).every((i) => i.lastSeenDateTime === null));
    assert.ok(asc.slice(nulls).every((i) => i.lastSeenDateTime !== null));
    const desc = await collect<Indicator>(`/v1.0${TI}/intelligenceProfileIndicators?$orderby=lastSeenDateTime desc&$top=7`);
    assert.equal(desc.length, all.length, 'keyset paging through nulls loses nothing');
    assert.ok(desc.slice(-nulls).every((i) => i.lastSeenDateTime === null));
    assert.equal(new Set(desc.map((i) => i.id)).size, all.length);
  });

  it('$top, $skip and $count=true', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=3&$skip=2&$count=true`);
    const sorted = ids(all);
    assert.equal(r.body['@odata.count'], all.length);
    assert.deepEqual(r.body.value.map((x: Indicator) => x.id), sorted.slice(2, 5));
    assert.deepEqual(Object.keys(r.body), ['@odata.context', '@odata.count', '@odata.nextLink', 'value']);
    const count = await s.get(`/v1.0${TI}/intelligenceProfileIndicators/$count?$filter=${encodeURIComponent("source eq 'public'")}`);
    assert.equal(Number(await count.text()), all.filter((i) => i.source === 'public').length);
  });

  it('$select returns exactly the selected properties, unset ones as null, and names them in the context', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$select=id,lastSeenDateTime&$filter=lastSeenDateTime eq null&$top=1`);
    assert.equal(r.body['@odata.context'], `${s.url}/v1.0/$metadata#security/threatIntelligence/intelligenceProfileIndicators(id,lastSeenDateTime)`);
    assert.deepEqual(Object.keys(r.body.value[0]), ['@odata.type', 'id', 'lastSeenDateTime']);
    assert.equal(r.body.value[0].lastSeenDateTime, null);
    const withArtifact = await s.json(`/v1.0${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55?$select=source,artifact`);
    assert.deepEqual(Object.keys(withArtifact.body), ['@odata.context', '@odata.type', 'source', 'artifact']);
  });

  it('$expand=artifact inlines the full derived artifact', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles/midnight-blizzard/indicators?$expand=artifact&$top=999`);
    const types = new Set(r.body.value.map((i: { artifact: { '@odata.type': string } }) => i.artifact['@odata.type']));
    assert.ok(types.has('#microsoft.graph.security.hostname') && types.has('#microsoft.graph.security.ipAddress') && types.has('#microsoft.graph.security.unclassifiedArtifact'));
    for (const i of r.body.value) {
      const a = i.artifact;
      if (a['@odata.type'] === '#microsoft.graph.security.hostname') assert.ok('registrar' in a && 'registrant' in a && 'firstSeenDateTime' in a);
      if (a['@odata.type'] === '#microsoft.graph.security.ipAddress') assert.ok('autonomousSystem' in a && 'netblock' in a);
      if (a['@odata.type'] === '#microsoft.graph.security.unclassifiedArtifact') assert.deepEqual(Object.keys(a).sort(), ['@odata.type', 'id', 'kind', 'value']);
    }
    const plain = await s.json(`/v1.0${TI}/intelProfiles/midnight-blizzard/indicators?$top=1`);
    assert.deepEqual(Object.keys(plain.body.value[0].artifact), ['@odata.type', 'id']);
  });

  it('$search looks in title, aliases and summary, case-insensitively', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles?$search=${encodeURIComponent('"blizzard"')}`);
    assert.deepEqual(ids(r.body.value), ids(profiles.filter((p) => p.title.toLowerCase().includes('blizzard') || p.aliases.some((a) => a.toLowerCase().includes('blizzard')) || p.summary.content.toLowerCase().includes('blizzard'))));
    const alias = await s.json(`/v1.0${TI}/intelProfiles?$search=nobelium`);
    assert.ok(alias.body.value.some((p: Profile) => p.id === 'midnight-blizzard'));
    const both = await s.json(`/v1.0${TI}/intelProfiles?$search=${encodeURIComponent('blizzard AND NOT nobelium')}`);
    assert.ok(!both.body.value.some((p: Profile) => p.id === 'midnight-blizzard'));
    assert.ok(both.body.value.length > 0);
  });

  it('option names with or without $, in any case, percent-encoded', async () => {
    const forms = ['$top=2&$select=id', 'top=2&select=id', '$TOP=2&$Select=id', '%24top=2&%24select=id'];
    const bodies = await Promise.all(forms.map((f) => s.json(`/beta${TI}/intelligenceProfileIndicators?${f}`)));
    for (const b of bodies) {
      assert.equal(b.status, 200);
      assert.deepEqual(b.body.value, bodies[0]!.body.value);
      assert.equal(b.body.value.length, 2);
    }
  });
});

describe('enum spellings', () => {
  for (const v of VERSIONS) {
    it(`${v}: the CSDL spelling is served by default and both spellings are accepted`, async () => {
      const r = await s.json(`/${v}${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'openSourceIntelligence'")}&$top=1`);
      assert.equal(r.body.value[0].source, 'osint');
    });
  }

  it('the documented long spelling on /beta when the server is started with it; v1.0 keeps the CSDL names', async () => {
    const doc = await startTestServer({ betaEnumSpelling: 'documented' });
    try {
      const beta = await doc.json(`/beta${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`);
      assert.equal(beta.body.source, 'microsoftDefenderThreatIntelligence');
      const v1 = await doc.json(`/v1.0${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`);
      assert.equal(v1.body.source, 'microsoft');
      const osint = await doc.json(`/beta${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'osint'")}&$top=1`);
      assert.equal(osint.body.value[0].source, 'openSourceIntelligence');
      const md = await (await fetch(`${doc.url}/beta/$metadata`)).text();
      assert.match(md, /<Member Name="microsoftDefenderThreatIntelligence" Value="0"/);
      assert.match(await (await fetch(`${doc.url}/v1.0/$metadata`)).text(), /<Member Name="microsoft" Value="0"/);
    } finally {
      await doc.close();
    }
  });

  it('Prefer: include-unknown-enum-members is honoured and acknowledged', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=1`, { Prefer: 'include-unknown-enum-members' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('preference-applied'), 'include-unknown-enum-members');
    const plain = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=1`);
    assert.equal(plain.headers.get('preference-applied'), null);
  });
});
