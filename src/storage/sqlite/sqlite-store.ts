/**
 * The embedded store: SQLite through better-sqlite3 (12.x; 13.x crashes on Node 20). Synchronous under the
 * hood; prepared statements are cached by SQL text, so each query shape is prepared once. With `readers`, reads
 * run on that many threads of their own (sqlite-readers.ts) and never hold the event loop; writes stay on this
 * connection. A read with a deadline is cancelled then (deadline-guard.ts) and fails with `deadlineExceeded`.
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
}

const DEFAULT_MMAP_BYTES = 1 << 30;

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly guard = new DeadlineGuard();
  private readonly readers: SqliteReaders | undefined;
  private readonly share: FairShare | undefined;

  constructor(model: Model, private readonly options: SqliteStoreOptions) {
    super(model, sqliteDialect);
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`mmap_size = ${options.mmapBytes ?? DEFAULT_MMAP_BYTES}`);
    // 64 MiB page cache: imports touch many index pages per batch (hash-distributed keys).
    this.db.pragma('cache_size = -65536');
    migrate(this.db, this.schema, this.dialect);
    this.guard.install(this.db);
    const threads = options.filename === ':memory:' ? 0 : (options.readers ?? 0);
    this.readers = threads > 0 ? new SqliteReaders({ filename: options.filename, mmapBytes: options.mmapBytes ?? DEFAULT_MMAP_BYTES }, threads) : undefined;
    this.share = threads > 0 ? new FairShare(options.clientShare ?? Math.max(1, threads - 1)) : undefined;
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
    this.prepare(`INSERT INTO "${SECRETS_TABLE}" ("name", "value") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING`).run(name, randomBytes(32).toString('base64url'));
    return Buffer.from(this.prepare(`SELECT "value" FROM "${SECRETS_TABLE}" WHERE "name" = ?`).pluck().get(name) as string, 'base64url');
  }

  protected async all(query: Statement, options: ReadOptions = {}): Promise<Row[]> {
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
   * encoded values, all in one transaction (better-sqlite3 is synchronous, so nothing interleaves).
   */
  override async write(records: readonly WriteRecord[], options: WriteOptions = {}): Promise<void> {
    const groups = this.groupWrites(records);
    const removals = this.removeStatements(options);
    this.db.transaction(() => {
      for (const s of removals) this.prepare(s.sql).run(...(s.parameters as unknown[]));
      for (const [table, writes] of groups) {
        const codec = this.codecs.get(table)!;
        const columns = table.columns.map((c) => c.name);
        const keep = this.prepare(this.rowInsertSql(table, 'keep'));
        const write = this.prepare(this.rowInsertSql(table, options.merge ? 'merge' : 'replace'));
        const values: unknown[] = new Array(columns.length);
        for (const w of writes) {
          const row = codec.encode(w);
          for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!] ?? null;
          (w.ifAbsent ? keep : write).run(values);
        }
      }
    })();
  }

  protected async transaction(statements: readonly Statement[]): Promise<void> {
    this.db.transaction(() => {
      for (const s of statements) this.prepare(s.sql).run(...(s.parameters as unknown[]));
    })();
  }

  protected async runSteps(steps: readonly CheckedStep[]): Promise<number | undefined> {
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
    try {
      this.db.prepare('SELECT 1').get();
      return { ok: true, store: 'sqlite', detail: this.options.filename };
    } catch (e) {
      return { ok: false, store: 'sqlite', detail: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.readers?.close();
    if (this.db.open) this.db.close();
  }
}
