import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { WRITE } from '../../src/auth/require-permission.js';

let s: TestServer;
let writeToken: string;
before(async () => {
  s = await startTestServer();
  writeToken = await s.mint({ roles: [WRITE] });
});
after(() => s.close());

const send = (method: string, path: string, body?: unknown, token = writeToken, headers: Record<string, string> = {}) =>
  fetch(`${s.url}/v1.0${TI}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const newProfile = {
  title: 'Test Tempest',
  kind: 'actor',
  firstActiveDateTime: '2023-04-01T00:00:00Z',
  summary: { content: 'A profile created through the write API.', format: 'text' },
  description: { content: '## Test\nCreated by a test.', format: 'markdown' },
  aliases: ['STORM-TEST'],
};

describe('write API', () => {
  it('POST intelProfiles → 201 with the entity and Location; visible to reads at once', async () => {
    const r = await send('POST', 'intelProfiles', newProfile);
    assert.equal(r.status, 201);
    const body = (await r.json()) as Record<string, unknown>;
    assert.equal(body['id'], 'test-tempest', 'id from the title');
    assert.equal(body['@odata.type'], '#microsoft.graph.security.intelligenceProfile');
    assert.equal(r.headers.get('location'), `${s.url}/v1.0${TI}/intelProfiles/test-tempest`);
    const read = await s.json(`/v1.0${TI}/intelProfiles/test-tempest`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.aliases, ['STORM-TEST']);
    const again = await send('POST', 'intelProfiles', newProfile);
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'Conflict');
  });

  it('POST intelProfiles/{id}/indicators → 201; the same artifact again is a conflict (one indicator per profile and artifact)', async () => {
    await send('POST', 'intelProfiles', { ...newProfile, title: 'Indicator Host' });
    const ind = { source: 'osint', firstSeenDateTime: '2024-02-02T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'write-api.example' } };
    const r = await send('POST', 'intelProfiles/indicator-host/indicators', ind);
    assert.equal(r.status, 201);
    const created = (await r.json()) as { id: string; artifact: { id: string } };
    assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const listed = await s.json(`/v1.0${TI}/intelProfiles/indicator-host/indicators`);
    assert.deepEqual(listed.body.value.map((i: { id: string }) => i.id), [created.id]);
    assert.equal((await send('POST', 'intelProfiles/indicator-host/indicators', ind)).status, 409);
    assert.equal((await send('POST', 'intelProfiles/no-such-profile/indicators', ind)).status, 404);
    const host = await s.json(`/v1.0${TI}/hosts/write-api.example`);
    assert.equal(host.status, 200, 'the referenced artifact was created');
  });

  it('PATCH → 204, changes only what it names, keeps the profile link', async () => {
    await send('POST', 'intelProfiles', { ...newProfile, title: 'Patch Me' });
    const created = (await (await send('POST', 'intelProfiles/patch-me/indicators', { source: 'public', firstSeenDateTime: '2024-01-01T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.ipAddress', id: '192.0.2.77' } })).json()) as { id: string };
    const r = await send('PATCH', `intelligenceProfileIndicators/${created.id}`, { lastSeenDateTime: '2024-06-01T00:00:00Z' });
    assert.equal(r.status, 204);
    const read = await s.json(`/v1.0${TI}/intelProfiles/patch-me/indicators/${created.id}`);
    assert.equal(read.status, 200, 'still listed by its profile');
    assert.equal(read.body.lastSeenDateTime, '2024-06-01T00:00:00.000Z');
    assert.equal(read.body.source, 'public');
    const title = await send('PATCH', 'intelProfiles/patch-me', { title: 'Patched' });
    assert.equal(title.status, 204);
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/patch-me`)).body.title, 'Patched');
    assert.equal((await send('PATCH', 'intelProfiles/patch-me', { id: 'other' })).status, 400);
    assert.equal((await send('PATCH', 'intelProfiles/nope', { title: 'x' })).status, 404);
  });

  it('DELETE → 204 and the entity is gone (a profile takes its indicators along)', async () => {
    await send('POST', 'intelProfiles', { ...newProfile, title: 'Delete Me' });
    const created = (await (await send('POST', 'intelProfiles/delete-me/indicators', { source: 'osint', firstSeenDateTime: '2024-01-01T00:00:00Z', artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'delete.example' } })).json()) as { id: string };
    assert.equal((await send('DELETE', 'intelProfiles/delete-me')).status, 204);
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/delete-me`)).status, 404);
    assert.equal((await s.json(`/v1.0${TI}/intelligenceProfileIndicators/${created.id}`)).status, 404);
    assert.equal((await send('DELETE', 'intelProfiles/delete-me')).status, 404);
  });

  it('400s name the property; 415 for non-JSON; invalid JSON is a 400', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...newProfile, title: undefined, id: 'x1' }, /'title'.*required/],
      [{ ...newProfile, kind: 'wizard' }, /'kind'.*not a member/],
      [{ ...newProfile, kind: 'unknownFutureValue' }, /'kind'.*cannot be written/],
      [{ ...newProfile, firstActiveDateTime: 'last tuesday' }, /'firstActiveDateTime'.*ISO 8601/],
      [{ ...newProfile, aliases: 'one' }, /'aliases'.*array/],
      [{ ...newProfile, colour: 'red' }, /'colour'.*no such property/],
      [[1, 2], /JSON object/],
    ];
    for (const [body, message] of cases) {
      const r = await send('POST', 'intelProfiles', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(((await r.json()) as { error: { message: string } }).error.message, message);
    }
    const badJson = await send('POST', 'intelProfiles', '{"title": ');
    assert.equal(badJson.status, 400);
    const text = await send('POST', 'intelProfiles', 'title=x', writeToken, { 'Content-Type': 'text/plain' });
    assert.equal(text.status, 415);
    const noArtifact = await send('POST', 'intelligenceProfileIndicators', { source: 'osint', firstSeenDateTime: '2024-01-01T00:00:00Z' });
    assert.equal(noArtifact.status, 400);
  });

  it('413 for a body over the limit', async () => {
    const small = await startTestServer({ store: s.store, maxBodyBytes: 1024 });
    try {
      const r = await fetch(`${small.url}/v1.0${TI}/intelProfiles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${await small.mint({ roles: [WRITE] })}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...newProfile, title: 'Too Big', description: { content: 'x'.repeat(5000), format: 'text' } }),
      });
      assert.equal(r.status, 413);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'RequestEntityTooLarge');
      assert.equal((await s.json(`/v1.0${TI}/intelProfiles/too-big`)).status, 404);
    } finally {
      await small.close();
    }
  });

  it('401 without a token, 403 with a read-only token', async () => {
    const anon = await fetch(`${s.url}/v1.0${TI}/intelProfiles`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(newProfile) });
    assert.equal(anon.status, 401);
    const readOnly = await send('POST', 'intelProfiles', { ...newProfile, title: 'Read Only' }, s.token);
    assert.equal(readOnly.status, 403);
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/read-only`)).status, 404, 'nothing was written');
  });

  it('405 where writes make no sense', async () => {
    for (const [method, path] of [
      ['POST', 'hosts/contoso.com'],
      ['PATCH', 'intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55/artifact'],
      ['POST', 'intelProfiles/$count'],
      ['PUT', 'intelProfiles/actinium'],
      ['POST', 'intelProfiles/actinium'],
    ] as const) {
      const r = await send(method, path, method === 'PUT' ? undefined : {});
      assert.equal(r.status, 405, `${method} ${path}`);
      assert.ok(r.headers.get('allow'));
    }
  });
});
