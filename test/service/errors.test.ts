/**
 * Errors raised inside the service, shaped as the HTTP boundary shapes them: the exact Graph error JSON for an
 * unknown id, a bad $filter, an unknown path and a method the target does not take.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServiceHarness, graphError, type ServiceHarness } from './service-harness.js';

const V1 = '/v1.0/security/threatIntelligence';

let h: ServiceHarness;
before(async () => {
  h = await createServiceHarness();
});
after(() => h.close());

describe('service: errors', () => {
  it('404 ResourceNotFound for an unknown id: the whole Graph error JSON', async () => {
    const r = await h.request(`${V1}/intelProfiles/no-such-profile`);
    assert.equal(r.status, 404);
    assert.deepEqual(r.headers, { 'Content-Type': 'application/json;charset=utf-8' });
    assert.equal(
      r.text,
      '{"error":{"code":"ResourceNotFound","message":"Resource \'no-such-profile\' of type \'microsoft.graph.security.intelligenceProfile\' does not exist.","innerError":{"date":"2026-01-02T03:04:05","request-id":"00000000-0000-4000-8000-000000000001","client-request-id":"00000000-0000-4000-8000-000000000001"}}}',
    );
    const nested = await h.request(`${V1}/intelProfiles/actinium/indicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`);
    assert.deepEqual(
      [nested.status, nested.json()],
      [404, graphError('ResourceNotFound', "Resource 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55' of type 'microsoft.graph.security.intelligenceProfileIndicator' does not exist.")],
    );
  });

  it('400 BadRequest for a bad $filter, with what and where', async () => {
    const cases: [string, string][] = [
      ["source eq 'osint' and (", 'Invalid filter clause: expected an expression but found end of input at position 23.'],
      ['firstSeenDateTime gt 2024-13-01T00:00:00Z', "Invalid filter clause: '2024-13-01T00:00:00Z' is not a valid DateTimeOffset literal: month 13 is out of range at position 21."],
      ["title eq 'x'", "Invalid filter clause: could not find a property named 'title' on type 'microsoft.graph.security.intelligenceProfileIndicator' at position 0."],
    ];
    for (const [filter, message] of cases) {
      const r = await h.request(`${V1}/intelligenceProfileIndicators?$filter=${encodeURIComponent(filter)}`);
      assert.deepEqual([r.status, r.json()], [400, graphError('BadRequest', message)], filter);
    }
  });

  it('404 for a path outside the API, 400 for an unknown segment, 405 with Allow for a method the target does not take', async () => {
    const unknown = await h.request('/v2.0/users');
    assert.deepEqual([unknown.status, unknown.json()], [404, graphError('ResourceNotFound', "Requested API is not supported: '/v2.0/users'. Please check the path.")]);
    const segment = await h.request(`${V1}/nosuchset`);
    assert.deepEqual([segment.status, segment.json()], [400, graphError('BadRequest', "Resource not found for the segment 'nosuchset'.")]);
    const put = await h.request(`${V1}/intelProfiles/actinium`, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers['Content-Type'], 'application/json;charset=utf-8');
    assert.deepEqual(put.json(), graphError('Request_BadRequest', "Specified HTTP method 'PUT' is not allowed for the request target."));
    const postOnEntity = await h.request(`${V1}/intelProfiles/actinium`, { method: 'POST', body: {} });
    assert.deepEqual([postOnEntity.status, postOnEntity.headers['Allow']], [405, 'GET, HEAD, PATCH, DELETE']);
  });

  it(
    'the 405 for PUT on an entity lists the methods the entity takes in Allow',
    async () => {
      const put = await h.request(`${V1}/intelProfiles/actinium`, { method: 'PUT' });
      assert.deepEqual([put.status, put.headers['Allow']], [405, 'GET, HEAD, PATCH, DELETE']);
    },
  );
});
