/**
 * The layering rules of `.dependency-cruiser.cjs` hold on src/, and each rule catches a deliberate violation in
 * a small fixture tree (so a rule that silently matches nothing would fail here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { cruise, describe, REPO_ROOT } from './run-depcruise.js';

const countTs = (dir: string): number =>
  readdirSync(dir).reduce((n, name) => {
    const p = join(dir, name);
    return n + (statSync(p).isDirectory() ? countTs(p) : name.endsWith('.ts') ? 1 : 0);
  }, 0);

test('src/ keeps the dependency rules', () => {
  const { violations, modulesCruised } = cruise(REPO_ROOT, ['src']);
  // Every source file was reached (resolution of the `.js` specifiers to `.ts` works), plus the node/npm modules.
  assert.ok(modulesCruised > countTs(join(REPO_ROOT, 'src')), `only ${modulesCruised} modules cruised`);
  assert.equal(describe(violations), '', `dependency rule violations:\n${describe(violations)}`);
});

test('a fixture tree with deliberate violations: each is reported under its rule', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-depcruise-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
    // model → service: model-standalone
    'src/model/names.ts': "import { handle } from '../service/handle.js';\nexport const N = handle;\n",
    // errors → model: errors-standalone
    'src/errors/catalog.ts': "import { N } from '../model/names.js';\nexport const E = N;\n",
    // odata → storage: odata-only-model-errors; odata → model, errors: allowed
    'src/odata/plan.ts': "import { N } from '../model/names.js';\nimport { E } from '../errors/catalog.js';\nimport { S } from '../storage/store.js';\nexport const P = [N, E, S];\n",
    // service → node:http and → pg: service-no-http + only-http-imports-node-http, service-no-driver + only-storage-imports-drivers
    'src/service/handle.ts': "import { createServer } from 'node:http';\nimport pg from 'pg';\nexport const handle = [createServer, pg];\n",
    // allowed: http and server import node:http(s), storage imports the drivers
    'src/http/listener.ts': "import type { IncomingMessage } from 'node:http';\nexport type L = IncomingMessage;\n",
    'src/server/start.ts': "import { createServer } from 'node:https';\nexport const start = createServer;\n",
    'src/storage/store.ts': "import Database from 'better-sqlite3';\nexport const S = Database;\n",
    // a cycle: a → b → a (reported once, at the first module of the cycle)
    'src/import/a.ts': "import { B } from './b.js';\nexport const A = () => B;\n",
    'src/import/b.ts': "import { A } from './a.js';\nexport const B = () => A;\n",
    // an unresolvable relative import
    'src/export/lost.ts': "import { X } from './missing.js';\nexport const L = X;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { violations } = cruise(dir, ['src']);
  const lines = describe(violations).split('\n').sort();
  assert.deepEqual(lines, [
    'errors-standalone: src/errors/catalog.ts → src/model/names.ts',
    'model-standalone: src/model/names.ts → src/service/handle.ts',
    'no-circular: src/import/a.ts → src/import/b.ts (cycle src/import/b.ts → src/import/a.ts)',
    'no-unresolvable: src/export/lost.ts → ./missing.js',
    'odata-only-model-errors: src/odata/plan.ts → src/storage/store.ts',
    'only-http-imports-node-http: src/service/handle.ts → http',
    'only-storage-imports-drivers: src/service/handle.ts → pg',
    'service-no-driver: src/service/handle.ts → pg',
    'service-no-http: src/service/handle.ts → http',
  ]);
});

test('with the drivers installed (resolved into node_modules, as in the real tree) the driver rules still fire', (t) => {
  // The real src resolves 'pg' to node_modules/pg/…; an `exclude` of node_modules once dropped those edges, so the
  // driver rules never fired on the real tree although the unresolvable-fixture test above passed.
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-depcruise-installed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    'package.json': JSON.stringify({ name: 'fixture', type: 'module' }),
    'src/service/handle.ts': "import pg from 'pg';\nexport const handle = pg;\n",
    'src/import/read.ts': "import type { Database } from 'better-sqlite3';\nexport type R = Database;\n",
    'src/storage/store.ts': "import Database from 'better-sqlite3';\nimport pg from 'pg';\nexport const S = [Database, pg];\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const { violations } = cruise(dir, ['src']);
  const lines = describe(violations)
    .split('\n')
    .map((l) => l.replace(/\S*node_modules\/(pg|better-sqlite3)\/\S*/, 'node_modules/$1/…')) // the symlink resolves to the real path
    .sort();
  assert.deepEqual(lines, [
    'only-storage-imports-drivers: src/import/read.ts → node_modules/better-sqlite3/…',
    'only-storage-imports-drivers: src/service/handle.ts → node_modules/pg/…',
    'service-no-driver: src/service/handle.ts → node_modules/pg/…',
  ]);
});
