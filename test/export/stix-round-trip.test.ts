/**
 * STIX export: the demo dataset → `exportStix` → `runImport` into an empty store gives the same API responses
 * (profile list, each profile, each profile's indicators with $expand=artifact, each indicator by id with its
 * artifact, on v1.0 and beta), ids included; exports are deterministic; the bundle's shape is checked.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportStix, newExportSummary, ProfileNotFoundError, type StixExportOptions } from '../../src/export/export-stix.js';
import { uuidv5 } from '../../src/export/stix-ids.js';
import { MODEL } from '../../src/model/model.js';
import { buildDemoDataset, LARGE_PROFILE_ID } from '../../src/seed/demo-dataset.js';
import { loadSeed } from '../../src/seed/load-seed.js';
import type { Store } from '../../src/storage/store.js';
import { startTestServer, TI, VERSIONS, type TestServer } from '../support/test-server.js';
import { counts, importInto, memoryStore } from '../import/helpers.js';

async function bundleText(options: StixExportOptions): Promise<string> {
  let out = '';
  for await (const chunk of exportStix(options)) out += chunk;
  return out;
}

/** One response body with the server's origin replaced. */
async function one(server: TestServer, path: string): Promise<unknown> {
  const r = await server.json(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return comparable(server, r.body);
}

/**
 * A body with the server's origin replaced and each skiptoken's MAC too: every store signs its tokens with its own
 * secret (issue 10), so the same position gives the same token body and a different MAC.
 */
function comparable(server: TestServer, body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).split(server.url).join('<origin>').replace(/(\$skiptoken=[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g, '$1.<mac>'));
}

/** Every page of a collection (following nextLinks), with the server's origin replaced. */
async function allPages(server: TestServer, path: string): Promise<unknown[]> {
  const pages: unknown[] = [];
  let next: string | undefined = `${server.url}${path}`;
  while (next) {
    const r = await server.json(next.slice(server.url.length));
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    pages.push(comparable(server, r.body));
    next = r.body['@odata.nextLink'];
  }
  return pages;
}

/** The responses compared: profile list, each profile, its indicators (expanded), each indicator by id. */
async function snapshot(server: TestServer): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const v of VERSIONS) {
    const list = await allPages(server, `/${v}${TI}/intelProfiles`);
    out.set(`${v} list`, list);
    for (const page of list as { value: { id: string }[] }[]) {
      for (const p of page.value) {
        const id = encodeURIComponent(p.id);
        out.set(`${v} profile ${p.id}`, await one(server, `/${v}${TI}/intelProfiles/${id}`));
        const indicators = await allPages(server, `/${v}${TI}/intelProfiles/${id}/indicators?$expand=artifact`);
        out.set(`${v} indicators of ${p.id}`, indicators);
        for (const ipage of indicators as { value: { id: string }[] }[]) {
          for (const i of ipage.value) {
            out.set(`${v} indicator ${i.id}`, await one(server, `/${v}${TI}/intelligenceProfileIndicators/${encodeURIComponent(i.id)}?$expand=artifact`));
          }
        }
      }
    }
  }
  return out;
}

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
    assert.equal(byType('indicator').length, indicatorTotal);
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

    const patterns = byType('indicator').map((i) => i['pattern'] as string);
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

    const a = await startTestServer({ store: source, seed: 'none' });
    const b = await startTestServer({ store: target, seed: 'none' });
    try {
      const before = await snapshot(a);
      const afterImport = await snapshot(b);
      assert.ok(before.size > 300, `compared ${before.size} responses`);
      assert.deepEqual([...afterImport.keys()], [...before.keys()]);
      for (const [k, v] of before) assert.deepEqual(afterImport.get(k), v, k);
    } finally {
      await a.close();
      await b.close();
    }
    // The re-export is the same bundle, and importing it again changes nothing.
    assert.equal(await bundleText({ store: target, model: MODEL }), bundle);
    const again = await importInto(target, [file]);
    assert.deepEqual(again.indicators, { created: 0, updated: 0, unchanged: summary.indicators.created, withoutProfile: 0 });
    assert.deepEqual(again.profiles, { created: 0, updated: 0, unchanged: 10 });
    await target.close();
  });

  it('fills a summary and leaves out what STIX cannot express', async () => {
    const s = newExportSummary();
    for await (const _ of exportStix({ store: source, model: MODEL }, s)) void _;
    assert.equal(s.profiles, 10);
    assert.equal(s.skipped.size, 0);
  });
});
