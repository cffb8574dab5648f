/**
 * Longest stored strings (src/model/string-limits.ts), on both stores: a title or id over 800 UTF-8 bytes is a 400
 * naming the property and both figures (PostgreSQL answered a 3 KB title with a 500: btree entry too large),
 * one at exactly 800 bytes — the worst case for a (profile, title, id) index entry — is stored; text inside
 * summaries and descriptions may be up to 1 MiB.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { WRITE } from '../../src/auth/require-permission.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { profileBody } from '../support/write-client.js';

const PROFILE = 'microsoft.graph.security.intelligenceProfile';
let s: TestServer;
let token: string;
before(async () => {
  s = await startTestServer({ seed: 'none' });
  token = await s.mint({ roles: [WRITE] });
});
after(() => s.close());

const send = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${s.url}/v1.0${TI}/${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
};
const refusal = (property: string, bytes: number, limit: number) =>
  [400, 'BadRequest', `Invalid value for property '${property}' of type '${PROFILE}': the string is ${bytes} bytes long (UTF-8); at most ${limit} are stored.`];

describe('string limits', () => {
  it('a 3 KB title: 400 naming the property and both figures', async () => {
    const r = await send('POST', 'intelProfiles', profileBody('T'.repeat(3000)));
    assert.deepEqual([r.status, r.body['error']['code'], r.body['error']['message']], refusal('title', 3000, 800));
  });

  it('a title of 401 two-byte characters (802 bytes): 400, counted in bytes not characters', async () => {
    const r = await send('POST', 'intelProfiles', profileBody('é'.repeat(401)));
    assert.deepEqual([r.status, r.body['error']['code'], r.body['error']['message']], refusal('title', 802, 800));
  });

  it('an 800-byte title and an 800-byte id together: stored and indexed (201), read back whole', async () => {
    const id = `id-${'x'.repeat(797)}`;
    const title = 'é'.repeat(400);
    const r = await send('POST', 'intelProfiles', profileBody(title, { id }));
    assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));
    const read = await s.json(`/v1.0${TI}/intelProfiles/${id}?$select=title`);
    assert.deepEqual([read.status, read.body.title], [200, title]);
    const listed = await s.json(`/v1.0${TI}/intelProfiles?$orderby=title&$select=id`);
    assert.deepEqual(listed.body.value.map((v: { id: string }) => v.id), [id]);
  });

  it('an 801-byte id: 400', async () => {
    const r = await send('POST', 'intelProfiles', profileBody('Long Id', { id: 'y'.repeat(801) }));
    assert.deepEqual([r.status, r.body['error']['message']], [400, `Invalid value for property 'id' of type '${PROFILE}': the string is 801 bytes long (UTF-8); at most 800 are stored.`]);
  });

  it('PATCH with a title over the limit: 400, the stored title unchanged', async () => {
    assert.equal((await send('POST', 'intelProfiles', profileBody('Patch Target'))).status, 201);
    const r = await send('PATCH', 'intelProfiles/patch-target', { title: 'P'.repeat(900) });
    assert.deepEqual([r.status, r.body['error']['code'], r.body['error']['message']], refusal('title', 900, 800));
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/patch-target?$select=title`)).body.title, 'Patch Target');
  });

  it('a summary of exactly 1 MiB is stored; one byte more is a 400 naming summary/content', async () => {
    const mib = 1024 * 1024;
    const ok = await send('POST', 'intelProfiles', profileBody('Big Summary', { summary: { content: 's'.repeat(mib), format: 'text' } }));
    assert.equal(ok.status, 201);
    const over = await send('POST', 'intelProfiles', profileBody('Bigger Summary', { summary: { content: 's'.repeat(mib + 1), format: 'text' } }));
    assert.deepEqual(
      [over.status, over.body['error']['message']],
      [400, `Invalid value for property 'summary/content' of type 'microsoft.graph.security.formattedContent': the string is ${mib + 1} bytes long (UTF-8); at most ${mib} are stored.`],
    );
  });
});
