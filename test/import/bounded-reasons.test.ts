/**
 * Issue 10: "2M distinct unknown types printed a 146 MB summary" and "each import job keeps every skip/reject
 * reason". The summary keeps at most MAX_REASONS reasons by name; the rest are counted under OTHER_REASONS with
 * a few examples giving position and reason (the value), and reasons quoting huge values are cut.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatSummary } from '../../src/cli/format-import-summary.js';
import { MAX_REASON_LENGTH, MAX_REASONS, OTHER_REASONS, tallyReason } from '../../src/import/reason-tally.js';
import type { ReasonCount } from '../../src/import/import-summary.js';
import { importInto, memoryStore } from './helpers.js';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-bounded-reasons-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const T = '2020-01-01T00:00:00Z';

describe('bounded import reasons', () => {
  it('50,000 distinct unknown STIX types: 20 reasons by name, the rest under "other reasons" with position and value', async () => {
    const n = 50_000;
    const objects = Array.from({ length: n }, (_, i) => JSON.stringify({ type: `x-unknown-${i}`, id: `x-unknown-${i}--1`, spec_version: '2.1', created: T, modified: T }));
    const path = join(tmp, 'types.json');
    await writeFile(path, `{"type":"bundle","id":"bundle--1","objects":[${objects.join(',')}]}`);
    const s = await importInto(memoryStore(), [path]);
    assert.equal(s.skipped.size, MAX_REASONS + 1);
    assert.deepEqual(s.skipped.get('x-unknown-0 not imported'), { count: 1, positions: ['object 0'] });
    const other = s.skipped.get(OTHER_REASONS)!;
    assert.equal(other.count, n - MAX_REASONS);
    assert.deepEqual(other.positions.slice(0, 2), ['object 20: x-unknown-20 not imported', 'object 21: x-unknown-21 not imported']);
    assert.equal(other.positions.length, 10);
    const text = formatSummary(s);
    // header, profiles, indicators, "where the indicators went:" and its one file, skipped + its reasons, rejected
    assert.equal(text.split('\n').length, 3 + 2 + 1 + (MAX_REASONS + 1) + 1);
    assert.ok(text.length < 6000, `summary is ${text.length} characters`);
  });

  it('a reason quoting a 1 MB value is cut to MAX_REASON_LENGTH characters and an ellipsis', () => {
    const map = new Map<string, ReasonCount>();
    tallyReason(map, `attribute type ${'a'.repeat(1 << 20)}`, 'line 1', 10);
    const [reason] = [...map.keys()];
    assert.equal(reason, `attribute type ${'a'.repeat(MAX_REASON_LENGTH - 'attribute type '.length)}…`);
  });
});
