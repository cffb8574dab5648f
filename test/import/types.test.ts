/**
 * parseIsoTime (src/import/types.ts): the canonical form (STIX timestamps) and the other ISO 8601 / RFC 3339
 * spellings feeds use read to the same instants; malformed dates are undefined.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIME_MS, MIN_TIME_MS, parseIsoTime } from '../../src/import/types.js';

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

  it('impossible dates and times are undefined, not rolled over (Date.parse reads 2024-02-30 as March 1)', () => {
    for (const v of ['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2023-04-31T12:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z', '2016-12-31T23:59:60Z', '2024-02-30', '2024-02-30 10:00:00+02:00', '0000-01-01T00:00:00Z']) {
      assert.equal(parseIsoTime(v), undefined, v);
    }
    assert.equal(parseIsoTime('2024-02-29T00:00:00Z'), 1709164800000); // date -u -d 2024-02-29 +%s
    assert.equal(parseIsoTime('2000-02-29'), 951782400000); // 2000 is a leap year (divisible by 400)
    assert.equal(parseIsoTime('1900-02-29'), undefined); // 1900 is not
    assert.equal(parseIsoTime('9999-12-31T23:59:59.999Z'), MAX_TIME_MS);
    assert.equal(parseIsoTime('0001-01-01T00:00:00Z'), MIN_TIME_MS);
  });
});
