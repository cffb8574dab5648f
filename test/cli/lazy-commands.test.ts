/**
 * The command line loads only the command being run (src/cli/main.ts) and only the store backend it uses
 * (src/storage/open-store.ts): `tigraph import` into SQLite loads neither the server, its HTTP, TLS, token and
 * logging libraries nor the PostgreSQL driver. Checked by recording every module the child process resolves (a
 * module.register resolve hook), not by timing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { BIN, childEnv } from '../support/cli-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'tigraph-lazy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const hooks = join(tmp, 'hooks.mjs');
writeFileSync(hooks, "import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(process.env.TIGRAPH_TRACE_MODULES, r.url + '\\n');\n  return r;\n}\n");
const register = join(tmp, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

/** The module URLs (relative to the repository: dist/…, node_modules/…) a `tigraph` run resolved, and its exit status. */
function modulesOf(name: string, ...args: string[]): { status: number | null; modules: string[] } {
  const trace = join(tmp, `${name}.txt`);
  writeFileSync(trace, '');
  const env = { ...childEnv({ TIGRAPH_TRACE_MODULES: trace }) };
  delete env['TIGRAPH_DATA_DIR'];
  delete env['TIGRAPH_DATABASE_URL'];
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { encoding: 'utf8', env, timeout: 30000 });
  const root = pathToFileURL(process.cwd()).href + '/';
  const modules = [...new Set(readFileSync(trace, 'utf8').split('\n').filter((u) => u.startsWith(root)).map((u) => u.slice(root.length)))];
  return { status: r.status, modules };
}

const matching = (modules: readonly string[], pattern: RegExp): string[] => modules.filter((m) => pattern.test(m));
const SERVER_SIDE = /^dist\/src\/(server|http|taxii|auth|tls)\/|^dist\/src\/seed\/demo-dataset\.js$|^node_modules\/(pg|pg-pool|pg-copy-streams|node-forge|pino|jose)\//;

describe('the command line loads what the command needs', () => {
  it('tigraph import into SQLite: no server, HTTP, TLS, token or logging module and no PostgreSQL driver', () => {
    const input = join(tmp, 'apt_lazygroup.txt');
    writeFileSync(input, 'lazy.example\n');
    const r = modulesOf('import', 'import', input, '--data-dir', join(tmp, 'data'));
    assert.equal(r.status, 0);
    assert.ok(r.modules.includes('dist/src/cli/commands/import.js'), 'the import command itself was loaded');
    assert.ok(r.modules.includes('dist/src/storage/sqlite/sqlite-store.js'), 'and the SQLite store');
    assert.deepEqual(matching(r.modules, SERVER_SIDE), []);
    assert.deepEqual(matching(r.modules, /^dist\/src\/cli\/commands\/(serve|token|export)\.js$/), []);
  });

  it('tigraph --help loads every command, so the root help lists them all', () => {
    const r = modulesOf('help', '--help');
    assert.equal(r.status, 0);
    assert.deepEqual(matching(r.modules, /^dist\/src\/cli\/commands\/[a-z]+\.js$/).sort(), ['export', 'import', 'serve', 'token'].map((c) => `dist/src/cli/commands/${c}.js`));
  });
});
