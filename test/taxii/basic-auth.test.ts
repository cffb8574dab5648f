/**
 * TAXII HTTP Basic (for Sentinel's connector): users from `taxiiUsers` (the serve flag `--taxii-user`) map to read
 * or write, are stored scrypt-hashed in <data-dir>/taxii-users.json and read back from it at the next start;
 * a wrong password is a TAXII 401 asking for Basic; Basic is not accepted by the Graph API.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ACCEPT = 'application/taxii+json;version=2.1';

describe('TAXII HTTP Basic', () => {
  let dir: string;
  let server: TestServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tigraph-taxii-basic-'));
    server = await startTestServer({ dataDir: dir, inMemory: false, taxiiUsers: ['sentinel:s3cret:pass:read', 'feeder:pw2:write'] });
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const collections = (auth: string) => fetch(`${server.url}/taxii2/api/collections/`, { headers: { Authorization: auth, Accept: ACCEPT } });

  it('a read user reads, a write user may write, a wrong password is a TAXII 401 asking for Basic', async () => {
    const r = await collections(basic('sentinel', 's3cret:pass'));
    assert.equal(r.status, 200);
    const all = ((await r.json()) as { collections: { id: string; can_read: boolean; can_write: boolean }[] }).collections[0]!;
    assert.deepEqual([all.id, all.can_read, all.can_write], ['all', true, false]);
    const w = (await (await collections(basic('feeder', 'pw2'))).json()) as { collections: { can_write: boolean }[] };
    assert.equal(w.collections[0]!.can_write, true);
    const bad = await collections(basic('sentinel', 'wrong'));
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('www-authenticate'), 'Basic realm="tigraph TAXII"');
    assert.deepEqual(await bad.json(), { title: 'Unauthorized', description: 'The username or password is not valid.', http_status: '401' });
    const graph = await fetch(`${server.url}/v1.0${TI}/intelProfiles`, { headers: { Authorization: basic('sentinel', 's3cret:pass') } });
    assert.equal(graph.status, 401, 'Basic is for TAXII only');
  });

  it('stores only scrypt hashes in <data-dir>/taxii-users.json, and a restart reads them', async () => {
    const text = await readFile(join(dir, 'taxii-users.json'), 'utf8');
    assert.equal(text.includes('s3cret'), false);
    assert.equal(text.includes('pw2'), false);
    const users = JSON.parse(text) as { username: string; permission: string; password_hash: string }[];
    assert.deepEqual(users.map((u) => [u.username, u.permission]), [['sentinel', 'read'], ['feeder', 'write']]);
    assert.ok(users.every((u) => /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(u.password_hash)));
    const again = await startTestServer({ dataDir: dir, inMemory: false });
    try {
      const r = await fetch(`${again.url}/taxii2/api/collections/`, { headers: { Authorization: basic('feeder', 'pw2'), Accept: ACCEPT } });
      assert.equal(r.status, 200);
    } finally {
      await again.close();
    }
  });
});
