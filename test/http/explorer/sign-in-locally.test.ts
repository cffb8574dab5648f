/**
 * The explorer's one-click sign-in (src/http/explorer/sign-in-locally.ts): a 1-hour read token for a same-origin
 * page on loopback in dev mode, and a Graph 403 for everything else (no CSRF header, another origin, a cross-site
 * fetch, a proxied request, a rebound Host name, a non-loopback peer, oidc mode).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { READ } from '../../../src/auth/require-permission.js';
import { startTestIssuer, type TestIssuer } from '../../support/oidc-issuer.js';
import { startTestServer, TI, type TestServer } from '../../support/test-server.js';
import { profileBody } from '../../support/write-client.js';

const PREFIX = 'Local sign-in refused: ';

/** POST /ui/sign-in through node:http, which (unlike fetch) sends a Host header as given. */
function signIn(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/ui/sign-in', method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const nonLoopbackIPv4 = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('POST /ui/sign-in in dev mode', () => {
  let s: TestServer;
  let good: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    good = { 'X-Tigraph-Sign-In': '1', Origin: s.url, 'Sec-Fetch-Site': 'same-origin' };
  });
  after(() => s.close());

  it('GET says what the page may offer', async () => {
    const r = await fetch(`${s.url}/ui/sign-in`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { mode: 'dev', localSignIn: true });
  });

  it('mints a 1-hour read token that reads the API and cannot write', async () => {
    const r = await signIn(s.url, good);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ['expiresIn', 'permission', 'token', 'tokenType']);
    assert.deepEqual([r.body.tokenType, r.body.expiresIn, r.body.permission], ['Bearer', 3600, READ]);
    const claims = decodeJwt(r.body.token);
    assert.equal(claims.exp! - claims.iat!, 3600);
    assert.deepEqual(claims.roles, [READ]);
    const read = await fetch(`${s.url}/v1.0${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${r.body.token}` } });
    assert.equal(read.status, 200);
    const write = await fetch(`${s.url}/v1.0${TI}/intelProfiles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${r.body.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(profileBody('Not Allowed')),
    });
    assert.equal(write.status, 403);
  });

  it('without Sec-Fetch-Site (older browsers) the custom header and Origin suffice', async () => {
    const { 'Sec-Fetch-Site': _omit, ...rest } = good;
    assert.equal((await signIn(s.url, rest)).status, 200);
  });

  const refusals: readonly (readonly [string, (g: Record<string, string>, url: string) => Record<string, string>, string])[] = [
    ['no X-Tigraph-Sign-In header', ({ 'X-Tigraph-Sign-In': _x, ...g }) => g, "the header 'X-Tigraph-Sign-In: 1' is missing"],
    ['X-Tigraph-Sign-In: 0', (g) => ({ ...g, 'X-Tigraph-Sign-In': '0' }), "the header 'X-Tigraph-Sign-In: 1' is missing"],
    ['another Origin', (g) => ({ ...g, Origin: 'https://evil.example' }), "the Origin header must be this server's origin"],
    ['no Origin', ({ Origin: _o, ...g }) => g, "the Origin header must be this server's origin"],
    ['Sec-Fetch-Site: cross-site', (g) => ({ ...g, 'Sec-Fetch-Site': 'cross-site' }), "the request must come from this server's own page (Sec-Fetch-Site: same-origin)"],
    ['Sec-Fetch-Site: same-site', (g) => ({ ...g, 'Sec-Fetch-Site': 'same-site' }), "the request must come from this server's own page (Sec-Fetch-Site: same-origin)"],
    ['X-Forwarded-For (through a proxy)', (g) => ({ ...g, 'X-Forwarded-For': '203.0.113.7' }), 'it is only offered to a browser on this machine (loopback)'],
    ['a rebound Host name', (g, url) => ({ ...g, Host: `rebound.example:${new URL(url).port}`, Origin: `http://rebound.example:${new URL(url).port}` }), 'the Host header must be localhost, 127.0.0.1 or [::1]'],
  ];
  for (const [name, change, reason] of refusals) {
    it(`refused with a Graph 403: ${name}`, async () => {
      const r = await signIn(s.url, change(good, s.url));
      assert.equal(r.status, 403);
      assert.equal(r.body.error.code, 'Forbidden');
      assert.equal(r.body.error.message, `${PREFIX}${reason}.`);
      assert.match(r.body.error.innerError['request-id'], /^[0-9a-f-]{36}$/);
    });
  }

  it('other methods are a 405', async () => {
    const r = await fetch(`${s.url}/ui/sign-in`, { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD, POST');
  });
});

describe('POST /ui/sign-in from a non-loopback address', () => {
  const address = nonLoopbackIPv4();
  if (!address) console.log('\n!!! SKIPPED: this machine has no non-loopback IPv4 address to call the sign-in from\n');
  let s: TestServer;
  before(async () => {
    if (address) s = await startTestServer({ host: '0.0.0.0' });
  });
  after(() => s?.close());

  it('is refused even with every CSRF header right, and GET says no local sign-in', { skip: !address && 'no non-loopback IPv4 address' }, async () => {
    const url = `http://${address}:${new URL(s.url).port}`;
    const r = await signIn(url, { 'X-Tigraph-Sign-In': '1', Origin: url, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.message, `${PREFIX}it is only offered to a browser on this machine (loopback).`);
    assert.deepEqual(await (await fetch(`${url}/ui/sign-in`)).json(), { mode: 'dev', localSignIn: false });
  });
});

describe('POST /ui/sign-in in oidc mode', () => {
  let idp: TestIssuer;
  let s: TestServer;
  before(async () => {
    idp = await startTestIssuer();
    await idp.addKey('k1', 'RS256');
    s = await startTestServer({ auth: { mode: 'oidc', issuers: [`${idp.origin}/tenant`], jwksUri: `${idp.origin}/keys`, audiences: ['api://tigraph'] } });
  });
  after(async () => {
    await s.close();
    await idp.close();
  });

  it('offers no local sign-in and refuses to mint a token', async () => {
    assert.deepEqual(await (await fetch(`${s.url}/ui/sign-in`)).json(), { mode: 'oidc', localSignIn: false });
    const r = await signIn(s.url, { 'X-Tigraph-Sign-In': '1', Origin: s.url, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.message, `${PREFIX}the server runs with --auth oidc; paste a token from your identity provider.`);
  });
});
