/**
 * A store that fails mid-import (SQLite's write lock held by another connection past the busy timeout) stops the
 * import with ImportStoreError, and running the import again completes it: the batches that committed are kept
 * whole (those already posted to the writer thread may commit after the failure, once the lock is free). It was caught as a "read error" of the file, so the import went
 * on to exit 0 with the rest of the file dropped, or crashed with a stack trace at the end.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ImportStoreError } from '../../src/import/import-errors.js';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { counts, importInto, inputFiles } from './helpers.js';

const input = inputFiles('tigraph-store-failure-');
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a store that fails mid-import', () => {
  it('SQLite locked by another process after the first file: ImportStoreError (not a "read error" and exit 0), and a re-run completes the import', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tigraph-locked-'));
    dirs.push(dir);
    const filename = join(dir, 'tigraph.db');
    const open = (): SqliteStore => new SqliteStore(MODEL, { filename, writerThread: true, busyTimeoutMs: 200 });
    const first = await input('apt_firstgroup.txt', 'one.example.com\ntwo.example.com\n');
    const second = await input('apt_secondgroup.txt', Array.from({ length: 30 }, (_, i) => `locked${i}.example.com`).join('\n') + '\n');
    const holder = new Database(filename, { timeout: 10000 });
    const store = open();
    try {
      // When the first file is read (its 2 indicators not yet written: batches of 10), another connection takes
      // the write lock and keeps it: the writes that follow meet SQLITE_BUSY.
      const failed = await importInto(store, [first, second], { batchSize: 10, onFileDone: (_f, i) => (i === 0 ? holder.exec('BEGIN IMMEDIATE') : undefined) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(failed instanceof ImportStoreError, String(failed));
      assert.equal(failed.message, 'the store failed: database is locked; the batches that committed are kept whole, and running the import again completes it');
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await store.close();
    }
    const reopened = open();
    try {
      await importInto(reopened, [first, second], { batchSize: 10 });
      assert.deepEqual(await counts(reopened), { profiles: 2, indicators: 32 });
    } finally {
      await reopened.close();
    }
  });
});
