import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeByRule } from '../../src/model/merge-values.js';
import { MODEL } from '../../src/model/model.js';
import { INDICATOR, SETS } from '../../src/model/names.js';

describe('mergeByRule: the model merge rules applied to values', () => {
  it('min keeps the earliest known value, max the latest; null never wins over a known time', () => {
    assert.equal(mergeByRule('min', 5, 3), 3);
    assert.equal(mergeByRule('min', 3, 5), 3);
    assert.equal(mergeByRule('max', 5, 3), 5);
    assert.equal(mergeByRule('max', 3, 5), 5);
    assert.equal(mergeByRule('min', null, 7), 7);
    assert.equal(mergeByRule('max', 7, null), 7);
    assert.equal(mergeByRule('max', undefined, 7), 7);
    assert.equal(mergeByRule('min', null, null), null);
    assert.equal(mergeByRule('max', undefined, undefined), null);
  });
  it('the indicator declares first seen = min and last seen = max', () => {
    const type = MODEL.entitySet(SETS.intelligenceProfileIndicators)!.entityType;
    assert.equal(type.property(INDICATOR.p.firstSeenDateTime)!.mergeRule, 'min');
    assert.equal(type.property(INDICATOR.p.lastSeenDateTime)!.mergeRule, 'max');
  });
});
