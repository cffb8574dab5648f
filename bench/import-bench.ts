/**
 * `npm run bench:import [-- --sizes 10000,100000,1000000] [--grow] [--postgres URL] [--url-length CHARS] [--out DIR] [--keep]`: import throughput against a bare
 * insert baseline measured in the same run, per size N:
 *
 * 1. writes N synthetic indicators as a STIX 2.1 bundle on disk, streamed (N/1000 intrusion-sets, at least 1;
 *    per indicator an `indicator` object and an `indicates` relationship; values 50% domain names, 25% IPv4,
 *    15% IPv6, 10% URLs, all distinct and already canonical; dates spread over 2024; with `--url-length CHARS`,
 *    every indicator a URL of that many characters, its query padded: what the memory of rows of long values
 *    is measured with);
 * 2. runs the real `tigraph import <bundle> --data-dir <empty dir>` as a child process and times it wall-clock,
 *    process start-up included (indicators/s = N / wall seconds); memory from /proc/<pid>/status: VmHWM (peak
 *    RSS, which includes the database file pages SQLite maps, so it grows with the database) and the largest
 *    RssAnon sampled every 50 ms (heap and other private memory: what "flat as the input grows" is about);
 * 3. the baseline (issue 11's definition): the same indicator rows the import wrote (the same ids, computed with
 *    the same functions, the URL rows' derived host indicators included), as (id, profile, type, value, first seen,
 *    last seen, source), inserted by bare better-sqlite3 prepared statements into one table with a text primary key,
 *    in one transaction. Rows are prepared in chunks of 50,000 outside the timed region, so the baseline is the
 *    insert alone; baseline rate = N / insert seconds. Row counts and id/date checksums of both are compared (the
 *    run fails on a difference);
 * With `--grow`, N more indicators go into the store that holds the first N, twice, timed against the first
 * import: as `tigraph import` does it (--stage auto: staged from 500,000 stored indicators) and, into a copy of the
 * store, the other way (`--stage never` where auto stages, else `always`); both must end with the same rows (counts
 * and id checksums), and the table gives the staged run's time over the unstaged one's.
 * 4. prints a markdown table (N, indicators/s, baseline indicators/s, ratio, peak RSS, bundle size) and writes JSON
 *    to bench/results/import-<timestamp>.json.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { EnumType } from '../src/model/model.js';
import { MODEL } from '../src/model/model.js';
import { indicatorId, unclassifiedArtifactId } from '../src/model/ids.js';
import { postgresBaseline, postgresImported, type BaselineRow } from './postgres-import.js';
import { shouldStage } from '../src/import/bulk-load.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/tigraph.js');

interface Args {
  sizes: number[];
  out: string;
  keep: boolean;
  batchSize: number | undefined;
  /** Also import N more indicators into the store that holds the first N, and time that. */
  grow: boolean;
  /** Also run each size on PostgreSQL (import into a fresh schema) against a bare COPY baseline. */
  postgres: string | undefined;
  /** Every indicator a URL of this many characters (0: the usual mix). */
  urlLength: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { sizes: [10_000, 100_000, 1_000_000], out: join(ROOT, 'bench/results'), keep: false, batchSize: undefined, grow: false, postgres: undefined, urlLength: 0 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--sizes' && v) (a.sizes = v.split(',').map((x) => Number(x.replace(/k$/i, '000').replace(/m$/i, '000000')))), i++;
    else if (k === '--out' && v) (a.out = resolve(v)), i++;
    else if (k === '--batch-size' && v) (a.batchSize = Number(v)), i++;
    else if (k === '--keep') a.keep = true;
    else if (k === '--grow') a.grow = true;
    else if (k === '--postgres' && v) (a.postgres = v), i++;
    else if (k === '--url-length' && v) (a.urlLength = Number(v)), i++;
    else throw new Error(`unknown option ${k}`);
  }
  if (a.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes: positive integers, comma-separated');
  if (!Number.isInteger(a.urlLength) || a.urlLength < 0 || (a.urlLength > 0 && a.urlLength < 64)) throw new Error('--url-length: an integer of at least 64 (characters)');
  return a;
}

