/**
 * Bounded responses (issue 10 point 4), on both stores: a page of large entities ends early with a nextLink once
 * its serialized entities pass the budget (`maxPageChars`), so no response grows without bound; walking the links
 * still yields every entity once, in order, and a single entity larger than the budget is still served.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { WRITE } from '../../src/auth/require-permission.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { profileBody } from '../support/write-client.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'none', maxPageChars: 50_000 });
  const token = await s.mint({ roles: [WRITE] });
  for (const n of [1, 2, 3, 4, 5]) {
    const res = await fetch(`${s.url}/v1.0${TI}/intelProfiles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(profileBody(`Big ${n}`, { summary: { content: 'x'.repeat(n === 5 ? 80_000 : 20_000), format: 'text' } })),
    });
    assert.equal(res.status, 201);
  }
});
after(() => s.close());

describe('page budget', () => {
  it('pages of 20 KB profiles hold two each under a 50 000-character budget; the 80 KB one comes alone; every profile once', async () => {
    const pages: string[][] = [];
    let next: string | undefined = `/v1.0${TI}/intelProfiles?$select=id,summary`;
    while (next) {
      const r = await s.json(next.replace(s.url, ''));
      assert.equal(r.status, 200);
      pages.push(r.body.value.map((v: { id: string }) => v.id));
      next = r.body['@odata.nextLink'];
    }
    assert.deepEqual(pages, [['big-1', 'big-2'], ['big-3', 'big-4'], ['big-5']]);
  });

  it('small entities are not affected: a $select without the summary serves all five in one page', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles?$select=id`);
    assert.deepEqual([r.body.value.length, r.body['@odata.nextLink']], [5, undefined]);
  });

  it('$count and $top still mean what they say: the count is of the whole set, the page ends at the budget', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles?$count=true&$top=3&$select=id,summary`);
    assert.deepEqual([r.body['@odata.count'], r.body.value.length, typeof r.body['@odata.nextLink']], [5, 2, 'string']);
  });
});
