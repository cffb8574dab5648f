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
import { parseArgs, runBench } from '../../bench/run-bench.js';

const SCENARIOS = ['get-indicator', 'get-profile', 'list-first-page', 'list-page-50', 'count-filter', 'search-profiles', 'pivot-artifact'];

describe('bench smoke', () => {
  it('runs every scenario against tigraph, the ceiling and the minimum and produces the table', { timeout: 120_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tigraph-bench-smoke-'));
    try {
      const report = await runBench({ rows: 2000, durationSeconds: 0.5, warmupSeconds: 0, rounds: 1, connections: 8, outDir, log: () => undefined });
      assert.equal(report.sizes.length, 1);
      const size = report.sizes[0]!;
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
      assert.match(lines[0]!, /^\| scenario .*\| req\/s \| p50 ms \| p99 ms \|.*ratio to ceiling \| ratio to minimum \| tigraph peak RSS MiB \|$/);
      assert.equal(lines.length, 2 + SCENARIOS.length);
      assert.ok(existsSync(report.resultFile));
      assert.equal(JSON.parse(readFileSync(report.resultFile, 'utf8')).sizes[0].scenarios.length, SCENARIOS.length);
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
    assert.throws(() => parseArgs(['--rows', 'x']), /--rows needs a positive number/);
    assert.throws(() => parseArgs(['--bogus']), /unknown option/);
  });
});
