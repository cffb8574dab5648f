/**
 * Staged bulk writes on SQLite (WriteOptions.stage): the rows of a large import are appended to temporary tables
 * without a key, one per table written, and merged into their tables once, in key order, by one
 * INSERT … SELECT … ORDER BY key per table (merge). The keys are random (hashed ids). Written batch by batch, every
 * transaction of 20k rows touches a large share of a million-row primary key's pages and writes them again at its
 * commit. Appended, the rows cost a page write per page of rows, and the merge sweeps each primary key once
 * (bench/key-order-bench.ts: a million rows into a million-row table in 0.36 of the time of key-sorted batches).
 *
 * The staging tables are TEMP tables of the connection that writes (the writer thread's or the store's own).
 * SQLite keeps them in a file it unlinks as soon as it opens it, in its temporary directory (SQLITE_TMPDIR, TMPDIR,
 * /var/tmp, /usr/tmp, /tmp), behind a page cache of its own of about 2 MiB. A process killed before the merge
 * leaves no staging file behind and none of the staged rows in the store: exactly the state before them, and
 * running the import again completes it. Reads, on any connection, do not see staged rows until the merge.
 *
 * Merged in parts: once MERGE_AT_ROWS rows are staged, the write that staged the last of them merges them, in its
 * own transaction, so most merging runs while the import reads on (measured at 1M indicators into 1M, one run
 * each: 50.2 s with merges every 262,144 rows, 50.1 s every 524,288, 55.1 s with one merge at the end). A kill keeps
 * the parts merged before it, each made of whole writes.
 *
 * The merge keeps the order of the writes. Rows of one key apply in the order they were staged: the later upsert
 * wins or merges, the earlier insert-if-absent stays. Every merged row gets a new ingestion stamp in the merge's
 * own transaction, so stamps stay in commit order. Tables merge parents first (foreign keys). A staged write that
 * cannot be staged as it is (removals; a table whose rows mix insert-if-absent and upsert; a conflict mode other
 * than the one its table's staged rows have) and a direct write touching a staged table or its parent first merge
 * what is staged, and are then written directly, so the order holds there too.
 *
 * Hand-written: this is SQLite's own INSERT … SELECT with the project's upsert clauses; no library stages rows.
 */
import type Database from 'better-sqlite3';
import { RESERVE_STAMPS_SQL } from './ingest-time-sqlite.js';

/** How one table's rows are staged and merged (built by the store from the table's schema). */
export interface StagedTableSql {
  /**
   * CREATE TEMP TABLE IF NOT EXISTS for the staging table: a rowid `seq`, the number of the staged write the row
   * came with (`write`, from 1 after each merge) and every column of the table.
   */
  readonly ddl: string;
  /** INSERT of one row's bound columns (BulkTable.values' columns) and then its write's number into the staging table. */
  readonly insertSql: string;
  /**
   * The staged rows of writes ? to ? into the table in key (and then staging) order, insert-if-absent; the first
   * `?` + seq is the stamp (bound: offset, first write, last write).
   */
  readonly mergeKeepSql: string;
  /** The same as an upsert in the write's conflict mode (BulkTable.writeSql's). */
  readonly mergeWriteSql: string;
  /** SELECT min(seq), max(seq) of the rows of writes ? to ? (a write's rows have consecutive seqs). */
  readonly rangeSql: string;
  /** DELETE of every staged row, after the merge. */
  readonly clearSql: string;
  /** Foreign-key rank: parents merge before children (lower first). */
  readonly rank: number;
  /** The tables this table's foreign keys point at. */
  readonly parents: readonly string[];
}

/** What a table's staging holds: the merge statement of its rows' mode, and how to count, merge and clear them. */
interface Staged {
  readonly mergeSql: string;
  readonly sql: StagedTableSql;
}

/**
 * The rows of one table of a write, as the staging sees them: the fields of bulk-write.ts BulkTable it reads
 * (declared here because bulk-write.ts imports this module).
 */
export interface StageableTable {
  readonly table: string;
  readonly width: number;
  readonly values: readonly unknown[];
  readonly keep: Uint8Array;
  readonly staging?: StagedTableSql;
}

/**
 * Staged rows (all tables) at which an append merges them (module comment, "Merged in parts"). Each merge sweeps
 * every page of a table's primary key it writes into, so few large merges cost less than many small ones; but the
 * last one runs after the import has read everything, with nothing left to do beside it. Half as many (131,072),
 * with 12 staged writes queued into an empty store (sqlite-store.ts), measured the same within this machine's noise:
 * 1M into an empty store 31.2–43.5 s, mean 37.4 s, against 32.9–43.0 s, mean 38.4 s (10 interleaved runs each);
 * 1M into 1M 45.3 and 55.8 s against 50.4 and 50.3 s.
 */
export const MERGE_AT_ROWS = 262_144;

/** The page cache of the staging tables' temporary database, KiB. */
const STAGING_CACHE_KIB = 2048;

/**
 * The connection's page cache during a merge, KiB (the previous size is restored after it). It also sizes the runs
 * of the merge's ORDER BY sort, which SQLite holds in memory up to the cache size: smaller runs spill to the
 * temporary file sooner, but sort in cache-sized pieces, and the rest of the cache is not held in the meantime.
 * Measured at 300k indicators staged (2 cores, one import each): the merges took 2.7–3.1 s in all with 8 MiB
 * against 4.0–4.4 s with the writer's 32 MiB, at 180–189 MiB peak anonymous memory against 226–228 MiB (16 MiB:
 * 2.9 s, 224 MiB; 4 MiB: 3.6 s; 2 MiB: 3.6 s).
 */
export const MERGE_CACHE_KIB = 8192;

