/**
 * The JSON splitter (src/import/stream-json-array.ts) on generated documents: every element of the `objects`
 * array comes back byte for byte, whatever the chunk boundaries (strings with quotes and runs of backslashes cut
 * anywhere, the string skipping that uses indexOf: strings run to about 160 bytes and chunks to 200, so a string
 * may sit whole in a chunk or be cut any number of times), and a deterministic case puts the closing quote at every
 * distance from its string's start up to 110 bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonSplitter } from '../../src/import/stream-json-array.js';

const select = (p: readonly string[]): 'emit' | 'descend' | 'skip' => (p.length < 2 ? (p.length === 0 || p[0] === 'objects' ? 'descend' : 'skip') : 'emit');
/** Strings rich in what the scanner must not miscount: quotes, backslashes, braces, multi-byte characters. */
const tricky = fc.array(fc.constantFrom('"', '\\', '\\\\', '\\"', '}', ']', '{', 'a', 'é', '€', '𝄞', ' ', '\n'), { maxLength: 40 }).map((a) => a.join(''));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(tricky, tie('v'), { maxKeys: 4 })),
})).v;

/** The elements of `doc` as the splitter yields them when it arrives in chunks of `sizes` bytes (repeated). */
function split(doc: Buffer, sizes: readonly number[]): string[] {
  const splitter = new JsonSplitter(select);
  const got: string[] = [];
  for (let at = 0, k = 0; at < doc.length; k++) {
    const size = sizes[k % sizes.length]!;
    for (const v of splitter.push(doc.subarray(at, at + size))) got.push(v.bytes.toString('utf8'));
    at += size;
  }
  for (const v of splitter.end()) got.push(v.bytes.toString('utf8'));
  return got;
}

describe('JSON splitter, generated documents', () => {
  it('finds the closing quote at every distance from the string start, escaped quotes and backslashes around it', () => {
    for (let length = 0; length <= 110; length++) {
      const plain = 'x'.repeat(length);
      const elements = [plain, { [plain]: plain }, `${plain}"`, `${plain}\\`, `"${plain}`, [`${plain}\\"`, plain]];
      const doc = Buffer.from(JSON.stringify({ objects: elements }));
      for (const size of [1, 3, 47, 48, 49, 50, 97, 200, doc.length]) {
        assert.deepEqual(split(doc, [size]), elements.map((e) => JSON.stringify(e)), `length ${length}, chunks of ${size}`);
      }
    }
  });

  it('yields each element exactly, at random chunk boundaries', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 20 }), (elements, sizes) => {
        const doc = Buffer.from(JSON.stringify({ before: elements[0] ?? null, objects: elements, after: 'x\\"' }));
        assert.deepEqual(split(doc, sizes), elements.map((e) => JSON.stringify(e)));
      }),
      { numRuns: 2000 },
    );
  });
});
