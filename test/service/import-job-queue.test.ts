/** Import jobs are stored importJob entities: they survive a restart, stale ones are interrupted, the queue is bounded. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../../src/model/model.js';
import { IMPORT_JOB } from '../../src/model/names.js';
import { ImportJobQueue, timeOrderedId } from '../../src/service/import-job-queue.js';
import { runImport } from '../../src/import/run-import.js';
import { createService } from '../../src/service/handle-odata-request.js';
import { DEFAULT_LIMITS } from '../../src/odata/limits/query-limits.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import type { EnumType } from '../../src/model/model.js';

const STATUS = MODEL.type('microsoft.graph.security.importJobStatus') as EnumType;
const JOBS = '/v1.0/security/threatIntelligence/importJobs';
const BUNDLE = JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects: [] });

function spooled(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-job-test-'));
  const file = join(dir, 'body.json');
  writeFileSync(file, BUNDLE);
  return { dir, file };
}

async function withFileStore(body: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-jobs-'));
  try {
    await body(join(dir, 'db.sqlite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const serviceOver = (store: Store) =>
  createService({ model: MODEL, store, paging: { defaultPageSize: 100, maxPageSize: 999 }, limits: DEFAULT_LIMITS, strict: false, betaEnumSpelling: 'csdl' });

async function list(store: Store): Promise<{ id: string; status: string; error: string | null }[]> {
  const service = await serviceOver(store);
  try {
    const out = await service({ method: 'GET', path: JOBS, query: '$select=id,status,error', origin: 'http://x', prefer: undefined });
    assert.equal(out.status, 200);
    return (JSON.parse(out.body) as { value: { id: string; status: string; error: string | null }[] }).value.map(({ id, status, error }) => ({ id, status, error }));
  } finally {
    await service.close();
  }
}

describe('import job queue', () => {
  it('time-ordered ids sort by creation time', () => {
    const a = timeOrderedId(1_700_000_000_000);
    const b = timeOrderedId(1_700_000_000_001);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(a.slice(0, 13), '018bcfe5-6800');
    assert.ok(a < b);
  });

  it('a finished job survives a restart; jobs list newest first', () =>
    withFileStore(async (db) => {
      const store = new SqliteStore(MODEL, { filename: db });
      const queue = await ImportJobQueue.open(MODEL, store);
      const first = spooled();
      const a = await queue.submit({ ...first, format: 'stix', strict: false });
      const second = spooled();
      const b = await queue.submit({ ...second, format: 'stix', strict: false });
      await queue.idle();
      await queue.close();
      assert.equal(existsSync(first.dir), false, 'the spooled body is removed when its job ends');
      await store.close();
      const reopened = new SqliteStore(MODEL, { filename: db });
      try {
        assert.deepEqual(await list(reopened), [
          { id: b, status: 'succeeded', error: null },
          { id: a, status: 'succeeded', error: null },
        ]);
      } finally {
        await reopened.close();
      }
    }));

  it('a job left running by a stopped server is marked interrupted when a queue opens; a fresh one is not', () =>
    withFileStore(async (db) => {
      const store = new SqliteStore(MODEL, { filename: db });
      const type = MODEL.entityType(IMPORT_JOB.qualifiedName);
      const job = (id: string, status: string, lastUpdated: number) => ({
        record: {
          kind: 'record' as const,
          type,
          values: { id, status: STATUS.memberByAnyName(status)!.value, createdDateTime: lastUpdated, completedDateTime: null, lastUpdatedDateTime: lastUpdated, format: 'stix', summary: null, error: null },
          navigations: {},
        },
      });
      const now = Date.now();
      const stale = timeOrderedId(now - 600_000);
      const fresh = timeOrderedId(now - 1_000);
      await store.write([job(stale, 'running', now - 600_000), job(fresh, 'notStarted', now - 1_000)]);
      const queue = await ImportJobQueue.open(MODEL, store, { staleAfterMs: 120_000 });
      await queue.close();
      try {
        assert.deepEqual(await list(store), [
          { id: fresh, status: 'notStarted', error: null },
          { id: stale, status: 'interrupted', error: 'interrupted: the server stopped while the job was queued or running; whole batches written before were kept' },
        ]);
      } finally {
        await store.close();
      }
    }));

  it('a job left running by a server killed and restarted at once (fresh when the queue opened) is interrupted once it goes stale', () =>
    withFileStore(async (db) => {
      const store = new SqliteStore(MODEL, { filename: db });
      const type = MODEL.entityType(IMPORT_JOB.qualifiedName);
      const id = timeOrderedId(Date.now());
      const values = { id, status: STATUS.memberByAnyName('running')!.value, createdDateTime: Date.now(), completedDateTime: null, lastUpdatedDateTime: Date.now(), format: 'stix', summary: null, error: null };
      await store.write([{ record: { kind: 'record', type, values, navigations: {} } }]);
      const queue = await ImportJobQueue.open(MODEL, store, { staleAfterMs: 300, heartbeatMs: 50 });
      try {
        assert.deepEqual(await list(store), [{ id, status: 'running', error: null }], 'fresh when the queue opened');
        // No process refreshes it: within a few heartbeats after 300 ms it is found stale.
        const deadline = Date.now() + 5000;
        while ((await list(store))[0]!.status === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(await list(store), [{ id, status: 'interrupted', error: 'interrupted: the server stopped while the job was queued or running; whole batches written before were kept' }]);
      } finally {
        await queue.close();
        await store.close();
      }
    }));

  it("runs a job's import unstaged (--stage never): other clients write the same tables meanwhile", async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    const seen: unknown[] = [];
    const queue = await ImportJobQueue.open(MODEL, store, {
      runner: async (o) => {
        seen.push(o.stage);
        return runImport({ ...o, store, model: MODEL });
      },
    });
    try {
      const job = spooled();
      await queue.submit({ ...job, format: 'stix', strict: false });
      await queue.idle();
      assert.deepEqual(seen, ['never']);
      rmSync(job.dir, { recursive: true, force: true });
    } finally {
      await queue.close();
      await store.close();
    }
  });

  it('is bounded: one job more than the capacity is a 503 with Retry-After, and nothing is stored for it', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    const queue = await ImportJobQueue.open(MODEL, store, { capacity: 1 });
    try {
      await queue.submit({ ...spooled(), format: 'stix', strict: false });
      const extra = spooled();
      await assert.rejects(queue.submit({ ...extra, format: 'stix', strict: false }), {
        status: 503,
        code: 'ServiceUnavailable',
        message: 'The service is temporarily unavailable: 1 import jobs are queued or running; retry after 5 s.',
        headers: { 'Retry-After': '5' },
      });
      rmSync(extra.dir, { recursive: true, force: true });
      await queue.idle();
      assert.equal((await list(store)).length, 1);
    } finally {
      await queue.close();
      await store.close();
    }
  });
});
