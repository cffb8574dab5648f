/**
 * Fault injection (src/faults/fault-injection.ts): the `--inject` policy, the `x-tigraph-inject-fault` header,
 * and the Graph-shaped 429/503 responses the wrapped listener writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ODataError } from '../../src/errors/odata-error.js';
import { DEFAULT_FAULT_POLICY, describeFaultPolicy, maybeInjectFault, parseFaultPolicy } from '../../src/faults/fault-policy.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { mulberry32 as seeded } from '../../src/seed/random.js';

/** What `--inject header=on` gives: the request header honoured, no random faults. */
const HEADER_ON = parseFaultPolicy('header=on');

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('--inject policy', () => {
  it('parses shares (fractions or percentages), retry-after and header=on|off', () => {
    assert.deepEqual(parseFaultPolicy('429=0.1,503=0.05'), { rates: [{ status: 429, probability: 0.1 }, { status: 503, probability: 0.05 }], retryAfterSeconds: 1, honourHeader: true });
    assert.deepEqual(parseFaultPolicy(' 503=5% , retry-after=2, header=off '), { rates: [{ status: 503, probability: 0.05 }], retryAfterSeconds: 2, honourHeader: false });
    assert.equal(describeFaultPolicy(parseFaultPolicy('429=0.1,503=0.05')), '429 for 10% and 503 for 5% of requests (Retry-After: 1); header x-tigraph-inject-fault honoured');
    assert.equal(describeFaultPolicy(DEFAULT_FAULT_POLICY), 'no random faults; header x-tigraph-inject-fault ignored');
    assert.equal(describeFaultPolicy(HEADER_ON), 'no random faults; header x-tigraph-inject-fault honoured');
  });

  it('rejects bad input with a message naming the item', () => {
    for (const [spec, message] of [
      ['', /expected e\.g\./],
      ['429', /not name=value/],
      ['500=0.1', /status 500 is not supported/],
      ['429=1.5', /from 0 to 1/],
      ['429=abc', /from 0 to 1/],
      ['429=0.6,503=0.6', /add up to 1\.2/],
      ['429=0.1,429=0.2', /given twice/],
      ['retry-after=-1', /retry-after must be an integer/],
      ['retry-after=99999', /retry-after must be an integer/],
      ['header=maybe', /header must be 'on' or 'off'/],
      ['speed=2', /unknown item 'speed=2'/],
    ] as const) {
      assert.throws(() => parseFaultPolicy(spec), message, spec);
    }
  });

  it('answers the configured share of requests: 429=0.1,503=0.05 over 20000 seeded draws', () => {
    const policy = parseFaultPolicy('429=0.1,503=0.05');
    const random = seeded(42);
    const counts = { 429: 0, 503: 0, none: 0 };
    for (let i = 0; i < 20000; i++) {
      const f = maybeInjectFault(policy, {}, random);
      counts[f ? (f.status as 429 | 503) : 'none']++;
    }
    assert.ok(Math.abs(counts[429] / 20000 - 0.1) < 0.01, JSON.stringify(counts));
    assert.ok(Math.abs(counts[503] / 20000 - 0.05) < 0.01, JSON.stringify(counts));
  });

  it('uses one draw per request: 429 below the first share, 503 in the next, none above', () => {
    const policy = parseFaultPolicy('429=0.1,503=0.05,retry-after=3');
    const random = sequence(0.05, 0.12, 0.2);
    const a = maybeInjectFault(policy, {}, random)!;
    assert.equal(a.status, 429);
    assert.equal(a.code, 'TooManyRequests');
    assert.equal(a.message, 'Please retry again later.');
    assert.deepEqual(a.headers, { 'Retry-After': '3' });
    const b = maybeInjectFault(policy, {}, random)!;
    assert.equal(b.status, 503);
    assert.equal(b.code, 'ServiceUnavailable');
    assert.deepEqual(b.headers, { 'Retry-After': '3' });
    assert.equal(maybeInjectFault(policy, {}, random), undefined);
  });

  it('is off by default: no draw, no fault', () => {
    assert.equal(maybeInjectFault(DEFAULT_FAULT_POLICY, {}, () => assert.fail('no draw expected')), undefined);
  });
});

