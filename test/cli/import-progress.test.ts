/**
 * `tigraph import` progress (issue 11 finding 8): on a terminal a cli-progress bar with records, rate and ETA (run
 * under a real pseudo-terminal from Python's pty module); elsewhere one plain line per input file saying where its
 * indicators went.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = resolve(process.cwd(), 'bin/tigraph.js');
const LINES = 30_000;
let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-import-progress-'));
  await writeFile(join(tmp, 'progressfamily.txt'), Array.from({ length: LINES }, (_, i) => `p${i}.progress.example`).join('\n') + '\n');
  await writeFile(join(tmp, 'apt_second.txt'), 'second.example\nhttp://198.51.100.7/x\n');
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

describe('tigraph import progress', () => {
  it('without a terminal: one plain line per file on stderr, in order, with its placements', () => {
    const r = spawnSync(process.execPath, [BIN, 'import', join(tmp, 'progressfamily.txt'), join(tmp, 'apt_second.txt'), '--data-dir', join(tmp, 'plain')], { encoding: 'utf8', env: { ...process.env, TIGRAPH_DATA_DIR: undefined } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stderr.split('\n').filter(Boolean), [
      `tigraph import: progressfamily.txt (1/2, ioc-list): ${LINES} → progressfamily [progressfamily] (new)`,
      'tigraph import: apt_second.txt (2/2, ioc-list): 2 → second [second] (new)',
    ]);
    assert.doesNotMatch(r.stderr, /rec\/s/);
  });

  it('on a terminal: a progress bar with the record count, the rate and the ETA', { skip: hasPython ? false : 'python3 with the pty module is needed to give the CLI a terminal' }, () => {
    const script = 'import pty, sys; status = pty.spawn(sys.argv[1:]); sys.exit(status >> 8)';
    const r = spawnSync('python3', ['-c', script, process.execPath, BIN, 'import', join(tmp, 'progressfamily.txt'), '--data-dir', join(tmp, 'tty')], {
      encoding: 'utf8',
      env: { ...process.env, TIGRAPH_DATA_DIR: undefined, COLUMNS: '120' },
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // records: the profile draft and the lines
    assert.match(r.stdout, new RegExp(`\\[=+\\] 100% \\| ${LINES + 1} records \\| [1-9][0-9]* rec/s \\| ETA 0s`));
    assert.doesNotMatch(r.stdout, /tigraph import: progressfamily\.txt \(1\/1/, 'no plain per-file line on a terminal');
    assert.match(r.stdout, new RegExp(`indicators: ${LINES} created`));
  });
});
