/**
 * The embedded store: SQLite through better-sqlite3 (12.x; 13.x crashes on Node 20). Synchronous under the
 * hood; prepared statements are cached by SQL text, so each query shape is prepared once. With `readers`, reads
 * run on that many threads of their own (sqlite-readers.ts) and never hold the event loop; writes stay on this
 * connection. A read with a deadline is cancelled then (deadline-guard.ts) and fails with `deadlineExceeded`.
 * With `writerThread`, `write` (the import path) runs on a thread of its own (sqlite-writer.ts) and resolves when
 * it committed; every other operation first waits for the writes posted before it.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { SECRETS_TABLE } from '../sql/migrations.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Statement } from '../sql/sql-dialect.js';
import type { Model } from '../../model/model.js';
import { SqlStore, StepFailed, type CheckedStep } from '../sql/sql-store.js';
import type { Row } from '../sql/row-codec.js';
import type { WriteRecord } from '../../model/records.js';
import type { StoreHealth, WriteOptions } from '../store.js';
import { migrate } from './migrate-sqlite.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { DeadlineGuard, isDeadlineError } from './deadline-guard.js';
import { ReadFailed, SqliteReaders } from './sqlite-readers.js';
import { errors } from '../../errors/catalog.js';
import { FairShare } from '../fair-share.js';
import { applyBulkWrite, type BulkTable, type BulkWrite } from './bulk-write.js';
import { BulkStaging, MERGE_AT_ROWS, type StagedTableSql } from './bulk-staging.js';
import { sql } from 'kysely';
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_COLUMN } from '../sql/ingest-time.js';
import { insertFrom, writeRank } from '../sql/upsert-sql.js';
import { FIRST_LOAD_STAGED_WRITER_QUEUE, SqliteWriter, STAGED_WRITER_QUEUE, STAGED_WRITER_QUEUE_BYTES, WRITER_QUEUE, WRITER_QUEUE_BYTES } from './sqlite-writer.js';
import type { WriterSetup } from './sqlite-writer-thread.js';
import type { ReadOptions } from '../store.js';

export interface SqliteStoreOptions {
  /** File path, or ':memory:'. */
  readonly filename: string;
  readonly mmapBytes?: number;
  /**
   * Reader threads for the store's reads (a file only; ':memory:' reads on this connection). 0 (the default):
   * reads run here, synchronously, as in a CLI import.
   */
  readonly readers?: number;
  /** Reader threads one client may use at once (fair-share.ts); default: all but one. */
  readonly clientShare?: number;
  /** `write` runs on a writer thread (a file only), so that a bulk import writes on one core and reads on the other. */
  readonly writerThread?: boolean;
  /**
   * The writer thread's byte budgets for direct and staged writes (Store.writeQueueFull; by default sqlite-writer.ts
   * WRITER_QUEUE_BYTES and STAGED_WRITER_QUEUE_BYTES).
   */
  readonly writerQueueBytes?: { readonly direct: number; readonly staged: number };
  /** Staged rows at which a staged write merges them (bulk-staging.ts MERGE_AT_ROWS, the default). */
  readonly stagingMergeRows?: number;
  /** How long a write waits for another connection's lock before SQLITE_BUSY (the store's and the writer thread's). */
  readonly busyTimeoutMs?: number;
}

/** The default busyTimeoutMs. */
const BUSY_TIMEOUT_MS = 5000;

/** The page cache of the store's connection (without a writer thread), KiB. */
const CACHE_KIB = 65536;
/**
 * The writer thread's page cache, KiB. Half of CACHE_KIB: its pages are also mapped (mmap), so a smaller cache costs
 * a bulk load little time (9.4 s against 9.5–9.9 s at 300k) and saves about 40 MiB of anonymous memory; the main
 * connection, which then mostly reads, gets a quarter of it.
 */
const WRITER_CACHE_KIB = 32768;

const DEFAULT_MMAP_BYTES = 1 << 30;

