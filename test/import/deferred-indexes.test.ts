/**
 * Bulk loads with the secondary indexes built at the end (issue 11 finding 9): the indexes are all there after the
 * import, also after a failed one, and a process killed while they were dropped gets them back from the next
 * start's migration.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MODEL } from '../../src/model/model.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { DEFER_INDEXES_BYTES, shouldDeferIndexes } from '../../src/import/bulk-load.js';
import { counts, importInto, INDICATOR } from './helpers.js';

const indexDefs = deriveSchema(MODEL)
  .tables.filter((t) => t.name === 'intelligence_profile_indicator' || t.name === 'artifact')
  .flatMap((t) => t.indexes);
const derived = indexDefs.map((i) => i.name).sort();
/** The partial indexes (WHERE column IS NOT NULL): never dropped, a row without the column costs them nothing. */
const partial = indexDefs.filter((i) => i.notNull !== undefined).map((i) => i.name).sort();
const present = (store: SqliteStore): string[] =>
  (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' AND tbl_name IN ('intelligence_profile_indicator', 'artifact') ORDER BY name").all() as { name: string }[]).map((r) => r.name);

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-deferred-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('secondary indexes deferred during a bulk load', () => {
  it('auto: only inputs of 32 MiB or more that are at least half as large as the store (about 1000 bytes an indicator)', () => {
    const MiB = 1024 * 1024;
    assert.equal(DEFER_INDEXES_BYTES, 32 * MiB);
    assert.equal(shouldDeferIndexes('auto', 31 * MiB, 0), false, 'small input into an empty store');
    assert.equal(shouldDeferIndexes('auto', 32 * MiB, 0), true, 'large input into an empty store');
    assert.equal(shouldDeferIndexes('auto', 200 * MiB, 400_000), true, '~210k indicators into 400k');
    assert.equal(shouldDeferIndexes('auto', 200 * MiB, 500_000), false, '~210k indicators into 500k');
    assert.equal(shouldDeferIndexes('always', 1, 10_000_000), true);
    assert.equal(shouldDeferIndexes('never', 1e9, 0), false);
  });

  it('--defer-indexes always: every derived index exists after the import and the data is served by them', async () => {
    const file = join(tmp, 'deferfamily.txt');
    await writeFile(file, Array.from({ length: 2000 }, (_, i) => `d${i}.defer.example`).join('\n'));
    const store = new SqliteStore(MODEL, { filename: join(tmp, 'a.db') });
    try {
      assert.ok(derived.length >= 10, `expected the indicator and artifact indexes, got ${derived.length}`);
      const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 500 });
      assert.deepEqual(s.indicators, { created: 2000, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.deepEqual(present(store), derived);
      assert.deepEqual(await counts(store), { profiles: 1, indicators: 2000 });
      // The index build's sorter settings (1 MiB cache, 2 threads) do not outlive it.
      assert.deepEqual([store.db.pragma('cache_size', { simple: true }), store.db.pragma('threads', { simple: true })], [-65536, 0]);
    } finally {
      await store.close();
    }
  });

  it('the build runs in rollback-journal mode (index pages written once, not to the WAL and again), then WAL again; the writer thread restarts for the next write', async () => {
    const file = join(tmp, 'rollbackfamily.txt');
    await writeFile(file, Array.from({ length: 3000 }, (_, i) => `r${i}.rollback.example`).join('\n'));
    const more = join(tmp, 'rollbackfamily2.txt');
    await writeFile(more, Array.from({ length: 700 }, (_, i) => `m${i}.rollback.example`).join('\n'));
    const store = new SqliteStore(MODEL, { filename: join(tmp, 'd.db'), writerThread: true });
    try {
      const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 500 });
      assert.deepEqual(s.indicators, { created: 3000, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.deepEqual(present(store), derived);
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      // The WAL holds no frame: the index pages went straight into the file (in WAL mode they would all be here).
      assert.deepEqual(store.db.pragma('wal_checkpoint(PASSIVE)'), [{ busy: 0, log: 0, checkpointed: 0 }]);
      const before = store.writerTransactions;
      const t = await importInto(store, [more], { deferIndexes: 'never', batchSize: 500 });
      assert.deepEqual(t.indicators, { created: 700, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.deepEqual(await counts(store), { profiles: 2, indicators: 3700 });
      assert.ok(before > 0 && store.writerTransactions > before, `the second import's batches ran on a writer thread again (${before} → ${store.writerTransactions} transactions)`);
    } finally {
      await store.close();
    }
  });

  it('with another connection on the file the build stays in WAL mode (SQLite cannot leave it) and completes', async () => {
    const file = join(tmp, 'sharedfamily.txt');
    await writeFile(file, Array.from({ length: 1000 }, (_, i) => `s${i}.shared.example`).join('\n'));
    const path = join(tmp, 'e.db');
    const store = new SqliteStore(MODEL, { filename: path, writerThread: true });
    const other = new Database(path, { readonly: true });
    try {
      other.prepare('SELECT count(*) FROM sqlite_master').get();
      const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 500 });
      assert.deepEqual(s.indicators, { created: 1000, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.deepEqual(present(store), derived);
      assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
      const [wal] = store.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
      assert.ok(wal!.log > 0, 'the index pages went through the WAL');
      assert.deepEqual(other.prepare('SELECT count(*) AS n FROM intelligence_profile_indicator').get(), { n: 1000 });
    } finally {
      other.close();
      await store.close();
    }
  });

  it('indexes dropped by a process that never rebuilt them come back when the store is opened again', async () => {
    const path = join(tmp, 'b.db');
    const first = new SqliteStore(MODEL, { filename: path });
    await first.dropSecondaryIndexes([INDICATOR, MODEL.entitySet('hosts')!.entityType]);
    // The artifact table's 25 partial indexes stay; its and the indicator table's 8 full ones are gone.
    assert.equal(partial.length, 25);
    assert.equal(derived.length - partial.length, 8);
    assert.deepEqual(present(first), partial);
    await first.close(); // as if killed: the rebuild never ran
    const again = new SqliteStore(MODEL, { filename: path });
    try {
      assert.deepEqual(present(again), derived);
    } finally {
      await again.close();
    }
  });

  it('an import that fails part-way still rebuilds the indexes', async () => {
    const file = join(tmp, 'failing.json');
    await writeFile(file, '{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator"');
    const store = new SqliteStore(MODEL, { filename: join(tmp, 'c.db') });
    try {
      const s = await importInto(store, [file], { deferIndexes: 'always' });
      assert.deepEqual([...s.rejected.keys()], ['truncated file']);
      assert.deepEqual(present(store), derived);
    } finally {
      await store.close();
    }
  });
});
