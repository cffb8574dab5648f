/**
 * Throttling across two `tigraph serve` processes on one PostgreSQL schema: the buckets live in the database, so
 * the limit holds for the group, not per process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serve, stop, token } from '../support/cli-process.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const TI = '/security/threatIntelligence';

if (!TEST_DATABASE_URL) {
  it('throttling across processes on PostgreSQL', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  const DB: string = TEST_DATABASE_URL;
  describe('throttling across two processes on one PostgreSQL database', () => {
    it('--rate-limit 40/3600: 240 concurrent requests of one client over both processes admit exactly 40 in all', async () => {
      const schema = uniqueSchema();
      const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-pg-throttle-'));
      const args = ['--database-url', DB, '--database-schema', schema, '--data-dir', dataDir, '--pool-size', '4', '--seed', 'none', '--rate-limit', '40/3600'];
      const [a, b] = await Promise.all([serve(args), serve(args)]);
      try {
        const read = token(dataDir);
        const send = async (i: number): Promise<number> => {
          const r = await fetch(`${(i % 2 ? a : b).url}/v1.0${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${read}` } });
          await r.arrayBuffer();
          return r.status;
        };
        // First 10 one after the other, alternating processes (each process admits from the shared bucket; sent all
        // at once, one process can take the whole burst before the other's requests arrive), then 230 at once.
        const statuses: number[] = [];
        for (let i = 0; i < 10; i++) statuses.push(await send(i));
        statuses.push(...(await Promise.all(Array.from({ length: 230 }, (_, k) => send(10 + k)))));
        const admitted = statuses.filter((s) => s === 200).length;
        const throttled = statuses.filter((s) => s === 429).length;
        // One token refills every 90 s, so a run of a few seconds admits the burst alone: 40, not 40 per process.
        assert.deepEqual({ admitted, throttled }, { admitted: 40, throttled: 200 });
        // Both processes admitted some of them (the bucket is shared, not the traffic routed to one).
        const byProcess = [0, 1].map((p) => statuses.filter((s, i) => s === 200 && i % 2 === p).length);
        assert.ok(byProcess[0]! > 0 && byProcess[1]! > 0, JSON.stringify(byProcess));
      } finally {
        await Promise.all([stop(a.child), stop(b.child)]);
        const c = new pg.Client({ connectionString: DB });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
