/** StixRefs and compactStixId (src/import/stix-refs.ts): distinct ids keep distinct keys; targets come back in order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compactStixId, StixRefs } from '../../src/import/stix-refs.js';

const stixType = fc.constantFrom('indicator', 'campaign', 'intrusion-set', 'x-custom-1', 'Indicator', 'indicator-');
const stixId = fc.oneof(
  fc.tuple(stixType, fc.uuid()).map(([t, u]) => `${t}--${u}`),
  fc.tuple(stixType, fc.uuid()).map(([t, u]) => `${t}--${u.toUpperCase()}`),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 8 }).map((s) => `indicator--${s}`),
);

describe('compact STIX ids', () => {
  it('distinct ids have distinct keys (UUID ids packed, any other string kept)', () => {
    fc.assert(
      fc.property(stixId, stixId, (a, b) => {
        assert.equal(compactStixId(a) === compactStixId(b), a === b, `${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('packs an indicator id into 17 characters', () => {
    assert.equal(compactStixId('indicator--00000000-0000-4000-9000-0000000000ff').length, 17);
    assert.equal(compactStixId('campaign--00000000-0000-4000-9000-0000000000ff'), `campaign${compactStixId('indicator--00000000-0000-4000-9000-0000000000ff')}`);
    assert.equal(compactStixId('indicator--not-a-uuid'), '\u0001indicator--not-a-uuid');
  });

  it('StixRefs returns each source’s targets in the order added, none for an unknown source', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(stixId, fc.constantFrom('intrusion-set--a', 'intrusion-set--b', 'location--c')), { maxLength: 50 }), (pairs) => {
        const refs = new StixRefs();
        const expected = new Map<string, string[]>();
        for (const [s, t] of pairs) {
          refs.add(s, t);
          expected.set(s, [...(expected.get(s) ?? []), t]);
        }
        for (const [s, ts] of expected) assert.deepEqual(refs.get(s), ts);
        assert.equal(refs.size, pairs.length, 'size counts every relationship added, repeats included');
        assert.deepEqual(refs.get('indicator--11111111-1111-4111-8111-111111111111\u0000unused'), []);
      }),
      { numRuns: 500 },
    );
  });

  it('holds 20,000 indicator sources through the table\'s growth: each one\'s targets, a second one for every 7th', () => {
    const refs = new StixRefs();
    const id = (i: number): string => `indicator--${i.toString(16).padStart(8, '0')}-0000-4000-9000-${(i * 7919).toString(16).padStart(12, '0')}`;
    const targets = ['intrusion-set--a', 'intrusion-set--b', 'campaign--c'];
    for (let i = 0; i < 20_000; i++) refs.add(id(i), targets[i % 3]!);
    for (let i = 0; i < 20_000; i += 7) refs.add(id(i), 'malware--d');
    for (let i = 0; i < 20_000; i++) assert.deepEqual(refs.get(id(i)), i % 7 === 0 ? [targets[i % 3], 'malware--d'] : [targets[i % 3]], id(i));
    assert.deepEqual(refs.get(id(20_000)), []);
    assert.deepEqual(refs.get(id(5).toUpperCase()), [], 'upper-case hex is another id (held in the Map)');
  });
});
