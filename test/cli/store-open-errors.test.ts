/**
 * A store that cannot be opened (a database that refuses or cannot be reached, a data directory that cannot hold the
 * SQLite file, a file that is not a database, a damaged signing key) is one line on stderr and exit code 1 for
 * every command, with the URL's password hidden: never the driver's stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hidePassword } from '../../src/storage/open-store.js';
import { BIN, childEnv } from '../support/cli-process.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';

const tmp = mkdtempSync(join(tmpdir(), 'tigraph-open-errors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// A regular file where a directory is expected, and a "database" that is text.
writeFileSync(join(tmp, 'plain-file'), 'x');
const notADirectory = join(tmp, 'plain-file', 'data');
const garbageDir = join(tmp, 'garbage');
mkdirSync(garbageDir);
writeFileSync(join(garbageDir, 'tigraph.db'), 'this is not a SQLite database, it is text');
const damagedKeyDir = join(tmp, 'damaged-key');
mkdirSync(damagedKeyDir);
writeFileSync(join(damagedKeyDir, 'signing-key.json'), '{broken');
const input = join(tmp, 'apt_openerrors.txt');
writeFileSync(input, 'open-errors.example\n');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = childEnv();
  delete env['TIGRAPH_DATA_DIR'];
  delete env['TIGRAPH_DATABASE_URL'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a store that cannot be opened', () => {
  it('hidePassword replaces the password of a database URL, and only that', () => {
    assert.equal(hidePassword('postgres://tigraph:s3cret@db.example:5432/intel?sslmode=require'), 'postgres://tigraph:***@db.example:5432/intel?sslmode=require');
    assert.equal(hidePassword('postgres://tigraph@db.example/intel'), 'postgres://tigraph@db.example/intel');
    assert.equal(hidePassword('not a url:pw@host'), 'not a url:***@host');
  });

  it('import: an unreachable PostgreSQL server', () => {
    const r = run('import', input, '--database-url', 'postgres://tigraph:s3cret@127.0.0.1:1/intel');
    assert.deepEqual(r, { status: 1, stdout: '', stderr: 'tigraph import: cannot open the PostgreSQL store at postgres://tigraph:***@127.0.0.1:1/intel: connect ECONNREFUSED 127.0.0.1:1\n' });
  });

  it('import: a data directory below a regular file', () => {
    const r = run('import', input, '--data-dir', notADirectory);
    assert.deepEqual(r, { status: 1, stdout: '', stderr: `tigraph import: cannot open the SQLite store at ${join(notADirectory, 'tigraph.db')}: ENOTDIR: not a directory, mkdir '${notADirectory}'\n` });
  });

  it('import and export: a tigraph.db that is not a database', () => {
    const expected = `cannot open the SQLite store at ${join(garbageDir, 'tigraph.db')}: file is not a database\n`;
    assert.deepEqual(run('import', input, '--data-dir', garbageDir), { status: 1, stdout: '', stderr: `tigraph import: ${expected}` });
    assert.deepEqual(run('export', '--data-dir', garbageDir), { status: 1, stdout: '', stderr: `tigraph export: ${expected}` });
  });

  it('serve: an unreachable PostgreSQL server, an unusable data directory, a damaged signing key', () => {
    assert.deepEqual(run('serve', '--port', '0', '--database-url', 'postgres://127.0.0.1:1/intel'), {
      status: 1,
      stdout: '',
      stderr: 'tigraph serve: cannot open the PostgreSQL store at postgres://127.0.0.1:1/intel: connect ECONNREFUSED 127.0.0.1:1\n',
    });
    assert.deepEqual(run('serve', '--port', '0', '--data-dir', notADirectory), {
      status: 1,
      stdout: '',
      stderr: `tigraph serve: cannot open the data directory ${notADirectory}: ENOTDIR: not a directory, mkdir '${notADirectory}'\n`,
    });
    const damaged = run('serve', '--port', '0', '--data-dir', damagedKeyDir, '--seed', 'none');
    assert.deepEqual([damaged.status, damaged.stdout], [1, '']);
    assert.equal(damaged.stderr, `tigraph serve: cannot open the signing key in ${damagedKeyDir}: ${join(damagedKeyDir, 'signing-key.json')}: not valid JSON (Expected property name or '}' in JSON at position 1); delete it to generate a new signing key\n`);
  });

  it('token: an unusable data directory, a damaged signing key', () => {
    assert.deepEqual(run('token', '--data-dir', notADirectory), {
      status: 1,
      stdout: '',
      stderr: `tigraph token: cannot read or create the signing key in ${notADirectory}: ENOTDIR: not a directory, open '${join(notADirectory, 'signing-key.json')}'\n`,
    });
    const damaged = run('token', '--data-dir', damagedKeyDir);
    assert.deepEqual([damaged.status, damaged.stdout], [1, '']);
    assert.match(damaged.stderr, /^tigraph token: cannot read or create the signing key in .*damaged-key: .*signing-key\.json: not valid JSON \(.*\); delete it to generate a new signing key\n$/);
  });

  it('import: a PostgreSQL database that does not exist', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, () => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = '/tigraph_no_such_database';
    const r = run('import', input, '--database-url', url.toString());
    assert.deepEqual(r, { status: 1, stdout: '', stderr: `tigraph import: cannot open the PostgreSQL store at ${hidePassword(url.toString())}: database "tigraph_no_such_database" does not exist\n` });
  });
});
