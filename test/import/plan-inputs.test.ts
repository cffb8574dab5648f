/**
 * Input files are read in chunks of at most READ_CHUNK_BYTES (64 KiB), so a reader yields to the event loop (and
 * the database's answers to the batches in flight) at least once per 64 KiB; the bytes come through whole and
 * in order, and onBytes counts them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { READ_CHUNK_BYTES, readFileChunks } from '../../src/import/plan-inputs.js';

describe('readFileChunks', () => {
  let dir: string | undefined;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads a 200,000-byte file in chunks of 65,536 bytes, then the rest, counting every byte', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tigraph-chunks-'));
    const path = join(dir, 'input.txt');
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 97 + (i % 26);
    await writeFile(path, bytes);
    assert.equal(READ_CHUNK_BYTES, 65_536);
    const sizes: number[] = [];
    const chunks: Buffer[] = [];
    let counted = 0;
    for await (const c of readFileChunks(path, (n) => (counted += n))) {
      sizes.push(c.length);
      chunks.push(c);
    }
    assert.deepEqual(sizes, [65_536, 65_536, 65_536, 3_392]);
    assert.equal(counted, 200_000);
    assert.ok(Buffer.concat(chunks).equals(bytes));
  });
});
