/**
 * Issue 10: "150 submissions got 202 although the cap is 100 (queued jobs are never counted)" and "job temp
 * directories leak (127 after one SIGTERM)". Queued and running jobs count against the capacity; closing the queue
 * (a graceful stop) removes the spooled bodies of the running and the queued jobs and marks them interrupted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../../src/model/model.js';
import { ImportJobQueue } from '../../src/service/import-job-queue.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const T = '2024-01-01T00:00:00.000Z';

/** A spooled STIX bundle of `n` indicators (20,000 take long enough to still be running while the test submits). */
function spooled(n: number): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-job-bounds-'));
  const file = join(dir, 'body.json');
  const objects = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ type: 'indicator', spec_version: '2.1', id: `indicator--${i}`, created: T, modified: T, pattern: `[domain-name:value = 'h${i}.bounds.example']`, pattern_type: 'stix', valid_from: T }),
  );
  writeFileSync(file, `{"type":"bundle","id":"bundle--1","objects":[${objects.join(',')}]}`);
  return { dir, file };
}

const stored = async (store: SqliteStore, id: string) => {
  const type = MODEL.entityType('microsoft.graph.security.importJob');
  const r = await store.findOne({ kind: 'entity', type, key: id, parent: undefined, expand: [] });
  return r?.values;
};

describe('import job queue bounds', () => {
  it('queued jobs count with the running one: capacity 3 with 1 running + 2 queued refuses the 4th with 503', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    const queue = await ImportJobQueue.open(MODEL, store, { capacity: 3 });
    const bodies = [spooled(20_000), spooled(1), spooled(1)];
    try {
      for (const b of bodies) await queue.submit({ ...b, format: 'stix', strict: false });
      const extra = spooled(1);
      await assert.rejects(queue.submit({ ...extra, format: 'stix', strict: false }), {
        status: 503,
        message: 'The service is temporarily unavailable: 3 import jobs are queued or running; retry after 5 s.',
        headers: { 'Retry-After': '5' },
      });
    } finally {
      await queue.close();
      await store.close();
    }
  });

  it('a graceful stop removes the spooled bodies of the running and the queued jobs and marks them interrupted', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    const queue = await ImportJobQueue.open(MODEL, store, { capacity: 8 });
    const bodies = [spooled(20_000), spooled(1), spooled(1)];
    const ids: string[] = [];
    try {
      for (const b of bodies) ids.push(await queue.submit({ ...b, format: 'stix', strict: false }));
      await queue.close();
      assert.deepEqual(bodies.map((b) => existsSync(b.dir)), [false, false, false]);
      await queue.idle();
      for (const id of ids.slice(1)) {
        const v = await stored(store, id);
        assert.equal(v?.['error'], 'interrupted: the server stopped while the job was queued or running; whole batches written before were kept');
      }
    } finally {
      await store.close();
    }
  });
});
