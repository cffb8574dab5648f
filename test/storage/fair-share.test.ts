import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FairShare } from '../../src/storage/fair-share.js';
import { ODataError } from '../../src/errors/odata-error.js';

/** A read that stays open until released. */
function gate(): { promise: Promise<string>; open: (v: string) => void } {
  let open!: (v: string) => void;
  const promise = new Promise<string>((resolve) => (open = resolve));
  return { promise, open };
}

describe('FairShare', () => {
  it('runs at most perClient reads of one client at once, the rest in arrival order, while other clients go ahead', async () => {
    const share = new FairShare(2);
    const order: string[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const a = gates.slice(0, 3).map((g, i) => share.run({ client: 'a' }, async () => (order.push(`a${i}`), g.promise)));
    const b = share.run({ client: 'b' }, async () => (order.push('b0'), gates[3]!.promise));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a0', 'a1', 'b0'], 'a2 waits for a share of a; b is not held up by a');
    assert.equal(share.running('a'), 2);
    gates[1]!.open('a1 done');
    assert.equal(await a[1], 'a1 done');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['a0', 'a1', 'b0', 'a2']);
    assert.equal(share.running('a'), 2);
    for (const g of gates) g.open('done');
    assert.deepEqual(await Promise.all([...a, b]), ['done', 'a1 done', 'done', 'done']);
    assert.equal(share.running('a'), 0);
    assert.equal(share.running('b'), 0);
  });

  it('a read still waiting at its deadline fails with 504 GatewayTimeout and never runs', async () => {
    const share = new FairShare(1);
    const first = gate();
    const running = share.run({ client: 'a' }, () => first.promise);
    let ran = false;
    const started = Date.now();
    const late = share.run({ client: 'a', deadline: { at: Date.now() + 50, ms: 50 } }, async () => ((ran = true), 'ran'));
    await assert.rejects(late, (e: unknown) => e instanceof ODataError && e.status === 504 && e.code === 'GatewayTimeout');
    assert.ok(Date.now() - started >= 45);
    first.open('first');
    assert.equal(await running, 'first');
    assert.equal(ran, false);
    assert.equal(share.running('a'), 0, 'the timed-out waiter took no share');
  });

  it('a read that throws gives its share back', async () => {
    const share = new FairShare(1);
    await assert.rejects(share.run({ client: 'a' }, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await share.run({ client: 'a' }, async () => 'next'), 'next');
  });

  it('refuses a share below 1', () => {
    assert.throws(() => new FairShare(0), /perClient must be at least 1, not 0/);
  });
});
