/**
 * Keeps bench/import-bench.ts from rotting: at a tiny size, with --grow, it imports, runs the baseline, grows the
 * store as `tigraph import` does and again the other way into a copy (--stage always; at this size neither run
 * stages, the load being too small to defer its indexes; the script throws when the two end with different rows),
 * and prints one table row each and its JSON. With --url-length, every indicator is a URL of that length (the
 * script's baseline check proves the import stored those same rows). Never a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../bench/import-bench.js', import.meta.url));

describe('import bench', () => {
  it('--grow: the first import, the grow and the staged grow, each a table row and a JSON result', () => {
    const out = mkdtempSync(join(tmpdir(), 'tigraph-import-bench-test-'));
    try {
      const r = spawnSync(process.execPath, [SCRIPT, '--sizes', '1500', '--grow', '--out', out], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const rows = r.stdout.split('\n').filter((l) => l.startsWith('| SQLite'));
      assert.equal(rows.length, 3);
      assert.deepEqual(
        rows.slice(0, 2).map((l) => l.split(' | ')[0]),
        ['| SQLite', '| SQLite, 1,500 more into 1,500'],
      );
      assert.match(rows[2]!, /^\| SQLite, 1,500 more into 1,500, --stage always \(staged: \d+\.\d\d of unstaged\) \| 1,500 \|/);
      const [file] = readdirSync(out);
      const { results } = JSON.parse(readFileSync(join(out, file!), 'utf8')) as { results: Record<string, unknown>[] };
      assert.deepEqual(
        results.map((x) => [x['n'], x['grow'] ?? false, x['stage'] ?? 'auto', typeof x['stagedOverUnstaged']]),
        [
          [1500, false, 'auto', 'undefined'],
          [1500, true, 'auto', 'undefined'],
          [1500, true, 'always', 'number'],
        ],
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('--url-length 500: every indicator a URL of 500 characters (and its derived host indicator), labelled so', () => {
    const out = mkdtempSync(join(tmpdir(), 'tigraph-import-bench-test-'));
    try {
      const r = spawnSync(process.execPath, [SCRIPT, '--sizes', '300', '--url-length', '500', '--out', out], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const rows = r.stdout.split('\n').filter((l) => l.startsWith('| SQLite'));
      assert.deepEqual(rows.map((l) => l.split(' | ').slice(0, 2)), [['| SQLite (URLs of 500 characters)', '300']]);
      const [file] = readdirSync(out);
      const { results } = JSON.parse(readFileSync(join(out, file!), 'utf8')) as { results: Record<string, unknown>[] };
      // 300 URL indicators and 300 host indicators derived from them. The bundle is generated deterministically:
      // 354,271 bytes, of which 150,000 are the 300 URLs of 500 characters.
      assert.deepEqual(results.map((x) => [x['n'], x['urlLength'], x['rows'], x['bundleBytes']]), [[300, 500, 600, 354_271]]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('--url-length below 64 characters is refused with a message, before anything runs', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--sizes', '300', '--url-length', '10'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--url-length: an integer of at least 64 \(characters\)/);
  });
});