// ---- the synthetic data (one definition for the bundle and for the limit's rows) ----

interface Row {
  profile: number;
  kind: 'domain' | 'ipv4' | 'ipv6' | 'url';
  value: string;
  firstSeen: number;
  lastSeen: number | null;
}

const YEAR_START = Date.parse('2024-01-01T00:00:00Z');
const profilesFor = (n: number): number => Math.max(1, Math.floor(n / 1000));
const profileTitle = (p: number): string => `Bench Group ${String(p).padStart(5, '0')}`;
const profileSlug = (p: number): string => `bench-group-${String(p).padStart(5, '0')}`;

/** --url-length: every row a URL of this many characters (0: the mix below). Set once, from the arguments. */
let urlLength = 0;

function row(i: number, n: number): Row {
  const profile = i % profilesFor(n);
  const r = i % 20;
  const firstSeen = YEAR_START + ((i * 7919) % 31_536_000) * 1000;
  const lastSeen = i % 5 === 0 ? null : firstSeen + ((i * 104_729) % 8_640_000) * 1000;
  if (urlLength > 0) {
    const url = `https://u${i.toString(36)}.bench.example/p/${i}?q=`;
    return { profile, kind: 'url', value: url + 'x'.repeat(urlLength - url.length), firstSeen, lastSeen };
  }
  if (r < 10) return { profile, kind: 'domain', value: `h${i.toString(36)}.g${profile}.bench.example`, firstSeen, lastSeen };
  if (r < 15) return { profile, kind: 'ipv4', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, firstSeen, lastSeen };
  if (r < 18) return { profile, kind: 'ipv6', value: `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`, firstSeen, lastSeen };
  return { profile, kind: 'url', value: `https://u${i.toString(36)}.bench.example/p/${i}`, firstSeen, lastSeen };
}

const PATTERN_OBJECT: Record<Row['kind'], string> = { domain: 'domain-name', ipv4: 'ipv4-addr', ipv6: 'ipv6-addr', url: 'url' };
const hex12 = (i: number): string => i.toString(16).padStart(12, '0');
const iso = (ms: number): string => new Date(ms).toISOString();

/** Streams the bundle to `path` (backpressure respected); returns its size in bytes. */
async function writeBundle(path: string, n: number, offset = 0): Promise<number> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> | undefined => (out.write(s) ? undefined : new Promise((r) => out.once('drain', () => r())));
  let buf = '{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[\n';
  const profiles = profilesFor(n);
  for (let p = 0; p < profiles; p++) {
    buf += `${p ? ',\n' : ''}{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--00000000-0000-4000-8000-${hex12(p)}","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"${profileTitle(p)}","first_seen":"2020-01-01T00:00:00.000Z"}`;
  }
  for (let i = offset; i < offset + n; i++) {
    const r = row(i, n);
    const first = iso(r.firstSeen);
    buf +=
      `,\n{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-9000-${hex12(i)}","created":"${first}","modified":"${first}",` +
      `"pattern":"[${PATTERN_OBJECT[r.kind]}:value = '${r.value}']","pattern_type":"stix","valid_from":"${first}","x_first_seen":"${first}"` +
      (r.lastSeen === null ? '' : `,"x_last_seen":"${iso(r.lastSeen)}"`) +
      `}` +
      `,\n{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-a000-${hex12(i)}","created":"${first}","modified":"${first}","relationship_type":"indicates",` +
      `"source_ref":"indicator--00000000-0000-4000-9000-${hex12(i)}","target_ref":"intrusion-set--00000000-0000-4000-8000-${hex12(r.profile)}"}`;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  buf += '\n]}\n';
  await write(buf);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return statSync(path).size;
}

// ---- the import, as a child process ----

