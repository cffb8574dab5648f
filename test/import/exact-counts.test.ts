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
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { shouldPreloadKeys } from '../../src/import/bulk-load.js';
import type { Store } from '../../src/storage/store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';

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

describe('stored keys read first (a large import into a non-empty store)', () => {
  it('auto: a store of at most 8M indicators, when the input holds at least a quarter as many (about 1000 bytes each)', () => {
    assert.equal(shouldPreloadKeys(1_000_000, 0), false, 'an empty store has nothing to read');
    assert.equal(shouldPreloadKeys(250_000 * 1000, 1_000_000), true, '250k indicators into 1M');
    assert.equal(shouldPreloadKeys(249_000 * 1000, 1_000_000), false, '249k indicators into 1M');
    assert.equal(shouldPreloadKeys(1e12, 8_000_001), false, 'too many to hold');
  });

  it('the same counts, adoptions and rows as a run that looks every key up', async () => {
    const csv = (name: string, hosts: string[]): Promise<string> => {
      const path = join(tmp, name);
      const rows = ['DateAdded,FirstSeen,IoC,Type,TLP,Release,Category,MalwareFamily,SHA1,MD5,Filename,C2Domain', ...hosts.map((h) => `5/27/2021,5/25/2021,${h},Domain,WHITE,May21,C2,,,,,`), ''];
      return writeFile(path, rows.join('\r\n')).then(() => path);
    };
    const listed = await csv('preload-listed.csv', ['keep.example', 'untouched.example']);
    const orphans = await csv('preload-orphans.csv', ['orphan-a.example', 'orphan-b.example']);
    const fresh = Array.from({ length: 9 }, (_, i) => `new-${i}.example`);
    const again = await csv('preload-again.csv', ['keep.example', 'orphan-a.example', ...fresh, 'new-0.example']);
    const results = [];
    for (const preloadKeys of ['always', 'never'] as const) {
      const store = memoryStore();
      await importInto(store, [listed], { profile: 'Preload Group' });
      await importInto(store, [orphans]);
      const s = await importInto(store, [again], { profile: 'Preload Group', preloadKeys, batchSize: 4 });
      results.push({ keysRead: s.storedKeysRead, indicators: s.indicators, merged: s.mergedInBatch, adopted: s.orphansAdopted, stored: await counts(store) });
      await store.close();
    }
    // keep: unchanged; orphan-a: adopted (created under the profile, the orphan deleted); 9 new; new-0 repeated: merged
    const expected = { indicators: { created: 10, updated: 0, unchanged: 1, withoutProfile: 0 }, merged: 1, adopted: 1, stored: { profiles: 1, indicators: 13 } };
    // 'always' read the 4 stored indicator keys; 'never' looked each batch's keys up
    assert.deepEqual(results, [{ keysRead: 4, ...expected }, { keysRead: 0, ...expected }]);
  });
});

