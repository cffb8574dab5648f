import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { createEphemeralSigningKey, loadOrCreateSigningKey, SIGNING_KEY_FILE } from '../../src/auth/signing-key.js';

const dirs: string[] = [];
const freshDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-key-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const signingKeyModule = new URL('../../src/auth/signing-key.js', import.meta.url).href;

/** Runs loadOrCreateSigningKey(dir) in a child process that waits until `startAt` (ms) first; resolves to the kid. */
function childKid(dir: string, startAt: number): Promise<string> {
  const code = `
    import { loadOrCreateSigningKey } from ${JSON.stringify(signingKeyModule)};
    const [dir, startAt] = process.argv.slice(1);
    while (Date.now() < Number(startAt)) { /* spin so the children start as close together as possible */ }
    const key = await loadOrCreateSigningKey(dir);
    process.stdout.write(key.kid);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code, dir, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('signing key', () => {
  it('is created on first use (0600, kid = JWK thumbprint, no temp files left) and reused afterwards', async () => {
    const dir = join(await freshDir(), 'nested', 'data');
    const first = await loadOrCreateSigningKey(dir);
    const path = join(dir, SIGNING_KEY_FILE);
    assert.equal(first.path, path);
    assert.equal(first.alg, 'ES256');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);

    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    assert.equal(stored.kty, 'EC');
    assert.equal(stored.crv, 'P-256');
    assert.equal(typeof stored.d, 'string');
    assert.equal(stored.kid, first.kid);
    assert.equal(first.kid, await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: stored.x, y: stored.y }));
    assert.equal(first.publicJwk.d, undefined, 'public JWK must not carry the private part');
    assert.equal(first.publicJwk.kid, first.kid);

    const second = await loadOrCreateSigningKey(dir);
    assert.equal(second.kid, first.kid);
    assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);
  });

  it('converges on one key when many calls race in the same process', async () => {
    const dir = await freshDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKey(dir)));
    assert.equal(new Set(keys.map((k) => k.kid)).size, 1);
    assert.equal(keys[0]!.kid, (await loadOrCreateSigningKey(dir)).kid);
    assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);
  });

  it('converges on one key when child processes start at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await freshDir();
      const startAt = Date.now() + 600;
      const kids = await Promise.all([childKid(dir, startAt), childKid(dir, startAt), childKid(dir, startAt)]);
      assert.equal(new Set(kids).size, 1, `round ${round}: children returned different kids ${kids.join(', ')}`);
      assert.equal(kids[0], (await loadOrCreateSigningKey(dir)).kid);
      assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);
    }
  });

  it('rejects a corrupt key file with a message naming the file instead of overwriting it', async () => {
    const dir = await freshDir();
    const path = join(dir, SIGNING_KEY_FILE);
    await writeFile(path, '{not json');
    await assert.rejects(loadOrCreateSigningKey(dir), (e: Error) => e.message.includes(path) && e.message.includes('not valid JSON'));
    await writeFile(path, JSON.stringify({ kty: 'oct', k: 'AAAA' }));
    await assert.rejects(loadOrCreateSigningKey(dir), /expected a private EC P-256 JWK/);
    assert.equal(await readFile(path, 'utf8'), JSON.stringify({ kty: 'oct', k: 'AAAA' }));
  });

  it('makes ephemeral keys that live only in memory and differ each time', async () => {
    const a = await createEphemeralSigningKey();
    const b = await createEphemeralSigningKey();
    assert.equal(a.path, undefined);
    assert.notEqual(a.kid, b.kid);
  });
});
