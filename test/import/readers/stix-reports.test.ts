/**
 * STIX 2.1 `report` → article (+ article indicators) and `vulnerability` → vulnerability (src/import/stix-report.ts
 * via readers/stix.ts): the sample bundles of ../shared/datasets/stix-reports with exact counts (computed here by an
 * independent parse of the bundles), values over HTTP, idempotent re-imports, and generated malformed reports.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { indicatorId } from '../../../src/model/ids.js';
import { MODEL } from '../../../src/model/model.js';
import type { Store } from '../../../src/storage/store.js';
import { startTestServer } from '../../support/test-server.js';
import { byReason, datasetSkip, ds, importInto, inputFiles, memoryStore, positions } from '../helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-stix-reports-test-');
const count = (store: Store, set: string): Promise<number> =>
  store.count({ kind: 'count', type: MODEL.entitySet(set)!.entityType, parent: undefined, filter: undefined, search: undefined });
const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));

type Obj = { type: string; id: string; pattern?: string; object_refs?: string[]; external_references?: { source_name?: string; external_id?: string }[] };
/** Independent of the reader: per report, the distinct domain/IP values of its referenced indicators; the unresolvable refs; CVE ids. */
function expected(path: string): { reports: number; hosts: number; ips: number; dangling: number; cves: string[] } {
  const objects: Obj[] = JSON.parse(readFileSync(path, 'utf8')).objects;
  const byId = new Map(objects.map((o) => [o.id, o]));
  let hosts = 0;
  let ips = 0;
  let dangling = 0;
  const reports = objects.filter((o) => o.type === 'report');
  for (const r of reports) {
    const values = new Set<string>();
    for (const ref of r.object_refs ?? []) {
      const o = byId.get(ref);
      if (!o) dangling++;
      if (o?.type !== 'indicator') continue;
      for (const m of o.pattern!.matchAll(/(domain-name|ipv4-addr|ipv6-addr):value\s*=\s*'([^']+)'/g)) if (/^[a-z0-9.-]+$/i.test(m[2]!)) values.add(m[2]!.toLowerCase());
    }
    ips += [...values].filter((v) => /^[0-9.]+$/.test(v)).length;
    hosts += [...values].filter((v) => !/^[0-9.]+$/.test(v)).length;
  }
  const cves = objects.filter((o) => o.type === 'vulnerability').flatMap((o) => (o.external_references ?? []).filter((e) => e.source_name === 'cve').map((e) => e.external_id!));
  return { reports: reports.length, hosts, ips, dangling, cves };
}

describe('STIX reports and vulnerabilities (sample bundles)', { skip: datasetSkip }, () => {
  it('poisonivy.json: 1 article with 42 indicators (24 hostnames, 18 IPs), 6 vulnerabilities, served and re-imported unchanged', async () => {
    const path = ds('stix-reports/poisonivy.json');
    const want = expected(path);
    assert.deepEqual(want, { reports: 1, hosts: 24, ips: 18, dangling: 0, cves: ['CVE-2012-0158', 'CVE-2009-4324', 'CVE-2013-0422', 'CVE-2013-1347', 'CVE-2011-3544', 'CVE-2010-3333'] });
    const store = memoryStore();
    const s = await importInto(store, [path]);
    assert.deepEqual(entityCounts(s), {
      article: { created: 1, updated: 0, unchanged: 0 },
      articleIndicator: { created: want.hosts + want.ips, updated: 0, unchanged: 0 },
      vulnerability: { created: 6, updated: 0, unchanged: 0 },
    });
    // The store keeps one vulnerability per article: the report's first (CVE-2012-0158) lists it, the other 5 are reported.
    assert.deepEqual(positions(s.skipped, 'article listed by its first vulnerability only'), [
      'object 64 "CVE-2009-4324"',
      'object 64 "CVE-2013-0422"',
      'object 64 "CVE-2013-1347"',
      'object 64 "CVE-2011-3544"',
      'object 64 "CVE-2010-3333"',
    ]);
    const articleId = 'report--f2b63e80-b523-4747-a069-35c002c690db';
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const a = await server.json(`${TI}/articles/${articleId}`);
      assert.equal(a.status, 200);
      assert.equal(a.body.title, 'Poison Ivy: Assessing Damage and Extracting Intelligence');
      assert.equal(a.body.createdDateTime, '2013-08-21T00:00:00.000Z');
      assert.equal(a.body.lastUpdatedDateTime, '2015-05-15T09:12:16.432Z');
      assert.deepEqual(a.body.tags, ['threat-report', 'malware']);
      assert.equal(a.body.isFeatured, false);
      assert.equal(a.body.summary.format, 'text');
      assert.deepEqual(a.body.body, a.body.summary);
      const ind = await server.json(`${TI}/articles/${articleId}/indicators?$top=100&$expand=artifact`);
      assert.equal(ind.body.value.length, 42);
      const one = ind.body.value.find((i: { id: string }) => i.id === indicatorId(articleId, 'microsofta.byinter.net'));
      assert.ok(one, 'microsofta.byinter.net is an article indicator');
      assert.equal(one.source, 'osint');
      assert.equal(one.artifact['@odata.type'], '#microsoft.graph.security.hostname');
      const v = await server.json(`${TI}/vulnerabilities/CVE-2012-0158`);
      assert.equal(v.status, 200);
      assert.deepEqual(v.body.description, { content: 'Weaponized Microsoft Word document used by admin@338', format: 'text' });
      assert.equal(v.body.createdDateTime, '2015-05-15T09:12:16.432Z');
      assert.equal(v.body.activeExploitsObserved, false);
      const listed = await server.json(`${TI}/vulnerabilities/CVE-2012-0158/articles`);
      assert.deepEqual(listed.body.value.map((x: { id: string }) => x.id), [articleId]);
    } finally {
      await server.close();
    }
    const again = await importInto(store, [path]);
    assert.deepEqual(entityCounts(again), {
      article: { created: 0, updated: 0, unchanged: 1 },
      articleIndicator: { created: 0, updated: 0, unchanged: 42 },
      vulnerability: { created: 0, updated: 0, unchanged: 6 },
    });
    assert.equal(again.batches, 0);
  });

  it('Mandiant_APT1_Report.json: the HTML-escaped description is unescaped to html; the 6 STIX 1 refs are reported', async () => {
    const path = ds('stix-reports/Mandiant_APT1_Report.json');
    const want = expected(path);
    assert.deepEqual({ reports: want.reports, dangling: want.dangling, indicators: want.hosts + want.ips }, { reports: 1, dangling: 6, indicators: 0 });
    const store = memoryStore();
    const s = await importInto(store, [path]);
    assert.deepEqual(entityCounts(s), { article: { created: 1, updated: 0, unchanged: 0 } });
    assert.equal(byReason(s.skipped)['report object_ref not in the bundle'], 6);
    assert.ok(positions(s.skipped, 'report object_ref not in the bundle').every((p) => /^object 97 "mandiant:ttp-/.test(p)));
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const list = await server.json(`${TI}/articles`);
      assert.equal(list.body.value.length, 1);
      const a = list.body.value[0];
      assert.equal(a.title, "APT1: Exposing One of China's Cyber Espionage Units");
      assert.equal(a.body.format, 'html');
      assert.match(a.body.content, /^<!DOCTYPE html>\s*<html>\s*<body>\s*<p>\s*Since 2004, Mandiant has investigated/);
      assert.deepEqual(a.tags, ['threat-actor-report']);
    } finally {
      await server.close();
    }
  });

  it('cve-in-exploit-target.json and multiple-reports-in-package.json: 1 vulnerability CVE-2013-3893, 2 articles, 1 dangling ref', async () => {
    const paths = [ds('stix-reports/cve-in-exploit-target.json'), ds('stix-reports/multiple-reports-in-package.json')];
    const [cve, multi] = paths.map(expected);
    assert.deepEqual(cve!.cves, ['CVE-2013-3893']);
    assert.equal(multi!.reports, 2);
    assert.equal(multi!.dangling, 1);
    const store = memoryStore();
    const s = await importInto(store, paths);
    assert.deepEqual(entityCounts(s), { article: { created: 2, updated: 0, unchanged: 0 }, vulnerability: { created: 1, updated: 0, unchanged: 0 } });
    assert.deepEqual(positions(s.skipped, 'report object_ref not in the bundle').length, 1);
    assert.equal(await count(store, 'vulnerabilities'), 1);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const v = await server.json(`${TI}/vulnerabilities/CVE-2013-3893`);
      assert.equal(v.body.description.content, 'Javascript vulnerability in MSIE 6-11');
      // The cve reference has no URL; the second one (whose URL names CVE-2018-4878, as in the source) is kept as is.
      assert.deepEqual(v.body.references, [{ name: 'internet_resource', url: 'https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2018-4878' }]);
    } finally {
      await server.close();
    }
  });
});

