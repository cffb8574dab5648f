/**
 * SQLite bulk writes (src/storage/sqlite/bulk-write.ts, sqlite-writer.ts): rows stamped by the write itself (the
 * INSERT trigger does not stamp them again), old triggers upgraded by the migration, and the writer thread:
 * commit before resolve, order, errors, and every other operation waiting for the writes before it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { WriteRecord } from '../../src/model/records.js';
import { profile, indicator, runStoreCases, writesOf } from './store-cases.js';
import { applyBulkWrites, bulkWriteBytes, type BulkTable, type BulkWrite } from '../../src/storage/sqlite/bulk-write.js';
import { SqliteWriter, STAGED_WRITER_QUEUE_BYTES, WRITER_QUEUE_BYTES, WRITER_YOUNG_GENERATION_MB } from '../../src/storage/sqlite/sqlite-writer.js';

const INDICATORS = MODEL.entitySet('intelligenceProfileIndicators')!;
const ARTIFACTS = INDICATORS.entityType.navigation('artifact')!.target;
const clock = (db: Database.Database): number => Number(db.prepare('SELECT "value" FROM "tigraph_ingest_clock" WHERE "id" = 1').pluck().get());
const stamps = (db: Database.Database, table: string): number[] => (db.prepare(`SELECT "tigraph_added" FROM "${table}" ORDER BY "tigraph_added"`).pluck().all() as number[]).map(Number);
const HOSTNAME = MODEL.subtypesOf(ARTIFACTS).find((t) => t.name === 'hostname')!;
const hostRecord = (id: string): WriteRecord => ({ record: { kind: 'record', type: HOSTNAME, values: { id }, navigations: {} }, ifAbsent: true });

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tigraph-bulk-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// The whole store suite with the import path on a writer thread.
runStoreCases({
  name: 'sqlite with a writer thread',
  create: async () => {
    const d = mkdtempSync(join(tmpdir(), 'tigraph-writer-'));
    const store = new SqliteStore(MODEL, { filename: join(d, 'tigraph.db'), writerThread: true });
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      rmSync(d, { recursive: true, force: true });
    };
    return store;
  },
});

describe('sqlite bulk writes', () => {
  it('stamp each row once, consecutively, from the clock: the INSERT trigger does not fire for them', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      const before = clock(store.db);
      await store.write(writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z'), indicator('i2', 'b.example', '2024-01-02T00:00:00Z')])));
      const rows = [...stamps(store.db, 'intelligence_profile_indicator'), ...stamps(store.db, 'artifact'), ...stamps(store.db, 'intelligence_profile')].sort((a, b) => a - b);
      // 2 indicators, 2 artifacts, 1 profile: five stamps in a row, and the clock on the last (a trigger firing
      // too would have moved it once more per row).
      assert.equal(rows.length, 5);
      assert.ok(rows[0]! > before);
      assert.deepEqual(rows, [0, 1, 2, 3, 4].map((i) => rows[0]! + i));
      assert.equal(clock(store.db), rows[4]);
    } finally {
      await store.close();
    }
  });

  it('a row inserted without a stamp (a POST) is still stamped by the trigger', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      const before = clock(store.db);
      const outcome = await store.create({ writes: writesOf(profile('posted')), main: 0 });
      assert.deepEqual(outcome, { ok: true });
      const [stamp] = stamps(store.db, 'intelligence_profile');
      assert.ok(stamp! > before, `stamp ${stamp} after clock ${before}`);
      assert.equal(clock(store.db), stamp);
    } finally {
      await store.close();
    }
  });

  it('an INSERT trigger of an older database (without the condition) is replaced when the store opens', async () => {
    const file = join(dir, 'old-trigger.db');
    await new SqliteStore(MODEL, { filename: file }).close();
    const db = new Database(file);
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tg_artifact_added_insert'").pluck().get() as string;
    db.exec('DROP TRIGGER "tg_artifact_added_insert"');
    db.exec(sql.replace(/ WHEN .*? BEGIN /, ' BEGIN '));
    assert.doesNotMatch(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tg_artifact_added_insert'").pluck().get() as string, /WHEN/);
    db.close();
    const store = new SqliteStore(MODEL, { filename: file });
    try {
      assert.equal(store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tg_artifact_added_insert'").pluck().get(), sql);
    } finally {
      await store.close();
    }
  });
});

describe('sqlite bulk writes in key order', () => {
  /**
   * A hand-made bulk write of artifacts (id, value) replacing the value on conflict (insert-if-absent with `keep`),
   * after `removals` (artifact ids).
   */
  const artifactWrite = (rows: readonly (readonly [string, string])[], { removals = [] as readonly string[], kind = 'hostname', keep = false } = {}): BulkWrite => {
    // Another `kind` changes the statements' text (as writes binding other columns do), not the table.
    const table: BulkTable = {
      table: 'artifact',
      keepSql: `INSERT INTO "artifact" ("id", "odata_type", "value", "tigraph_added") VALUES (?, '${kind}', ?, ?) ON CONFLICT DO NOTHING`,
      writeSql: `INSERT INTO "artifact" ("id", "odata_type", "value", "tigraph_added") VALUES (?, '${kind}', ?, ?) ON CONFLICT ("id") DO UPDATE SET "value" = excluded."value"`,
      width: 2,
      key: 0,
      values: rows.flat(),
      keep: new Uint8Array(rows.length).fill(keep ? 1 : 0),
    };
    return { removals: removals.map((id) => ({ sql: 'DELETE FROM "artifact" WHERE "id" = ?', parameters: [id] })), tables: [table] };
  };
  /** Applies `writes` in one transaction to a new in-memory store and returns what `read` finds there. */
  const afterBulkWrites = async <T,>(writes: readonly BulkWrite[], read: (db: Database.Database) => T): Promise<T> => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      applyBulkWrites(store.db, (text) => store.db.prepare(text), writes);
      return read(store.db);
    } finally {
      await store.close();
    }
  };
  const idsAndValues = (db: Database.Database): unknown[] => db.prepare('SELECT "id", "value" FROM "artifact" ORDER BY "id"').all();
  const byStamp = (db: Database.Database): string[] => db.prepare('SELECT "id" || \'=\' || coalesce("value", \'\') FROM "artifact" ORDER BY "tigraph_added"').pluck().all() as string[];

  it("one store write inserts each table's rows in key order: the stamps ascend with the keys, not with the order given", async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      await store.write(['c.order.example', 'a.order.example', 'b.order.example'].map(hostRecord));
      assert.deepEqual(store.db.prepare('SELECT "id" FROM "artifact" ORDER BY "tigraph_added"').pluck().all(), ['a.order.example', 'b.order.example', 'c.order.example']);
    } finally {
      await store.close();
    }
  });

  it('writes without removals committed together run as one in key order, and of two rows of one key the later write wins', async () => {
    const [stamped, ids] = await afterBulkWrites([artifactWrite([['k', 'first'], ['z', 'z1']]), artifactWrite([['b', 'b2'], ['k', 'second']])], (db) => [
      byStamp(db),
      db.prepare('SELECT "id" FROM "artifact" ORDER BY "id"').pluck().all(),
    ]);
    // Sorted across both writes: b, k (first), k (second, replacing the value and the stamp), z.
    assert.deepEqual(stamped, ['b=b2', 'z=z1', 'k=second']);
    assert.deepEqual(ids, ['b', 'k', 'z']);
  });

  it("one key's rows keep the writes' order also when the writes bind different columns of the table (other statements)", async () => {
    // The first and third writes share their statements, the second has its own: k's rows still run 2nd, then 3rd.
    const rows = await afterBulkWrites([artifactWrite([['a', 'a1']]), artifactWrite([['k', 'second']], { kind: 'url' }), artifactWrite([['k', 'third']])], idsAndValues);
    assert.deepEqual(rows, [
      { id: 'a', value: 'a1' },
      { id: 'k', value: 'third' },
    ]);
  });

  it("insert-if-absent and upsert rows of one key across writes keep the writes' order", async () => {
    // p: kept, then upserted (the upsert wins); q: upserted, then kept (stays); r: kept twice (the first stays).
    const writes = [
      artifactWrite([['p', 'p-kept'], ['r', 'r-first']], { keep: true }),
      artifactWrite([['p', 'p-upserted'], ['q', 'q-upserted']]),
      artifactWrite([['q', 'q-kept'], ['r', 'r-second']], { kind: 'url', keep: true }),
    ];
    assert.deepEqual(await afterBulkWrites(writes, idsAndValues), [
      { id: 'p', value: 'p-upserted' },
      { id: 'q', value: 'q-upserted' },
      { id: 'r', value: 'r-first' },
    ]);
  });

  it('writes with removals run one after the other: a removal deletes what an earlier write of the transaction inserted', async () => {
    assert.deepEqual(await afterBulkWrites([artifactWrite([['x', 'orphan']]), artifactWrite([['y', 'adopted']], { removals: ['x'] })], byStamp), ['y=adopted']);
  });
});

