import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { READ, requirePermission, WRITE } from '../../src/auth/require-permission.js';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from '../../src/auth/signing-key.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import { ODataError } from '../../src/errors/odata-error.js';

const tokenModule = new URL('../../src/cli/commands/token.js', import.meta.url).href;
// The harness runs from a temp directory (so a stray ./data never lands in the repo); resolve commander from here.
const commanderModule = import.meta.resolve('commander');
/** A root program with only `token` registered, the way main.ts will wire it. */
const harness = `
  import { Command } from ${JSON.stringify(commanderModule)};
  import { registerTokenCommand } from ${JSON.stringify(tokenModule)};
  const program = new Command('tigraph').exitOverride();
  registerTokenCommand(program);
  try {
    await program.parseAsync(process.argv.slice(1), { from: 'user' });
  } catch (e) {
    process.exitCode = e.exitCode ?? 1;
  }`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tigraph(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', harness, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TIGRAPH_DATA_DIR: undefined, ...env },
      cwd: tmpdir(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dirs: string[] = [];
const freshDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-token-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const JWT_LINE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/;

async function verifyWith(dataDir: string, token: string) {
  return createTokenVerifier(await loadOrCreateSigningKey(dataDir))(`Bearer ${token}`);
}

describe('tigraph token', () => {
  it('prints only the token, creating the signing key on first use and reusing it afterwards', async () => {
    const dir = join(await freshDir(), 'data');
    const first = await tigraph(['token', '--data-dir', dir]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, JWT_LINE);
    assert.equal(first.stderr, '');
    assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);

    const token = first.stdout.trim();
    const p = await verifyWith(dir, token);
    assert.equal(p.kind, 'app');
    assert.deepEqual([...p.permissions], [READ]);
    requirePermission(p, [READ]);
    const c = decodeJwt(token);
    assert.equal(c.exp! - c.iat!, 86_400);

    const second = await tigraph(['token', '--data-dir', dir]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(decodeProtectedHeader(second.stdout.trim()).kid, decodeProtectedHeader(token).kid);
    await verifyWith(dir, second.stdout.trim());
  });

  it('uses $TIGRAPH_DATA_DIR when --data-dir is not given', async () => {
    const dir = await freshDir();
    const run = await tigraph(['token'], { TIGRAPH_DATA_DIR: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readdir(dir), [SIGNING_KEY_FILE]);
    await verifyWith(dir, run.stdout.trim());
  });

  it('--scope makes a delegated token: scp, no roles, kind user', async () => {
    const dir = await freshDir();
    const run = await tigraph(['token', '--data-dir', dir, '--scope', READ, 'openid']);
    assert.equal(run.code, 0, run.stderr);
    const c = decodeJwt(run.stdout.trim());
    assert.equal(c.scp, `${READ} openid`);
    assert.equal(c.roles, undefined);
    assert.equal(c.idtyp, 'user');
    const p = await verifyWith(dir, run.stdout.trim());
    assert.equal(p.kind, 'user');
    requirePermission(p, [READ]);
  });

  it('--write adds ReadWrite; --role overrides the roles; --expires-in sets the lifetime', async () => {
    const dir = await freshDir();
    const write = await tigraph(['token', '--data-dir', dir, '--write', '--expires-in', '60']);
    assert.equal(write.code, 0, write.stderr);
    const c = decodeJwt(write.stdout.trim());
    assert.deepEqual(c.roles, [READ, WRITE]);
    assert.equal(c.exp! - c.iat!, 60);
    requirePermission(await verifyWith(dir, write.stdout.trim()), [WRITE]);

    const role = await tigraph(['token', '--data-dir', dir, '--role', 'User.Read']);
    assert.equal(role.code, 0, role.stderr);
    assert.deepEqual(decodeJwt(role.stdout.trim()).roles, ['User.Read']);
    const p = await verifyWith(dir, role.stdout.trim());
    assert.throws(() => requirePermission(p, [READ]), (e: unknown) => e instanceof ODataError && e.status === 403);
  });

  it('--json prints {token, claims}', async () => {
    const dir = await freshDir();
    const run = await tigraph(['token', '--data-dir', dir, '--json', '--subject', 'me', '--tenant', 't-1']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { token: string; claims: Record<string, unknown> };
    assert.deepEqual(Object.keys(out), ['token', 'claims']);
    assert.deepEqual(out.claims, decodeJwt(out.token));
    assert.equal(out.claims.oid, 'me');
    assert.equal(out.claims.iss, 'https://sts.windows.net/t-1/');
    await verifyWith(dir, out.token);
  });

  it('rejects a bad --expires-in without printing a token', async () => {
    const dir = await freshDir();
    for (const bad of ['abc', '0', '-5', '1.5']) {
      const run = await tigraph(['token', '--data-dir', dir, '--expires-in', bad]);
      assert.notEqual(run.code, 0, `--expires-in ${bad}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /positive whole number/);
    }
  });
});