const bundle = (objects: unknown[]) => JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects });
const report = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'report',
  spec_version: '2.1',
  id: `report--00000000-0000-4000-8000-00000000000${n}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-02T00:00:00.000Z',
  published: '2024-01-01T12:00:00.000Z',
  name: `Synthetic report ${n}`,
  object_refs: ['indicator--00000000-0000-4000-8000-000000000001'],
  ...extra,
});
const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--00000000-0000-4000-8000-000000000001',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'c2.synthetic.example'] OR [ipv4-addr:value = '192.0.2.7']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00.000Z',
};

describe('STIX reports: malformed input', () => {
  it('rejects a report without a name or with a bad published date, a vulnerability without created; keeps the good ones whole', async () => {
    const input = await file(
      'bad-reports.json',
      bundle([
        indicator,
        report(1),
        report(2, { name: undefined }),
        report(3, { published: 'soon' }),
        report(4, { tags: undefined, title: 'x', description: 'bad\u0000text' }),
        { type: 'vulnerability', spec_version: '2.1', id: 'vulnerability--00000000-0000-4000-8000-000000000009', name: 'v', external_references: [{ source_name: 'cve', external_id: 'CVE-2099-0009' }] },
        { type: 'vulnerability', spec_version: '2.1', id: 'vulnerability--00000000-0000-4000-8000-000000000010', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', name: 'no cve' },
      ]),
    );
    const store = memoryStore();
    const s = await importInto(store, [input]);
    assert.deepEqual(entityCounts(s), { article: { created: 1, updated: 0, unchanged: 0 }, articleIndicator: { created: 2, updated: 0, unchanged: 0 } });
    const rejected = Object.fromEntries([...s.rejected].map(([reason, r]) => [reason, r.positions]));
    assert.deepEqual(rejected['missing required field name'], ['object 2']);
    assert.deepEqual(rejected['missing or invalid published'], ['object 3']);
    assert.deepEqual(rejected['missing or invalid created'], ['object 5']);
    const model = Object.keys(rejected).find((r) => r.startsWith('invalid article: '))!;
    assert.match(model, /body\/content/); // the body holds the description too (checked before the summary)
    assert.deepEqual(rejected[model], ['object 4']);
    assert.deepEqual(positions(s.skipped, 'vulnerability without a CVE id'), ['object 6']);
    // Report 4 was rejected whole: neither the article nor its indicators exist (2 indicators are report 1's).
    assert.equal(await count(store, 'articles'), 1);
    assert.equal(await count(store, 'articleIndicators'), 2);
  });
});
