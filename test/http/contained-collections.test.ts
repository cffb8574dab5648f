/**
 * A collection contained in a non-root entity whose type has no set of its own (issue 13: a vulnerability's
 * `components`): listed, counted and addressed by key under its container, read-only, on both stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { WRITE } from '../../src/auth/require-permission.js';

let s: TestServer;
let writeToken: string;
before(async () => {
  s = await startTestServer({ seed: 'none' });
  writeToken = await s.mint({ roles: [WRITE] });
});
after(() => s.close());

const cvss = { score: 9.8, severity: 'critical', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
const vulnerability = {
  id: 'TIGRAPH-TEST-0001',
  activeExploitsObserved: false,
  commonWeaknessEnumerationIds: ['CWE-787'],
  createdDateTime: '2024-01-01T00:00:00Z',
  cvss2Summary: cvss,
  cvss3Summary: cvss,
  description: { content: 'A synthetic vulnerability for the tests.', format: 'text' },
  exploitsAvailable: false,
  hasChatter: false,
  lastModifiedDateTime: '2024-01-02T00:00:00Z',
  priorityScore: 10,
  publishedDateTime: '2024-01-01T00:00:00Z',
  severity: 'high',
  components: [
    { id: 'component-a', name: 'widget 1.0' },
    { id: 'component-b', name: 'gadget 2.3' },
  ],
};

describe('vulnerabilities/{id}/components', () => {
  it('lists, counts and addresses the components a vulnerability was created with; writes to it are 405', async () => {
    const created = await fetch(`${s.url}/v1.0${TI}/vulnerabilities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(vulnerability),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const list = await s.json(`/v1.0${TI}/vulnerabilities/TIGRAPH-TEST-0001/components?$orderby=name`);
    assert.equal(list.status, 200);
    assert.equal(list.body['@odata.context'], `${s.url}/v1.0/$metadata#security/threatIntelligence/vulnerabilities('TIGRAPH-TEST-0001')/components`);
    assert.deepEqual(list.body.value.map((c: { id: string; name: string }) => [c.id, c.name]), [
      ['component-b', 'gadget 2.3'],
      ['component-a', 'widget 1.0'],
    ]);
    const count = await s.json(`/v1.0${TI}/vulnerabilities/TIGRAPH-TEST-0001/components/$count`);
    assert.equal(Number(count.body), 2);
    const one = await s.json(`/beta${TI}/vulnerabilities/TIGRAPH-TEST-0001/components/component-a`);
    assert.equal(one.status, 200);
    assert.equal(one.body.name, 'widget 1.0');
    assert.equal((await s.json(`/v1.0${TI}/vulnerabilities/TIGRAPH-TEST-0001/components/nope`)).status, 404);
    const post = await fetch(`${s.url}/v1.0${TI}/vulnerabilities/TIGRAPH-TEST-0001/components`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'component-c', name: 'x' }),
    });
    assert.equal(post.status, 405);
  });
});
