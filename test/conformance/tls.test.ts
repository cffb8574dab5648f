/**
 * HTTPS: the development CA and server certificate (src/tls/dev-certificates.ts), `--cert`/`--key` loading, the
 * HTTPS server (src/server/start-https.ts), and — through a child process that trusts only the generated CA —
 * a verifiable chain and the same answers as over HTTP.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it, test } from 'node:test';
import { startHttpsServer, type RunningHttpsServer } from '../../src/server/start-https.js';
import { loadCertificateFiles, loadOrCreateDevCertificates } from '../../src/tls/dev-certificates.js';
import { startConformanceEnv, type ConformanceEnv } from './support/conformance-env.js';

const DAY = 86_400_000;
const tempDir = () => mkdtemp(join(tmpdir(), 'tigraph-tls-'));
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

describe('development CA and server certificate', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('are generated once into <dataDir>/tls: CA + localhost/127.0.0.1/::1 server certificate, private keys 0600', async () => {
    const c = await loadOrCreateDevCertificates(dir);
    assert.equal(c.action, 'created');
    assert.equal(c.caCertPath, join(dir, 'tls', 'ca.crt'));
    for (const f of ['ca.crt', 'ca.key', 'server.crt', 'server.key']) assert.ok((await stat(join(dir, 'tls', f))).isFile(), f);
    for (const f of ['ca.key', 'server.key']) assert.equal((await stat(join(dir, 'tls', f))).mode & 0o777, 0o600, f);
    assert.equal(await readFile(c.caCertPath, 'utf8'), c.caCertPem);
    const ca = new X509Certificate(c.caCertPem);
    const leaf = new X509Certificate(c.certPem);
    assert.ok(ca.ca, 'CA certificate has basicConstraints cA');
    assert.ok(!leaf.ca);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'server certificate is issued and signed by the CA');
    assert.ok(ca.verify(ca.publicKey), 'CA is self-signed');
    assert.ok(leaf.checkPrivateKey(createPrivateKey(c.keyPem)));
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(leaf.checkIP('::1'));
    assert.equal(leaf.checkHost('example.com'), undefined);
    assert.deepEqual(leaf.keyUsage, [SERVER_AUTH]);
    const lifetime = new Date(leaf.validTo).getTime() - Date.now();
    assert.ok(lifetime > 300 * DAY && lifetime <= 366 * DAY, `server certificate lifetime ${lifetime / DAY} days`);
    assert.equal(c.caFingerprint256, ca.fingerprint256);
  });

  it('are reused on the next start (same CA, same server certificate)', async () => {
    const a = await loadOrCreateDevCertificates(dir);
    const b = await loadOrCreateDevCertificates(dir);
    assert.equal(a.action, 'reused');
    assert.equal(b.action, 'reused');
    assert.equal(a.caCertPem, b.caCertPem);
    assert.equal(a.certPem, b.certPem);
    assert.equal(a.keyPem, b.keyPem);
  });

  it('re-issue the server certificate from the same CA when it nears expiry (trust in the CA stays valid)', async () => {
    const before = await loadOrCreateDevCertificates(dir);
    const later = new Date(Date.now() + 340 * DAY);
    const renewed = await loadOrCreateDevCertificates(dir, later);
    assert.equal(renewed.action, 'renewed');
    assert.equal(renewed.caCertPem, before.caCertPem);
    assert.notEqual(renewed.certPem, before.certPem);
    assert.equal(await readFile(join(dir, 'tls', 'server.crt'), 'utf8'), renewed.certPem);
    assert.ok(new X509Certificate(renewed.certPem).verify(new X509Certificate(renewed.caCertPem).publicKey));
    assert.equal((await loadOrCreateDevCertificates(dir, later)).action, 'reused');
  });

  it('re-issue a server certificate that does not match its key', async () => {
    const d = await tempDir();
    try {
      await loadOrCreateDevCertificates(d);
      await writeFile(join(d, 'tls', 'server.key'), await readFile(join(d, 'tls', 'ca.key'), 'utf8'));
      const again = await loadOrCreateDevCertificates(d);
      assert.equal(again.action, 'renewed');
      assert.ok(new X509Certificate(again.certPem).checkPrivateKey(createPrivateKey(again.keyPem)));
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it('are created exactly once when several processes start at the same time', async () => {
    const d = await tempDir();
    try {
      const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateDevCertificates(d)));
      assert.equal(new Set(all.map((c) => c.caCertPem)).size, 1);
      assert.equal(all.filter((c) => c.action === 'created').length, 1);
      for (const c of all) assert.ok(new X509Certificate(c.certPem).checkIssued(new X509Certificate(c.caCertPem)));
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it('refuse a tls directory that lost its CA key, saying what to do', async () => {
    const d = await tempDir();
    try {
      await mkdir(join(d, 'tls'));
      await writeFile(join(d, 'tls', 'ca.crt'), 'x');
      await assert.rejects(loadOrCreateDevCertificates(d), /tls exists but holds no complete development CA .*delete it/);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});

describe('--cert/--key', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await loadOrCreateDevCertificates(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('load a matching PEM certificate and key', async () => {
    const files = await loadCertificateFiles(join(dir, 'tls', 'server.crt'), join(dir, 'tls', 'server.key'));
    assert.match(files.certPem, /BEGIN CERTIFICATE/);
    assert.match(files.keyPem, /PRIVATE KEY/);
  });

  it('reject a key that does not match, a missing file and a non-PEM file, naming the file', async () => {
    await assert.rejects(loadCertificateFiles(join(dir, 'tls', 'server.crt'), join(dir, 'tls', 'ca.key')), /--key .*ca\.key does not match/);
    await assert.rejects(loadCertificateFiles(join(dir, 'nope.crt'), join(dir, 'tls', 'server.key')), /--cert .*nope\.crt/);
    await assert.rejects(loadCertificateFiles(join(dir, 'tls', 'server.key'), join(dir, 'tls', 'server.key')), /--cert .*not a PEM certificate/);
  });
});

describe('HTTPS server', () => {
  let env: ConformanceEnv;
  let ipv6: RunningHttpsServer | undefined;
  before(async () => {
    env = await startConformanceEnv();
    const listener = env.main.server.listeners('request')[0] as Parameters<typeof startHttpsServer>[0];
    ipv6 = await startHttpsServer(listener, { port: 0, host: '::1', certPem: env.certs.certPem, keyPem: env.certs.keyPem }).catch(() => undefined);
  });
  after(async () => {
    await ipv6?.close();
    await env.close();
  });

  it('serves a chain that node:tls verifies with the generated CA, and that is refused without it', async () => {
    const port = Number(new URL(env.https.url).port);
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: env.certs.caCertPem }, () => {
        resolve(socket.authorized);
        socket.end();
      });
      socket.on('error', reject);
    });
    assert.equal(authorized, true);
    const refused = await new Promise<string>((resolve) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost' }, () => resolve('accepted'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end();
    });
    assert.match(refused, /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it('answers plain HTTP on the TLS port by closing the connection, and keeps serving', async () => {
    const port = new URL(env.https.url).port;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    const res = await fetch(`${env.main.url}/healthz`);
    assert.equal(res.status, 200);
  });

  test('conformance: Node fetch trusting only the generated CA (NODE_EXTRA_CA_CERTS)', async (t) => {
    await env.report(t, await env.runClientSuite('fetch-suite', { config: ipv6 ? { ipv6HttpsUrl: ipv6.url } : {} }));
  });

  test('conformance: Node fetch without the CA', async (t) => {
    await env.report(t, await env.runClientSuite('fetch-suite', { trustCa: false, env: { TIGRAPH_EXPECT_UNTRUSTED: '1' } }));
  });
});
