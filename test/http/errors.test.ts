import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

interface GraphError {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

function assertGraphError(status: number, body: unknown, expectedStatus: number, code: string, message?: RegExp): void {
  assert.equal(status, expectedStatus);
  const e = (body as GraphError).error;
  assert.equal(e.code, code);
  if (message) assert.match(e.message, message);
  assert.match(e.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  assert.match(e.innerError['request-id'], /^[0-9a-f-]{36}$/);
  assert.ok(e.innerError['client-request-id']);
}

/** Sends raw bytes and returns the raw response (for requests fetch refuses to send). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('errors are Graph errors', () => {
  it('400 BadRequest for a bad $filter says what and where', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'osint' and (")}`);
    assertGraphError(r.status, r.body, 400, 'BadRequest', /^Invalid filter clause: .* at position \d+\.$/);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
  });

  it('400 for an unknown property, a bad literal, an unknown enum member, a type mismatch', async () => {
    const cases: [string, RegExp][] = [
      ['$filter=nosuch eq 1', /could not find a property named 'nosuch'/],
      ["$filter=firstSeenDateTime eq 'yesterday'", /firstSeenDateTime|DateTimeOffset|yesterday/],
      ["$filter=source eq 'nosuchsource'", /nosuchsource/],
      ['$filter=source eq 3', /source|enum|number|3/i],
      ['$select=nosuch', /Could not find a property named 'nosuch' on type 'microsoft.graph.security.intelligenceProfileIndicator'/],
      ['$orderby=nosuch desc', /nosuch/],
      ['$top=-1', /top/i],
      ['$top=abc', /top/i],
      ['$top=100000', /Limit exceeded|maximum/],
      ['$count=maybe', /count/i],
      ['$expand=nosuch', /nosuch/],
      ['$format=xml', /format/i],
      ['$search=x', /search/i],
      ['$unknownoption=1', /unknownoption/],
    ];
    for (const [q, message] of cases) {
      const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?${q.replace(/ /g, '%20')}`);
      assertGraphError(r.status, r.body, 400, r.body?.error?.code === 'ExpandNotSupported' ? 'ExpandNotSupported' : 'BadRequest', message);
    }
  });

  it('400 for options a single entity does not take', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55?$top=1`);
    assertGraphError(r.status, r.body, 400, 'BadRequest', /top/);
  });

  it('401 InvalidAuthenticationToken: missing, malformed, foreign, expired', async () => {
    const url = `${s.url}/v1.0${TI}/intelProfiles`;
    const missing = await fetch(url);
    assertGraphError(missing.status, await missing.json(), 401, 'InvalidAuthenticationToken', /Access token is empty/);
    assert.match(missing.headers.get('www-authenticate')!, /^Bearer/);
    const garbage = await fetch(url, { headers: { Authorization: 'Bearer not-a-jwt' } });
    assertGraphError(garbage.status, await garbage.json(), 401, 'InvalidAuthenticationToken', /CompactToken parsing failed/);
    const other = await startTestServer();
    const foreign = await fetch(url, { headers: { Authorization: `Bearer ${other.token}` } });
    await other.close();
    assertGraphError(foreign.status, await foreign.json(), 401, 'InvalidAuthenticationToken', /validation failure/);
    const expired = await fetch(url, { headers: { Authorization: `Bearer ${await s.mint({ expiresInSeconds: -3600 })}` } });
    assertGraphError(expired.status, await expired.json(), 401, 'InvalidAuthenticationToken', /expired/);
  });

  it('403 Forbidden for a valid token without ThreatIntelligence.Read.All; delegated scp works', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles`, { Authorization: `Bearer ${await s.mint({ roles: ['User.Read'] })}` });
    assertGraphError(r.status, r.body, 403, 'Forbidden', /ThreatIntelligence\.Read\.All/);
    const delegated = await s.json(`/v1.0${TI}/intelProfiles`, { Authorization: `Bearer ${await s.mint({ scopes: ['ThreatIntelligence.Read.All'] })}` });
    assert.equal(delegated.status, 200);
  });

  it('404 ResourceNotFound for unknown ids on every addressable route', async () => {
    for (const path of ['intelProfiles/nope', 'intelProfiles/nope/indicators/x', 'intelligenceProfileIndicators/nope', 'intelligenceProfileIndicators/nope/artifact', 'hosts/nope.example']) {
      const r = await s.json(`/beta${TI}/${path}`);
      assertGraphError(r.status, r.body, 404, 'ResourceNotFound');
    }
  });

  it('request-id on every response; the client-request-id is echoed', async () => {
    const ok = await s.get(`/v1.0${TI}/intelProfiles?$top=1`, { 'client-request-id': 'my-id-123' });
    assert.match(ok.headers.get('request-id')!, /^[0-9a-f-]{36}$/);
    assert.equal(ok.headers.get('client-request-id'), 'my-id-123');
    const bad = await s.json(`/v1.0${TI}/intelProfiles/nope`, { 'client-request-id': 'my-id-456' });
    assert.equal((bad.body as GraphError).error.innerError['client-request-id'], 'my-id-456');
    assert.equal((bad.body as GraphError).error.innerError['request-id'], bad.headers.get('request-id'));
    const none = await s.get(`/v1.0${TI}/intelProfiles?$top=1`);
    assert.equal(none.headers.get('client-request-id'), none.headers.get('request-id'));
  });

  it('414 for an oversized URL and 431 for oversized headers, both with a Graph body', async () => {
    const long = await s.json(`/v1.0${TI}/intelProfiles?$filter=${'a'.repeat(9000)}`);
    assertGraphError(long.status, long.body, 414, 'RequestUriTooLong');
    const port = Number(new URL(s.url).port);
    const response = await raw(port, `GET /v1.0${TI}/intelProfiles HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`);
    assert.match(response, /^HTTP\/1\.1 431 /);
    const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as GraphError;
    assert.equal(body.error.code, 'RequestHeaderFieldsTooLarge');
    const garbage = await raw(port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.equal((JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)) as GraphError).error.code, 'BadRequest');
  });

  it('malformed percent-encoding in the path is a 400', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles/%E0%A4%A`);
    assertGraphError(r.status, r.body, 400, 'BadRequest', /percent-encoding/);
  });
});
