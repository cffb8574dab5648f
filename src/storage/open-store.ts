/** The store factory: PostgreSQL for a database URL, else SQLite (a file in the data directory, or memory). */
import { join } from 'node:path';
import type { Model } from '../model/model.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface StoreOptions {
  /** postgres://… selects the PostgreSQL store. */
  readonly databaseUrl?: string | undefined;
  readonly poolSize?: number;
  /** Schema for tigraph's tables in PostgreSQL (default: the connection's search_path). */
  readonly databaseSchema?: string | undefined;
  readonly inMemory?: boolean;
  readonly dataDir: string;
  /** SQLite reader threads (0: reads on the main connection, as a CLI run wants). */
  readonly sqliteReaders?: number;
  /** Connections (PostgreSQL) or reader threads (SQLite) one client's reads may use at once; see fair-share.ts. */
  readonly clientShare?: number | undefined;
  /** SQLite file: bulk writes on a writer thread (sqlite-writer.ts), as a CLI import wants. */
  readonly sqliteWriterThread?: boolean;
}

export const SQLITE_FILE_NAME = 'tigraph.db';

export async function openStore(model: Model, options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    return PostgresStore.open(model, { connectionString: options.databaseUrl, poolSize: options.poolSize ?? 10, ...(options.clientShare ? { clientShare: options.clientShare } : {}), ...(options.databaseSchema ? { schema: options.databaseSchema } : {}) });
  }
  return new SqliteStore(model, { filename: options.inMemory ? ':memory:' : join(options.dataDir, SQLITE_FILE_NAME), readers: options.sqliteReaders ?? 0, ...(options.sqliteWriterThread ? { writerThread: true } : {}), ...(options.clientShare ? { clientShare: options.clientShare } : {}) });
}
