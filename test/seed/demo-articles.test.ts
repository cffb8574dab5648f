/** The demo's synthetic article and vulnerability (issue 13, demo data): the collections and their navigations answer. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_ADVISORY_ARTICLE_ID, DEMO_ARTICLE_ID, DEMO_VULNERABILITY_ID } from '../../src/seed/demo-articles.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
});
after(() => s.close());

describe('demo articles and vulnerabilities', () => {
  it('articles lists the doc article (A1) and the two demo articles; indicators expand to their artifacts', async () => {
    const list = await s.json(`/v1.0${TI}/articles?$select=id,title,isFeatured`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((a: { id: string; isFeatured: boolean }) => [a.id, a.isFeatured]), [
      ['a272d5ab', false],
      [DEMO_ARTICLE_ID, true],
      [DEMO_ADVISORY_ARTICLE_ID, false],
    ]);
    const ind = await s.json(`/v1.0${TI}/articles/${DEMO_ARTICLE_ID}/indicators?$expand=artifact&$orderby=id`);
    assert.equal(ind.status, 200);
    assert.deepEqual(
      ind.body.value.map((i: { id: string; source: string; artifact: { '@odata.type': string; id: string } }) => [i.id, i.source, i.artifact['@odata.type'], i.artifact.id]),
      [
        ['tigraph-demo-article-1-ind-1', 'microsoft', '#microsoft.graph.security.hostname', 'login-portal.phish.example'],
        ['tigraph-demo-article-1-ind-2', 'osint', '#microsoft.graph.security.ipAddress', '198.51.100.200'],
      ],
    );
    assert.equal((await s.json(`/v1.0${TI}/hosts/198.51.100.200`)).status, 200);
  });

  it('vulnerabilities lists the demo vulnerability and its two components', async () => {
    const v = await s.json(`/v1.0${TI}/vulnerabilities/${DEMO_VULNERABILITY_ID}?$select=id,severity,priorityScore`);
    assert.equal(v.status, 200);
    assert.deepEqual([v.body.id, v.body.severity, v.body.priorityScore], [DEMO_VULNERABILITY_ID, 'critical', 90]);
    const c = await s.json(`/v1.0${TI}/vulnerabilities/${DEMO_VULNERABILITY_ID}/components?$orderby=id`);
    assert.deepEqual(c.body.value.map((x: { id: string; name: string }) => [x.id, x.name]), [
      ['widget-server-2.1', 'Widget Server 2.1 (demo)'],
      ['widget-server-2.2', 'Widget Server 2.2 (demo)'],
    ]);
  });

  it('vulnerabilities/{id}/articles lists the synthetic advisory, whose indicator is a demo address', async () => {
    const a = await s.json(`/v1.0${TI}/vulnerabilities/${DEMO_VULNERABILITY_ID}/articles?$select=id,title`);
    assert.equal(a.status, 200);
    assert.deepEqual(a.body.value.map((x: { id: string }) => x.id), [DEMO_ADVISORY_ARTICLE_ID]);
    const ind = await s.json(`/v1.0${TI}/articles/${DEMO_ADVISORY_ARTICLE_ID}/indicators?$expand=artifact`);
    assert.deepEqual(ind.body.value.map((i: { id: string; artifact: { id: string } }) => [i.id, i.artifact.id]), [['tigraph-demo-article-2-ind-1', '203.0.113.10']]);
    const other = await s.json(`/v1.0${TI}/vulnerabilities/CVE-2021-44228/articles`);
    assert.deepEqual(other.body.value, [], 'the doc vulnerability has no article (none is documented)');
  });
});
