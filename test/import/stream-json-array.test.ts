/**
 * The JSON splitter (src/import/stream-json-array.ts) on generated documents: every element of the `objects`
 * array comes back byte for byte, whatever the chunk boundaries (strings with quotes and runs of backslashes cut
 * anywhere, the string skipping that uses indexOf).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonSplitter } from '../../src/import/stream-json-array.js';

const select = (p: readonly string[]): 'emit' | 'descend' | 'skip' => (p.length < 2 ? (p.length === 0 || p[0] === 'objects' ? 'descend' : 'skip') : 'emit');
/** Strings rich in what the scanner must not miscount: quotes, backslashes, braces, multi-byte characters. */
const tricky = fc.array(fc.constantFrom('"', '\\', '\\\\', '\\"', '}', ']', '{', 'a', 'é', '€', '𝄞', ' ', '\n'), { maxLength: 12 }).map((a) => a.join(''));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(tricky, tie('v'), { maxKeys: 4 })),
})).v;

describe('JSON splitter, generated documents', () => {
  it('yields each element exactly, at random chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (elements, sizes) => {
        const doc = Buffer.from(JSON.stringify({ before: elements[0] ?? null, objects: elements, after: 'x\\"' }));
        const splitter = new JsonSplitter(select);
        const got: string[] = [];
        for (let at = 0, k = 0; at < doc.length; k++) {
          const size = sizes[k % sizes.length]!;
          for (const v of splitter.push(doc.subarray(at, at + size))) got.push(v.bytes.toString('utf8'));
          at += size;
        }
        for (const v of splitter.end()) got.push(v.bytes.toString('utf8'));
        assert.deepEqual(got, elements.map((e) => JSON.stringify(e)));
      }),
      { numRuns: 2000 },
    );
  });
});
