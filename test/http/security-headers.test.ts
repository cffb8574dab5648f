import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let plain: TestServer;
let proxied: TestServer;
before(async () => {
  plain = await startTestServer();
  proxied = await startTestServer({ trustProxy: true });
});
after(async () => {
  await plain.close();
  await proxied.close();
});

const CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

function assertCommon(h: Headers): void {
  assert.equal(h.get('x-content-type-options'), 'nosniff');
  assert.equal(h.get('cache-control'), 'no-store');
  assert.equal(h.get('content-security-policy'), CSP);
}

describe('security headers', () => {
  it('an authenticated API answer has nosniff, no-store and the CSP, and no HSTS over plain HTTP', async () => {
    const r = await plain.get(`/v1.0${TI}/intelProfiles`);
    await r.arrayBuffer();
    assert.equal(r.status, 200);
    assertCommon(r.headers);
    assert.equal(r.headers.get('strict-transport-security'), null);
  });

  it('a refused (401) request and a bad-request error (400) carry them too', async () => {
    const r401 = await fetch(`${plain.url}/v1.0${TI}/intelProfiles`);
    await r401.arrayBuffer();
    assert.equal(r401.status, 401);
    assertCommon(r401.headers);
    const r400 = await plain.get(`/v1.0${TI}/noSuchSet`);
    await r400.arrayBuffer();
    assert.equal(r400.status, 400);
    assertCommon(r400.headers);
  });

  it('HSTS is sent when a trusted proxy says the request came over HTTPS, and not when the proxy is untrusted', async () => {
    const r = await proxied.get(`/v1.0${TI}/intelProfiles`, { 'X-Forwarded-Proto': 'https' });
    await r.arrayBuffer();
    assertCommon(r.headers);
    assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    const u = await plain.get(`/v1.0${TI}/intelProfiles`, { 'X-Forwarded-Proto': 'https' });
    await u.arrayBuffer();
    assert.equal(u.headers.get('strict-transport-security'), null);
  });
});
