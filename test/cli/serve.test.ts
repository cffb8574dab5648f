/**
 * End to end through the real command line: `tigraph serve` in a child process, the README's examples run
 * verbatim by bash against it, graceful shutdown, persistence across restarts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { BIN, childEnv, serve, stop } from '../support/cli-process.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function readmeExamples(): string {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const block = /<!-- readme-examples:start -->\s*```sh\n([\s\S]*?)```\s*<!-- readme-examples:end -->/.exec(readme);
  assert.ok(block, 'the README has the examples block');
  return block[1]!;
}

describe('tigraph serve (child process)', () => {
  it('the README examples work as written, shutdown is graceful, data persists', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-cli-'));
    // Servers still running when an assertion fails are killed (a live child would keep this file from ending).
    const started: ChildProcess[] = [];
    try {
      const first = await serve([], { TIGRAPH_DATA_DIR: dataDir });
      started.push(first.child);
      assert.match(first.banner, /demo dataset loaded/);
      assert.match(first.banner, /npx tigraph token/);
      // Run the README block with bash; only the address differs (the test uses a free port).
      const script = readmeExamples().replaceAll('http://127.0.0.1:7070', first.url);
      // A few seconds alone; the generous limit is for a machine busy with the other test files.
      const began = Date.now();
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: process.cwd(), env: childEnv({ TIGRAPH_DATA_DIR: dataDir }), encoding: 'utf8', timeout: 180000, killSignal: 'SIGKILL' });
      assert.equal(run.status, 0, `after ${Date.now() - began} ms (signal ${run.signal}): ${run.stderr}`);
      // curl prints each JSON body without a trailing newline: split the concatenated documents.
      const outputs = run.stdout
        .trim()
        .split(/(?<=\})\s*(?=\{"@odata)/)
        .map((l) => JSON.parse(l) as Record<string, any>);
      assert.equal(outputs.length, 3, run.stdout);
      assert.equal(outputs[0]!['id'], 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55');
      assert.deepEqual(outputs[0]!['artifact'], { '@odata.type': '#microsoft.graph.security.hostname', id: 'fake-malicious.site' });
      assert.equal(outputs[1]!['value'].length, 5);
      assert.ok(outputs[1]!['@odata.nextLink'].startsWith(first.url));
      assert.ok(outputs[1]!['value'].every((i: { source: string }) => i.source === 'osint'));
      assert.deepEqual(outputs[2]!['value'].map((p: { id: string }) => p.id).sort(), ['9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80', 'actinium']);
      assert.equal(await stop(first.child), 0, 'SIGTERM exits cleanly');

      const second = await serve([], { TIGRAPH_DATA_DIR: dataDir });
      started.push(second.child);
      assert.doesNotMatch(second.banner, /demo dataset loaded/, 'a non-empty store is not seeded again');
      const health = await fetch(`${second.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await stop(second.child), 0);
    } finally {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--in-memory --seed none prints a working token and serves an empty store', async () => {
    const s = await serve(['--in-memory', '--seed', 'none'], {});
    try {
      const token = /token:\s+(\S+)/.exec(s.banner)![1]!;
      const r = await fetch(`${s.url}/v1.0/security/threatIntelligence/intelProfiles`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(r.status, 200);
      assert.deepEqual(((await r.json()) as { value: unknown[] }).value, []);
    } finally {
      await stop(s.child);
    }
  });

  it('--https without a certificate: a client trusting only the generated CA gets the same answers as over HTTP', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-https-'));
    const s = await serve(['--in-memory', '--https', '--https-port', '0', '--data-dir', dataDir], {});
    try {
      const https = /https:\s+(https:\/\/localhost:\d+)\//.exec(s.banner)![1]!;
      const ca = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(s.banner)![1]!;
      const token = /token:\s+(\S+)/.exec(s.banner)![1]!;
      const path = '/v1.0/security/threatIntelligence/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55';
      const client = `const r = await fetch(process.argv[1], { headers: { Authorization: 'Bearer ' + process.argv[2] } }); console.log(r.status + ' ' + await r.text());`;
      const viaHttps = spawnSync(process.execPath, ['--dns-result-order=ipv4first', '--input-type=module', '-e', client, `${https}${path}`, token], { env: childEnv({ NODE_EXTRA_CA_CERTS: ca }), encoding: 'utf8' });
      assert.equal(viaHttps.status, 0, viaHttps.stderr);
      const plain = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      const [status, ...rest] = viaHttps.stdout.trim().split(' ');
      assert.equal(Number(status), 200);
      const httpsBody = JSON.parse(rest.join(' ')) as Record<string, unknown>;
      const httpBody = (await plain.json()) as Record<string, unknown>;
      assert.deepEqual({ ...httpsBody, '@odata.context': undefined }, { ...httpBody, '@odata.context': undefined });
      const untrusted = spawnSync(process.execPath, ['--dns-result-order=ipv4first', '--input-type=module', '-e', client, `${https}${path}`, token], { env: childEnv({}), encoding: 'utf8' });
      assert.notEqual(untrusted.status, 0, 'a client without the CA refuses the certificate');
    } finally {
      await stop(s.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('--inject answers the given share of requests with Graph 503s and Retry-After', async () => {
    const s = await serve(['--in-memory', '--inject', '503=1'], {});
    try {
      assert.match(s.banner, /faults:/);
      const token = /token:\s+(\S+)/.exec(s.banner)![1]!;
      const r = await fetch(`${s.url}/v1.0/security/threatIntelligence/intelProfiles`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(r.status, 503);
      assert.ok(r.headers.get('retry-after'));
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'ServiceUnavailable');
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200, 'health probes are never faulted');
    } finally {
      await stop(s.child);
    }
  });

  it('--max-token-lifetime and --clock-skew reach the token check: a 24 h token is refused by a 1 h maximum, a 1 h one accepted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-cli-lifetime-'));
    const s = await serve(['--seed', 'none', '--max-token-lifetime', '3600', '--clock-skew', '0'], { TIGRAPH_DATA_DIR: dataDir });
    try {
      const mint = (...args: string[]) => spawnSync(process.execPath, [BIN, 'token', '--data-dir', dataDir, ...args], { encoding: 'utf8' }).stdout.trim();
      const get = (token: string) => fetch(`${s.url}/v1.0/security/threatIntelligence/intelProfiles`, { headers: { Authorization: `Bearer ${token}` } });
      const long = await get(mint());
      assert.equal(long.status, 401);
      assert.equal(((await long.json()) as { error: { message: string } }).error.message, "Access token validation failure. Lifetime validation failed, the token's lifetime (86400 s) exceeds the maximum of 3600 s.");
      assert.equal((await get(mint('--expires-in', '3600'))).status, 200);
    } finally {
      await stop(s.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with a clear message', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', 'http'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--port must be an integer from 0 to 65535/);
    const seed = spawnSync(process.execPath, [BIN, 'serve', '--seed', 'everything'], { encoding: 'utf8' });
    assert.notEqual(seed.status, 0);
    assert.match(seed.stderr, /Allowed choices are demo, none/);
    const skew = spawnSync(process.execPath, [BIN, 'serve', '--clock-skew', '-1'], { encoding: 'utf8' });
    assert.notEqual(skew.status, 0);
    assert.match(skew.stderr, /--clock-skew must be an integer from 0 to 3600/);
  });
});
