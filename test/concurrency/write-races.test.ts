/** Races the issue found on PostgreSQL (check-then-write): each runs 20 rounds against the store under test. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { apiClient, profileBody, type Send } from '../support/write-client.js';
import { WRITE } from '../../src/auth/require-permission.js';

let s: TestServer;
let send: Send;
before(async () => {
  s = await startTestServer();
  send = apiClient(s, await s.mint({ roles: [WRITE] }));
});
after(() => s.close());

const profile = profileBody;


describe('concurrent writes', () => {
  it('20 concurrent POSTs of the same id: exactly one 201, the others 409 (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => send('POST', 'intelProfiles', profile(`Race ${round}`)).then((r) => r.status)));
      assert.deepEqual([statuses.filter((x) => x === 201).length, statuses.filter((x) => x === 409).length], [1, 19], `round ${round}`);
    }
  });

  it('3 concurrent PATCHes of different properties: all 204 and all three changes kept (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const title = `Patch Race ${round}`;
      const created = await send('POST', 'intelProfiles', profile(title));
      assert.equal(created.status, 201, `round ${round}`);
      const id = ((await created.json()) as { id: string }).id;
      const statuses = await Promise.all([
        send('PATCH', `intelProfiles/${id}`, { summary: { content: `summary ${round}`, format: 'text' } }),
        send('PATCH', `intelProfiles/${id}`, { description: { content: `description ${round}`, format: 'markdown' } }),
        send('PATCH', `intelProfiles/${id}`, { aliases: [`alias-${round}`] }),
      ].map((p) => p.then((r) => r.status)));
      assert.deepEqual(statuses, [204, 204, 204], `round ${round}`);
      const got = (await (await send('GET', `intelProfiles/${id}`)).json()) as Record<string, unknown>;
      assert.deepEqual(
        [got['summary'], got['description'], got['aliases']],
        [{ content: `summary ${round}`, format: 'text' }, { content: `description ${round}`, format: 'markdown' }, [`alias-${round}`]],
        `round ${round}`,
      );
    }
  });

  it('PATCH racing DELETE: the DELETE is 204 and the entity never comes back (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const created = await send('POST', 'intelProfiles', profile(`Delete Race ${round}`));
      const id = ((await created.json()) as { id: string }).id;
      const [patched, deleted] = await Promise.all([
        send('PATCH', `intelProfiles/${id}`, { summary: { content: 'late', format: 'text' } }).then((r) => r.status),
        send('DELETE', `intelProfiles/${id}`).then((r) => r.status),
      ]);
      assert.equal(deleted, 204, `round ${round}`);
      assert.ok(patched === 204 || patched === 404, `round ${round}: PATCH answered ${patched}`);
      assert.equal((await send('GET', `intelProfiles/${id}`)).status, 404, `round ${round}`);
    }
  });

  it('DELETE of a profile racing a POST of an indicator into it leaves no orphan (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const created = await send('POST', 'intelProfiles', profile(`Orphan Race ${round}`));
      const id = ((await created.json()) as { id: string }).id;
      const indicator = { source: 'osint', firstSeenDateTime: '2024-01-01T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: `orphan-${round}.example` } };
      const [posted, deleted] = await Promise.all([
        send('POST', `intelProfiles/${id}/indicators`, indicator).then(async (r) => ({ status: r.status, id: r.status === 201 ? ((await r.json()) as { id: string }).id : undefined })),
        send('DELETE', `intelProfiles/${id}`).then((r) => r.status),
      ]);
      assert.equal(deleted, 204, `round ${round}`);
      assert.ok(posted.status === 201 || posted.status === 404, `round ${round}: POST answered ${posted.status}`);
      // Whichever won, no indicator for that artifact is left in the store.
      const filter = encodeURIComponent(`artifact/id eq 'orphan-${round}.example'`);
      const left = (await (await send('GET', `intelligenceProfileIndicators?$filter=${filter}`)).json()) as { value: unknown[] };
      assert.deepEqual(left.value, [], `round ${round}`);
      if (posted.id) assert.equal((await send('GET', `intelligenceProfileIndicators/${posted.id}`)).status, 404, `round ${round}`);
    }
  });
});
