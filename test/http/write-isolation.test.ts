/** A POST never changes another entity (issue 10): an existing indicator is not moved, an existing host not overwritten. */
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

describe('a POST never changes another entity', () => {
  it('deep-inserting an existing indicator id is 409 naming it, and the indicator stays where it was', async () => {
    const owner = await send('POST', 'intelProfiles', profile('Isolation Owner'));
    const ownerId = ((await owner.json()) as { id: string }).id;
    const ind = await send('POST', `intelProfiles/${ownerId}/indicators`, { source: 'osint', firstSeenDateTime: '2024-01-01T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'isolation.example' } });
    assert.equal(ind.status, 201);
    const before = (await ind.json()) as { id: string; source: string; firstSeenDateTime: string };

    const thief = await send('POST', 'intelProfiles', profile('Isolation Thief', {
      indicators: [{ id: before.id, source: 'public', firstSeenDateTime: '2020-01-01T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'isolation.example' } }],
    }));
    assert.equal(thief.status, 409);
    const err = (await thief.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, 'Conflict');
    assert.ok(err.error.message.includes(`'${before.id}'`), err.error.message);

    const after = (await (await send('GET', `intelligenceProfileIndicators/${before.id}`)).json()) as { source: string; firstSeenDateTime: string };
    assert.deepEqual([after.source, after.firstSeenDateTime], [before.source, before.firstSeenDateTime]);
    const listed = (await (await send('GET', `intelProfiles/${ownerId}/indicators`)).json()) as { value: { id: string }[] };
    assert.deepEqual(listed.value.map((v) => v.id), [before.id]);
    // The refused POST left nothing behind: no half-created profile.
    assert.equal((await send('GET', 'intelProfiles/isolation-thief')).status, 404);
  });

  it("an indicator POST with a full host body links the existing host and leaves its properties unchanged", async () => {
    const p = await send('POST', 'intelProfiles', profile('Isolation Host'));
    const pid = ((await p.json()) as { id: string }).id;
    const full = { '@odata.type': '#microsoft.graph.security.hostname', id: 'isolation-host.example', registrant: 'Original Registrant', registrar: 'Original Registrar', firstSeenDateTime: '2022-01-01T00:00:00Z', lastSeenDateTime: '2022-06-01T00:00:00Z' };
    assert.equal((await send('POST', `intelProfiles/${pid}/indicators`, { source: 'osint', firstSeenDateTime: '2024-01-01T00:00:00Z', artifact: full })).status, 201);
    const hostBefore = (await (await send('GET', 'hosts/isolation-host.example')).json()) as Record<string, unknown>;
    assert.deepEqual([hostBefore['registrant'], hostBefore['registrar']], ['Original Registrant', 'Original Registrar']);

    const other = await send('POST', 'intelProfiles', profile('Isolation Host Two'));
    const oid = ((await other.json()) as { id: string }).id;
    const overwrite = { '@odata.type': '#microsoft.graph.security.hostname', id: 'isolation-host.example', registrant: null, registrar: 'Someone Else', firstSeenDateTime: null, lastSeenDateTime: null };
    assert.equal((await send('POST', `intelProfiles/${oid}/indicators`, { source: 'public', firstSeenDateTime: '2024-03-01T00:00:00Z', artifact: overwrite })).status, 201);

    assert.deepEqual(await (await send('GET', 'hosts/isolation-host.example')).json(), hostBefore);
  });
});
