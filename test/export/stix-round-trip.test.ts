/**
 * STIX export: the demo dataset → `exportStix` → `runImport` into an empty store gives the same API responses
 * (profile list, each profile, each profile's indicators with $expand=artifact, each indicator by id with its
 * artifact; articles, their indicators, article indicators by id, vulnerabilities, their articles and components;
 * on v1.0 and beta), ids included; exports are deterministic; the bundle's shape is checked, reports and
 * vulnerabilities object for object.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportStix, newExportSummary, ProfileNotFoundError } from '../../src/export/export-stix.js';
import { uuidv5 } from '../../src/export/stix-ids.js';
import { MODEL } from '../../src/model/model.js';
import { buildDemoDataset, LARGE_PROFILE_ID } from '../../src/seed/demo-dataset.js';
import { DEMO_ADVISORY_ARTICLE_ID, DEMO_ARTICLE_ID, DEMO_VULNERABILITY_ID } from '../../src/seed/demo-articles.js';
import { DOC_ARTICLE_ID, DOC_ARTICLE_INDICATOR_ID, DOC_VULNERABILITY_ID } from '../../src/seed/doc-examples-articles.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import type { Store } from '../../src/storage/store.js';
import { startTestServer } from '../support/test-server.js';
import { counts, importInto, memoryStore } from '../import/helpers.js';
import { assertSameResponses, bundleText } from './api-snapshot.js';
import { stixProblems } from '../taxii/stix-rules.js';

const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));

describe('STIX export', () => {
  let tmp: string;
  let source: Store;
  let bundle: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tigraph-export-'));
    source = memoryStore();
    await loadSeed(source, MODEL, buildDemoDataset());
    bundle = await bundleText({ store: source, model: MODEL, pageSize: 37 });
  });
  after(async () => {
    await source.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('uuidv5 matches the RFC 4122 test vector', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    assert.equal(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('writes a STIX 2.1 bundle: identities, intrusion-sets/tools, locations, indicators with patterns, relationships', () => {
    const b = JSON.parse(bundle) as { type: string; id: string; objects: Record<string, any>[] };
    assert.equal(b.type, 'bundle');
    assert.match(b.id, /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const byType = (t: string) => b.objects.filter((o) => o['type'] === t);
    assert.equal(byType('identity').length, 3);
    assert.equal(byType('intrusion-set').length, 8); // 6 synthetic actors + the two doc profiles
    assert.equal(byType('tool').length, 2);
    const dataset = buildDemoDataset();
    const indicatorTotal = dataset.profiles.reduce((n, p) => n + (p['indicators'] as unknown[]).length, 0);
    const profileIndicators = byType('indicator').filter((i) => i['x_tigraph_article'] === undefined);
    assert.equal(profileIndicators.length, indicatorTotal);
    const rels = byType('relationship');
    assert.equal(rels.filter((r) => r['relationship_type'] === 'indicates').length, indicatorTotal);
    assert.equal(rels.filter((r) => r['relationship_type'] === 'originates-from').length, 8);
    const ids = new Set(b.objects.map((o) => o['id']));
    assert.equal(ids.size, b.objects.length, 'ids are unique');
    for (const r of rels) assert.ok(ids.has(r['source_ref']) && ids.has(r['target_ref']), `dangling ${r['id']}`);
    for (const o of b.objects) if (o['type'] !== 'bundle') assert.equal(o['spec_version'], '2.1');
    for (const o of b.objects) assert.deepEqual(stixProblems(o), [], String(o['id']));
    for (const r of byType('report')) for (const ref of r['object_refs'] as string[]) assert.ok(ids.has(ref), `dangling ${ref} in ${r['id']}`);

    const mb = byType('intrusion-set').find((o) => o['name'] === 'Midnight Blizzard')!;
    assert.deepEqual(mb['aliases'], ['NOBELIUM', 'COZY BEAR', 'UNC2452', 'APT29']);
    assert.equal(mb['first_seen'], '2008-01-01T00:00:00.000Z');
    assert.equal(mb['x_tigraph_id'], 'midnight-blizzard');
    const ru = byType('location').find((l) => l['country'] === 'RU')!;
    assert.equal(ru['name'], 'Russia');
    assert.ok(rels.some((r) => r['relationship_type'] === 'originates-from' && r['source_ref'] === mb['id'] && r['target_ref'] === ru['id']));

    const patterns = profileIndicators.map((i) => i['pattern'] as string);
    assert.ok(patterns.includes("[domain-name:value = 'fake-malicious.site']"));
    assert.ok(patterns.some((p) => /^\[ipv4-addr:value = '(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+'\]$/.test(p)));
    assert.ok(patterns.some((p) => /^\[ipv6-addr:value = '2001:db8:[0-9a-f:]+'\]$/.test(p)));
    assert.ok(patterns.some((p) => /^\[url:value = 'https:\/\/[^']+\.example\/[^']+'\]$/.test(p)));
    const doc = byType('indicator').find((i) => i['x_tigraph_id'] === 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55')!;
    assert.equal(doc['valid_from'], '2022-05-02T23:09:20.000Z');
    assert.equal(doc['x_first_seen'], '2022-05-02T23:09:20.000Z');
    assert.equal(doc['x_last_seen'], undefined);
    const microsoft = byType('identity').find((i) => i['x_tigraph_source'] === 'microsoft')!;
    assert.equal(doc['created_by_ref'], microsoft['id']);
  });

  it('writes articles as reports, their indicators as indicators, vulnerabilities as vulnerabilities (STIX fields and x_tigraph_* exact values)', () => {
    const b = JSON.parse(bundle) as { objects: Record<string, any>[] };
    const byType = (t: string) => b.objects.filter((o) => o['type'] === t);
    assert.deepEqual(byType('report').map((r) => r['x_tigraph_id']), [DOC_ARTICLE_ID, DEMO_ARTICLE_ID, DEMO_ADVISORY_ARTICLE_ID]);
    assert.deepEqual(byType('vulnerability').map((v) => v['name']), [DOC_VULNERABILITY_ID, DEMO_VULNERABILITY_ID]);
    const articleIndicators = byType('indicator').filter((i) => i['x_tigraph_article'] !== undefined);
    assert.deepEqual(articleIndicators.map((i) => [i['x_tigraph_article'], i['x_tigraph_id'], i['pattern']]), [
      [DOC_ARTICLE_ID, DOC_ARTICLE_INDICATOR_ID, "[domain-name:value = 'fake-malicious.site']"],
      [DEMO_ARTICLE_ID, 'tigraph-demo-article-1-ind-1', "[domain-name:value = 'login-portal.phish.example']"],
      [DEMO_ARTICLE_ID, 'tigraph-demo-article-1-ind-2', "[ipv4-addr:value = '198.51.100.200']"],
      [DEMO_ADVISORY_ARTICLE_ID, 'tigraph-demo-article-2-ind-1', "[ipv4-addr:value = '203.0.113.10']"],
    ]);
    const identity = (source: string) => b.objects.find((o) => o['type'] === 'identity' && o['x_tigraph_source'] === source)!['id'];
    const advisory = byType('report').find((r) => r['x_tigraph_id'] === DEMO_ADVISORY_ARTICLE_ID)!;
    const advisoryIndicator = articleIndicators.find((i) => i['x_tigraph_id'] === 'tigraph-demo-article-2-ind-1')!;
    const demoVulnerability = byType('vulnerability').find((v) => v['name'] === DEMO_VULNERABILITY_ID)!;
    assert.deepEqual(advisory, {
      type: 'report',
      spec_version: '2.1',
      id: 'report--b11e315e-2f2a-55b5-95cf-4fae57ebe988',
      created: '2024-04-16T00:00:00.000Z',
      modified: '2024-04-16T00:00:00.000Z',
      name: 'Synthetic advisory: TIGRAPH-DEMO-2024-0001 in the made-up widget server (demo data)',
      description: 'A made-up article about the demo vulnerability.',
      published: '2024-04-16T00:00:00.000Z',
      labels: ['demo', 'vulnerability'],
      created_by_ref: identity('microsoft'),
      // its indicator, then the vulnerability that lists it (vulnerabilities/{id}/articles)
      object_refs: [advisoryIndicator['id'], demoVulnerability['id']],
      x_tigraph_id: DEMO_ADVISORY_ARTICLE_ID,
      x_tigraph_article: {
        body: { content: 'Everything here is synthetic. Upgrade the made-up widget server to 2.3.', format: 'text' },
        createdDateTime: '2024-04-16T00:00:00.000Z',
        imageUrl: null,
        isFeatured: false,
        lastUpdatedDateTime: '2024-04-16T00:00:00.000Z',
        summary: { content: 'A made-up article about the demo vulnerability.', format: 'text' },
        tags: ['demo', 'vulnerability'],
        title: 'Synthetic advisory: TIGRAPH-DEMO-2024-0001 in the made-up widget server (demo data)',
      },
    });
    assert.deepEqual(advisoryIndicator, {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8febd8f5-721e-5979-ab38-23af31b24559',
      created: '2024-04-16T00:00:00.000Z',
      modified: '2024-04-16T00:00:00.000Z',
      name: '203.0.113.10',
      pattern: "[ipv4-addr:value = '203.0.113.10']",
      pattern_type: 'stix',
      valid_from: '2024-04-16T00:00:00.000Z',
      created_by_ref: identity('public'),
      x_tigraph_id: 'tigraph-demo-article-2-ind-1',
      x_tigraph_article: DEMO_ADVISORY_ARTICLE_ID,
      x_tigraph_artifact: {
        '@odata.type': '#microsoft.graph.security.ipAddress',
        id: '203.0.113.10',
        firstSeenDateTime: '2023-01-10T00:00:00.000Z',
        lastSeenDateTime: '2025-06-01T00:00:00.000Z',
        autonomousSystem: { name: 'SYNTHETIC-DEMO-AS64500', number: 64500, organization: 'Synthetic demo data (tigraph)', value: 'AS64500' },
        countryOrRegion: 'ZZ',
        hostingProvider: 'Synthetic demo data (tigraph)',
        netblock: '203.0.113.0/24',
      },
    });
    assert.equal(demoVulnerability['id'], 'vulnerability--0d8c90a3-c9f6-576b-a402-26cddae60d8b');
    // Not a CVE id: no cve external reference, only the vulnerability's own references.
    assert.deepEqual(demoVulnerability['external_references'], [{ source_name: 'Demo advisory', url: 'https://advisories.example/TIGRAPH-DEMO-2024-0001' }]);
    assert.deepEqual(demoVulnerability['x_tigraph_components'], [
      { id: 'widget-server-2.1', name: 'Widget Server 2.1 (demo)' },
      { id: 'widget-server-2.2', name: 'Widget Server 2.2 (demo)' },
    ]);
    const log4j = byType('vulnerability').find((v) => v['name'] === DOC_VULNERABILITY_ID)!;
    assert.deepEqual(
      { id: log4j['id'], created: log4j['created'], modified: log4j['modified'], refs: log4j['external_references'] },
      {
        id: 'vulnerability--0f9013fe-33ac-547d-ab7e-19730a0a3aef',
        created: '2021-11-27T13:18:28.240Z',
        modified: '2023-02-06T18:53:00.000Z',
        refs: [
          { source_name: 'cve', external_id: 'CVE-2021-44228' },
          { source_name: 'Microsoft’s Response to CVE-2021-44228 Apache Log4j 2', url: 'https://msrc-blog.microsoft.com/2021/12/11/microsofts-response-to-cve-2021-44228-apache-log4j2/' },
        ],
      },
    );
    assert.equal((log4j['x_tigraph_vulnerability'] as Record<string, unknown>)['priorityScore'], 100);
    // No whois, passive DNS, certificate, port or other host-enrichment object: STIX has no place the importer reads back.
    assert.deepEqual([...new Set(b.objects.map((o) => o['type']))].sort(), ['identity', 'indicator', 'intrusion-set', 'location', 'relationship', 'report', 'tool', 'vulnerability']);
  });

  it('is deterministic: exporting twice gives the same bytes; --profile exports one profile', async () => {
    assert.equal(await bundleText({ store: source, model: MODEL }), bundle);
    const one = JSON.parse(await bundleText({ store: source, model: MODEL, profile: 'Beacon' })) as { objects: Record<string, unknown>[] };
    const tools = one.objects.filter((o) => o['type'] === 'tool');
    assert.deepEqual(tools.map((t) => t['x_tigraph_id']), [LARGE_PROFILE_ID]);
    assert.equal(one.objects.filter((o) => o['type'] === 'indicator').length, 150);
    assert.equal(one.objects.filter((o) => o['type'] === 'intrusion-set').length, 0);
    // Articles and vulnerabilities belong to the whole-store export only.
    assert.equal(one.objects.filter((o) => o['type'] === 'report' || o['type'] === 'vulnerability').length, 0);
    await assert.rejects(bundleText({ store: source, model: MODEL, profile: 'no such profile' }), ProfileNotFoundError);
  });

  it('export → import into an empty store → every API response is the same, ids included', async () => {
    const file = join(tmp, 'demo.stix.json');
    await writeFile(file, bundle);
    const target = memoryStore();
    const summary = await importInto(target, [file]);
    assert.equal(summary.rejected.size, 0, JSON.stringify([...summary.rejected]));
    assert.equal(summary.skipped.size, 0, JSON.stringify([...summary.skipped]));
    assert.deepEqual(await counts(target), await counts(source));

    // The article indicators are article indicators only: no profile-less profile indicator appeared.
    assert.deepEqual(await counts(target), { profiles: 10, indicators: 325 });
    assert.deepEqual(entityCounts(summary), {
      article: { created: 3, updated: 0, unchanged: 0 },
      articleIndicator: { created: 4, updated: 0, unchanged: 0 },
      // The article indicators' hosts that no profile indicator lists (login-portal.phish.example, 198.51.100.200,
      // 203.0.113.10) are created with the article; fake-malicious.site came with its profile indicator.
      hostname: { created: 1, updated: 0, unchanged: 1 },
      ipAddress: { created: 2, updated: 0, unchanged: 0 },
      vulnerability: { created: 2, updated: 0, unchanged: 0 },
      vulnerabilityComponent: { created: 3, updated: 0, unchanged: 0 },
    });

    const a = await startTestServer({ store: source, seed: 'none' });
    const b = await startTestServer({ store: target, seed: 'none' });
    try {
      const sizes = await assertSameResponses(a, b);
      assert.ok(sizes.profiles > 300, `compared ${sizes.profiles} profile responses`);
      // per version: the article list, 3 articles × (by id, indicators, indicators expanded) and their 4 indicators
      // by id; the vulnerability list and 2 vulnerabilities × (by id, articles, components)
      assert.equal(sizes.articles, 2 * (1 + 3 * 3 + 4 + 1 + 2 * 3));
    } finally {
      await a.close();
      await b.close();
    }
    // The re-export is the same bundle, and importing it again changes nothing.
    assert.equal(await bundleText({ store: target, model: MODEL }), bundle);
    const again = await importInto(target, [file]);
    assert.deepEqual(again.indicators, { created: 0, updated: 0, unchanged: summary.indicators.created, withoutProfile: 0 });
    assert.deepEqual(again.profiles, { created: 0, updated: 0, unchanged: 10 });
    assert.deepEqual(entityCounts(again), {
      article: { created: 0, updated: 0, unchanged: 3 },
      articleIndicator: { created: 0, updated: 0, unchanged: 4 },
      hostname: { created: 0, updated: 0, unchanged: 2 },
      ipAddress: { created: 0, updated: 0, unchanged: 2 },
      vulnerability: { created: 0, updated: 0, unchanged: 2 },
      vulnerabilityComponent: { created: 0, updated: 0, unchanged: 3 },
    });
    await target.close();
  });

  it('fills a summary and leaves out what STIX cannot express', async () => {
    const s = newExportSummary();
    for await (const _ of exportStix({ store: source, model: MODEL }, s)) void _;
    assert.equal(s.profiles, 10);
    assert.deepEqual({ articles: s.articles, articleIndicators: s.articleIndicators, vulnerabilities: s.vulnerabilities }, { articles: 3, articleIndicators: 4, vulnerabilities: 2 });
    assert.equal(s.skipped.size, 0);
  });
});
