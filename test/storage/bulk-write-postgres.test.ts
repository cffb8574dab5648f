/**
 * The pieces of PostgreSQL bulk writes (bulk-write-postgres.ts). mergeDuplicateKeys: rows of one batch sharing a key
 * collapse into one before COPY, and a column a row leaves out (encodeSet's rows hold only what they set) counts as
 * null: the same merge as full rows. indexBuildGroups: a bulk load's CREATE INDEX statements dealt over connections.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexBuildGroups, mergeDuplicateKeys } from '../../src/storage/postgres/bulk-write-postgres.js';

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