/** The page cache (KiB) and sorter threads while secondary indexes are built over full tables (buildIndexes). */
const INDEX_BUILD_CACHE_KIB = 1024;
const INDEX_BUILD_THREADS = 2;

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly guard = new DeadlineGuard();
  private readonly readers: SqliteReaders | undefined;
  private readonly share: FairShare | undefined;
  /** The writer thread's settings (writerThread on a file); the thread itself starts with the first write. */
  private readonly writerSetup: WriterSetup | undefined;
  private writer: SqliteWriter | undefined;
  /** Transactions of writer threads closed before the current one (writerTransactions counts them all). */
  private writerTransactionsBefore = 0;
  /** Staged rows of this connection's own bulk writes (without a writer thread: the thread stages its own). */
  private readonly staging: BulkStaging;
  /** A staged write was posted since the last merge. */
  private stagedSinceMerge = false;
  /** Writes posted with WriteOptions.stage. */
  stagedWrites = 0;
  private readonly stagedSqlCache = new Map<string, StagedTableSql>();
  /** The writer thread's byte budgets (writeQueueFull). */
  private readonly queueBudget: { readonly direct: number; readonly staged: number };

  constructor(model: Model, private readonly options: SqliteStoreOptions) {
    super(model, sqliteDialect);
    this.queueBudget = options.writerQueueBytes ?? { direct: WRITER_QUEUE_BYTES, staged: STAGED_WRITER_QUEUE_BYTES };
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    try {
      // The busy timeout first: a CLI import building indexes holds the file in rollback mode for a while
      // (buildIndexes), and switching to WAL waits for it rather than failing at once.
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`mmap_size = ${options.mmapBytes ?? DEFAULT_MMAP_BYTES}`);
      // 64 MiB page cache: imports touch many index pages per batch (hash-distributed keys).
      // With a writer thread, the bulk writes (and their page cache) are the thread's; this connection mostly reads.
      this.db.pragma(`cache_size = -${options.writerThread ? WRITER_CACHE_KIB / 4 : CACHE_KIB}`);
      migrate(this.db, this.schema, this.dialect);
      this.guard.install(this.db);
    } catch (e) {
      // Not a database, or one this build cannot migrate: the file is not left open (openStore reports it).
      this.db.close();
      throw e;
    }
    const threads = options.filename === ':memory:' ? 0 : (options.readers ?? 0);
    this.readers = threads > 0 ? new SqliteReaders({ filename: options.filename, mmapBytes: options.mmapBytes ?? DEFAULT_MMAP_BYTES }, threads) : undefined;
    this.share = threads > 0 ? new FairShare(options.clientShare ?? Math.max(1, threads - 1)) : undefined;
    const mergeAtRows = options.stagingMergeRows ?? MERGE_AT_ROWS;
    this.staging = new BulkStaging((text) => this.prepare(text), mergeAtRows);
    this.writerSetup = options.writerThread && options.filename !== ':memory:' ? { filename: options.filename, mmapBytes: options.mmapBytes ?? DEFAULT_MMAP_BYTES, cacheKiB: WRITER_CACHE_KIB, mergeAtRows, busyTimeoutMs: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS } : undefined;
    this.writer = this.writerSetup && new SqliteWriter(this.writerSetup);
  }

  /** Waits for the writer thread's writes posted so far (none without one). */
  private async settled(): Promise<void> {
    if (this.writer?.busy) await this.writer.drain();
  }

  /**
   * With a writer thread, a few writes may be posted ahead (it runs them in order; every other operation drains it
   * first): the importer goes on reading while batches wait their turn, instead of stopping at each one, and the
   * writes queued behind the thread's current one commit together (sqlite-writer.ts).
   */
  override get writesInFlight(): number {
    return this.writerSetup ? WRITER_QUEUE : 1;
  }

  override stagedWritesInFlight(intoEmptyStore: boolean): number {
    return this.writerSetup ? (intoEmptyStore ? FIRST_LOAD_STAGED_WRITER_QUEUE : STAGED_WRITER_QUEUE) : 1;
  }

  override writeQueueFull(staged: boolean): boolean {
    return (this.writer?.queuedBytes ?? 0) > (staged ? this.queueBudget.staged : this.queueBudget.direct);
  }

  /** Transactions the writer thread was sent (writes queued together share one); 0 without a thread. */
  get writerTransactions(): number {
    return this.writerTransactionsBefore + (this.writer?.transactions ?? 0);
  }

  /** Reader threads running this store's reads (0: reads run on the main connection). */
  get readerThreads(): number {
    return this.readers?.size ?? 0;
  }

  private prepare(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      if (this.statements.size > 2000) this.statements.clear();
      this.statements.set(text, st);
    }
    return st;
  }

  async secret(name: string): Promise<Buffer> {
    await this.settled();
    this.prepare(`INSERT INTO "${SECRETS_TABLE}" ("name", "value") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING`).run(name, randomBytes(32).toString('base64url'));
    return Buffer.from(this.prepare(`SELECT "value" FROM "${SECRETS_TABLE}" WHERE "name" = ?`).pluck().get(name) as string, 'base64url');
  }

  protected async all(query: Statement, options: ReadOptions = {}): Promise<Row[]> {
    await this.settled();
    const deadline = options.deadline;
    if (this.readers) {
      const readers = this.readers;
      try {
        return await this.share!.run(options, () => readers.run(query, deadline?.at));
      } catch (e) {
        if (e instanceof ReadFailed && e.deadline && deadline) throw errors.deadlineExceeded(deadline.ms);
        throw e;
      }
    }
    if (deadline && Date.now() >= deadline.at) throw errors.deadlineExceeded(deadline.ms);
    try {
      return this.guard.run(deadline?.at, () => this.prepare(query.sql).all(...(query.parameters as unknown[])) as Row[]);
    } catch (e) {
      if (isDeadlineError(e) && deadline) throw errors.deadlineExceeded(deadline.ms);
      throw e;
    }
  }

  /**
   * The import path: one prepared statement per table and conflict mode, each row bound straight from its
   * encoded values and stamped by the write itself, all in one transaction (bulk-write.ts), on the writer thread
   * when there is one.
   */
  override async write(records: readonly WriteRecord[], options: WriteOptions = {}): Promise<void> {
    const tables: BulkTable[] = [];
    for (const [table, writes] of this.groupWrites(records)) {
      const codec = this.codecs.get(table)!;
      const set = new Set<string>([table.keyColumn]);
      const encoded = writes.map((w) => {
        const row = codec.encodeSet(w);
        for (const c in row) set.add(c);
        return row;
      });
      // Only the columns some row sets are bound (an imported hostname sets 3 of the artifact table's 38).
      const columns = table.columns.map((c) => c.name).filter((c) => set.has(c));
      const width = columns.length;
      const values: unknown[] = new Array(writes.length * width);
      const keep = new Uint8Array(writes.length);
      for (let r = 0, o = 0; r < writes.length; r++, o += width) {
        const row = encoded[r]!;
        for (let i = 0; i < width; i++) values[o + i] = row[columns[i]!] ?? null;
        if (writes[r]!.ifAbsent) keep[r] = 1;
      }
      const sqlFor = (mode: 'keep' | 'replace' | 'merge'): string => this.rowInsertSql(table, mode, true, columns);
      const mode = options.merge ? 'merge' : 'replace';
      // How to stage the rows, or to see that they follow staged ones: needed only while anything may be staged
      // (after mergeStaged, the thread's staging is empty before it runs any later write).
      const staging = options.stage || this.stagedSinceMerge ? { staging: this.stagedSql(table, columns, mode) } : {};
      tables.push({ table: table.name, keepSql: sqlFor('keep'), writeSql: sqlFor(mode), width, key: columns.indexOf(table.keyColumn), values, keep, ...staging });
    }
    if (options.stage) {
      this.stagedSinceMerge = true;
      this.stagedWrites++;
    }
    return this.bulk({ removals: this.removeStatements(options), tables, ...(options.stage ? { stage: true } : {}) });
  }

  /** Runs a bulk write on the writer thread, or here (with this connection's staging). */
  private bulk(w: BulkWrite): Promise<void> {
    if (this.writerSetup) return (this.writer ??= new SqliteWriter(this.writerSetup)).write(w);
    applyBulkWrite(this.db, (text) => this.prepare(text), w, this.staging);
    return Promise.resolve();
  }

  override get stagesWrites(): boolean {
    return true;
  }

  /** Store.mergeStaged: one message to the writer thread (or one transaction here) after the writes before it. */
  override async mergeStaged(): Promise<void> {
    if (!this.stagedSinceMerge) return;
    // Cleared only when the merge committed and nothing was staged meanwhile (a failed merge leaves the rows staged).
    const before = this.stagedWrites;
    await this.bulk({ removals: [], tables: [], mergeStaged: true });
    if (this.stagedWrites === before) this.stagedSinceMerge = false;
  }

  /**
   * How `table`'s rows are staged and merged (bulk-staging.ts): a TEMP table with a rowid `tigraph_seq`, the
   * staged write's number `tigraph_write` and every column, the bound `columns` inserted, and the merge of a range
   * of writes in key order stamped `? + tigraph_seq`.
   */
  private stagedSql(table: TableDef, columns: readonly string[], mode: 'replace' | 'merge'): StagedTableSql {
    const cacheKey = `${table.name}:${mode}:${columns.join(',')}`;
    let out = this.stagedSqlCache.get(cacheKey);
    if (out) return out;
    const name = `tigraph_stage_${table.name}`;
    const all = table.columns.map((c) => c.name);
    const seq = sql.id('tigraph_seq');
    const write = sql.id('tigraph_write');
    const stage = sql.table(`temp.${name}`);
    const writes = sql`${write} BETWEEN ${0} AND ${0}`;
    const source = sql`SELECT ${sql.join(all.map((c) => sql.id(c)))}, ${0} + ${seq} FROM ${stage} WHERE ${writes} ORDER BY ${sql.id(table.keyColumn)}, ${seq}`;
    const text = (q: ReturnType<typeof sql>): string => q.compile(this.dialect.kysely).sql;
    out = {
      ddl: text(sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.id(name)} (${seq} INTEGER PRIMARY KEY, ${write} INTEGER NOT NULL, ${sql.join(all.map((c) => sql.id(c)))})`),
      insertSql: text(sql`INSERT INTO ${stage} (${sql.join([...columns.map((c) => sql.id(c)), write])}) VALUES (${sql.join([...columns, write].map(() => sql`${null}`))})`),
      mergeKeepSql: insertFrom(this.dialect, table, source, 'keep', [...all, INGEST_COLUMN]),
      mergeWriteSql: insertFrom(this.dialect, table, source, mode, [...all, INGEST_COLUMN]),
      rangeSql: text(sql`SELECT min(${seq}), max(${seq}) FROM ${stage} WHERE ${writes}`),
      clearSql: text(sql`DELETE FROM ${stage}`),
      rank: writeRank(table),
      parents: table.foreignKeys.map((f) => f.parent.name),
    };
    this.stagedSqlCache.set(cacheKey, out);
    return out;
  }

  /**
   * CREATE INDEX sorts every row of the table. With a small page cache the sorter cuts the rows into runs of about
   * that size, which sort faster (they fit the CPU caches) and which `threads` sort in parallel, then merges them:
   * about a third less time for the eight indicator indexes of a 300k-indicator load (measured on 2 cores: 2.3–3.0 s
   * with a 16 MiB cache and no threads, 1.4–2.0 s with 1 MiB and 2 threads). The connection's settings come back after.
   *
   * The build runs out of WAL mode when this connection can have the file to itself (leaveWal): in WAL mode every
   * new index page is written twice, to the WAL and then by the checkpoint into the file, and the commit of ~200 MB
   * of index pages took 0.7–1.4 s at 300k; in rollback mode new pages go straight into the file, unjournaled (they
   * hold nothing to restore), and the commit takes ~0.16 s (about 1 s less in all, with the checkpoint the switch
   * makes). A crash during the build rolls it back from the journal, as WAL mode would lose its uncommitted frames.
   */
  protected override async buildIndexes(statements: readonly Statement[]): Promise<void> {
    await this.settled();
    const rollback = await this.leaveWal();
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
    this.db.pragma(`threads = ${INDEX_BUILD_THREADS}`);
    try {
      await this.transaction(statements);
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
      this.db.pragma('threads = 0');
      if (rollback) this.db.pragma('journal_mode = WAL');
    }
  }

  /**
   * Switches this connection to rollback-journal mode if it can be the file's only one: no reader threads (a
   * server's: their reads would block behind the build), the writer thread closed (it starts again with the next
   * write), and no other process with the file open (SQLite refuses then; no busy wait for it). True when switched.
   */
  private async leaveWal(): Promise<boolean> {
    if (this.readers || this.options.filename === ':memory:') return false;
    if (this.writer) {
      // The thread's staged rows live on its connection: merged before it closes.
      await this.mergeStaged();
      await this.writer.close();
      this.writerTransactionsBefore += this.writer.transactions;
      this.writer = undefined;
    }
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      return this.db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
    } catch {
      return false;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  protected async transaction(statements: readonly Statement[]): Promise<void> {
    await this.settled();
    this.db.transaction(() => {
      for (const s of statements) this.prepare(s.sql).run(...(s.parameters as unknown[]));
    })();
  }

  protected async runSteps(steps: readonly CheckedStep[]): Promise<number | undefined> {
    await this.settled();
    try {
      this.db
        .transaction(() => {
          steps.forEach(({ statement, expect }, i) => {
            const st = this.prepare(statement.sql);
            const params = statement.parameters as unknown[];
            if (expect === 'rows') {
              if (st.all(...params).length === 0) throw new StepFailed(i);
            } else if (st.run(...params).changes === 0 && expect === 'changes') throw new StepFailed(i);
          });
        })
        .immediate();
      return undefined;
    } catch (e) {
      if (e instanceof StepFailed) return e.index;
      throw e;
    }
  }

  async health(): Promise<StoreHealth> {
    await this.settled();
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, store: 'sqlite', detail: this.options.filename };
    } catch (e) {
      return { ok: false, store: 'sqlite', detail: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    try {
      await this.mergeStaged();
    } finally {
      await this.writer?.close();
      await this.readers?.close();
      if (this.db.open) this.db.close();
    }
  }
}
