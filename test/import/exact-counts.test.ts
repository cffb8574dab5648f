/**
 * Issue 11 finding 8: counts are exact. An input repeated in a later batch of the same run is a merged duplicate,
 * not 'unchanged'; a re-import's unchanged equals what is stored, not the number of input lines.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { counts, importInto, memoryStore } from './helpers.js';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-counts-'));
});
after(() => rm(tmp, { recursive: true, force: true }));

describe('exact import counts', () => {
  it('10 distinct hosts, each listed 3 times across batches of 4: 10 created, 20 merged; re-import: 10 unchanged, 20 merged', async () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `count-${i}.example`);
    const file = join(tmp, 'apt_countgroup.txt');
    await writeFile(file, [...hosts, ...hosts, ...hosts].join('\n') + '\n');
    const store = memoryStore();
    const first = await importInto(store, [file], { batchSize: 4 });
    assert.deepEqual([first.indicators, first.mergedInBatch], [{ created: 10, updated: 0, unchanged: 0, withoutProfile: 0 }, 20]);
    assert.deepEqual(await counts(store), { profiles: 1, indicators: 10 });
    const again = await importInto(store, [file], { batchSize: 4 });
    assert.deepEqual([again.indicators, again.mergedInBatch], [{ created: 0, updated: 0, unchanged: 10, withoutProfile: 0 }, 20]);
    await store.close();
  });
});
