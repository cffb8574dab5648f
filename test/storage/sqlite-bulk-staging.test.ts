/**
 * Staged bulk writes on SQLite (src/storage/sqlite/bulk-staging.ts), on the store's own connection and on a writer
 * thread: no read sees staged rows until they merge; the merge keeps the writes' order (later upserts merge over
 * earlier rows, an earlier insert-if-absent stays) and stamps its rows in its own transaction; writes that must
 * follow staged rows merge them first; a failed transaction leaves the staging as it was; closing merges; and the
 * staged rows merge by themselves in parts once `stagingMergeRows` of them are staged; a merge runs with its own page
 * cache (MERGE_CACHE_KIB) and restores the connection's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../../src/model/model.js';
import { indicatorSource } from '../../src/model/security-ti.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { WriteRecord } from '../../src/model/records.js';
import { profile, indicator, writesOf } from './store-cases.js';

const INDICATOR_TYPE = MODEL.entitySet('intelligenceProfileIndicators')!.entityType;
const T1 = '2024-01-01T00:00:00Z';
const T2 = '2024-02-01T00:00:00Z';
const T3 = '2024-03-01T00:00:00Z';

interface Row {
  id: string;
  first: number;
  last: number | null;
  source: number;
  added: number;
}
const rows = (store: SqliteStore): Row[] =>
  store.db
    .prepare('SELECT "id", "first_seen_date_time" AS first, "last_seen_date_time" AS last, "source", "tigraph_added" AS added FROM "intelligence_profile_indicator" ORDER BY "id"')
    .all() as Row[];
const ids = (store: SqliteStore): string[] => rows(store).map((r) => r.id);
const clock = (store: SqliteStore): number => Number(store.db.prepare('SELECT "value" FROM "tigraph_ingest_clock" WHERE "id" = 1').pluck().get());
/** The stored values of indicatorSource's members. */
const SOURCE = Object.fromEntries(indicatorSource.members.map((m) => [m.name, m.value])) as Record<string, number>;
/** `writesOf`'s records with the indicators' first seen (NOT NULL in the table) taken out. */
const withoutFirstSeen = (ws: WriteRecord[]): WriteRecord[] =>
  ws.map((w) => (w.record.type === INDICATOR_TYPE ? { ...w, record: { ...w.record, values: { ...w.record.values, firstSeenDateTime: null } } } : w));

