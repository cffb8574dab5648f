/** The SQLite reader threads and the deadline guard (src/storage/sqlite/sqlite-readers.ts, deadline-guard.ts). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GRACE_MS, ReadFailed, SqliteReaders } from '../../src/storage/sqlite/sqlite-readers.js';

let dir: string;
let file: string;
let writer: Database.Database;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tigraph-reader-threads-'));
  file = join(dir, 'r.db');
  writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = writer.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  writer.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(i, `v${i}`);
  })();
});
after(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

// Guarded per inner row, as compiled any() subqueries are: 3000 x 3000 pairs, far longer than the deadlines here.
const GUARDED = { sql: "SELECT count(*) AS n FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE tigraph_live() = 1 AND instr(b.v, a.v || 'x') > 0)", parameters: [] };
// No guard call at all: only the thread's replacement can end it.
const UNGUARDED = { sql: 'SELECT count(*) AS n FROM t a, t b, t c WHERE a.v || b.v = c.v', parameters: [] };

describe('SQLite reader threads', () => {
  it('read what the writer committed, each read seeing the latest commit', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 2);
    try {
      assert.deepEqual(await readers.run({ sql: 'SELECT count(*) AS n FROM t', parameters: [] }, undefined), [{ n: 3000 }]);
      writer.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(10_000, 'new');
      assert.deepEqual(await readers.run({ sql: 'SELECT v FROM t WHERE k = ?', parameters: [10_000] }, undefined), [{ v: 'new' }]);
      writer.prepare('DELETE FROM t WHERE k = ?').run(10_000);
    } finally {
      await readers.close();
    }
  });

  it('are query-only: a write through them fails with SQLite\'s error', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 1);
    try {
      await assert.rejects(readers.run({ sql: "INSERT INTO t (k, v) VALUES (20000, 'x') RETURNING k", parameters: [] }, undefined), (e: unknown) => e instanceof ReadFailed && !e.deadline && e.message === 'attempt to write a readonly database');
    } finally {
      await readers.close();
    }
  });

  it('a guarded read is ended by the guard at its deadline, and the thread serves the next read', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 1);
    try {
      const started = Date.now();
      await assert.rejects(readers.run(GUARDED, Date.now() + 300), (e: unknown) => e instanceof ReadFailed && e.deadline);
      const took = Date.now() - started;
      assert.ok(took >= 290 && took < 300 + GRACE_MS, `ended after ${took} ms (before the grace period: the guard ended it)`);
      assert.deepEqual(await readers.run({ sql: 'SELECT count(*) AS n FROM t', parameters: [] }, undefined), [{ n: 3000 }]);
    } finally {
      await readers.close();
    }
  });

  it('a read the guard cannot see ends at deadline + grace: its thread is replaced and the pool keeps its size', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 1);
    try {
      const started = Date.now();
      await assert.rejects(readers.run(UNGUARDED, Date.now() + 200), (e: unknown) => e instanceof ReadFailed && e.deadline);
      const took = Date.now() - started;
      assert.ok(took >= 200 + GRACE_MS - 10 && took < 200 + GRACE_MS + 400, `ended after ${took} ms`);
      assert.equal(readers.size, 1);
      assert.deepEqual(await readers.run({ sql: 'SELECT v FROM t WHERE k = 7', parameters: [] }, Date.now() + 5000), [{ v: 'v7' }]);
    } finally {
      await readers.close();
    }
  });

  it('a read queued past its deadline fails without running', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 1);
    try {
      const busy = readers.run(GUARDED, Date.now() + 400);
      const queued = readers.run({ sql: 'SELECT 1 AS one', parameters: [] }, Date.now() + 100);
      await assert.rejects(queued, (e: unknown) => e instanceof ReadFailed && e.deadline);
      await assert.rejects(busy, (e: unknown) => e instanceof ReadFailed && e.deadline);
    } finally {
      await readers.close();
    }
  });

  it('close() fails the reads still queued and lets the process exit', async () => {
    const readers = new SqliteReaders({ filename: file, mmapBytes: 0 }, 1);
    const busy = assert.rejects(readers.run(GUARDED, Date.now() + 10_000), /the store is closed/);
    const queued = assert.rejects(readers.run({ sql: 'SELECT 1 AS one', parameters: [] }, undefined), /the store is closed/);
    await readers.close();
    await Promise.all([busy, queued]);
    await assert.rejects(readers.run({ sql: 'SELECT 1', parameters: [] }, undefined), /the store is closed/);
  });
});
