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
import { planInputs, READ_CHUNK_BYTES, readFileChunks } from '../../src/import/plan-inputs.js';

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

describe('planInputs: which directories are MISP feeds', () => {
  const made: string[] = [];
  after(async () => {
    for (const d of made) await rm(d, { recursive: true, force: true });
  });
  const directory = async (manifest: string): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'tigraph-feed-'));
    made.push(d);
    await writeFile(join(d, 'manifest.json'), manifest);
    await writeFile(join(d, 'bundle.json'), '{"type": "bundle", "id": "bundle--1", "objects": []}');
    await writeFile(join(d, 'list.txt'), 'evil.example.com\n');
    return d;
  };
  const planned = async (d: string) => (await planInputs([d], undefined)).map((f) => [f.path.slice(d.length + 1), f.format]);

  it("a MISP feed's manifest (events by uuid, each with info): its .json files are MISP events", async () => {
    const d = await directory(JSON.stringify({ '5a2f0c6c-0000-4000-8000-000000000001': { info: 'one', timestamp: '1' } }));
    assert.deepEqual(await planned(d), [['bundle.json', 'misp']]);
  });

  it('any other manifest.json does not make a feed: every file is planned by its own format', async () => {
    const d = await directory('{"name": "x"}');
    assert.deepEqual(await planned(d), [
      ['bundle.json', 'stix'],
      ['list.txt', 'ioc-list'],
      ['manifest.json', undefined],
    ]);
  });
});
