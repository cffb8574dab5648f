/**
 * The `x_tigraph_*` properties of tigraph's own STIX exports of articles and vulnerabilities
 * (src/export/export-reports.ts), as the STIX importer reads them (src/import/stix-report.ts): hand-written
 * bundles, so each rule is seen alone — an article indicator's own id, source and artifact JSON; an indicator
 * marked for an article is never a profile indicator; a mark for another article is not trusted, nor an artifact
 * JSON of another artifact; an exact vulnerability may have any id, carries its components and updates a stored one (a foreign
 * STIX vulnerability does not); an invalid exact vulnerability is rejected whole, the property named.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indicatorId } from '../../../src/model/ids.js';
import { startTestServer } from '../../support/test-server.js';
import { counts, importInto, inputFiles, memoryStore } from '../helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-stix-exact-reports-test-');
const bundle = (objects: object[]): string => JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects });
const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));

const PUBLIC = { type: 'identity', spec_version: '2.1', id: 'identity--00000000-0000-4000-8000-0000000000a1', created: '2020-01-01T00:00:00.000Z', modified: '2020-01-01T00:00:00.000Z', name: 'Public', identity_class: 'class', x_tigraph_source: 'public' };
const indicator = (n: number, value: string, extra: object): object => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-00000000000${n}`, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
  pattern: `[domain-name:value = '${value}']`, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00.000Z', ...extra,
});
const ARTICLE_JSON = {
  body: { content: '# Body', format: 'markdown' },
  createdDateTime: '2024-01-01T00:00:00.000Z',
  imageUrl: 'https://images.example/a.png',
  isFeatured: true,
  lastUpdatedDateTime: '2024-01-02T00:00:00.000Z',
  summary: { content: 'Summary', format: 'text' },
  tags: ['Exact', 'exact'],
  title: 'Exact article',
};
const report = (refs: string[]): object => ({
  type: 'report', spec_version: '2.1', id: 'report--00000000-0000-4000-8000-0000000000b1', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-02T00:00:00.000Z',
  name: 'Exact article', description: 'Summary', published: '2024-01-01T00:00:00.000Z', object_refs: refs, x_tigraph_id: 'exact-article', x_tigraph_article: ARTICLE_JSON,
});
const VULNERABILITY_JSON = {
  activeExploitsObserved: true, commonWeaknessEnumerationIds: ['CWE-79'], createdDateTime: '2024-02-01T00:00:00.000Z',
  cvss2Summary: { score: 4.3, severity: 'medium', vectorString: 'AV:N/AC:M/Au:N/C:N/I:P/A:N' }, cvss3Summary: { score: 6.1, severity: 'medium', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' },
  description: { content: 'A synthetic flaw (test data).', format: 'text' }, exploits: [], exploitsAvailable: true, hasChatter: true,
  lastModifiedDateTime: '2024-02-03T00:00:00.000Z', priorityScore: 42, publishedDateTime: '2024-02-02T00:00:00.000Z', references: [], remediation: null, severity: 'medium',
};
const vulnerability = (json: object, extra: object = {}): object => ({
  type: 'vulnerability', spec_version: '2.1', id: 'vulnerability--00000000-0000-4000-8000-0000000000c1', created: '2024-02-01T00:00:00.000Z', modified: '2024-02-03T00:00:00.000Z',
  name: 'SYNTHETIC-TEST-0001', x_tigraph_id: 'SYNTHETIC-TEST-0001', x_tigraph_vulnerability: json, x_tigraph_components: [{ id: 'synthetic-widget-1', name: 'Synthetic widget 1' }], ...extra,
});

describe('STIX import of tigraph-exported articles and vulnerabilities (x_tigraph_*)', () => {
  it('an exact report, its marked indicators and an exact vulnerability with a non-CVE id: served as stated; no profile indicator', async () => {
    const input = await file('exact.json', bundle([
      PUBLIC,
      // this article's: its own id, the public source, the artifact JSON
      indicator(1, 'own.example', { created_by_ref: PUBLIC.id, x_tigraph_id: 'own-indicator', x_tigraph_article: 'exact-article', x_tigraph_artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'own.example', registrar: 'Synthetic Registrar', firstSeenDateTime: null, lastSeenDateTime: null, registrant: null } }),
      // marked for another article: the id is derived and the source is the report's (none: osint)
      indicator(2, 'other.example', { created_by_ref: PUBLIC.id, x_tigraph_id: 'not-mine', x_tigraph_article: 'another-article' }),
      // an artifact JSON of another host: its id is kept, the JSON is not used (the pattern's host, with its id only)
      indicator(3, 'pattern.example', { x_tigraph_id: 'third', x_tigraph_article: 'exact-article', x_tigraph_artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'elsewhere.example', registrar: 'Wrong' } }),
      vulnerability(VULNERABILITY_JSON),
      report(['indicator--00000000-0000-4000-8000-000000000001', 'indicator--00000000-0000-4000-8000-000000000002', 'indicator--00000000-0000-4000-8000-000000000003', 'vulnerability--00000000-0000-4000-8000-0000000000c1']),
    ]));
    const store = memoryStore();
    const s = await importInto(store, [input]);
    assert.equal(s.rejected.size, 0, JSON.stringify([...s.rejected]));
    assert.equal(s.skipped.size, 0, JSON.stringify([...s.skipped]));
    assert.deepEqual(await counts(store), { profiles: 0, indicators: 0 });
    assert.deepEqual(entityCounts(s), {
      article: { created: 1, updated: 0, unchanged: 0 },
      articleIndicator: { created: 3, updated: 0, unchanged: 0 },
      hostname: { created: 3, updated: 0, unchanged: 0 },
      vulnerability: { created: 1, updated: 0, unchanged: 0 },
      vulnerabilityComponent: { created: 1, updated: 0, unchanged: 0 },
    });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const a = await server.json(`${TI}/articles/exact-article`);
      assert.equal(a.status, 200);
      const { '@odata.context': _c, ...article } = a.body;
      assert.deepEqual(article, { '@odata.type': '#microsoft.graph.security.article', id: 'exact-article', ...ARTICLE_JSON });
      const ind = await server.json(`${TI}/articles/exact-article/indicators?$expand=artifact`);
      assert.deepEqual(
        ind.body.value.map((i: any) => [i.id, i.source, i.artifact.id, i.artifact.registrar]).sort(),
        [
          ['own-indicator', 'public', 'own.example', 'Synthetic Registrar'],
          [indicatorId('exact-article', 'other.example'), 'osint', 'other.example', null],
          ['third', 'osint', 'pattern.example', null],
        ].sort(),
      );
      const v = await server.json(`${TI}/vulnerabilities/SYNTHETIC-TEST-0001`);
      const { '@odata.context': _v, ...vuln } = v.body;
      assert.deepEqual(vuln, { '@odata.type': '#microsoft.graph.security.vulnerability', id: 'SYNTHETIC-TEST-0001', ...VULNERABILITY_JSON });
      const articles = await server.json(`${TI}/vulnerabilities/SYNTHETIC-TEST-0001/articles`);
      assert.deepEqual(articles.body.value.map((x: any) => x.id), ['exact-article']);
      const components = await server.json(`${TI}/vulnerabilities/SYNTHETIC-TEST-0001/components`);
      assert.deepEqual(components.body.value.map((x: any) => [x.id, x.name]), [['synthetic-widget-1', 'Synthetic widget 1']]);
    } finally {
      await server.close();
    }
    await store.close();
  });

  it('an exact vulnerability updates a stored one; a foreign STIX vulnerability of the same id does not', async () => {
    const store = memoryStore();
    await importInto(store, [await file('v1.json', bundle([vulnerability(VULNERABILITY_JSON)]))]);
    const changed = await importInto(store, [await file('v2.json', bundle([vulnerability({ ...VULNERABILITY_JSON, priorityScore: 7 })]))]);
    assert.deepEqual(changed.entities.get('vulnerability'), { created: 0, updated: 1, unchanged: 0 });
    const foreign = {
      type: 'vulnerability', spec_version: '2.1', id: 'vulnerability--00000000-0000-4000-8000-0000000000d1', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', name: 'CVE-2099-0001',
      external_references: [{ source_name: 'cve', external_id: 'CVE-2099-0001' }],
    };
    await importInto(store, [await file('v3.json', bundle([vulnerability({ ...VULNERABILITY_JSON }, { x_tigraph_id: 'CVE-2099-0001', name: 'CVE-2099-0001' })]))]);
    const again = await importInto(store, [await file('v4.json', bundle([foreign]))]);
    assert.deepEqual(again.entities.get('vulnerability'), { created: 0, updated: 0, unchanged: 1 });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      assert.equal((await server.json(`${TI}/vulnerabilities/SYNTHETIC-TEST-0001`)).body.priorityScore, 7);
      assert.equal((await server.json(`${TI}/vulnerabilities/CVE-2099-0001`)).body.priorityScore, 42);
    } finally {
      await server.close();
    }
    await store.close();
  });

  it('rejects an exact vulnerability with an invalid value whole, naming the property', async () => {
    const store = memoryStore();
    const { severity: _s, ...noSeverity } = VULNERABILITY_JSON;
    const s = await importInto(store, [await file('bad.json', bundle([vulnerability(noSeverity)]))]);
    const rejected = [...s.rejected].map(([reason, r]) => [reason, r.positions]);
    assert.equal(rejected.length, 1);
    assert.match(String(rejected[0]![0]), /^invalid vulnerability: .*severity/);
    assert.deepEqual(rejected[0]![1], ['object 0']);
    assert.deepEqual(entityCounts(s), {});
    await store.close();
  });
});
