#!/usr/bin/env node
// Runs the compiled tests under dist/test with Node's built-in test runner (Node 20's `node --test` takes no
// globs, so files are listed here). Everything runs once on the embedded SQLite store; when
// TIGRAPH_TEST_DATABASE_URL is set, the HTTP API suite runs a second time against PostgreSQL
// (TIGRAPH_TEST_STORE=postgres). Without it, the PostgreSQL pass is skipped and says how to enable it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'dist/test';
const only = process.argv.slice(2);
const list = (dir, keep) => {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.js') && keep(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
};
const selected = (p) => only.length === 0 || only.some((o) => p.includes(o));
const files = list(root, selected);
if (files.length === 0) {
  console.error(`no test files found under ${root}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const run = (label, testFiles, env) => {
  console.log(`\n=== ${label}: ${testFiles.length} test files ===\n`);
  return spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...testFiles], { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
};

let status = run('SQLite (embedded store) and store-independent tests', files, {});
const apiFiles = files.filter((f) => f.startsWith(join(root, 'http')) || f.startsWith(join(root, 'concurrency')));
if (process.env.TIGRAPH_TEST_DATABASE_URL) {
  if (apiFiles.length) status = run('HTTP API suite on PostgreSQL', apiFiles, { TIGRAPH_TEST_STORE: 'postgres' }) || status;
} else if (apiFiles.length) {
  console.log('\n!!! PostgreSQL passes skipped: TIGRAPH_TEST_DATABASE_URL is not set.');
  console.log('!!! To run the store and HTTP suites on PostgreSQL too: TIGRAPH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n');
}
process.exit(status);