describe('batch writes in flight (Store.writesInFlight)', () => {
  /** The store's `write`, instrumented: the most writes posted and not yet settled at once. */
  function trackWrites(store: Store, delayMs = 0): { readonly max: () => number } {
    const write = store.write.bind(store);
    let pending = 0;
    let max = 0;
    store.write = (records, options) => {
      pending++;
      max = Math.max(max, pending);
      // A delay before the write starts keeps it in flight while the importer goes on (a slow database).
      const started = delayMs > 0 ? new Promise<void>((r) => setTimeout(r, delayMs)).then(() => write(records, options)) : write(records, options);
      return started.finally(() => pending--);
    };
    return { max: () => max };
  }

  it('a SQLite file with a writer thread queues up to 4 batches, a store without one 1; counts and rows stay exact', async () => {
    const hosts = Array.from({ length: 40 }, (_, i) => `inflight-${i}.example`);
    const file = join(tmp, 'apt_inflightgroup.txt');
    // Each host three times, 40 apart: with batches of 4 (10 batches write), a repeat's id is looked up while the
    // batch that wrote it may still be queued; the lookup must see it (merged, not created twice).
    await writeFile(file, [...hosts, ...hosts, ...hosts].join('\n') + '\n');
    const seen = [];
    for (const writerThread of [true, false]) {
      const dir = await mkdtemp(join(tmp, 'inflight-'));
      const store = new SqliteStore(MODEL, { filename: join(dir, 'tigraph.db'), writerThread });
      const tracked = trackWrites(store);
      const s = await importInto(store, [file], { batchSize: 4, deferIndexes: 'never' });
      seen.push({ writesInFlight: store.writesInFlight, max: tracked.max(), indicators: s.indicators, merged: s.mergedInBatch, batches: s.batches, stored: await counts(store) });
      await store.close();
    }
    const exact = { indicators: { created: 40, updated: 0, unchanged: 0, withoutProfile: 0 }, merged: 80, batches: 10, stored: { profiles: 1, indicators: 40 } };
    assert.deepEqual(seen, [
      { writesInFlight: 4, max: 4, ...exact },
      { writesInFlight: 1, max: 1, ...exact },
    ]);
  });

  it('staged, a SQLite file with a writer thread queues up to 12 batches into an empty store, 8 into one that holds indicators (4 unstaged), a store without one 1; counts and rows stay exact', async () => {
    const hosts = Array.from({ length: 60 }, (_, i) => `staged-inflight-${i}.example`);
    const file = join(tmp, 'apt_stagedinflightgroup.txt');
    // Batches of 2: 30 batches write.
    await writeFile(file, hosts.join('\n') + '\n');
    // What the store holds before, in the case that is not a first load: one indicator of another profile.
    const earlier = join(tmp, 'apt_stagedinflightearlier.txt');
    await writeFile(earlier, 'staged-inflight-earlier.example\n');
    const seen = [];
    for (const [writerThread, stage, intoEmptyStore] of [[true, 'always', true], [true, 'always', false], [true, 'never', true], [false, 'always', true]] as const) {
      const dir = await mkdtemp(join(tmp, 'staged-inflight-'));
      const store = new SqliteStore(MODEL, { filename: join(dir, 'tigraph.db'), writerThread });
      if (!intoEmptyStore) await importInto(store, [earlier], { deferIndexes: 'never' });
      // A delay before each write keeps the batches in flight as long as the importer lets them be.
      const tracked = trackWrites(store, 20);
      const s = await importInto(store, [file], { batchSize: 2, deferIndexes: 'always', stage });
      seen.push({ stage, intoEmptyStore, stagedWritesInFlight: store.stagedWritesInFlight(intoEmptyStore), max: tracked.max(), indicators: s.indicators, merged: s.mergedInBatch, batches: s.batches, stored: await counts(store) });
      await store.close();
    }
    const exact = { indicators: { created: 60, updated: 0, unchanged: 0, withoutProfile: 0 }, merged: 0, batches: 30 };
    const stored = { profiles: 1, indicators: 60 };
    assert.deepEqual(seen, [
      { stage: 'always', intoEmptyStore: true, stagedWritesInFlight: 12, max: 12, ...exact, stored },
      { stage: 'always', intoEmptyStore: false, stagedWritesInFlight: 8, max: 8, ...exact, stored: { profiles: 2, indicators: 61 } },
      { stage: 'never', intoEmptyStore: true, stagedWritesInFlight: 12, max: 4, ...exact, stored },
      { stage: 'always', intoEmptyStore: true, stagedWritesInFlight: 1, max: 1, ...exact, stored },
    ]);
  });

  it('a SQLite writer thread whose queue is full in bytes (writeQueueFull: rows of long values) gets one batch in flight beside the one posted, staged or not; counts and rows stay exact', async () => {
    const hosts = Array.from({ length: 60 }, (_, i) => `full-queue-${i}.example`);
    const file = join(tmp, 'apt_fullqueuegroup.txt');
    // Batches of 2: 30 batches write.
    await writeFile(file, hosts.join('\n') + '\n');
    const seen = [];
    for (const stage of ['always', 'never'] as const) {
      const dir = await mkdtemp(join(tmp, 'full-queue-'));
      const store = new SqliteStore(MODEL, { filename: join(dir, 'tigraph.db'), writerThread: true });
      // The store reports its queue full whatever it holds (and records for which kind of write it was asked);
      // each write starts late, so batches stay in flight.
      const asked = new Set<boolean>();
      store.writeQueueFull = (staged) => {
        asked.add(staged);
        return true;
      };
      const tracked = trackWrites(store, 20);
      const s = await importInto(store, [file], { batchSize: 2, deferIndexes: 'always', stage });
      seen.push({ stage, asked: [...asked], max: tracked.max(), indicators: s.indicators, merged: s.mergedInBatch, batches: s.batches, stored: await counts(store) });
      await store.close();
    }
    const exact = { indicators: { created: 60, updated: 0, unchanged: 0, withoutProfile: 0 }, merged: 0, batches: 30, stored: { profiles: 1, indicators: 60 } };
    // Without the byte check: 12 staged and 4 unstaged (the test above).
    assert.deepEqual(seen, [
      { stage: 'always', asked: [true], max: 2, ...exact },
      { stage: 'never', asked: [false], max: 2, ...exact },
    ]);
  });

  it('PostgreSQL with writesInFlight 2 (the CLI import): 2 batches in flight while no lookup is needed; a batch that looks up repeats waits for both first, so counts and rows stay exact', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, async () => {
    const hosts = Array.from({ length: 40 }, (_, i) => `pg-inflight-${i}.example`);
    const file = join(tmp, 'apt_pginflightgroup.txt');
    // The first 40 lines are new ids (no lookups: the store was empty), then every id twice more (looked up).
    await writeFile(file, [...hosts, ...hosts, ...hosts].join('\n') + '\n');
    // A server's store keeps the default: one write in flight, so an import job holds one pooled connection.
    const server = await createTestPostgresStore();
    assert.equal(server.writesInFlight, 1);
    await server.close();
    const store = await createTestPostgresStore({ writesInFlight: 2 });
    try {
      // Each write starts 100 ms late: a lookup that did not wait for the writes before it would miss their rows.
      const tracked = trackWrites(store, 100);
      const s = await importInto(store, [file], { batchSize: 4, deferIndexes: 'never' });
      assert.deepEqual(
        { writesInFlight: store.writesInFlight, reads: store.readsSeeWritesInFlight, max: tracked.max(), indicators: s.indicators, merged: s.mergedInBatch, batches: s.batches, stored: await counts(store) },
        { writesInFlight: 2, reads: false, max: 2, indicators: { created: 40, updated: 0, unchanged: 0, withoutProfile: 0 }, merged: 80, batches: 10, stored: { profiles: 1, indicators: 40 } },
      );
    } finally {
      await store.close();
    }
  });
});
