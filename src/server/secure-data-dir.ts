/**
 * The data directory holds the signing key, the TAXII users and (on SQLite) the database: it is created 0700 and
 * the database file 0600 before the store opens it. SQLite gives its -wal and -shm files the database file's mode,
 * so they are 0600 too; a database file left 0644 by an older version is tightened to 0600. An existing directory
 * keeps its mode (it may be one the operator chose and shares on purpose) — only what tigraph creates is private.
 */
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SQLITE_FILE_NAME } from '../storage/open-store.js';

export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

export async function secureDataDir(dataDir: string, sqlite: boolean): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  if (!sqlite) return;
  const db = join(dataDir, SQLITE_FILE_NAME);
  await (await open(db, 'a', DATA_FILE_MODE)).close();
  for (const suffix of ['', '-wal', '-shm']) {
    const file = `${db}${suffix}`;
    const s = await stat(file).catch(() => undefined);
    if (s && (s.mode & 0o777) !== DATA_FILE_MODE) await chmod(file, DATA_FILE_MODE);
  }
}