export class BulkStaging {
  /** Staged tables by name, in the order they were first staged. */
  private staged = new Map<string, Staged>();
  /** Rows staged since the last merge. */
  private rows = 0;
  /** Writes staged since the last merge (the number of the last one). */
  private writes = 0;
  /** Errors of staged writes that failed at their merge, not reported yet (takeFailure). */
  private failures: Error[] = [];

  constructor(
    private readonly prepare: (sql: string) => Database.Statement,
    private readonly mergeAt = MERGE_AT_ROWS,
  ) {}

  /**
   * The merge statement of each table's rows when the write can be staged as it is (module comment), else
   * undefined.
   */
  private modesOf(tables: readonly StageableTable[]): string[] | undefined {
    const modes: string[] = [];
    for (const t of tables) {
      if (!t.staging) return undefined;
      let kept = 0;
      for (const k of t.keep) kept += k;
      if (kept !== 0 && kept !== t.keep.length) return undefined;
      const mode = kept > 0 ? t.staging.mergeKeepSql : t.staging.mergeWriteSql;
      const cur = this.staged.get(t.table);
      if (cur && cur.mergeSql !== mode) return undefined;
      modes.push(mode);
    }
    return modes;
  }

  /** Appends the tables' rows when they can be staged (module comment); false when they must be written directly. */
  append(tables: readonly StageableTable[]): boolean {
    const modes = this.modesOf(tables);
    if (!modes) return false;
    const write = ++this.writes;
    tables.forEach((t, n) => {
      const sql = t.staging!;
      if (!this.staged.has(t.table)) {
        // The temporary database's page cache: 2 MiB, its pages beyond that in its file (its default of 0 lets
        // it keep more in memory).
        if (this.staged.size === 0) this.prepare(`PRAGMA temp.cache_size = -${STAGING_CACHE_KIB}`).run();
        this.prepare(sql.ddl).run();
        this.staged.set(t.table, { mergeSql: modes[n]!, sql });
      }
      const insert = this.prepare(sql.insertSql);
      const row = new Array<unknown>(t.width + 1);
      row[t.width] = write;
      for (let i = 0, o = 0; i < t.keep.length; i++, o += t.width) {
        for (let c = 0; c < t.width; c++) row[c] = t.values[o + c];
        insert.run(row);
      }
      this.rows += t.keep.length;
    });
    if (this.rows >= this.mergeAt) this.merge();
    return true;
  }

  /** Whether a direct write of these tables must merge the staged rows first: it touches one of them or its parent. */
  mustMergeBefore(tables: readonly StageableTable[]): boolean {
    if (this.staged.size === 0) return false;
    return tables.some((t) => this.staged.has(t.table) || (t.staging?.parents ?? []).some((p) => this.staged.has(p)));
  }

  /**
   * Merges every staged row into its table (parents first) and empties the staging, inside the caller's
   * transaction. When that fails (a row a constraint rejects, a full disk), it merges the staged writes one at a
   * time instead, in order, each all or nothing: those that fail are left out and kept for takeFailure, as a batch
   * written directly would have failed alone. The connection's page cache is MERGE_CACHE_KIB meanwhile.
   */
  merge(): void {
    if (this.staged.size === 0) return;
    const tables = [...this.staged.values()].sort((a, b) => a.sql.rank - b.sql.rank);
    const cache = Number(this.prepare('PRAGMA main.cache_size').pluck().get());
    this.prepare(`PRAGMA main.cache_size = -${MERGE_CACHE_KIB}`).run();
    try {
      if (this.attempt(tables, 1, this.writes)) {
        for (let w = 1; w <= this.writes; w++) {
          const failed = this.attempt(tables, w, w);
          if (failed) this.failures.push(failed);
        }
      }
    } finally {
      this.prepare(`PRAGMA main.cache_size = ${cache}`).run();
    }
    for (const { sql } of tables) this.prepare(sql.clearSql).run();
    this.staged = new Map();
    this.rows = 0;
    this.writes = 0;
  }

  /** Merges the rows of writes `from` to `to` in a savepoint: undefined when they merged, else the error (rolled back). */
  private attempt(tables: readonly Staged[], from: number, to: number): Error | undefined {
    this.prepare('SAVEPOINT tigraph_merge').run();
    try {
      for (const { mergeSql, sql } of tables) {
        const range = this.prepare(sql.rangeSql).raw().get(from, to) as [number | null, number | null];
        if (range[0] === null || range[1] === null) continue;
        const rows = range[1] - range[0] + 1;
        // Stamps last - rows + 1 … last, one per row, in staging order: offset + seq.
        const last = Number(this.prepare(RESERVE_STAMPS_SQL).pluck().get(rows));
        this.prepare(mergeSql).run(last - rows - range[0] + 1, from, to);
      }
      this.prepare('RELEASE tigraph_merge').run();
      return undefined;
    } catch (e) {
      this.prepare('ROLLBACK TO tigraph_merge').run();
      this.prepare('RELEASE tigraph_merge').run();
      return e as Error;
    }
  }

  /** The first error of the staged writes that failed at a merge since the last call, and how many failed. */
  takeFailure(): { error: Error; count: number } | undefined {
    if (this.failures.length === 0) return undefined;
    const out = { error: this.failures[0]!, count: this.failures.length };
    this.failures = [];
    return out;
  }

  /** The staging's state, to restore when the transaction that changed it rolls back. */
  snapshot(): unknown {
    return { staged: new Map(this.staged), rows: this.rows, writes: this.writes, failures: [...this.failures] };
  }

  restore(state: unknown): void {
    ({ staged: this.staged, rows: this.rows, writes: this.writes, failures: this.failures } = state as { staged: Map<string, Staged>; rows: number; writes: number; failures: Error[] });
  }
}
