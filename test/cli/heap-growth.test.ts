/**
 * `tigraph import` bounds how far the V8 heap grows between full collections (src/cli/heap-growth.ts), unless the
 * user gave node a --heap-growing-percent of their own. Checked by recording the V8 flags a real import sets (a
 * preloaded module wraps v8.setFlagsFromString), not by measuring memory: the memory it saves is the import
 * benchmark's figure (bench/import-bench.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { IMPORT_HEAP_GROWING_PERCENT, userSetHeapGrowth } from '../../src/cli/heap-growth.js';
import { BIN, childEnv } from '../support/cli-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'tigraph-heap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const recorder = join(tmp, 'record-flags.mjs');
writeFileSync(
  recorder,
  "import v8 from 'node:v8';\nimport { appendFileSync } from 'node:fs';\nconst set = v8.setFlagsFromString;\nv8.setFlagsFromString = (flags) => {\n  appendFileSync(process.env.TIGRAPH_TRACE_FLAGS, flags + '\\n');\n  return set(flags);\n};\n",
);

/** The V8 flags a `tigraph import` of one small IOC list set at run time, and its exit status. */
function flagsSetByImport(name: string, nodeFlags: readonly string[] = []): { status: number | null; flags: string[]; stderr: string } {
  const trace = join(tmp, `${name}.txt`);
  writeFileSync(trace, '');
  const input = join(tmp, `${name}.txt.in`);
  writeFileSync(input, 'heap.example\n');
  const env = childEnv({ TIGRAPH_TRACE_FLAGS: trace });
  delete env['TIGRAPH_DATABASE_URL'];
  const r = spawnSync(process.execPath, [...nodeFlags, '--import', pathToFileURL(recorder).href, BIN, 'import', input, '--format', 'ioc-list', '--data-dir', join(tmp, `data-${name}`)], { encoding: 'utf8', env, timeout: 30000 });
  return { status: r.status, flags: readFileSync(trace, 'utf8').split('\n').filter(Boolean), stderr: r.stderr };
}

describe('tigraph import: heap growth', () => {
  it('sets --heap-growing-percent=100 before it imports', () => {
    const r = flagsSetByImport('default');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(IMPORT_HEAP_GROWING_PERCENT, 100);
    assert.deepEqual(r.flags, ['--heap-growing-percent=100']);
  });

  it("keeps the user's own: node --heap-growing-percent=20 bin/tigraph.js import …", () => {
    const r = flagsSetByImport('user', ['--heap-growing-percent=20']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.flags, []);
  });

  it("keeps the user's own given with one dash: node -heap-growing-percent=20 bin/tigraph.js import …", () => {
    const r = flagsSetByImport('user-one-dash', ['-heap-growing-percent=20']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.flags, []);
  });

  it("recognizes the flag among node's flags with one dash or two, - or _, and nothing like it", () => {
    assert.equal(userSetHeapGrowth([]), false);
    assert.equal(userSetHeapGrowth(['--heap-growing-percent=30']), true);
    assert.equal(userSetHeapGrowth(['--heap_growing_percent=30']), true);
    assert.equal(userSetHeapGrowth(['--max-old-space-size=512', '-heap-growing-percent=30']), true);
    assert.equal(userSetHeapGrowth(['--max-old-space-size=512']), false);
    assert.equal(userSetHeapGrowth(['--heap-growing-percentage=30', '--xheap-growing-percent=1']), false);
  });
});
