/**
 * Issue 10: "`tigraph.db` is mode 0644 in a 0755 data directory". A server on a new data directory creates it 0700
 * and its files (database, -wal, -shm, signing key) 0600; a database file left 0644 is tightened. SQLite only: on
 * PostgreSQL the directory holds just the signing key, whose mode the signing-key module sets the same way.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/server/start-server.js';

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

describe('data directory modes', () => {
  it('a new data directory is 0700 and every file in it 0600, after writes (WAL) too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tigraph-modes-'));
    const dataDir = join(root, 'data');
    try {
      const s = await startServer({ port: 0, dataDir, logLevel: 'silent', seed: 'demo' });
      try {
        assert.equal(mode(dataDir), '700');
        const files = readdirSync(dataDir).sort();
        assert.ok(files.includes('tigraph.db') && files.includes('signing-key.json'), files.join(', '));
        assert.deepEqual(Object.fromEntries(files.map((f) => [f, mode(join(dataDir, f))])), Object.fromEntries(files.map((f) => [f, '600'])));
      } finally {
        await s.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a database file left 0644 by an older version is tightened to 0600 at start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tigraph-modes-'));
    const dataDir = join(root, 'data');
    try {
      await (await startServer({ port: 0, dataDir, logLevel: 'silent', seed: 'none' })).close();
      chmodSync(join(dataDir, 'tigraph.db'), 0o644);
      const s = await startServer({ port: 0, dataDir, logLevel: 'silent', seed: 'none' });
      try {
        assert.equal(mode(join(dataDir, 'tigraph.db')), '600');
      } finally {
        await s.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
