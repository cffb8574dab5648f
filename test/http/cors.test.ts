import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { normalizeOrigin } from '../../src/http/middleware/cors.js';

const ALLOWED = 'https://app.example';
let s: TestServer;
let none: TestServer;
before(async () => {
  s = await startTestServer({ corsOrigins: [ALLOWED, 'http://localhost:5173'] });
  none = await startTestServer();
});
after(async () => {
  await s.close();
  await none.close();
});

const preflight = (server: TestServer, origin: string, path = `/v1.0${TI}/intelProfiles`) =>
  fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,client-request-id,consistencylevel' },
  });

describe('CORS (--cors-origin)', () => {
  it('a preflight from an allowed origin is 204 without a token, with the methods and headers Graph clients send', async () => {
    const r = await preflight(s, ALLOWED);
    assert.equal(r.status, 204);
    assert.equal(await r.text(), '');
    assert.equal(r.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(r.headers.get('vary'), 'Origin');
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET, HEAD, POST, PATCH, DELETE, OPTIONS');
    assert.equal(r.headers.get('access-control-allow-headers'), 'Authorization, Content-Type, client-request-id, return-client-request-id, Prefer, ConsistencyLevel, SdkVersion, OData-Version, OData-MaxVersion, Accept');
    assert.equal(r.headers.get('access-control-max-age'), '600');
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    // The second allowed origin too, and on a write route.
    const other = await preflight(s, 'http://localhost:5173', `/v1.0${TI}/intelProfiles/x`);
    assert.equal(other.status, 204);
    assert.equal(other.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  });

  it('a preflight from another origin gets no CORS headers (401 like any unauthenticated request)', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'null', 'http://app.example']) {
      const r = await preflight(s, origin);
      await r.arrayBuffer();
      assert.equal(r.status, 401, origin);
      assert.equal(r.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(r.headers.get('access-control-allow-methods'), null, origin);
    }
  });

  it('an actual request from an allowed origin gets Allow-Origin and the exposed headers; the answer is unchanged', async () => {
    const r = await s.get(`/v1.0${TI}/intelProfiles?$top=1`, { Origin: ALLOWED });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { value: unknown[] }).value.length, 1);
    assert.equal(r.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(r.headers.get('access-control-expose-headers'), 'request-id, client-request-id, Retry-After, Location, OData-Version');
    const refused = await fetch(`${s.url}/v1.0${TI}/intelProfiles`, { headers: { Origin: ALLOWED } });
    await refused.arrayBuffer();
    assert.equal(refused.status, 401, 'CORS never replaces authentication');
    assert.equal(refused.headers.get('access-control-allow-origin'), ALLOWED, 'so the page can read the 401');
  });

  it('without --cors-origin no response carries CORS headers, preflights included', async () => {
    const r = await preflight(none, ALLOWED);
    await r.arrayBuffer();
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const g = await none.get(`/v1.0${TI}/intelProfiles?$top=1`, { Origin: ALLOWED });
    await g.arrayBuffer();
    assert.equal(g.headers.get('access-control-allow-origin'), null);
  });

  it('origins are normalised, and anything that is not scheme://host[:port] is refused', () => {
    assert.equal(normalizeOrigin('https://App.Example'), 'https://app.example');
    assert.equal(normalizeOrigin('http://localhost:5173/'), 'http://localhost:5173');
    assert.equal(normalizeOrigin('https://app.example/path'), undefined);
    assert.equal(normalizeOrigin('https://user:pw@app.example'), undefined);
    assert.equal(normalizeOrigin('ftp://app.example'), undefined);
    assert.equal(normalizeOrigin('app.example'), undefined);
    assert.equal(normalizeOrigin('*'), undefined);
  });
});
