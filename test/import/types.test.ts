/**
 * parseIsoTime (src/import/types.ts): the canonical form (STIX timestamps) and the other ISO 8601 / RFC 3339
 * spellings feeds use read to the same instants; malformed dates are undefined.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoTime } from '../../src/import/types.js';

const JAN_2_2024_0304_05 = 1704164645000; // 2024-01-02T03:04:05Z (date -u -d @1704164645)

describe('parseIsoTime', () => {
  it('canonical forms: seconds, milliseconds, fewer fraction digits', () => {
    assert.equal(parseIsoTime('2024-01-02T03:04:05Z'), JAN_2_2024_0304_05);
    assert.equal(parseIsoTime('2024-01-02T03:04:05.123Z'), JAN_2_2024_0304_05 + 123);
    assert.equal(parseIsoTime('2024-01-02T03:04:05.5Z'), JAN_2_2024_0304_05 + 500);
  });

  it('other spellings: more fraction digits, offsets, a space, lower case, no zone, date only, surrounding blanks', () => {
    assert.equal(parseIsoTime('2024-01-02T03:04:05.123456Z'), JAN_2_2024_0304_05 + 123);
    assert.equal(parseIsoTime('2024-01-02T05:04:05+02:00'), JAN_2_2024_0304_05);
    assert.equal(parseIsoTime('2024-01-02 03:04:05'), JAN_2_2024_0304_05);
    assert.equal(parseIsoTime('2024-01-02t03:04:05z'), JAN_2_2024_0304_05);
    assert.equal(parseIsoTime(' 2024-01-02T03:04:05Z '), JAN_2_2024_0304_05);
    assert.equal(parseIsoTime('2024-01-02'), JAN_2_2024_0304_05 - (3 * 3600 + 4 * 60 + 5) * 1000);
  });

  it('malformed: month 13, letters, a number, empty', () => {
    assert.equal(parseIsoTime('2024-13-02T03:04:05Z'), undefined);
    assert.equal(parseIsoTime('2024-01-02T03:04:05Zx'), undefined);
    assert.equal(parseIsoTime('yesterday'), undefined);
    assert.equal(parseIsoTime(1704164645000), undefined);
    assert.equal(parseIsoTime(''), undefined);
  });
});
