/**
 * Keeps bench/key-order-bench.ts from rotting: at a tiny size it runs every strategy, checks each left exactly
 * stored + rows rows (the script throws otherwise) and prints the table with the baseline at ratio 1.00; a bad
 * size is one line and exit code 2. Never a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../bench/key-order-bench.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('key-order bench', () => {
  it('runs the three strategies and prints their ratios to sorted-per-transaction', () => {
    const r = run('--stored', '200', '--rows', '500', '--transaction', '120');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '500 rows into a table of 200, 120 per transaction');
    assert.equal(lines[2], '| strategy | s | ratio to sorted-per-transaction |');
    assert.deepEqual(
      lines.slice(4).map((l) => l.split(' | ')[0]),
      ['| sorted-per-transaction', '| arrival-order', '| staged-merge'],
    );
    assert.match(lines[4]!, /^\| sorted-per-transaction \| \d+\.\d \| 1\.00 \|$/);
    assert.equal(lines.length, 7);
  });

  it('rejects a size that is not a whole number above 0 with exit code 2', () => {
    const r = run('--rows', '0');
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), 'key-order-bench: --rows must be a whole number above 0');
    assert.equal(r.stdout, '');
  });
});
