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

/**
 * The whole Graph error body: exact status, code and message; `innerError` has the generated request id (echoed as
 * the client request id when the client sent none) and Graph's zone-less date; nothing else is in the body.
 */
function assertGraphError(status: number, body: unknown, expectedStatus: number, code: string, message: string): void {
  assert.equal(status, expectedStatus);
  const e = (body as GraphError).error;
  assert.deepEqual(Object.keys(body as object), ['error']);
  assert.deepEqual(Object.keys(e), ['code', 'message', 'innerError']);
  assert.equal(e.code, code);
  assert.equal(e.message, message);
  assert.deepEqual(Object.keys(e.innerError), ['date', 'request-id', 'client-request-id']);
  assert.match(e.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  assert.match(e.innerError['request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(e.innerError['client-request-id'], e.innerError['request-id']);
}

const INDICATOR_TYPE = 'microsoft.graph.security.intelligenceProfileIndicator';

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
    assertGraphError(r.status, r.body, 400, 'BadRequest', 'Invalid filter clause: expected an expression but found end of input at position 23.');
    assert.equal(r.headers.get('content-type'), 'application/json;charset=utf-8');
  });

  it('400 for an unknown property, a bad literal, an unknown enum member, a type mismatch', async () => {
    const cases: [string, string][] = [
      ['$filter=nosuch eq 1', `Invalid filter clause: could not find a property named 'nosuch' on type '${INDICATOR_TYPE}' at position 0.`],
      [
        "$filter=firstSeenDateTime eq 'yesterday'",
        "Invalid filter clause: cannot compare the property 'firstSeenDateTime' of type 'Edm.DateTimeOffset' with the literal 'yesterday' of type 'Edm.String' (DateTimeOffset literals are written without quotes, e.g. 2022-05-02T23:09:20Z) at position 21.",
      ],
      [
        "$filter=source eq 'nosuchsource'",
        "Invalid filter clause: 'nosuchsource' is not a member of the enum type 'microsoft.graph.security.indicatorSource' (members: microsoft, osint, public, unknownFutureValue) at position 10.",
      ],
      ['$filter=source eq 3', "Invalid filter clause: cannot compare the property 'source' of type 'microsoft.graph.security.indicatorSource' with the literal 3 of type 'Edm.Int32' at position 10."],
      ['$select=nosuch', `Parsing OData Select and Expand failed: Could not find a property named 'nosuch' on type '${INDICATOR_TYPE}'.`],
      ['$orderby=nosuch desc', `Invalid $orderby clause: could not find a property named 'nosuch' on type '${INDICATOR_TYPE}' at position 0.`],
      ['$top=-1', "Invalid $top clause: '-1' is not a valid positive integer literal at position 0."],
      ['$top=abc', "Invalid $top clause: 'abc' is not a valid positive integer literal at position 0."],
      ['$top=100000', 'Limit exceeded: $top is 100000, the maximum is 999.'],
      ['$count=maybe', "Invalid $count clause: 'maybe' is not a valid boolean (true or false) literal at position 0."],
      ['$expand=nosuch', `Parsing OData Select and Expand failed: Could not find a property named 'nosuch' on type '${INDICATOR_TYPE}'.`],
      ['$format=xml', "Unsupported $format 'xml'; only json is supported."],
      ['$search=x', "Query option '$search' is not allowed on intelligenceProfileIndicators."],
      ['$unknownoption=1', "Query option '$unknownoption' is not supported. Supported options: $select, $expand, $filter, $orderby, $top, $skip, $count, $search, $skiptoken, $format."],
    ];
    for (const [q, message] of cases) {
      const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?${q.replace(/ /g, '%20')}`);
      assertGraphError(r.status, r.body, 400, 'BadRequest', message);
    }
  });

  it('400 ExpandNotSupported for a structural property in $expand', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$expand=source`);
    assertGraphError(r.status, r.body, 400, 'ExpandNotSupported', "Expand is not allowed for property 'source' according to the entity schema.");
  });

  it('400 for options a single entity does not take', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55?$top=1`);
    assertGraphError(r.status, r.body, 400, 'BadRequest', "Query option '$top' is not allowed on intelligenceProfileIndicator.");
  });

  it('401 InvalidAuthenticationToken: missing, malformed, foreign, expired', async () => {
    const url = `${s.url}/v1.0${TI}/intelProfiles`;
    const missing = await fetch(url);
    assertGraphError(missing.status, await missing.json(), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="tigraph"');
    const garbage = await fetch(url, { headers: { Authorization: 'Bearer not-a-jwt' } });
    assertGraphError(garbage.status, await garbage.json(), 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
    assert.equal(
      garbage.headers.get('www-authenticate'),
      'Bearer realm="tigraph", error="invalid_token", error_description="The token is not a compact JWS (three base64url parts with a JSON header and payload)."',
    );
    const other = await startTestServer();
    const foreign = await fetch(url, { headers: { Authorization: `Bearer ${other.token}` } });
    await other.close();
    assertGraphError(foreign.status, await foreign.json(), 401, 'InvalidAuthenticationToken', 'Access token validation failure. No signing key matches the token header (kid).');
    assert.equal(foreign.headers.get('www-authenticate'), 'Bearer realm="tigraph", error="invalid_token", error_description="No signing key matches the token header (kid)."');
    const expired = await fetch(url, { headers: { Authorization: `Bearer ${await s.mint({ expiresInSeconds: -3600 })}` } });
    assertGraphError(expired.status, await expired.json(), 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer realm="tigraph", error="invalid_token", error_description="The token is expired."');
  });

  it('403 Forbidden for a valid token without ThreatIntelligence.Read.All; delegated scp works', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles`, { Authorization: `Bearer ${await s.mint({ roles: ['User.Read'] })}` });
    assertGraphError(r.status, r.body, 403, 'Forbidden', 'Auth token does not contain valid permissions or user does not have valid roles. Required permission: ThreatIntelligence.Read.All.');
    const delegated = await s.json(`/v1.0${TI}/intelProfiles`, { Authorization: `Bearer ${await s.mint({ scopes: ['ThreatIntelligence.Read.All'] })}` });
    assert.equal(delegated.status, 200);
  });

  it('404 ResourceNotFound for unknown ids on every addressable route', async () => {
    const cases: [string, string][] = [
      ['intelProfiles/nope', "Resource 'nope' of type 'microsoft.graph.security.intelligenceProfile' does not exist."],
      ['intelProfiles/nope/indicators/x', `Resource 'x' of type '${INDICATOR_TYPE}' does not exist.`],
      ['intelligenceProfileIndicators/nope', `Resource 'nope' of type '${INDICATOR_TYPE}' does not exist.`],
      ['intelligenceProfileIndicators/nope/artifact', `Resource 'nope' of type '${INDICATOR_TYPE}' does not exist.`],
      ['hosts/nope.example', "Resource 'nope.example' of type 'microsoft.graph.security.host' does not exist."],
    ];
    for (const [path, message] of cases) {
      const r = await s.json(`/beta${TI}/${path}`);
      assertGraphError(r.status, r.body, 404, 'ResourceNotFound', message);
    }
  });

  it('request-id on every response; the client-request-id is echoed', async () => {
    const ok = await s.get(`/v1.0${TI}/intelProfiles?$top=1`, { 'client-request-id': 'my-id-123' });
    assert.match(ok.headers.get('request-id')!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(ok.headers.get('client-request-id'), 'my-id-123');
    const bad = await s.json(`/v1.0${TI}/intelProfiles/nope`, { 'client-request-id': 'my-id-456' });
    assert.equal((bad.body as GraphError).error.innerError['client-request-id'], 'my-id-456');
    assert.equal((bad.body as GraphError).error.innerError['request-id'], bad.headers.get('request-id'));
    const none = await s.get(`/v1.0${TI}/intelProfiles?$top=1`);
    assert.equal(none.headers.get('client-request-id'), none.headers.get('request-id'));
  });

  it('414 for an oversized URL and 431 for oversized headers, both with a Graph body', async () => {
    const long = await s.json(`/v1.0${TI}/intelProfiles?$filter=${'a'.repeat(9000)}`);
    assertGraphError(long.status, long.body, 414, 'RequestUriTooLong', 'The request URL exceeds 8192 characters.');
    const port = Number(new URL(s.url).port);
    const response = await raw(port, `GET /v1.0${TI}/intelProfiles HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`);
    assert.equal(response.slice(0, response.indexOf('\r\n')), 'HTTP/1.1 431 Request Header Fields Too Large');
    const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as GraphError;
    assert.deepEqual([body.error.code, body.error.message], ['RequestHeaderFieldsTooLarge', 'The request headers are too large.']);
    const garbage = await raw(port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(garbage.slice(0, garbage.indexOf('\r\n')), 'HTTP/1.1 400 Bad Request');
    const garbageError = (JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)) as GraphError).error;
    assert.deepEqual([garbageError.code, garbageError.message], ['BadRequest', 'The HTTP request could not be parsed.']);
  });

  it('malformed percent-encoding in the path is a 400', async () => {
    const r = await s.json(`/v1.0${TI}/intelProfiles/%E0%A4%A`);
    assertGraphError(r.status, r.body, 400, 'BadRequest', "Malformed request URL: invalid percent-encoding in path segment '%E0%A4%A'.");
  });
});