interface Run {
  wallSeconds: number;
  /** VmHWM: the peak resident set, file-backed pages included (SQLite maps the database file: mmap_size 1 GiB). */
  peakRssMiB: number;
  /** The largest RssAnon seen (polled every 50 ms): heap and other anonymous memory, without the mapped file. */
  peakAnonMiB: number;
  stdout: string;
}

async function runImport(bundle: string, dataDir: string, batchSize: number | undefined, extra: readonly string[] = []): Promise<Run> {
  const args = [BIN, 'import', bundle, '--data-dir', dataDir, ...(batchSize ? ['--batch-size', String(batchSize)] : []), ...extra];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let hwm = 0;
  let anon = 0;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      anon = Math.max(anon, Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      /* exited */
    }
  };
  const poll = setInterval(sample, 50);
  child.stdout.once('end', sample);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(poll);
  if (code !== 0) throw new Error(`tigraph import exited ${code}:\n${stdout}\n${stderr}`);
  return { wallSeconds, peakRssMiB: hwm / 1024, peakAnonMiB: anon / 1024, stdout };
}

// ---- the baseline: the same rows into one table, by bare prepared statements ----

/** The indicator rows the import writes for row i: its own, and for a URL the derived indicator of its host. */
function indicatorRows(i: number, n: number, osint: number): BaselineRow[] {
  const r = row(i, n);
  const profile = profileSlug(r.profile);
  const type = r.kind === 'domain' ? 'hostname' : r.kind === 'url' ? 'unclassifiedArtifact' : 'ipAddress';
  const artifactId = r.kind === 'url' ? unclassifiedArtifactId(r.value) : r.value;
  const rows: BaselineRow[] = [[indicatorId(profile, artifactId), profile, type, r.value, r.firstSeen, r.lastSeen, osint]];
  if (r.kind === 'url') {
    const host = new URL(r.value).hostname;
    rows.push([indicatorId(profile, host), profile, 'hostname', host, r.firstSeen, r.lastSeen, osint]);
  }
  return rows;
}

/**
 * The baseline (issue 11): the same (id, profile, type, value, first seen, last seen, source) rows the import
 * writes, inserted into one table with a text primary key, in one transaction, by bare better-sqlite3 prepared
 * statements (same pragmas as the store: WAL, synchronous NORMAL). Rows are prepared in chunks of 50,000 outside
 * the timed region, so the baseline is the insert alone.
 */
async function baseline(file: string, n: number): Promise<{ seconds: number; rows: number }> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE baseline (id TEXT PRIMARY KEY, profile TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER, source INTEGER NOT NULL)');
  const sourceEnum = MODEL.entitySet('intelligenceProfileIndicators')!.entityType.property('source')!.type as EnumType;
  const osint = sourceEnum.memberByName('osint')!.value;
  const insert = db.prepare('INSERT INTO baseline (id, profile, type, value, first_seen, last_seen, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const CHUNK = 50_000;
  let seconds = 0;
  let count = 0;
  db.exec('BEGIN');
  for (let start = 0; start < n; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) rows.push(...indicatorRows(i, n, osint));
    const t0 = process.hrtime.bigint();
    for (const r of rows) insert.run(r);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    count += rows.length;
  }
  const t1 = process.hrtime.bigint();
  db.exec('COMMIT');
  seconds += Number(process.hrtime.bigint() - t1) / 1e9;
  db.close();
  return { seconds, rows: count };
}

/** Count and id/date checksum of an indicator table (the import's or the baseline's), to compare the two. */
function indicatorChecksum(file: string, table: string, first: string, last: string): { count: number; idSum: string } {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare(`SELECT count(*) AS n, min(id) || '…' || max(id) || ' ' || sum("${first}") || ' ' || sum(coalesce("${last}", 0)) AS s FROM "${table}"`).get() as { n: number; s: string };
    return { count: Number(r.n), idSum: String(r.s) };
  } finally {
    db.close();
  }
}