/** A trigger that makes the indicator table refuse the row of id 'bad' ('boom'), as a constraint would. */
const refuseBad = (store: SqliteStore): void => {
  store.db.exec(`CREATE TRIGGER "test_boom" BEFORE INSERT ON "intelligence_profile_indicator" WHEN NEW."id" = 'bad' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
};

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tigraph-staging-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const open = (writerThread: boolean, stagingMergeRows?: number): SqliteStore =>
  new SqliteStore(MODEL, { filename: join(dir, `s${n++}.db`), writerThread, ...(stagingMergeRows ? { stagingMergeRows } : {}) });

for (const writerThread of [false, true]) {
  describe(`staged bulk writes (${writerThread ? 'writer thread' : "the store's own connection"})`, () => {
    it('are invisible until mergeStaged; the merge applies them in order and stamps them after every row written before it', async () => {
      const store = open(writerThread);
      try {
        await store.write(writesOf(profile('p0', [indicator('direct', 'direct.example', T1)])), { merge: true });
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T2, T2, 'public'), indicator('i2', 'b.example', T2)])), { merge: true, stage: true });
        // i1 again, earlier first seen and later last seen: merged over the staged row by the model's rules.
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1, T3, 'microsoft')])), { merge: true, stage: true });
        assert.deepEqual(ids(store), ['direct']);
        assert.equal(store.stagedWrites, 2);
        const before = clock(store);
        await store.mergeStaged();
        const after = rows(store);
        assert.deepEqual(
          after.map(({ id, first, last, source }) => ({ id, first, last, source })),
          [
            { id: 'direct', first: Date.parse(T1), last: null, source: SOURCE.osint },
            { id: 'i1', first: Date.parse(T1), last: Date.parse(T3), source: SOURCE.microsoft },
            { id: 'i2', first: Date.parse(T2), last: null, source: SOURCE.osint },
          ],
        );
        for (const r of after.filter((r) => r.id !== 'direct')) assert.ok(r.added > before, `${r.id} stamped by the merge (${r.added} > ${before})`);
        assert.equal(clock(store), Math.max(...after.map((r) => r.added)));
        // Insert-if-absent artifacts: a.example staged twice, stored once.
        assert.equal(store.db.prepare(`SELECT count(*) FROM "artifact" WHERE "id" = 'a.example'`).pluck().get(), 1);
      } finally {
        await store.close();
      }
    });

    it('a direct write of a staged table merges the staged rows first, so it applies after them', async () => {
      const store = open(writerThread);
      try {
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1, null, 'public')])), { stage: true });
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1, null, 'microsoft')])));
        // Nothing is left staged to merge over it later.
        await store.mergeStaged();
        assert.deepEqual(rows(store).map((r) => [r.id, r.source]), [['i1', SOURCE.microsoft]]);
      } finally {
        await store.close();
      }
    });

    it('a write with removals merges the staged rows first, so it removes staged rows too', async () => {
      const store = open(writerThread);
      try {
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1), indicator('i2', 'b.example', T1)])), { merge: true, stage: true });
        await store.write([], { merge: true, stage: true, remove: { type: INDICATOR_TYPE, keys: ['i1'] } });
        await store.mergeStaged();
        assert.deepEqual(ids(store), ['i2']);
      } finally {
        await store.close();
      }
    });

    it('a staged write in another conflict mode than its table holds merges them first and is written directly', async () => {
      const store = open(writerThread);
      try {
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T2)])), { merge: true, stage: true });
        // Replace mode: the earlier first seen of the merge mode's row does not survive.
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T3)])), { stage: true });
        await store.mergeStaged();
        assert.deepEqual(rows(store).map((r) => [r.id, r.first]), [['i1', Date.parse(T3)]]);
      } finally {
        await store.close();
      }
    });

    it('a write that fails after merging the staged rows leaves them staged, and the next merge stores them', async () => {
      const store = open(writerThread);
      try {
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1)])), { merge: true, stage: true });
        // An indicator without its first seen: the NOT NULL constraint fails the transaction, merge included.
        await assert.rejects(store.write(withoutFirstSeen(writesOf(profile('p2', [indicator('x', 'x.example', T1)]))), { merge: true }), /NOT NULL constraint failed: intelligence_profile_indicator\.first_seen_date_time/);
        assert.deepEqual(ids(store), []);
        await store.mergeStaged();
        assert.deepEqual(ids(store), ['i1']);
      } finally {
        await store.close();
      }
    });

    it('a staged write whose rows fail at the merge is left out alone: the others merge, and mergeStaged reports it', async () => {
      const store = open(writerThread);
      try {
        refuseBad(store);
        for (const id of ['i1', 'bad', 'i3']) await store.write(writesOf(profile('p1', [indicator(id, `${id}.example`, T1)])), { merge: true, stage: true });
        await assert.rejects(store.mergeStaged(), (e: Error & { code?: string }) => {
          assert.equal(e.message, '1 staged write failed when merged, and its rows were left out: boom');
          assert.equal(e.code, 'SQLITE_CONSTRAINT_TRIGGER');
          return true;
        });
        // The failed write's artifact is left out with it (one write, all or nothing).
        assert.deepEqual(ids(store), ['i1', 'i3']);
        assert.deepEqual(store.db.prepare(`SELECT "id" FROM "artifact" ORDER BY "id"`).pluck().all(), ['i1.example', 'i3.example']);
        await store.mergeStaged();
      } finally {
        await store.close();
      }
    });

    it('a failure at a merge in parts fails no write: the next mergeStaged reports it, and the other rows are kept', async () => {
      const store = open(writerThread, 8);
      try {
        refuseBad(store);
        // 5 rows per write (2 indicators, 2 artifacts, 1 profile): the second write reaches 8 and merges both.
        await store.write(writesOf(profile('p1', [indicator('bad', 'bad.example', T1), indicator('i1', 'i1.example', T1)])), { merge: true, stage: true });
        await store.write(writesOf(profile('p1', [indicator('i2', 'i2.example', T1), indicator('i3', 'i3.example', T1)])), { merge: true, stage: true });
        assert.deepEqual(ids(store), ['i2', 'i3']);
        await assert.rejects(store.mergeStaged(), /^Error: 1 staged write failed when merged, and its rows were left out: boom$/);
        await store.mergeStaged();
      } finally {
        await store.close();
      }
    });

    it('closing the store merges what is staged', async () => {
      const store = open(writerThread);
      const file = store['options'].filename as string;
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1)])), { merge: true, stage: true });
      await store.close();
      const again = new SqliteStore(MODEL, { filename: file });
      try {
        assert.deepEqual(ids(again), ['i1']);
      } finally {
        await again.close();
      }
    });

    it('a direct write and a staged one after it in the same transaction (queued together) apply in that order, also when the staged one merges', async () => {
      const store = open(writerThread, 1);
      try {
        // The first write keeps a writer thread busy while the next two queue up behind it, for one message.
        const writes = [
          store.write(writesOf(profile('p0', [indicator('other', 'o.example', T1)])), { merge: true }),
          store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1, null, 'microsoft')])), { merge: true }),
          store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1, null, 'public')])), { merge: true, stage: true }),
        ];
        await Promise.all(writes);
        await store.mergeStaged();
        assert.deepEqual(rows(store).map((r) => [r.id, r.source]), [['i1', SOURCE.public], ['other', SOURCE.osint]]);
      } finally {
        await store.close();
      }
    });

    it('once stagingMergeRows rows are staged, the write that staged the last of them merges them all', async () => {
      // Each write below stages 5 rows: 2 indicators, 2 artifacts, 1 profile.
      const store = open(writerThread, 8);
      try {
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1), indicator('i2', 'b.example', T1)])), { merge: true, stage: true });
        assert.deepEqual(ids(store), []);
        await store.write(writesOf(profile('p1', [indicator('i3', 'c.example', T1), indicator('i4', 'd.example', T1)])), { merge: true, stage: true });
        assert.deepEqual(ids(store), ['i1', 'i2', 'i3', 'i4']);
        await store.write(writesOf(profile('p1', [indicator('i5', 'e.example', T1)])), { merge: true, stage: true });
        assert.deepEqual(ids(store), ['i1', 'i2', 'i3', 'i4']);
        await store.mergeStaged();
        assert.deepEqual(ids(store), ['i1', 'i2', 'i3', 'i4', 'i5']);
      } finally {
        await store.close();
      }
    });

    it("merges with an 8 MiB page cache and gives the connection its own cache back", async () => {
      const store = open(writerThread);
      try {
        // Each indicator row the writing connection inserts records that connection's page cache (KiB, negative).
        store.db.exec(`CREATE TABLE "test_cache" ("c");
          CREATE TRIGGER "test_cache_seen" AFTER INSERT ON "intelligence_profile_indicator" BEGIN INSERT INTO "test_cache" SELECT * FROM pragma_cache_size(); END`);
        await store.write(writesOf(profile('p0', [indicator('before', 'before.example', T1)])), { merge: true });
        await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', T1), indicator('i2', 'b.example', T1)])), { merge: true, stage: true });
        await store.mergeStaged();
        await store.write(writesOf(profile('p0', [indicator('after', 'after.example', T1)])), { merge: true });
        // The writer thread's cache is 32 MiB; the store's own connection, without one, 64 MiB.
        const own = writerThread ? -32768 : -65536;
        assert.deepEqual(store.db.prepare('SELECT "c" FROM "test_cache" ORDER BY rowid').pluck().all(), [own, -8192, -8192, own]);
      } finally {
        await store.close();
      }
    });
  });
}
