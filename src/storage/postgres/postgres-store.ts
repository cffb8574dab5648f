/**
 * The PostgreSQL store: the same SqlStore, executed through a `pg` connection pool. Migrations run at start under
 * a transaction-scoped advisory lock, so several processes starting at once apply them exactly once. A lost or
 * refused connection surfaces as Graph 503 ServiceUnavailable with Retry-After; the pool reconnects by itself.
 */
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { errors } from '../../errors/catalog.js';
import { ODataError } from '../../errors/odata-error.js';
import type { Model } from '../../model/model.js';
import { checksum, migrations } from '../sql/migrations.js';
import type { Row } from '../sql/row-codec.js';
import { SqlStore } from '../sql/sql-store.js';
import type { StoreHealth } from '../store.js';
import { postgresDialect } from './postgres-dialect.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema holding tigraph's tables (created if absent); default: the connection's search_path. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Per-statement timeout, so no request waits on the database past the request timeout. */
  readonly statementTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

/** BIGINT (epoch ms) as a JS number; it stays below 2^53. */
const types = {
  getTypeParser: (oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)),
} as unknown as pg.CustomTypesConfig;

/** Errors that mean "the database is unreachable or going away", as opposed to a bad statement. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004', '57014']);

export function isUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code && UNAVAILABLE_CODES.has(err.code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(err?.message ?? '');
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  private readonly schemaName: string | undefined;

  private constructor(model: Model, options: PostgresStoreOptions) {
    super(model, postgresDialect);
    this.schemaName = options.schema;
    if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 15000,
      types,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection (server restart) must not crash the process.
    this.pool.on('error', () => {});
  }

  static async open(model: Model, options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(model, options);
    try {
      await store.migrate();
    } catch (e) {
      await store.pool.end().catch(() => {});
      throw e;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tigraph-migrations'))");
      if (this.schemaName) await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schemaName}"`);
      await client.query('CREATE TABLE IF NOT EXISTS "tigraph_migrations" ("version" INTEGER PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" BIGINT NOT NULL)');
      const applied = new Map((await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM tigraph_migrations')).rows.map((r) => [r.version, r.checksum]));
      for (const m of migrations(this.schema, this.dialect)) {
        const sum = checksum(m);
        const have = applied.get(m.version);
        if (have === sum) continue;
        if (have !== undefined) throw new Error(`schema drift: migration ${m.version} was applied with checksum ${have}, the model now derives ${sum}; add a migration`);
        for (const s of m.statements) await client.query(s);
        await client.query('INSERT INTO tigraph_migrations (version, checksum, applied_at) VALUES ($1, $2, $3)', [m.version, sum, Date.now()]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  private translate(e: unknown): unknown {
    if (e instanceof ODataError) return e;
    if (isUnavailable(e)) return errors.serviceUnavailable('the database is unreachable; retry shortly', 1);
    return e;
  }

  protected async all(query: CompiledQuery): Promise<Row[]> {
    try {
      return (await this.pool.query({ text: query.sql, values: query.parameters as unknown[] })).rows as Row[];
    } catch (e) {
      throw this.translate(e);
    }
  }

  protected async transaction(statements: readonly CompiledQuery[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      for (const s of statements) await client.query({ text: s.sql, values: s.parameters as unknown[] });
      await client.query('COMMIT');
    } catch (e) {
      broken = isUnavailable(e);
      await client.query('ROLLBACK').catch(() => {});
      throw this.translate(e);
    } finally {
      client.release(broken);
    }
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.pool.query('SELECT 1');
      return { ok: true, store: 'postgres', detail: `pool ${this.pool.totalCount} connections, ${this.pool.idleCount} idle` };
    } catch (e) {
      return { ok: false, store: 'postgres', detail: (e as Error).message };
    }
  }

  /** Drops the store's schema (tests). */
  async dropSchema(): Promise<void> {
    if (this.schemaName) await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schemaName}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
