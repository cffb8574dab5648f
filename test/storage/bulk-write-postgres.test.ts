/**
 * The pieces of PostgreSQL bulk writes (bulk-write-postgres.ts). mergeDuplicateKeys: rows of one batch sharing a key
 * collapse into one before COPY, and a column a row leaves out (encodeSet's rows hold only what they set) counts as
 * null: the same merge as full rows. indexBuildGroups: a bulk load's CREATE INDEX statements dealt over connections.
 * copyField: values in COPY text format, the shortcut for values without anything to escape equal to the escaping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { copyField, indexBuildGroups, mergeDuplicateKeys } from '../../src/storage/postgres/bulk-write-postgres.js';

const rules = new Map<string, 'min' | 'max'>([
  ['first', 'min'],
  ['last', 'max'],
]);

describe('mergeDuplicateKeys', () => {
  it('merges by the rules, the last row wins elsewhere; a missing column is null', () => {
    const sparse = [
      { id: 'a', first: 5, last: 7, note: 'one' },
      { id: 'b', first: 1 },
      { id: 'a', first: 3, note: 'two' },
      { id: 'a', last: 9 },
    ];
    const full = sparse.map((r) => ({ id: r.id, first: r.first ?? null, last: r.last ?? null, note: r.note ?? null }));
    const expected = [
      { id: 'a', first: 3, last: 9, note: null },
      { id: 'b', first: 1, last: null, note: null },
    ];
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => ({ id: r['id'], first: r['first'] ?? null, last: r['last'] ?? null, note: r['note'] ?? null }));
    assert.deepEqual(norm(mergeDuplicateKeys(sparse, 'id', rules)), expected);
    assert.deepEqual(norm(mergeDuplicateKeys(full, 'id', rules)), expected);
  });
});

describe('indexBuildGroups', () => {
  it('deals the statements round-robin into at most n groups, in their order', () => {
    assert.deepEqual(indexBuildGroups(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'c', 'e'], ['b', 'd']]);
    assert.deepEqual(indexBuildGroups(['a', 'b'], 4), [['a'], ['b']]);
    assert.deepEqual(indexBuildGroups(['a', 'b', 'c'], 1), [['a', 'b', 'c']]);
    assert.deepEqual(indexBuildGroups(['a'], 0), [['a']]);
    assert.deepEqual(indexBuildGroups([], 2), []);
  });
});

describe('copyField', () => {
  /** The definition: every backslash, tab, newline and carriage return escaped; NULL as \\N. */
  const escaped = (v: unknown): string =>
    v === null || v === undefined ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

  it('escapes the four characters, writes NULL as \\N and anything else as its text', () => {
    assert.equal(copyField('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(copyField('h1.g1.bench.example'), 'h1.g1.bench.example');
    assert.equal(copyField(null), '\\N');
    assert.equal(copyField(undefined), '\\N');
    assert.equal(copyField(1704067200000), '1704067200000');
    assert.equal(copyField(''), '');
  });

  it('equals the escaping of every character for any string or number', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '\\', '\t', '\n', '\r', ' ', 'N', '"') });
    fc.assert(fc.property(fc.oneof(text, fc.string(), fc.integer(), fc.double()), (v) => copyField(v) === escaped(v)), { numRuns: 2000 });
  });
});
