import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READ, WRITE } from '../../src/auth/require-permission.js';
import { parseRateLimit } from '../../src/http/middleware/throttle.js';
import { MemoryRateBuckets } from '../../src/storage/rate-buckets.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { apiClient, profileBody } from '../support/write-client.js';

let s: TestServer;
let off: TestServer;
before(async () => {
  // 5 requests a minute per client, and 2 writes a minute on top.
  s = await startTestServer({ rateLimits: { all: { requests: 5, seconds: 60 }, writes: { requests: 2, seconds: 60 } } });
  off = await startTestServer();
});
after(async () => {
  await s.close();
  await off.close();
});

const get = (server: TestServer, token: string, path = `/v1.0${TI}/intelProfiles?$top=1`) => fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

async function assertThrottled(r: Response, retryAfter: string): Promise<void> {
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), retryAfter);
  const body = (await r.json()) as { error: { code: string; message: string } };
  assert.deepEqual([body.error.code, body.error.message], ['TooManyRequests', 'Please retry again later.']);
}

describe('throttling (--rate-limit, --write-rate-limit)', () => {
  it('a client gets its burst, then 429 TooManyRequests with Retry-After; another client and health probes are not affected', async () => {
    const a = await s.mint({ subject: 'client-a' });
    for (let i = 0; i < 5; i++) {
      const r = await get(s, a);
      await r.arrayBuffer();
      assert.equal(r.status, 200, `request ${i + 1}`);
    }
    // 5 per 60 s refills one token every 12 s.
    await assertThrottled(await get(s, a), '12');
    const b = await s.mint({ subject: 'client-b' });
    const other = await get(s, b);
    await other.arrayBuffer();
    assert.equal(other.status, 200);
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });

  it('writes draw from their own smaller bucket too: the third write in a minute is 429 while reads go on', async () => {
    const w = await s.mint({ subject: 'writer', roles: [READ, WRITE] });
    const send = apiClient(s, w);
    assert.equal((await send('POST', 'intelProfiles', { id: 'throttle-1', ...profileBody('Throttle 1') })).status, 201);
    assert.equal((await send('POST', 'intelProfiles', { id: 'throttle-2', ...profileBody('Throttle 2') })).status, 201);
    // 2 per 60 s: one write token every 30 s.
    await assertThrottled(await send('POST', 'intelProfiles', { id: 'throttle-3', ...profileBody('Throttle 3') }), '30');
    const r = await get(s, w, `/v1.0${TI}/intelProfiles/throttle-3`);
    assert.equal(r.status, 404, 'the throttled write was not executed');
  });

  it('without --rate-limit nothing is throttled', async () => {
    const t = await off.mint({ subject: 'busy' });
    for (let i = 0; i < 30; i++) {
      const r = await get(off, t);
      await r.arrayBuffer();
      assert.equal(r.status, 200);
    }
  });

  it('the bucket refills with time (memory buckets, explicit clock)', async () => {
    const buckets = new MemoryRateBuckets();
    const take = (now: number) => buckets.take({ key: 'k', capacity: 2, refillPerSecond: 1, now });
    assert.deepEqual(await take(0), { admitted: true, retryAfterSeconds: 0 });
    assert.deepEqual(await take(0), { admitted: true, retryAfterSeconds: 0 });
    assert.deepEqual(await take(0), { admitted: false, retryAfterSeconds: 1 });
    assert.deepEqual(await take(500), { admitted: false, retryAfterSeconds: 1 });
    assert.deepEqual(await take(1000), { admitted: true, retryAfterSeconds: 0 });
    assert.deepEqual(await take(60_000), { admitted: true, retryAfterSeconds: 0 });
    assert.deepEqual(await take(60_000), { admitted: true, retryAfterSeconds: 0 });
    assert.deepEqual(await take(60_000), { admitted: false, retryAfterSeconds: 1 });
  });

  it('limits are <requests>/<seconds>', () => {
    assert.deepEqual(parseRateLimit('100/10'), { requests: 100, seconds: 10 });
    assert.deepEqual(parseRateLimit(' 5 / 60 '), { requests: 5, seconds: 60 });
    for (const bad of ['0/10', '10/0', '10', '1.5/10', '-1/10', 'a/b', '10/10/10', '']) assert.equal(parseRateLimit(bad), undefined, bad);
  });
});
