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
import { loadSeed } from '../../src/seed/load-seed.js';
import type { Store } from '../../src/storage/store.js';
import { startTestServer } from '../support/test-server.js';
import { counts, importInto, memoryStore } from '../import/helpers.js';
import { assertSameResponses, bundleText } from './api-snapshot.js';

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

  it('is deterministic: exporting twice gives the same bytes; --profile exports one profile', async () => {
    assert.equal(await bundleText({ store: source, model: MODEL }), bundle);
    const one = JSON.parse(await bundleText({ store: source, model: MODEL, profile: 'Beacon' })) as { objects: Record<string, unknown>[] };
    const tools = one.objects.filter((o) => o['type'] === 'tool');
    assert.deepEqual(tools.map((t) => t['x_tigraph_id']), [LARGE_PROFILE_ID]);
    assert.equal(one.objects.filter((o) => o['type'] === 'indicator').length, 150);
    assert.equal(one.objects.filter((o) => o['type'] === 'intrusion-set').length, 0);
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
    assert.equal(s.skipped.size, 0);
  });
});
