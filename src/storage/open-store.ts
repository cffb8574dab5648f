/**
 * The store factory: PostgreSQL for a database URL, else SQLite (a file in the data directory, or memory); each
 * backend's module is loaded when it is used.
 */
import { join } from 'node:path';
import type { Model } from '../model/model.js';
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
  /** PostgreSQL: bulk writes an importer may keep in flight (default 1; the CLI import asks for 2). */
  readonly postgresWritesInFlight?: number;
}

export const SQLITE_FILE_NAME = 'tigraph.db';

/**
 * The store could not be opened: the database refused or could not be reached, the data directory cannot hold the
 * SQLite file (or the server's signing key), the file is not a database, the schema cannot be made. The message is
 * one line for a command to print (the URL's password hidden), instead of the driver's stack.
 */
export class StoreOpenError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`cannot open the ${target}: ${reason}`);
  }
}

/** A database URL with its password replaced by `***` (for messages). */
export function hidePassword(url: string): string {
  if (!URL.canParse(url)) return url.replace(/:[^:@/]*@/, ':***@');
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** An error's message; for an AggregateError (a connection tried on several addresses) its errors' distinct ones. */
export function reasonOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return [...new Set(e.errors.map((x: unknown) => (x as Error).message))].join('; ');
  return e instanceof Error ? e.message : String(e);
}

export async function openStore(model: Model, options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    try {
      const { PostgresStore } = await import('./postgres/postgres-store.js');
      return await PostgresStore.open(model, { connectionString: options.databaseUrl, poolSize: options.poolSize ?? 10, ...(options.clientShare ? { clientShare: options.clientShare } : {}), ...(options.databaseSchema ? { schema: options.databaseSchema } : {}), ...(options.postgresWritesInFlight ? { writesInFlight: options.postgresWritesInFlight } : {}) });
    } catch (e) {
      throw new StoreOpenError(`PostgreSQL store at ${hidePassword(options.databaseUrl)}${options.databaseSchema ? ` (schema ${options.databaseSchema})` : ''}`, reasonOf(e));
    }
  }
  const filename = options.inMemory ? ':memory:' : join(options.dataDir, SQLITE_FILE_NAME);
  try {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return new SqliteStore(model, { filename, readers: options.sqliteReaders ?? 0, ...(options.sqliteWriterThread ? { writerThread: true } : {}), ...(options.clientShare ? { clientShare: options.clientShare } : {}) });
  } catch (e) {
    throw new StoreOpenError(`SQLite store at ${filename}`, reasonOf(e));
  }
}
