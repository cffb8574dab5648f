/**
 * The JSON splitter's bounds (issue 10, linear-time importers): a selected value nested too deep or too large is
 * one reject at its position, scanned past in constant memory, and the values after it still import.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_VALUE_BYTES, MAX_VALUE_DEPTH } from '../../src/import/stream-json-array.js';
import { importInto, memoryStore } from './helpers.js';

describe('JSON values over the limits (STIX objects, MISP attributes)', () => {
  it('an object nested 100,000 deep and one over 16 MiB are one reject each; the indicator after them imports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tigraph-json-limits-'));
    try {
      const T = '2020-01-01T00:00:00Z';
      const deep = `{"type":"x-deep","id":"x-deep--1","v":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const big = JSON.stringify({ type: 'x-big', id: 'x-big--1', v: 'a'.repeat(MAX_VALUE_BYTES) });
      const indicator = JSON.stringify({ type: 'indicator', spec_version: '2.1', id: 'indicator--1', created: T, modified: T, pattern: "[domain-name:value = 'after-limits.example']", pattern_type: 'stix', valid_from: T });
      const path = join(dir, 'limits.json');
      await writeFile(path, `{"type":"bundle","id":"bundle--1","objects":[${deep},${big},${indicator}]}`);
      const s = await importInto(memoryStore(), [path]);
      assert.deepEqual(Object.fromEntries([...s.rejected].map(([k, v]) => [k, v.positions])), {
        [`nested deeper than ${MAX_VALUE_DEPTH} levels`]: ['object 0'],
        [`value larger than ${MAX_VALUE_BYTES} bytes`]: ['object 1'],
      });
      assert.deepEqual(s.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
