/** The per-file line of the printed import summary: placements with their rule, capped at MAX_PLACEMENTS. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PLACEMENTS, placementLine } from '../../src/cli/format-import-summary.js';

describe('placementLine', () => {
  it('names each profile with its id, rule and count, and the indicators without a profile', () => {
    assert.equal(
      placementLine({ path: 'a.json', format: 'stix', withoutProfile: 2, profiles: [{ profileId: 'apt28', title: 'APT28', rule: 'alias "Sofacy"', indicators: 5 }] }),
      '5 → APT28 [apt28] (alias "Sofacy"); 2 without a profile',
    );
    assert.equal(placementLine({ path: 'b.txt', format: 'ioc-list', withoutProfile: 0, profiles: [] }), 'no indicators');
  });

  it(`lists the first ${MAX_PLACEMENTS} profiles and sums the rest`, () => {
    const profiles = Array.from({ length: 13 }, (_, i) => ({ profileId: `p${i}`, title: `P${i}`, rule: 'new', indicators: i + 1 }));
    const line = placementLine({ path: 'c.json', format: 'stix', withoutProfile: 0, profiles });
    assert.equal(line.split('; ').length, MAX_PLACEMENTS + 1);
    assert.equal(line.split('; ').at(-1), `${11 + 12 + 13} → 3 more profiles`);
  });
});
