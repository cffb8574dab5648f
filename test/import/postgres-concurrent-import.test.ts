/**
 * Two `tigraph import` processes at once into one PostgreSQL schema, overlapping in profile and artifacts with
 * different dates: no duplicate indicator, and no lost update (first seen = earliest, last seen = latest of both).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MODEL } from '../../src/model/model.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { BIN, childEnv } from '../support/cli-process.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const DOMAINS = 3000;

/** A STIX bundle: one intrusion-set and one indicator per domain in [from, to), dated by `day`. */
function bundle(from: number, to: number, day: (i: number) => { first: string; last: string }): string {
  const set = { type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--6b1f0c1a-2f6e-4a51-9a43-1c2b3d4e5f60', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', name: 'Overlap Group' };
  const objects: unknown[] = [set];
  for (let i = from; i < to; i++) {
    const id = `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const { first, last } = day(i);
    objects.push(
      { type: 'indicator', spec_version: '2.1', id, created: first, modified: first, pattern: `[domain-name:value = 'd${i}.overlap.example']`, pattern_type: 'stix', valid_from: first, x_first_seen: first, x_last_seen: last },
      { type: 'relationship', spec_version: '2.1', id: `relationship--00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, created: first, modified: first, relationship_type: 'indicates', source_ref: id, target_ref: set.id },
    );
  }
  return JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects });
}

const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'import', ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });

if (!TEST_DATABASE_URL) {
  it('concurrent imports into PostgreSQL', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  const DB: string = TEST_DATABASE_URL;
  describe('two imports at once into one PostgreSQL schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-concurrent-'));
    const schema = uniqueSchema();
    after(async () => {
      const c = new pg.Client({ connectionString: DB });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    });

    it('produce no duplicates and lose no update', { timeout: 180_000 }, async () => {
      // A: domains 0..1999, first 2021-01-01+i min, last 2022-…; B: domains 1000..2999, earlier firsts and later lasts on the odd half.
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      const iso = (y: number, i: number): string => new Date(Date.UTC(y, 0, 1) + (i % 300) * 60000).toISOString();
      writeFileSync(a, bundle(0, 2000, (i) => ({ first: iso(2021, i), last: iso(2022, i) })));
      writeFileSync(b, bundle(1000, DOMAINS, (i) => (i % 2 ? { first: iso(2020, i), last: iso(2023, i) } : { first: iso(2021, i + 1), last: iso(2021, i + 2) })));
      const common = ['--database-url', DB, '--database-schema', schema, '--batch-size', '250'];
      const [ra, rb] = await Promise.all([run([...common, a]), run([...common, b])]);
      assert.equal(ra.code, 0, ra.err);
      assert.equal(rb.code, 0, rb.err);

      const store = await PostgresStore.open(MODEL, { connectionString: DB, schema, poolSize: 2 });
      try {
        const rows = (await store.pool.query('SELECT artifact_id, first_seen_date_time AS f, last_seen_date_time AS l, intelligence_profile_id AS p FROM intelligence_profile_indicator')).rows as { artifact_id: string; f: number; l: number; p: string }[];
        assert.equal(rows.length, DOMAINS, 'one indicator per (profile, artifact)');
        assert.equal(new Set(rows.map((r) => r.artifact_id)).size, DOMAINS);
        assert.equal(new Set(rows.map((r) => r.p)).size, 1, 'both imports met in one profile');
        const profiles = (await store.pool.query('SELECT count(*)::int AS n FROM intelligence_profile')).rows[0].n as number;
        assert.equal(profiles, 1);
        for (const r of rows) {
          const i = Number(/^d(\d+)\./.exec(r.artifact_id)![1]);
          const firsts: number[] = [];
          const lasts: number[] = [];
          if (i < 2000) firsts.push(Date.parse(iso(2021, i))), lasts.push(Date.parse(iso(2022, i)));
          if (i >= 1000) {
            if (i % 2) firsts.push(Date.parse(iso(2020, i))), lasts.push(Date.parse(iso(2023, i)));
            else firsts.push(Date.parse(iso(2021, i + 1))), lasts.push(Date.parse(iso(2021, i + 2)));
          }
          assert.equal(r.f, Math.min(...firsts), `first seen of ${r.artifact_id}`);
          assert.equal(r.l, Math.max(...lasts), `last seen of ${r.artifact_id}`);
        }
      } finally {
        await store.close();
      }
    });
  });
}
