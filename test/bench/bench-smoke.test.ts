/**
 * Keeps `npm run bench` from rotting: the whole machinery (generator, tigraph serve child, ceiling and minimum
 * reference servers, body verification, autocannon workers, table, JSON) at a tiny size for a moment.
 * Asserts only that every scenario ran and answered 200 with the expected bodies (runBench verifies the
 * bodies and throws on any non-2xx) — never a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseArgs, runBench, type BenchReport } from '../../bench/run-bench.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const SCENARIOS = ['get-indicator', 'get-profile', 'list-first-page', 'list-page-50', 'list-last-page', 'count-filter', 'search-profiles', 'pivot-artifact'];

/** Every scenario ran on all three servers with only 2xx (runBench itself verified the bodies), tables complete. */
function checkReport(report: BenchReport, store: string): void {
  assert.equal(report.sizes.length, 1);
  const size = report.sizes[0]!;
  assert.equal(size.store, store);
  assert.deepEqual(size.scenarios.map((s) => s.name), SCENARIOS);
  for (const s of size.scenarios) {
    assert.equal(s.runs.length, 3, `${s.name}: one run per server`);
    for (const r of s.runs) {
      assert.ok(r.total > 0, `${s.name} ${r.server}: answered requests`);
      assert.equal(r.non2xx, 0, `${s.name} ${r.server}: only 2xx`);
      assert.equal(r.errors, 0, `${s.name} ${r.server}: no errors`);
    }
    assert.ok(s.meanBodyBytes > 0);
  }
  const lines = size.table.split('\n');
  assert.equal(lines[0], `${store}:`);
  assert.match(lines[2]!, /^\| scenario .*\| req\/s \| p50 ms \| p99 ms \|.*ratio to ceiling \| ratio to minimum \| tigraph peak RSS MiB \|$/);
  assert.equal(lines.length, 4 + SCENARIOS.length);
  const summary = report.summaryTable.split('\n');
  assert.match(summary[0]!, /^\| store \| rows \| GET-by-id req\/s .*page cost last\/first \(tigraph\)/);
  assert.equal(summary.length, 3);
  assert.match(summary[2]!, new RegExp(`^\\| ${store} \\| 2,000 \\|`));
  assert.ok(existsSync(report.resultFile));
  assert.equal(JSON.parse(readFileSync(report.resultFile, 'utf8')).sizes[0].scenarios.length, SCENARIOS.length);
}

describe('bench smoke', () => {
  it('runs every scenario against tigraph, the ceiling and the minimum and produces the table', { timeout: 120_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tigraph-bench-smoke-'));
    try {
      const report = await runBench({ rows: 2000, durationSeconds: 0.5, warmupSeconds: 0, rounds: 1, connections: 8, outDir, log: () => undefined });
      checkReport(report, 'sqlite');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  // PostgreSQL: the same machinery on a unique schema (dropped afterwards, checked). Skips loudly without a server.
  it('runs every scenario on PostgreSQL (tigraph, ceiling, minimum-pg) and drops its schema', { timeout: 180_000, skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tigraph-bench-smoke-pg-'));
    const schema = uniqueSchema();
    try {
      const report = await runBench({ stores: ['postgres'], databaseUrl: TEST_DATABASE_URL!, schema, poolSize: 4, rows: 2000, durationSeconds: 0.25, warmupSeconds: 0, rounds: 1, connections: 8, outDir, log: () => undefined });
      checkReport(report, 'postgres');
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        assert.equal((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount, 0, 'bench schema dropped');
      } finally {
        await client.end();
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('parses the command line', () => {
    assert.deepEqual(parseArgs(['--rows', '1000', '--duration', '2', '--rounds', '5', '--connections', '16', '--cpu-prof']), {
      rows: 1000,
      durationSeconds: 2,
      rounds: 5,
      connections: 16,
      cpuProf: true,
    });
    assert.deepEqual(parseArgs(['--scale-sizes', '1000,2000']), { scaleSizes: [1000, 2000], scale: true });
    assert.deepEqual(parseArgs(['--store', 'sqlite,postgres', '--database-url', 'postgres://x@h/db', '--database-schema', 'b', '--pool-size', '4']), {
      stores: ['sqlite', 'postgres'],
      databaseUrl: 'postgres://x@h/db',
      schema: 'b',
      poolSize: 4,
    });
    assert.throws(() => parseArgs(['--store', 'mysql']), /--store takes sqlite, postgres/);
    assert.throws(() => parseArgs(['--rows', 'x']), /--rows needs a positive number/);
    assert.throws(() => parseArgs(['--bogus']), /unknown option/);
  });
});