// ---- main ----

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  urlLength = args.urlLength;
  const label = (store: string): string => (urlLength ? `${store} (URLs of ${fmt(urlLength)} characters)` : store);
  const results: Record<string, unknown>[] = [];
  const table = ['| store | N | import indicators/s | baseline indicators/s | ratio | peak RSS (MiB) | peak anon RSS (MiB) | bundle (MB) | import wall (s) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const n of args.sizes) {
    const dir = await mkdtemp(join(tmpdir(), `tigraph-import-bench-${n}-`));
    try {
      const bundle = join(dir, 'bundle.json');
      process.stderr.write(`N=${n}: writing the bundle… `);
      const bytes = await writeBundle(bundle, n);
      process.stderr.write(`${(bytes / 1e6).toFixed(0)} MB; importing… `);
      const run = await runImport(bundle, join(dir, 'data'), args.batchSize);
      const imported = indicatorChecksum(join(dir, 'data', 'tigraph.db'), 'intelligence_profile_indicator', 'first_seen_date_time', 'last_seen_date_time');
      process.stderr.write(`${run.wallSeconds.toFixed(1)} s; baseline… `);
      const base = await baseline(join(dir, 'baseline.db'), n);
      const bare = indicatorChecksum(join(dir, 'baseline.db'), 'baseline', 'first_seen', 'last_seen');
      if (bare.count !== imported.count || bare.idSum !== imported.idSum) throw new Error(`the baseline's rows differ from the import's: ${JSON.stringify({ bare, imported })}\n${run.stdout}`);
      process.stderr.write(`${base.seconds.toFixed(1)} s\n`);
      const rate = n / run.wallSeconds;
      const limitRate = n / base.seconds;
      results.push({ n, ...(urlLength ? { urlLength } : {}), rows: base.rows, bundleBytes: bytes, importWallSeconds: run.wallSeconds, importIndicatorsPerSecond: rate, baselineSeconds: base.seconds, baselineIndicatorsPerSecond: limitRate, ratio: rate / limitRate, peakRssMiB: run.peakRssMiB, peakAnonMiB: run.peakAnonMiB, summary: run.stdout.trim().split('\n').slice(0, 4).join('\n') });
      table.push(`| ${label('SQLite')} | ${fmt(n)} | ${fmt(rate)} | ${fmt(limitRate)} | ${(rate / limitRate).toFixed(2)} | ${run.peakRssMiB.toFixed(0)} | ${run.peakAnonMiB.toFixed(0)} | ${(bytes / 1e6).toFixed(0)} | ${run.wallSeconds.toFixed(1)} |`);
      if (args.grow) {
        process.stderr.write(`N=${n}: ${n} more into the store holding ${n}… `);
        const more = join(dir, 'more.json');
        await writeBundle(more, n, n);
        // The same grow the other way (--stage never where tigraph stages it by default, else always), into a copy.
        const other = shouldStage('auto', n, statSync(more).size) ? 'never' : 'always';
        await cp(join(dir, 'data'), join(dir, 'data-other'), { recursive: true });
        const second = await runImport(more, join(dir, 'data'), args.batchSize);
        process.stderr.write(`${second.wallSeconds.toFixed(1)} s (${(second.wallSeconds / run.wallSeconds).toFixed(2)}× the first); --stage ${other}… `);
        const third = await runImport(more, join(dir, 'data-other'), args.batchSize, ['--stage', other]);
        const [a, b] = ['data', 'data-other'].map((d) => indicatorChecksum(join(dir, d, 'tigraph.db'), 'intelligence_profile_indicator', 'first_seen_date_time', 'last_seen_date_time'));
        if (a!.count !== 2 * imported.count || a!.count !== b!.count || a!.idSum !== b!.idSum) throw new Error(`the grows with and without --stage ${other} differ: ${JSON.stringify({ a, b })}`);
        await rm(join(dir, 'data-other'), { recursive: true, force: true });
        process.stderr.write(`${third.wallSeconds.toFixed(1)} s\n`);
        const [staged, unstaged] = other === 'never' ? [second, third] : [third, second];
        results.push({ n, grow: true, secondWallSeconds: second.wallSeconds, secondOverFirst: second.wallSeconds / run.wallSeconds, peakRssMiB: second.peakRssMiB, peakAnonMiB: second.peakAnonMiB });
        results.push({ n, grow: true, stage: other, secondWallSeconds: third.wallSeconds, secondOverFirst: third.wallSeconds / run.wallSeconds, stagedOverUnstaged: staged.wallSeconds / unstaged.wallSeconds, peakRssMiB: third.peakRssMiB, peakAnonMiB: third.peakAnonMiB });
        const growRow = (suffix: string, r: Run): string =>
          `| ${label('SQLite')}, ${fmt(n)} more into ${fmt(n)}${suffix} | ${fmt(n)} | ${fmt(n / r.wallSeconds)} | — | ${(r.wallSeconds / run.wallSeconds).toFixed(2)}× the first's time | ${r.peakRssMiB.toFixed(0)} | ${r.peakAnonMiB.toFixed(0)} | — | ${r.wallSeconds.toFixed(1)} |`;
        table.push(growRow('', second), growRow(`, --stage ${other} (staged: ${(staged.wallSeconds / unstaged.wallSeconds).toFixed(2)} of unstaged)`, third));
      }
      if (args.postgres) {
        const schema = `tigraph_bench_${process.pid}_${n}`;
        process.stderr.write(`N=${n}: PostgreSQL import… `);
        const pgRun = await runImport(bundle, join(dir, 'pg-unused'), args.batchSize, ['--database-url', args.postgres, '--database-schema', schema]);
        const pgImported = await postgresImported(args.postgres, schema);
        const sourceEnum = MODEL.entitySet('intelligenceProfileIndicators')!.entityType.property('source')!.type as EnumType;
        const rows: BaselineRow[] = [];
        for (let i = 0; i < n; i++) rows.push(...indicatorRows(i, n, sourceEnum.memberByName('osint')!.value));
        if (pgImported.count !== rows.length) throw new Error(`PostgreSQL import wrote ${pgImported.count} indicators, expected ${rows.length}`);
        process.stderr.write(`${pgRun.wallSeconds.toFixed(1)} s; COPY baseline… `);
        const copySeconds = await postgresBaseline(args.postgres, rows);
        process.stderr.write(`${copySeconds.toFixed(1)} s\n`);
        const pgRate = n / pgRun.wallSeconds;
        results.push({ n, store: 'postgres', ...(urlLength ? { urlLength } : {}), importWallSeconds: pgRun.wallSeconds, importIndicatorsPerSecond: pgRate, copySeconds, copyIndicatorsPerSecond: n / copySeconds, ratio: pgRate / (n / copySeconds), peakRssMiB: pgRun.peakRssMiB, peakAnonMiB: pgRun.peakAnonMiB });
        table.push(`| ${label('PostgreSQL')} | ${fmt(n)} | ${fmt(pgRate)} | ${fmt(n / copySeconds)} (COPY) | ${(pgRate / (n / copySeconds)).toFixed(2)} | ${pgRun.peakRssMiB.toFixed(0)} | ${pgRun.peakAnonMiB.toFixed(0)} | ${(bytes / 1e6).toFixed(0)} | ${pgRun.wallSeconds.toFixed(1)} |`);
      }
    } finally {
      if (!args.keep) await rm(dir, { recursive: true, force: true });
      else process.stderr.write(`kept ${dir}\n`);
    }
  }
  process.stdout.write(`\n${table.join('\n')}\n\nbaseline = the same indicator rows (id, profile, type, value, first seen, last seen, source; URL host indicators included) inserted into one table with a text primary key by bare better-sqlite3 prepared statements in one transaction (PostgreSQL: a bare COPY of those rows into one such table, in one transaction); import wall time includes process start-up; peak RSS = VmHWM (includes the SQLite file pages mapped by mmap, which grow with the database), peak anon RSS = largest RssAnon sampled every 50 ms (heap and other private memory).\n`);
  await mkdir(args.out, { recursive: true });
  const file = join(args.out, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
}

await main();
