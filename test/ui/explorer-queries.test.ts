/**
 * The explorer's controls against the API (issue 15): search, filters and sort change the URL and show what the
 * API answers for the same query; paging reaches the end of a listing; the import page imports a STIX bundle
 * and shows its summary; the page restores from its URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { announceSkip, assertClean, hashParams, openExplorer, rowIds, signIn, skipReason, type Explorer } from './explorer-harness.js';

const skip = skipReason();
if (skip) announceSkip(skip);

const ids = (body: { value: { id: string }[] }): string[] => body.value.map((v) => v.id);
const q = encodeURIComponent;

/** Clicks "Next page" until the listing ends; every row id seen, in order. */
async function walkPages(e: Explorer, table: string): Promise<{ rows: string[]; pages: number }> {
  const rows: string[] = [];
  let pages = 0;
  for (;;) {
    await e.page.waitForSelector(`${table} tbody tr`);
    rows.push(...(await rowIds(e.page, table)));
    pages++;
    const next = await e.page.$('#next-page');
    if (!next) break;
    const before = await e.page.evaluate(() => location.hash);
    await next.click();
    await e.page.waitForFunction((h) => location.hash !== h, before);
    await e.page.waitForSelector('.pager');
  }
  return { rows, pages };
}

describe('explorer queries in Chromium', { skip }, () => {
  let e: Explorer;
  before(async () => {
    e = await openExplorer();
    await signIn(e);
  });
  after(() => e?.close());

  it('search: Enter in the search box puts $search in the URL and shows the API answer', async () => {
    await e.page.fill('#profile-search', 'Blizzard');
    await e.page.press('#profile-search', 'Enter');
    await e.page.waitForFunction(() => location.hash.includes('search=Blizzard'));
    await e.page.waitForSelector('#profiles-table tbody tr');
    assert.deepEqual(await hashParams(e.page), { search: 'Blizzard' });
    const api = await e.api(`intelProfiles?$search=Blizzard&$orderby=${q('title asc')}&$count=true&$top=999`);
    assert.equal(api['@odata.count'], 4);
    assert.equal(await e.page.textContent('#profile-count'), '4 profiles');
    assert.deepEqual(await rowIds(e.page, '#profiles-table'), ids(api).slice(0, 5));
    assertClean(e, 'search');
  });

  it('kind filter and sort: the URL carries them and the rows are the API answer', async () => {
    await e.page.goto(`${e.url}/#/profiles`);
    await e.page.waitForSelector('#profiles-table tbody tr');
    await e.page.selectOption('#profile-kind', 'tool');
    await e.page.waitForFunction(() => location.hash.includes('kind=tool'));
    await e.page.selectOption('#profile-sort', '-active');
    await e.page.waitForFunction(() => location.hash.includes('sort=-active'));
    await e.page.waitForSelector('#profile-count');
    assert.deepEqual(await hashParams(e.page), { kind: 'tool', sort: '-active' });
    const api = await e.api(`intelProfiles?$filter=${q("kind eq 'tool'")}&$orderby=${q('firstActiveDateTime desc')}&$count=true`);
    assert.deepEqual(ids(api), ['cobalt-strike', 'mimikatz']);
    await e.page.waitForFunction(() => document.querySelectorAll('#profiles-table tbody tr').length === 2);
    assert.deepEqual(await rowIds(e.page, '#profiles-table'), ['cobalt-strike', 'mimikatz']);
    // the counts column is the API's $count of each profile's indicators
    const shown = await e.page.$$eval('#profiles-table tbody td.num', (c) => c.map((td) => Number(td.textContent)));
    assert.deepEqual(shown, [Number(await e.api('intelProfiles/cobalt-strike/indicators/$count')), Number(await e.api('intelProfiles/mimikatz/indicators/$count'))]);
    // reload: the URL restores the page
    await e.page.reload();
    await e.page.waitForSelector('#profiles-table tbody tr');
    assert.equal(await e.page.$eval('#profile-kind', (s) => (s as HTMLSelectElement).value), 'tool');
    assert.deepEqual(await rowIds(e.page, '#profiles-table'), ['cobalt-strike', 'mimikatz']);
    assertClean(e, 'kind and sort');
  });

  it('origin filter: a country code in the URL is countriesOrRegionsOfOrigin/any(c: c/code eq …)', async () => {
    await e.page.goto(`${e.url}/#/profiles`);
    await e.page.waitForSelector('#profiles-table tbody tr');
    await e.page.fill('#profile-origin', 'ru');
    await e.page.press('#profile-origin', 'Enter');
    await e.page.waitForFunction(() => location.hash.includes('origin=RU'));
    assert.deepEqual(await hashParams(e.page), { origin: 'RU' });
    const api = await e.api(`intelProfiles?$filter=${q("countriesOrRegionsOfOrigin/any(c: c/code eq 'RU')")}&$orderby=${q('title asc')}&$count=true`);
    assert.deepEqual(ids(api), ['forest-blizzard', 'midnight-blizzard', 'seashell-blizzard']);
    await e.page.waitForFunction(() => document.querySelector('#profile-count')?.textContent === '3 profiles');
    assert.deepEqual(await rowIds(e.page, '#profiles-table'), ids(api));
    assertClean(e, 'origin filter');
  });

  it('paging: Next page walks the profiles to the end, 5 per page, as the API lists them', async () => {
    await e.page.goto(`${e.url}/#/profiles?sort=title`);
    const walked = await walkPages(e, '#profiles-table');
    const api = await e.api(`intelProfiles?$orderby=${q('title asc')}&$top=999&$select=id`);
    assert.equal(api.value.length, 10);
    assert.deepEqual(walked, { rows: ids(api), pages: 2 });
    assert.equal(await e.page.textContent('.pager .muted'), 'End of the list');
    assertClean(e, 'profile paging');
  });

  it("indicators: source and first-seen filters build $filter, the count is the API's, paging reaches the end", async () => {
    await e.page.goto(`${e.url}/#/indicators?profile=forest-blizzard`);
    await e.page.waitForSelector('#indicators-table tbody tr');
    await e.page.selectOption('#indicator-source', 'osint');
    await e.page.waitForFunction(() => location.hash.includes('source=osint'));
    await e.page.fill('#first-from', '2022-01-01');
    await e.page.dispatchEvent('#first-from', 'change');
    await e.page.waitForFunction(() => location.hash.includes('firstFrom=2022-01-01'));
    assert.deepEqual(await hashParams(e.page), { profile: 'forest-blizzard', source: 'osint', firstFrom: '2022-01-01' });
    const filter = q("source eq 'osint' and firstSeenDateTime ge 2022-01-01T00:00:00Z");
    const api = await e.api(`intelProfiles/forest-blizzard/indicators?$filter=${filter}&$orderby=${q('firstSeenDateTime desc,id asc')}&$count=true&$top=999`);
    assert.ok(api['@odata.count'] > 0 && api['@odata.count'] < 22, String(api['@odata.count']));
    await e.page.waitForFunction((n) => document.querySelector('#indicator-count')?.textContent === `${n} indicators`, api['@odata.count']);
    const walked = await walkPages(e, '#indicators-table');
    assert.deepEqual(walked, { rows: ids(api), pages: Math.ceil(api.value.length / 10) });
    assertClean(e, 'indicator filters');
  });

  it("indicators: the artifact type control is isof(artifact, …) in $filter; the rows are the API's", async () => {
    await e.page.goto(`${e.url}/#/indicators?profile=cobalt-strike`);
    await e.page.waitForSelector('#indicators-table tbody tr');
    await e.page.selectOption('#indicator-type', 'ipAddress');
    await e.page.waitForFunction(() => location.hash.includes('type=ipAddress'));
    assert.deepEqual(await hashParams(e.page), { profile: 'cobalt-strike', type: 'ipAddress' });
    const filter = q('isof(artifact, microsoft.graph.security.ipAddress)');
    const api = await e.api(`intelProfiles/cobalt-strike/indicators?$filter=${filter}&$orderby=${q('firstSeenDateTime desc,id asc')}&$count=true&$top=10`);
    const all = await e.api(`intelProfiles/cobalt-strike/indicators?$top=999`);
    const ips = all.value.filter((i: { artifact: { '@odata.type': string } }) => i.artifact['@odata.type'] === '#microsoft.graph.security.ipAddress').length;
    assert.ok(ips > 0 && ips < all.value.length, `${ips} of ${all.value.length}`);
    assert.equal(api['@odata.count'], ips);
    await e.page.waitForFunction((n) => document.querySelector('#indicator-count')?.textContent === `${n} indicators`, ips);
    assert.deepEqual(await rowIds(e.page, '#indicators-table'), ids(api));
    const types = await e.page.$$eval('#indicators-table tbody tr td:nth-child(5)', (tds) => [...new Set(tds.map((td) => td.textContent))]);
    assert.deepEqual(types, ['ipAddress']);
    assertClean(e, 'artifact type');
  });

  it('indicators: a column header sorts, the text match filters, both in the URL', async () => {
    await e.page.goto(`${e.url}/#/indicators`);
    await e.page.waitForSelector('#indicators-table tbody tr');
    await e.page.click('button.sort[data-sort=first]');
    await e.page.waitForFunction(() => location.hash.includes('sort=first'));
    await e.page.fill('#indicator-text', '.example');
    await e.page.press('#indicator-text', 'Enter');
    await e.page.waitForFunction(() => location.hash.includes('text=.example'));
    await e.page.waitForSelector('#indicator-count');
    assert.deepEqual(await hashParams(e.page), { sort: 'first', text: '.example' });
    const api = await e.api(`intelligenceProfileIndicators?$filter=${q("contains(artifact/id, '.example')")}&$orderby=${q('firstSeenDateTime asc,id asc')}&$count=true&$top=10`);
    await e.page.waitForFunction((n) => document.querySelector('#indicator-count')?.textContent === `${n} indicators`, api['@odata.count']);
    assert.deepEqual(await rowIds(e.page, '#indicators-table'), ids(api));
    assertClean(e, 'indicator sort and text');
  });

  it('artifact: the pivot lists the profiles the API names for the artifact', async () => {
    await e.page.goto(`${e.url}/#/artifact?id=fake-malicious.site&type=hostname`);
    await e.page.waitForSelector('#artifact-profiles li');
    const api = await e.api(`intelProfiles?$filter=${q("indicators/any(i: i/artifact/id eq 'fake-malicious.site')")}&$orderby=${q('title asc')}&$select=id,title`);
    const shown = await e.page.$$eval('#artifact-profiles a', (a) => a.map((x) => x.getAttribute('href')));
    assert.deepEqual(shown, api.value.map((p: { id: string }) => `#/profile?id=${encodeURIComponent(p.id)}`));
    assert.equal(await e.page.$eval('#artifact-properties', (t) => t.querySelector('tr th')?.textContent), 'id');
    // the host's enrichment collections, as the API serves them (the demo data holds none)
    const shown2 = await e.page.$$eval('#artifact-enrichment dd', (dd) => dd.map((d) => [d.getAttribute('data-nav'), d.textContent]));
    const navs = ['passiveDns', 'ports', 'sslCertificates', 'components', 'trackers', 'subdomains', 'hostPairs'];
    for (const nav of navs) assert.deepEqual((await e.api(`hosts/fake-malicious.site/${nav}`)).value, []);
    assert.deepEqual(shown2, navs.map((n) => [n, 'none']));
    // reputation (the doc example E11's record) and whois (the demo's synthetic one), as the API serves them
    const reputation = await e.api('hosts/fake-malicious.site/reputation');
    const field = (list: string, f: string) => e.page.textContent(`${list} [data-field="${f}"]`);
    assert.equal(await field('#artifact-reputation', 'classification'), reputation.classification);
    assert.equal(await field('#artifact-reputation', 'score'), String(reputation.score));
    assert.deepEqual(reputation.rules.map((r: { name: string; severity: string }) => [r.name, r.severity]), [
      ['Microsoft Defender Threat Intelligence Intel Article', 'high'],
      ['Name server', 'medium'],
      ['Registrar', 'medium'],
      ['Resolving IP Address', 'low'],
    ]);
    assert.equal(await field('#artifact-reputation', 'rules'), 'Microsoft Defender Threat Intelligence Intel Article (high); Name server (medium); Registrar (medium); Resolving IP Address (low)');
    const whois = await e.api('hosts/fake-malicious.site/whois');
    assert.equal(await field('#artifact-whois', 'registrar'), whois.registrar.name);
    assert.equal(await field('#artifact-whois', 'registrationDateTime'), whois.registrationDateTime);
    assert.equal(await field('#artifact-whois', 'whoisServer'), 'whois.registrar.example');
    assertClean(e, 'artifact');
  });

  it('import: without a write token it says one is needed; with one a STIX bundle is imported and summarised', async () => {
    await e.page.goto(`${e.url}/#/import`);
    await e.page.waitForSelector('#needs-write-token');
    assert.equal(await e.page.$eval('#import-files', (i) => (i as HTMLInputElement).disabled), true);
    await e.page.fill('#write-token', e.writeToken);
    assert.equal(await e.page.$('#needs-write-token'), null);
    await e.page.setInputFiles('#import-files', { name: 'small-bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BUNDLE)) });
    await e.page.waitForFunction(() => document.querySelector('.job-status strong')?.textContent === 'succeeded', undefined, { timeout: 20000 });
    const cells = (row: string) => e.page.$$eval(`.job ${row} td`, (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(await cells('.profiles-counts'), [1, 0, 0]);
    assert.deepEqual(await cells('.indicators-counts'), [3, 0, 0]);
    assert.equal(await e.page.textContent('#skipped p'), 'Skipped: 1');
    assert.equal(await e.page.textContent('#skipped li'), `hash pattern (1): object 3 "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"`);
    assert.equal(await e.page.textContent('#rejected li'), 'invalid IPv4 address (1): object 4 "300.1.2.3"');
    assert.equal(Number(await e.api('intelProfiles/ui-tempest/indicators/$count')), 3);
    // the profiles the import touched, from the job's summary.files, link to their pages
    assert.deepEqual(await e.page.$$eval('#touched-profiles a', (a) => a.map((x) => [x.getAttribute('href'), x.textContent])), [['#/profile?id=ui-tempest', 'UI Tempest']]);
    assert.equal(await e.page.textContent('#touched-profiles li'), 'UI Tempest (3 indicators; new profile)');
    await e.screenshot('explorer-import-summary');
    await e.page.click('#touched-profiles a');
    await e.page.waitForFunction(() => document.querySelector('h1')?.textContent === 'UI Tempest');
    assertClean(e, 'import');
  });
});

const obj = (o: Record<string, unknown>) => ({ spec_version: '2.1', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', ...o });
const BUNDLE = {
  type: 'bundle',
  id: 'bundle--00000000-0000-4000-8000-0000000000a0',
  objects: [
    obj({ type: 'intrusion-set', id: 'intrusion-set--00000000-0000-4000-8000-0000000000a1', name: 'UI Tempest' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-0000000000a2', pattern: "[domain-name:value = 'ui-tempest.example'] OR [ipv4-addr:value = '192.0.2.177']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-0000000000a3', pattern: "[url:value = 'hxxps://ui-tempest[.]example/x']", pattern_type: 'stix', valid_from: '2024-03-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-0000000000a4', pattern: "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    obj({ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-0000000000a5', pattern: "[ipv4-addr:value = '300.1.2.3']", pattern_type: 'stix', valid_from: '2024-02-01T00:00:00Z' }),
    ...[2, 3, 4, 5].map((n) =>
      obj({ type: 'relationship', id: `relationship--00000000-0000-4000-8000-0000000000b${n}`, relationship_type: 'indicates', source_ref: `indicator--00000000-0000-4000-8000-0000000000a${n}`, target_ref: 'intrusion-set--00000000-0000-4000-8000-0000000000a1' }),
    ),
  ],
};
