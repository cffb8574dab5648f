/**
 * The PostgreSQL store: the same SqlStore, executed through a `pg` connection pool. Migrations run at start under
 * a transaction-scoped advisory lock, so several processes starting at once apply them exactly once. A lost or
 * refused connection surfaces as Graph 503 ServiceUnavailable with Retry-After; the pool reconnects by itself.
 */
import type { RateBuckets } from '../rate-buckets.js';
import { postgresRateBuckets, RATE_BUCKETS_DDL } from './rate-buckets-postgres.js';
import pg from 'pg';
import type { Statement } from '../sql/sql-dialect.js';
import type { Model } from '../../model/model.js';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { driftError, HARVESTED_ALIASES_DDL, MIGRATIONS_TABLE, SECRETS_DDL, SECRETS_TABLE, planMigration, schemaChecksum } from '../sql/migrations.js';
import type { Row } from '../sql/row-codec.js';
import { INGEST_COLUMN, planIngestTime } from '../sql/ingest-time.js';
import { conflictUpdates, insertStatement, mergeRules } from '../sql/upsert-sql.js';
import { postgresIngestTimeUpgrades, TAKE_STAMP_FUNCTION } from './ingest-time-postgres.js';
import { SqlStore, StepFailed, type CheckedStep } from '../sql/sql-store.js';
import type { WriteRecord } from '../../model/records.js';
import type { Deadline, ReadOptions, StoreHealth, WriteOptions } from '../store.js';
import { sql } from 'kysely';
import { postgresDialect } from './postgres-dialect.js';
import { FairShare } from '../fair-share.js';
import { appendNew, copyRows, indexBuildGroups, mergeDuplicateKeys, setColumns } from './bulk-write-postgres.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS, isUnavailable, STATEMENT_TIMEOUT, translatePostgresError } from './postgres-errors.js';
import { errors } from '../../errors/catalog.js';
import type { ODataError } from '../../errors/odata-error.js';
import { readExisting, readTriggers } from './read-schema-postgres.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema holding tigraph's tables (created if absent); default: the connection's search_path. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Per-statement timeout, so no request waits on the database past the request timeout. */
  readonly statementTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Pooled connections one client's reads may use at once (fair-share.ts); default: all but a quarter of the pool. */
  readonly clientShare?: number;
  /**
   * Bulk writes an importer may keep in flight (Store.writesInFlight; default 1). The CLI import asks for 2; a
   * server keeps 1, so an import job holds one pooled connection and its reads keep the rest.
   */
  readonly writesInFlight?: number;
}

/** BIGINT (epoch ms) as a JS number; it stays below 2^53. */
const types = {
  getTypeParser: (oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)),
} as unknown as pg.CustomTypesConfig;

/** Below this many records a write is plain parameterised statements; above, COPY into staging. */
const BULK_THRESHOLD = 64;
/** The most connections a bulk load's index build uses at once (buildIndexes; fewer with fewer cores). */
const INDEX_BUILD_CONNECTIONS = 4;

/**
 * Gives every connection of `pool` a listener of its own for 'error', for its whole life. A connection the server
 * terminates emits 'error' whenever no query is running on it (pg's Client), and pg-pool listens only while a
 * client is idle (and, in pool.query, once): a checked-out client between statements, or one already released as
 * broken, would otherwise emit into the void, and an unheard 'error' ends the process (seen when connections were
 * killed under load). Each failure still reaches the query it belongs to, and the pool still drops dead clients.
 */
