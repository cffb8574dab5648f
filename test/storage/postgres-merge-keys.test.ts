/**
 * mergeDuplicateKeys (PostgreSQL bulk writes): rows of one batch sharing a key collapse into one before COPY, and a
 * column a row leaves out (encodeSet's rows hold only what they set) counts as null: the same merge as full rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeDuplicateKeys } from '../../src/storage/postgres/postgres-store.js';

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