describe('x-tigraph-inject-fault header', () => {
  const never = () => 0.99;
  it('forces the fault for that request, with the default or its own Retry-After', () => {
    assert.equal(maybeInjectFault(HEADER_ON, { 'x-tigraph-inject-fault': '429' }, never)?.status, 429);
    const f = maybeInjectFault(HEADER_ON, { 'x-tigraph-inject-fault': '503; retry-after=0' }, never)!;
    assert.equal(f.status, 503);
    assert.deepEqual(f.headers, { 'Retry-After': '0' });
  });

  it('attempts=N faults only the first N attempts (Retry-Attempt absent or below N), so SDK retries get through', () => {
    const h = { 'x-tigraph-inject-fault': '429; attempts=1' };
    assert.equal(maybeInjectFault(HEADER_ON, h, never)?.status, 429);
    assert.equal(maybeInjectFault(HEADER_ON, { ...h, 'retry-attempt': '1' }, never), undefined);
    const two = { 'x-tigraph-inject-fault': '503;attempts=2' };
    assert.equal(maybeInjectFault(HEADER_ON, { ...two, 'retry-attempt': '1' }, never)?.status, 503);
    assert.equal(maybeInjectFault(HEADER_ON, { ...two, 'retry-attempt': '2' }, never), undefined);
    assert.equal(maybeInjectFault(HEADER_ON, { 'x-tigraph-inject-fault': '429', 'retry-attempt': '3' }, never)?.status, 429, 'no attempts: every attempt');
  });

  it('is answered with 400 when malformed, and ignored with header=off', () => {
    for (const value of ['500', 'abc', '429; foo=1', '429; retry-after=99999']) {
      assert.throws(
        () => maybeInjectFault(HEADER_ON, { 'x-tigraph-inject-fault': value }, never),
        (e) => e instanceof ODataError && e.status === 400 && /x-tigraph-inject-fault/.test(e.message),
        value,
      );
    }
    assert.equal(maybeInjectFault(parseFaultPolicy('header=off'), { 'x-tigraph-inject-fault': '429' }, never), undefined);
  });
});

describe('injectFaults (a step of the listener chain, after authentication)', () => {
  let s: TestServer;
  let url: string;
  const faults: number[] = [];
  before(async () => {
    const draws = sequence(0.1, 0.9);
    s = await startTestServer({ faults: parseFaultPolicy('429=0.5'), faultRandom: () => { const r = draws(); return r; } });
    url = s.url;
    const original = s.logger.info.bind(s.logger);
    s.logger.info = ((obj: { status?: number }, msg?: string) => {
      if (msg === 'injected fault' && obj.status !== undefined) faults.push(obj.status);
      return original(obj as never, msg as never);
    }) as typeof s.logger.info;
  });
  after(async () => {
    await s.close();
  });

  it('writes a Graph-shaped 429: JSON error body with innerError ids, Retry-After, request-id/client-request-id headers', async () => {
    const headers = { Authorization: `Bearer ${s.token}`, 'client-request-id': 'my-client-id' };
    const res = await fetch(`${url}/v1.0${TI}/intelProfiles`, { headers });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
    assert.equal(res.headers.get('client-request-id'), 'my-client-id');
    const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    assert.equal(body.error.code, 'TooManyRequests');
    assert.equal(body.error.message, 'Please retry again later.');
    assert.equal(body.error.innerError['request-id'], res.headers.get('request-id'));
    assert.equal(body.error.innerError['client-request-id'], 'my-client-id');
    assert.match(body.error.innerError.date!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const next = await fetch(`${url}/v1.0${TI}/intelProfiles`, { headers });
    assert.equal(next.status, 200, 'the next draw (0.9) is above the share');
    assert.deepEqual(faults, [429]);
  });

  it('never faults health probes, and never answers a fault before authentication', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const res = await fetch(`${url}/v1.0${TI}/intelProfiles`, { headers: { 'x-tigraph-inject-fault': '503' } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
  });
});

describe('the fault header without --inject', () => {
  it('is ignored: a server started without --inject never faults on request', async () => {
    const s = await startTestServer();
    try {
      const res = await fetch(`${s.url}/v1.0${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${s.token}`, 'x-tigraph-inject-fault': '503; retry-after=3600' } });
      assert.equal(res.status, 200);
    } finally {
      await s.close();
    }
  });
});