export function keepErrorsHeard(pool: pg.Pool): void {
  pool.on('connect', (client) => client.on('error', () => {}));
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  private readonly schemaName: string | undefined;
  private readonly statementTimeoutMs: number;
  /** The staging tables each pooled connection (session) has created (temporary tables live as long as it). */
  private readonly stagingTables = new WeakMap<pg.PoolClient, Set<string>>();
  private readonly connectionString: string;
  private readonly poolSize: number;
  private readonly inFlight: number;
  private readonly share: FairShare;

  private constructor(model: Model, options: PostgresStoreOptions) {
    super(model, postgresDialect);
    this.schemaName = options.schema;
    this.statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.connectionString = options.connectionString;
    const poolSize = (this.poolSize = options.poolSize ?? 10);
    this.inFlight = Math.max(1, options.writesInFlight ?? 1);
    this.share = new FairShare(options.clientShare ?? Math.max(1, poolSize - Math.max(1, Math.floor(poolSize / 4))));
    if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: this.statementTimeoutMs,
      types,
      // Identifies this store's connections in pg_stat_activity (operators, and the fault tests).
      application_name: `tigraph:${options.schema ?? 'default'}`,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection (server restart) must not crash the process.
    this.pool.on('error', () => {});
    keepErrorsHeard(this.pool);
  }

  override readonly rateBuckets: RateBuckets = postgresRateBuckets(
    (text, values) => this.pool.query<{ tokens: number; admitted: boolean }>(text, values),
    (e) => this.translate(e),
  );

  async secret(name: string): Promise<Buffer> {
    try {
      await this.pool.query(`INSERT INTO "${SECRETS_TABLE}" ("name", "value") VALUES ($1, $2) ON CONFLICT ("name") DO NOTHING`, [name, randomBytes(32).toString('base64url')]);
      const r = await this.pool.query<{ value: string }>(`SELECT "value" FROM "${SECRETS_TABLE}" WHERE "name" = $1`, [name]);
      return Buffer.from(r.rows[0]!.value, 'base64url');
    } catch (e) {
      throw this.translate(e);
    }
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
      await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("version" INTEGER PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" BIGINT NOT NULL)`);
      await client.query(RATE_BUCKETS_DDL);
      await client.query(SECRETS_DDL);
      await client.query(HARVESTED_ALIASES_DDL);
      const existing = await readExisting(client);
      const plan = planMigration(this.schema, existing, this.dialect);
      if (plan.drift.length > 0) throw driftError(plan.drift);
      const upgrades = postgresIngestTimeUpgrades(this.schema.tables, await readTriggers(client));
      for (const s of [...plan.statements, ...planIngestTime(this.schema, existing, this.dialect), ...upgrades]) await client.query(s);
      const sum = schemaChecksum(this.schema, this.dialect);
      await client.query(
        `INSERT INTO "${MIGRATIONS_TABLE}" (version, checksum, applied_at) VALUES (1, $1, $2) ON CONFLICT (version) DO UPDATE SET checksum = excluded.checksum, applied_at = excluded.applied_at WHERE "${MIGRATIONS_TABLE}".checksum <> excluded.checksum`,
        [sum, Date.now()],
      );
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  private translate(e: unknown): unknown {
    return translatePostgresError(e, this.statementTimeoutMs);
  }

  protected async all(query: Statement, options: ReadOptions = {}): Promise<Row[]> {
    const config = { text: query.sql, values: query.parameters as unknown[], ...(query.name ? { name: query.name } : {}) };
    const deadline = options.deadline;
    try {
      return await this.share.run(options, async () => (deadline ? this.queryBefore(config, deadline) : ((await this.pool.query(config)).rows as Row[])));
    } catch (e) {
      throw this.translate(e);
    }
  }

  /**
   * A read that must end by `deadline`: waiting for a connection counts against it, and when it passes, the running
   * statement is cancelled with pg_cancel_backend from a connection of its own (so a full pool cannot delay it).
   * The client goes back to the pool only after the cancel request has been answered, so a late cancel can never
   * reach the next statement on that connection.
   */
  private async queryBefore(config: pg.QueryConfig, deadline: Deadline): Promise<Row[]> {
    const late = (): ODataError => errors.deadlineExceeded(deadline.ms);
    const connecting = this.pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const client = await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(late()), Math.max(0, deadline.at - Date.now()));
      }),
    ]).catch((e: unknown) => {
      void connecting.then((c) => c.release(), () => {});
      throw e;
    });
    clearTimeout(timer);
    let broken = false;
    // A checked-out client whose connection dies emits 'error'; without a listener that would end the process.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    let cancelling: Promise<unknown> | undefined;
    const pid = (client as unknown as { processID: number }).processID;
    const cancel = setTimeout(() => {
      cancelling = this.cancelPool().query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
    }, Math.max(0, deadline.at - Date.now()));
    try {
      return (await client.query(config)).rows as Row[];
    } catch (e) {
      broken ||= isUnavailable(e);
      if (cancelling && (e as { code?: string }).code === STATEMENT_TIMEOUT) throw late();
      throw e;
    } finally {
      clearTimeout(cancel);
      if (cancelling) await cancelling;
      client.off('error', onError);
      client.release(broken);
    }
  }

  private cancels: pg.Pool | undefined;

  /** Connections for pg_cancel_backend only (created on the first cancel). */
  private cancelPool(): pg.Pool {
    if (!this.cancels) {
      this.cancels = new pg.Pool({ connectionString: this.connectionString, max: 2, connectionTimeoutMillis: 5000, statement_timeout: 5000, application_name: 'tigraph:cancel' });
      this.cancels.on('error', () => {});
      keepErrorsHeard(this.cancels);
    }
    return this.cancels;
  }

  protected async transaction(statements: readonly Statement[]): Promise<void> {
    await this.inTransaction(async (client) => {
      for (const s of statements) await client.query({ text: s.sql, values: s.parameters as unknown[] });
    });
  }

  /**
   * The CREATE INDEX statements of a bulk load's end, spread over connections (indexBuildGroups), each group in a
   * transaction of its own: CREATE INDEX takes a SHARE lock, which other index builds on the same table share, so
   * the builds (a table scan and a sort each) run on as many cores. At 300k indicators the 10 indicator and
   * artifact indexes took 5.3–5.9 s one after the other and 3.7 s on two connections (2 cores). If one group
   * fails the others still commit; the error is thrown once all have ended, and an index missing after a failure
   * (or a crash) is created again by the next start's migration, as after a crash mid-build in one transaction.
   */
  protected override async buildIndexes(statements: readonly Statement[]): Promise<void> {
    const groups = indexBuildGroups(statements, Math.min(INDEX_BUILD_CONNECTIONS, this.poolSize, availableParallelism()));
    const results = await Promise.allSettled(groups.map((g) => this.transaction(g)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  protected async runSteps(steps: readonly CheckedStep[]): Promise<number | undefined> {
    try {
      await this.inTransaction(async (client) => {
        for (let i = 0; i < steps.length; i++) {
          const { statement, expect } = steps[i]!;
          const result = await client.query({ text: statement.sql, values: statement.parameters as unknown[] });
          const got = expect === 'rows' ? result.rows.length : (result.rowCount ?? 0);
          if (expect && got === 0) throw new StepFailed(i);
        }
      });
      return undefined;
    } catch (e) {
      if (e instanceof StepFailed) return e.index;
      throw e;
    }
  }

  private async inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e);
    }
    let broken = false;
    // A checked-out client whose connection dies emits 'error'; without a listener that would end the process.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (e) {
      broken = isUnavailable(e);
      await client.query('ROLLBACK').catch(() => {});
      throw this.translate(e);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * With `writesInFlight` 2 (the CLI import), the next batch's COPY runs while the one before inserts, and the
   * importer reads on. Their INSERTs serialize on the ingestion clock, taken before any row lock
   * (ingest-time-postgres.ts): they commit in the order posted and cannot deadlock. Reads do not see a write still
   * running (readsSeeWritesInFlight): the importer settles its writes before it looks anything up. Measured and not
   * kept (300k indicators, interleaved): these writes on a thread with a pool of its own, 14.6–16.3 s against
   * 13.8–15.4 s, with 2–5 s more CPU and 65–75 MiB more RSS; their COPY text built before the clock, 14.0–14.9 s.
   */
  override get writesInFlight(): number {
    return this.inFlight;
  }

  override get readsSeeWritesInFlight(): boolean {
    return false;
  }

  /**
   * Creates the session's staging table `name` (like `table`) unless this connection has one already. A table
   * created in the current transaction goes into `created`, and counts as made only once that transaction commits
   * (a rollback undoes the CREATE).
   */
  private async stagingTable(client: pg.PoolClient, name: string, table: string, created: Set<string>): Promise<void> {
    if (this.stagingTables.get(client)?.has(name) || created.has(name)) return;
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS "${name}" (LIKE "${table}") ON COMMIT DELETE ROWS`);
    created.add(name);
  }

  /** Store.appendsNewKeys: a write's `expectNew` records are COPYed into their table (write). */
  override get appendsNewKeys(): boolean {
    return true;
  }

  /**
   * Large writes go through COPY into a temporary staging table and one INSERT … SELECT … ON CONFLICT merge per
   * table, in one transaction. Rows repeating a key within the batch are merged first (a single INSERT may not
   * touch a row twice), with the same MERGE_RULES the database applies to stored rows. Records marked `expectNew`
   * are COPYed into their table itself first (bulk-write-postgres.ts, appendNew): no staging table to fill, scan
   * and sort. Measured on 2 cores: PostgreSQL's CPU time for a 1M-indicator first load fell to a mean of 37.6 s
   * from 47.1 s (10 and 6 runs); the load's wall time, bound as much by the reading side and the index builds,
   * moved only within the machine's noise.
   */
  override async write(records: readonly WriteRecord[], options: WriteOptions = {}): Promise<void> {
    if (records.length < BULK_THRESHOLD) return super.write(records, options);
    const groups = this.groupWrites(records);
    const created = new Set<string>();
    let session: pg.PoolClient | undefined;
    await this.inTransaction(async (client) => {
      session = client;
      for (const s of this.removeStatements(options)) await client.query({ text: s.sql, values: s.parameters as unknown[] });
      let stamp: number | undefined;
      for (const [table, all] of groups) {
        const codec = this.codecs.get(table)!;
        let writes = all;
        const fresh = all.filter((w) => w.expectNew);
        if (fresh.length > 0) {
          stamp ??= Number((await client.query(`SELECT ${TAKE_STAMP_FUNCTION}() AS v`)).rows[0].v);
          if (await appendNew(client, table, fresh.map((w) => codec.encodeSet(w)), stamp)) writes = all.filter((w) => !w.expectNew);
        }
        for (const ifAbsent of [true, false]) {
          const part = writes.filter((w) => (w.ifAbsent ?? false) === ifAbsent);
          if (part.length === 0) continue;
          // Only the columns some row sets are copied (an imported hostname sets 3 of the artifact table's 38); the
          // others are null in the staging table, as they would be copied.
          const encoded = part.map((w) => codec.encodeSet(w));
          const rows = mergeDuplicateKeys(encoded, table.keyColumn, options.merge ? mergeRules(table) : new Map());
          // One staging table per table and part, emptied by every commit (ON COMMIT DELETE ROWS): no TRUNCATE,
          // which gives a table new files each time (a third of a bulk load's time on PostgreSQL went to it).
          const staging = `tigraph_staging_${table.name}_${ifAbsent ? 'keep' : 'write'}`;
          await this.stagingTable(client, staging, table.name, created);
          await copyRows(client, staging, setColumns(table, encoded), rows);
          // Key order: concurrent imports lock rows in the same order, so they cannot deadlock. The rows carry the
          // transaction's stamp, taken once (a FROM subquery of a volatile function runs once), so the INSERT
          // trigger does not fire per row (ingest-time-postgres.ts).
          const columns = table.columns.map((c) => c.name);
          const source = sql`SELECT ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))}, ${sql.ref('s.v')} FROM ${sql.table(staging)} AS r CROSS JOIN (SELECT ${sql.raw(TAKE_STAMP_FUNCTION)}() AS v) AS s ORDER BY ${sql.ref(`r.${table.keyColumn}`)}`;
          const statement = insertStatement(this.dialect, table, source, ifAbsent ? undefined : conflictUpdates(table, options.merge ?? false), [...columns, INGEST_COLUMN]);
          await client.query({ text: statement.sql, values: statement.parameters as unknown[] });
        }
      }
    });
    if (session && created.size > 0) {
      let made = this.stagingTables.get(session);
      if (!made) this.stagingTables.set(session, (made = new Set()));
      for (const name of created) made.add(name);
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
    await this.cancels?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
