/** DigestSet (src/import/digest-set.ts) answers as a Set<number> of the same digests would, through its growth. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DigestSet } from '../../src/import/digest-set.js';
import { digest } from '../../src/import/write-batch.js';

describe('DigestSet', () => {
  it('has what was added and nothing else, like a Set (2^52 digests, 0 included, repeats, growth past 4,096 slots)', () => {
    const value = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 }), fc.maxSafeNat().map((n) => n % 2 ** 52));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6000 }), fc.array(value, { maxLength: 200 }), (added, probes) => {
        const set = new DigestSet();
        const reference = new Set<number>();
        for (const d of added) {
          set.add(d);
          reference.add(d);
        }
        assert.equal(set.size, reference.size);
        for (const d of [...added, ...probes]) assert.equal(set.has(d), reference.has(d), `digest ${d}`);
      }),
      { numRuns: 60 },
    );
  });

  it('holds a million id digests', () => {
    const set = new DigestSet();
    for (let i = 0; i < 1_000_000; i++) set.add(digest(`indicator-${i}`));
    assert.equal(set.size, 1_000_000);
    assert.equal(set.has(digest('indicator-999999')), true);
    assert.equal(set.has(digest('indicator-1000000')), false);
  });
});
