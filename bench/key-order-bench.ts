/**
 * Key order for bulk inserts on SQLite: how much of a large import's write cost is the order in which rows with
 * random text keys (tigraph's indicator ids are sha256-derived) reach a table's primary-key B-tree. A table of the
 * benchmark's indicator rows (id, profile, type, value, first seen, last seen, source) holding `--stored` rows
 * takes `--rows` more, three ways, each on its own copy of the same file, in the same run:
 *
 * - `sorted-per-transaction` (the baseline; what tigraph's writer thread does today, bulk-write.ts): transactions
 *   of `--transaction` rows (4 batches of 5,000 coalesced), each sorted by key before its upserts;
 * - `arrival-order`: the same transactions unsorted;
 * - `staged-merge`: every transaction appends to a keyless staging table, and one `INSERT … SELECT … ORDER BY id`
 *   merges it into the table at the end (SQLite's external sorter orders the rows; each B-tree page is then
 *   written about once), as PostgreSQL's bulk path merges its COPY staging table.
 *
 * The same connection settings as tigraph's writer thread (WAL, synchronous NORMAL, 32 MiB cache, 1 GiB mmap,
 * checkpoint every 256 MiB of WAL). Reported: seconds per strategy and the ratio to the baseline of this run.
 * It measures a direction for the import's design (module comment of write-batch.ts), not tigraph itself.
 *
 * Run: npm run build && node dist/bench/key-order-bench.js [--stored 1000000] [--rows 1000000] [--transaction 20000]
 */
import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { stored: { type: 'string', default: '1000000' }, rows: { type: 'string', default: '1000000' }, transaction: { type: 'string', default: '20000' } } });
const stored = Number(args.stored);
const rows = Number(args.rows);
const perTransaction = Number(args.transaction);
for (const [name, n] of [['--stored', stored], ['--rows', rows], ['--transaction', perTransaction]] as const) {
  if (!Number.isSafeInteger(n) || n < (name === '--stored' ? 0 : 1)) {
    console.error(`key-order-bench: ${name} must be a whole number${name === '--stored' ? '' : ' above 0'}`);
    process.exit(2);
  }
}

type Row = [string, string, string, string, number, null, number];
const COLUMNS = '(id TEXT, profile TEXT, type TEXT, value TEXT, first_seen INTEGER, last_seen INTEGER, source INTEGER)';
const ON_CONFLICT = 'ON CONFLICT (id) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen), last_seen = excluded.last_seen';
const UPSERT = `INSERT INTO t VALUES (?,?,?,?,?,?,?) ${ON_CONFLICT}`;
const MERGE_STAGED = `INSERT INTO t SELECT * FROM staged WHERE true ORDER BY id ${ON_CONFLICT}`;

/** Row `i` of series `series`: a GUID-shaped key from sha256, as tigraph's indicator ids are. */
function row(series: string, i: number): Row {
  const h = hash('sha256', `${series}|${i}`, 'hex');
  return [`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`, `bench-group-${i % 1000}`, 'hostname', `${series}${i}.example.com`, 1_700_000_000_000 + i, null, 1];
}

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32768');
  db.pragma(`mmap_size = ${1 << 30}`);
  db.pragma('wal_autocheckpoint = 65536');
  return db;
}

/** The rows of each transaction, in arrival order. */
function* transactions(): Generator<Row[]> {
  for (let start = 0; start < rows; start += perTransaction) {
    const batch: Row[] = [];
    for (let i = start; i < Math.min(rows, start + perTransaction); i++) batch.push(row('more', i));
    yield batch;
  }
}

/** Each transaction's rows upserted, sorted by key first or in arrival order. */
const upserts = (sorted: boolean) => (db: Database.Database): void => {
  const upsert = db.prepare(UPSERT);
  for (const batch of transactions()) {
    if (sorted) batch.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    db.transaction(() => batch.forEach((r) => upsert.run(...r)))();
  }
};

const STRATEGIES: Record<string, (db: Database.Database) => void> = {
  'sorted-per-transaction': upserts(true),
  'arrival-order': upserts(false),
  'staged-merge': (db) => {
    db.exec(`CREATE TABLE staged ${COLUMNS}`);
    const append = db.prepare('INSERT INTO staged VALUES (?,?,?,?,?,?,?)');
    for (const batch of transactions()) db.transaction(() => batch.forEach((r) => append.run(...r)))();
    db.pragma('threads = 2');
    db.transaction(() => {
      db.exec(MERGE_STAGED);
      db.exec('DROP TABLE staged');
    })();
  },
};

const dir = mkdtempSync(join(tmpdir(), 'tigraph-key-order-'));
try {
  const base = join(dir, 'base.db');
  const db = open(base);
  db.exec(`CREATE TABLE t ${COLUMNS.replace('id TEXT', 'id TEXT PRIMARY KEY')}`);
  const insert = db.prepare('INSERT INTO t VALUES (?,?,?,?,?,?,?)');
  db.transaction(() => {
    for (let i = 0; i < stored; i++) insert.run(...row('stored', i));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const seconds: Record<string, number> = {};
  for (const [name, run] of Object.entries(STRATEGIES)) {
    const file = join(dir, `${name}.db`);
    copyFileSync(base, file);
    const target = open(file);
    const start = process.hrtime.bigint();
    run(target);
    seconds[name] = Number(process.hrtime.bigint() - start) / 1e9;
    const count = (target.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
    target.close();
    rmSync(file, { force: true });
    if (count !== stored + rows) throw new Error(`key-order-bench: ${name} left ${count} rows, expected ${stored + rows}`);
    console.error(`${name}: ${seconds[name]!.toFixed(1)} s`);
  }
  const baseline = seconds['sorted-per-transaction']!;
  console.log(`\n${rows.toLocaleString('en-US')} rows into a table of ${stored.toLocaleString('en-US')}, ${perTransaction.toLocaleString('en-US')} per transaction\n`);
  console.log('| strategy | s | ratio to sorted-per-transaction |\n|---|---:|---:|');
  for (const [name, s] of Object.entries(seconds)) console.log(`| ${name} | ${s.toFixed(1)} | ${(s / baseline).toFixed(2)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
