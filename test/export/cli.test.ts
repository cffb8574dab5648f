/** `tigraph export` as a child process: to a file and to stdout, --profile, and its errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = resolve(process.cwd(), 'bin/tigraph.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TIGRAPH_DATA_DIR: undefined } });

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-export-cli-'));
  await writeFile(join(tmp, 'apt_exportgroup.txt'), '# Aliases: EXPORT-1\nexport-a.example\n192.0.2.10\nhttp://export-b.example/x\n');
  const r = cli('import', join(tmp, 'apt_exportgroup.txt'), '--data-dir', join(tmp, 'data'));
  assert.equal(r.status, 0, r.stderr);
});
after(() => rm(tmp, { recursive: true, force: true }));

describe('tigraph export (CLI)', () => {
  it('writes the bundle to --output (complete, no .partial left) and to stdout; re-importing it changes nothing', () => {
    const out = join(tmp, 'bundle.json');
    const r = cli('export', '--format', 'stix', '--data-dir', join(tmp, 'data'), '--output', out);
    assert.equal(r.status, 0, r.stderr);
    // the three values and export-b.example, the host of the URL
    assert.match(r.stderr, /exported 1 profile, 4 indicators, 4 relationships, 0 locations, 0 articles \(0 article indicators\), 0 vulnerabilities; indicators left out: 0/);
    assert.ok(!existsSync(`${out}.partial`));
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { objects: { type: string; name?: string; aliases?: string[] }[] };
    assert.deepEqual(bundle.objects.find((o) => o.type === 'intrusion-set')?.aliases, ['EXPORT-1']);
    const stdout = cli('export', '--data-dir', join(tmp, 'data'), '--profile', 'EXPORT-1');
    assert.equal(stdout.status, 0, stdout.stderr);
    // The same objects (the store holds one profile); only the bundle id names the --profile scope.
    assert.deepEqual(JSON.parse(stdout.stdout).objects, bundle.objects, '--profile by alias');
    const again = cli('import', out, '--data-dir', join(tmp, 'data'));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /indicators: 0 created, 0 updated, 4 unchanged/);
    assert.match(again.stdout, /profiles: {3}0 created, 0 updated, 1 unchanged/);
  });

  it('exits 1 for an unknown profile or a missing store', () => {
    const r = cli('export', '--data-dir', join(tmp, 'data'), '--profile', 'nobody');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no profile with id, title or alias 'nobody'/);
    const m = cli('export', '--data-dir', join(tmp, 'missing'));
    assert.equal(m.status, 1);
    assert.match(m.stderr, /no store at/);
  });
});
