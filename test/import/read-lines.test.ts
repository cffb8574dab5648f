/**
 * Lines of a byte stream (issue 10, linear-time importers): a line longer than MAX_LINE_BYTES is one reject at its
 * own line number and the lines after it are read; lines split across many chunks are joined exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINE_BYTES, readLines, type Line } from '../../src/import/read-lines.js';

async function* chunked(text: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size);
}
async function all(text: Buffer, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(chunked(text, size))) out.push(l);
  return out;
}

describe('readLines', () => {
  it('a line over the limit, in 64 KiB chunks, is one reject; the next lines are read', async () => {
    const input = Buffer.concat([Buffer.from('first.example\n'), Buffer.alloc(3 * MAX_LINE_BYTES, 0x61), Buffer.from('\nafter.example\r\nlast.example')]);
    assert.deepEqual(await all(input, 65536), [
      { lineNo: 1, text: 'first.example' },
      { lineNo: 2, text: undefined, error: `line longer than ${MAX_LINE_BYTES} bytes` },
      { lineNo: 3, text: 'after.example' },
      { lineNo: 4, text: 'last.example' },
    ]);
  });

  it('a last line over the limit without a newline is rejected too', async () => {
    assert.deepEqual(await all(Buffer.alloc(MAX_LINE_BYTES + 1, 0x62), 4096), [{ lineNo: 1, text: undefined, error: `line longer than ${MAX_LINE_BYTES} bytes` }]);
  });

  it('a line of exactly the limit, split over 1-byte-odd chunks, is kept whole; a UTF-8 character split across chunks decodes', async () => {
    const long = 'x'.repeat(MAX_LINE_BYTES);
    const lines = await all(Buffer.from(`${long}\nmünchen.example\n`), 65537);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.text, long);
    assert.deepEqual(lines[1], { lineNo: 2, text: 'münchen.example' });
    assert.deepEqual(await all(Buffer.from('ab\nmü\n'), 1), [
      { lineNo: 1, text: 'ab' },
      { lineNo: 2, text: 'mü' },
    ]);
  });
});
