/** `tigraph import` as a child process: stdin, exit codes, inputs that are not files, and an import killed mid-way (kill -9). */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';

const importModule = new URL('../../src/cli/commands/import.js', import.meta.url).href;
const commanderModule = import.meta.resolve('commander');
/** A root program with only `import` registered, the way main.ts wires it. */
const harness = `
  import { Command } from ${JSON.stringify(commanderModule)};
  import { registerImportCommand } from ${JSON.stringify(importModule)};
  const program = new Command('tigraph').exitOverride();
  registerImportCommand(program);
  try {
    await program.parseAsync(process.argv.slice(1), { from: 'user' });
  } catch (e) {
    process.exitCode = e.exitCode ?? 1;
  }`;

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-import-cli-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function start(args: string[], stdin?: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', harness, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: tmp, env: { ...process.env, TIGRAPH_DATA_DIR: undefined } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  if (stdin !== undefined) child.stdin.end(stdin);
  else child.stdin.end();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const indicatorCount = (dataDir: string): number => {
  const db = new Database(join(dataDir, 'tigraph.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM intelligence_profile_indicator').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('tigraph import (CLI)', () => {
  it('reads stdin, prints a summary; --strict exits 2 and writes nothing', async () => {
    const dataDir = join(tmp, 'stdin');
    const r = await start(['import', '-', '--data-dir', dataDir, '--profile', 'Stdin Group'], '1.2.3.4\nexample.org.\nhxxp://evil[.]example/a\n').done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 file \(ioc-list\)/);
    assert.match(r.stdout, /profiles: {3}1 created, 0 updated, 0 unchanged/);
    // the three values and the URL's host evil.example (derived)
    assert.match(r.stdout, /indicators: 4 created, 0 updated, 0 unchanged in 1 batch\n {12}1 host indicators derived from URL indicators\n/);
    assert.match(r.stdout, /where the indicators went:\n {2}-: 3 → Stdin Group \[stdin-group\] \(--profile\)\n/);
    assert.equal(indicatorCount(dataDir), 4);
    const s = await start(['import', '-', '--data-dir', dataDir, '--strict'], 'fine.example\n300.1.1.1\n').done;
    assert.equal(s.code, 2);
    assert.match(s.stdout, /aborted and nothing was written/);
    assert.match(s.stdout, /1 × invalid IPv4 address \(- line 2 "300\.1\.1\.1"\)/);
    assert.equal(indicatorCount(dataDir), 4);
  });

  it('a missing input is one line on stderr and exit code 2, no stack trace', async () => {
    const r = await start(['import', '/no/such/file', '--data-dir', join(tmp, 'missing')]).done;
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'tigraph import: /no/such/file: no such file or directory\n');
    assert.equal(r.stdout, '');
  });

  it('options that cannot work exit 2: a blank --profile, a bad --host (before reading); a --profile too long for an id (nothing imported)', async () => {
    const list = join(tmp, 'options.txt');
    await writeFile(list, 'opt.example.com\n');
    const cases: [string[], string][] = [
      [['--profile', '   '], 'error: --profile needs a name\n'],
      [['--host', ''], 'error: invalid --host : expected host, host:port, an IP address or [IPv6]:port\n'],
      [['--host', '1.2.3.4:443:5'], 'error: invalid --host 1.2.3.4:443:5: expected host, host:port, an IP address or [IPv6]:port\n'],
      [['--host', 'evil.example.com:99999'], 'error: invalid --host port 99999\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await start(['import', list, '--data-dir', join(tmp, 'options-store'), ...args]).done;
      assert.deepEqual({ code: r.code, stderr: r.stderr, stdout: r.stdout }, { code: 2, stderr, stdout: '' }, args.join(' '));
    }
    const dataDir = join(tmp, 'long-profile-store');
    const long = await start(['import', list, '--data-dir', dataDir, '--profile', 'x'.repeat(2000)]).done;
    assert.equal(long.code, 2, long.stderr);
    assert.match(long.stdout, /1 × invalid --profile: .*the string is 2000 bytes long/);
    assert.equal(indicatorCount(dataDir), 0);
  });

  it('a FIFO or a device is one line and exit code 2, not a stack trace or a read that never ends', async () => {
    const fifo = join(tmp, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    for (const input of [fifo, '/dev/zero']) {
      const r = await start(['import', input, '--data-dir', join(tmp, 'devices')]).done;
      assert.deepEqual({ code: r.code, stderr: r.stderr, stdout: r.stdout }, { code: 2, stderr: `tigraph import: ${input}: not a regular file or directory (use '-' to read a stream from stdin)\n`, stdout: '' });
    }
  });

  it('a directory: a symbolic link back up is walked once; a dangling link is one line and exit code 2, nothing written', async () => {
    const dir = join(tmp, 'looping');
    await mkdir(dir);
    await writeFile(join(dir, 'apt_loopgroup.txt'), 'loop.example.com\n');
    await symlink(dir, join(dir, 'again'));
    const dataDir = join(tmp, 'looping-store');
    const r = await start(['import', dir, '--data-dir', dataDir]).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 file \(ioc-list\)/);
    assert.equal(indicatorCount(dataDir), 1);

    await symlink(join(tmp, 'nothing-here'), join(dir, 'gone.txt'));
    const d = await start(['import', dir, '--data-dir', join(tmp, 'dangling-store')]).done;
    assert.deepEqual({ code: d.code, stderr: d.stderr, stdout: d.stdout }, { code: 2, stderr: `tigraph import: ${join(dir, 'gone.txt')}: no such file or directory (a dangling symbolic link?)\n`, stdout: '' });
    assert.equal(indicatorCount(join(tmp, 'dangling-store')), 0);
  });

  it('an import killed mid-way keeps only whole batches; running it again completes it', async () => {
    const total = 8000;
    const batch = 500;
    const list = join(tmp, 'apt_bulk.txt');
    await writeFile(list, Array.from({ length: total }, (_, i) => `host-${i}.bulk.example`).join('\n') + '\n');
    const dataDir = join(tmp, 'killed');
    const run = start(['import', list, '--data-dir', dataDir, '--batch-size', String(batch)]);
    // Wait for the first committed batch, then kill -9.
    let seen = 0;
    for (let i = 0; i < 400 && seen === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      try {
        seen = indicatorCount(dataDir);
      } catch {
        /* database or table not there yet */
      }
    }
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const after = indicatorCount(dataDir);
    assert.ok(after > 0, 'at least one batch committed before the kill');
    assert.ok(after < total, `the kill came too late to test anything (${after})`);
    assert.equal(after % batch, 0, `only whole batches: ${after}`);

    const rerun = await start(['import', list, '--data-dir', dataDir, '--batch-size', String(batch)]).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(indicatorCount(dataDir), total);
    assert.match(rerun.stdout, new RegExp(`indicators: ${total - after} created, 0 updated, ${after} unchanged`));
  });
});