describe('sqlite writer thread', () => {
  it('a write resolves once committed; writes posted together commit in order; a failed write rejects alone', async () => {
    const file = join(dir, 'writer.db');
    const store = new SqliteStore(MODEL, { filename: file, writerThread: true });
    try {
      const first = store.write(writesOf(profile('w1', [indicator('w1-i', 'w.example', '2024-01-01T00:00:00Z')])));
      const second = store.write(writesOf(profile('w1', [indicator('w1-i', 'w.example', '2024-01-01T00:00:00Z')], { title: 'Second title' })));
      // An indicator without its required first seen: NOT NULL fails in the thread, its transaction rolls back.
      const broken = store.write([{ record: { kind: 'record', type: INDICATORS.entityType, values: { id: 'broken', source: 1 }, navigations: { artifact: { kind: 'ref', type: ARTIFACTS, id: 'w.example' } } } }]);
      const third = store.write([hostRecord('after-failure.example')]);
      await first;
      await second;
      await assert.rejects(broken, /NOT NULL constraint failed/);
      await third;
      // Read through the store (it waits for the thread) and through another connection (committed, not cached).
      const p = await store.findOne({ kind: 'entity', type: MODEL.entitySet('intelProfiles')!.entityType, key: 'w1', parent: undefined, expand: [] });
      assert.equal(p?.values['title'], 'Second title');
      const other = new Database(file, { readonly: true });
      try {
        assert.deepEqual(other.prepare('SELECT id FROM artifact ORDER BY id').pluck().all(), ['after-failure.example', 'w.example']);
        assert.deepEqual(other.prepare('SELECT id FROM intelligence_profile_indicator').pluck().all(), ['w1-i']);
      } finally {
        other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('writes posted while the thread is busy commit together: 4 posted at once are 2 transactions, all committed', async () => {
    const store = new SqliteStore(MODEL, { filename: join(dir, 'writer-batched.db'), writerThread: true });
    try {
      const posted = [0, 1, 2, 3].map((i) => store.write([hostRecord(`q${i}.batched.example`)]));
      await Promise.all(posted);
      assert.equal(store.writerTransactions, 2, 'the first alone, the three queued behind it in one');
      const count = await store.count({ kind: 'count', type: ARTIFACTS, parent: undefined, filter: undefined, search: undefined });
      assert.equal(count, 4);
    } finally {
      await store.close();
    }
  });

  it('staged writes posted while the thread is busy go at once, one message each, unless a write is queued before them; all merge in order', async () => {
    const store = new SqliteStore(MODEL, { filename: join(dir, 'writer-staged-posted.db'), writerThread: true });
    try {
      // 4 staged writes: each posted at once (4 messages). Then a direct write while the thread is busy (queued)
      // and 2 staged ones behind it (queued after it, to keep the order): the three in one message.
      const staged = [0, 1, 2, 3].map((i) => store.write([hostRecord(`s${i}.staged.example`)], { stage: true }));
      const direct = store.write([hostRecord('d.staged.example')]);
      const behind = [4, 5].map((i) => store.write([hostRecord(`s${i}.staged.example`)], { stage: true }));
      await Promise.all([...staged, direct, ...behind]);
      assert.equal(store.writerTransactions, 5, '4 staged writes posted at once, then the direct write and the 2 staged ones queued behind it');
      await store.mergeStaged();
      const other = new Database(join(dir, 'writer-staged-posted.db'), { readonly: true });
      try {
        assert.deepEqual(other.prepare('SELECT id FROM artifact ORDER BY tigraph_added').pluck().all(), [
          's0.staged.example',
          's1.staged.example',
          's2.staged.example',
          's3.staged.example',
          'd.staged.example',
          's4.staged.example',
          's5.staged.example',
        ]);
      } finally {
        other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('the thread runs with its young generation capped at 8 MiB, and writes with it', async () => {
    const file = join(dir, 'writer-limits.db');
    await new SqliteStore(MODEL, { filename: file }).close();
    const writer = new SqliteWriter({ filename: file, mmapBytes: 0, cacheKiB: 1024, mergeAtRows: 1000, busyTimeoutMs: 5000 });
    try {
      await writer.write({ removals: [{ sql: 'INSERT INTO "tigraph_secrets" ("name", "value") VALUES (?, ?)', parameters: ['limits', 'written'] }], tables: [] });
      assert.equal(WRITER_YOUNG_GENERATION_MB, 8);
      assert.equal(writer.resourceLimits.maxYoungGenerationSizeMb, 8);
    } finally {
      await writer.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT "value" FROM "tigraph_secrets" WHERE "name" = ?').pluck().get('limits'), 'written');
    } finally {
      db.close();
    }
  });

  it('the thread counts the bytes of the writes posted and not answered (bulkWriteBytes); committed or failed, they no longer count', async () => {
    const file = join(dir, 'writer-bytes.db');
    await new SqliteStore(MODEL, { filename: file }).close();
    const writer = new SqliteWriter({ filename: file, mmapBytes: 0, cacheKiB: 1024, mergeAtRows: 1000, busyTimeoutMs: 5000 });
    try {
      // A row of the secrets table (the stamp, bound last, only has to be there): 71 characters of SQL, twice.
      const sql = 'INSERT INTO "tigraph_secrets" ("name", "value") SELECT ?, ? WHERE ? > 0';
      assert.equal(sql.length, 71);
      const secret = (name: string, value: string | number): BulkWrite => ({ removals: [], tables: [{ table: 'tigraph_secrets', keepSql: sql, writeSql: sql, width: 2, key: 0, values: [name, value], keep: Uint8Array.of(0) }] });
      const long = secret('bytes-long', 'x'.repeat(1000));
      const number = secret('bytes-number', 42);
      // The same statements on a table that does not exist: the thread fails it, alone.
      const missing = sql.replace('tigraph_secrets', 'no_such_table');
      const failing: BulkWrite = { removals: [], tables: [{ ...number.tables[0]!, keepSql: missing, writeSql: missing }] };
      // Per write: 1 row flag, the two statements (2 × 71 characters; 2 × 69 for no_such_table), the values (10 +
      // 1,000 characters; 12 characters and a number, 9).
      assert.deepEqual([long, number, failing].map(bulkWriteBytes), [1 + 142 + 1010, 1 + 142 + 12 + 9, 1 + 138 + 12 + 9]);
      const posted = [long, number, failing].map((w) => writer.write(w));
      assert.equal(writer.queuedBytes, 1153 + 164 + 160);
      await posted[0];
      await posted[1];
      await assert.rejects(posted[2]!, /no such table: no_such_table/);
      assert.equal(writer.queuedBytes, 0);
    } finally {
      await writer.close();
    }
  });

  it('writeQueueFull: while the writes posted to the thread hold more bytes than the budget of their kind (8 MiB direct, 16 MiB staged by default); not once they committed, nor without a thread', async () => {
    assert.deepEqual([WRITER_QUEUE_BYTES, STAGED_WRITER_QUEUE_BYTES], [8 * 1024 * 1024, 16 * 1024 * 1024]);
    const hosts = (n: number, tag: string): WriteRecord[] => Array.from({ length: n }, (_, i) => hostRecord(`h${i}.${tag}.full.example`));
    const seen: Record<string, unknown>[] = [];
    const budgets = [
      [true, { direct: 20_000, staged: 1_000_000 }],
      [true, { direct: 1_000_000, staged: 20_000 }],
      [true, undefined],
      [false, { direct: 1, staged: 1 }],
    ] as const;
    for (const [writerThread, writerQueueBytes] of budgets) {
      const store: SqliteStore = new SqliteStore(MODEL, { filename: join(dir, `writer-full-${seen.length}.db`), writerThread, ...(writerQueueBytes ? { writerQueueBytes } : {}) });
      try {
        // One host (its statements and a few values: under 20,000 bytes), then 2,000 hosts (over 60,000).
        const one = store.write(hosts(1, 'one'));
        const afterOne = [store.writeQueueFull(false), store.writeQueueFull(true)];
        const many = store.write(hosts(2000, 'many'));
        const afterMany = [store.writeQueueFull(false), store.writeQueueFull(true)];
        await Promise.all([one, many]);
        seen.push({ writerThread, writerQueueBytes, afterOne, afterMany, committed: [store.writeQueueFull(false), store.writeQueueFull(true)] });
      } finally {
        await store.close();
      }
    }
    assert.deepEqual(seen, [
      // [direct, staged]: 2,000 hosts are past a budget of 20,000 bytes, not of 1,000,000 or the defaults.
      { writerThread: true, writerQueueBytes: budgets[0][1], afterOne: [false, false], afterMany: [true, false], committed: [false, false] },
      { writerThread: true, writerQueueBytes: budgets[1][1], afterOne: [false, false], afterMany: [false, true], committed: [false, false] },
      { writerThread: true, writerQueueBytes: undefined, afterOne: [false, false], afterMany: [false, false], committed: [false, false] },
      { writerThread: false, writerQueueBytes: budgets[3][1], afterOne: [false, false], afterMany: [false, false], committed: [false, false] },
    ]);
  });

  it('a read right after a posted write waits for it: the count is the written one, not the one before', async () => {
    const store = new SqliteStore(MODEL, { filename: join(dir, 'writer-order.db'), writerThread: true });
    try {
      const rows = Array.from({ length: 20_000 }, (_, i) => hostRecord(`h${i}.order.example`));
      const written = store.write(rows);
      // Not awaited: the store's own connection would otherwise read the state before the thread's commit.
      const count = await store.count({ kind: 'count', type: ARTIFACTS, parent: undefined, filter: undefined, search: undefined });
      assert.equal(count, 20_000);
      await written;
      const outcome = await store.create({ writes: [{ record: rows[rows.length - 1]!.record }], main: 0 });
      assert.deepEqual(outcome, { ok: false, reason: 'conflict', type: HOSTNAME, key: 'h19999.order.example' });
    } finally {
      await store.close();
    }
  });
});
