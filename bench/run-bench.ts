/**
 * `npm run bench [-- --rows N --duration S --warmup S --rounds R --connections C --scale --cpu-prof --only a,b --keep]`
 *
 * One invocation: generates a deterministic dataset (generate-data.ts) into a temp dir; starts `tigraph serve` on
 * it as a child process with production settings (request logging at info, to a file; auth on, a minted token);
 * fetches every benchmark URL from tigraph once and starts the two reference servers (reference-server.ts) on
 * the same data — the CEILING (pre-serialized bytes) and the MINIMUM (node:http + better-sqlite3 +
 * JSON.stringify) — and checks that both answer every URL with tigraph's body (origin aside), failing loudly if
 * not; then drives each server with autocannon in a separate process (load-worker.ts), alternating
 * tigraph → ceiling → minimum per scenario, for R rounds, and reports medians as a markdown table and as JSON
 * under bench/results/. Every figure that matters is a ratio against a baseline measured in the same run.
 *
 * `--scale` runs the list, deep-page, last-page and pivot scenarios at 100k, 1M and 10M rows (or
 * `--scale-sizes a,b,c`) and prints how p99 and the cost of a deep page change with size. The 10M step
 * generates ~10M rows (~7 min at ~25k rows/s) and walks ~6,000 pages to find the last one: expect 20–30 min.
 *
 * `--cpu-prof` additionally runs a separate `node --cpu-prof` tigraph under the GET-by-id load and prints its
 * five hottest functions by self time.
 *
 * `--store postgres` (or `--store sqlite,postgres`) runs the same on PostgreSQL: the dataset goes into a fresh
 * schema `tigraph_bench_<rows>` (postgres-data.ts: the real store's migrations, store.write() bulk batches =
 * COPY + merge, indexes rebuilt, VACUUM ANALYZE) at `--database-url` (default $TIGRAPH_BENCH_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/test); tigraph serves it with `--database-url … --database-schema …
 * --pool-size N` (`--pool-size`, default 10) and the minimum is node:http + a `pg` pool of the same size + the
 * same SQL texts. The schema is dropped afterwards unless `--keep`.
 *
 * Every run also measures the page cost: the big profile's listing walked to its end, `list-last-page` (the deepest full page)
 * against `list-first-page`, and prints the summary table (store, rows, GET-by-id and list req/s and p99, first
 * vs last page, ratios to the ceiling and the minimum).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mintToken } from '../src/auth/mint-token.js';
import { loadOrCreateSigningKey } from '../src/auth/signing-key.js';
import { generateDataset, type GeneratedData } from './generate-data.js';
import { benchSchemaName, databaseUrlFromEnv, dropSchema, generatePostgresDataset } from './postgres-data.js';
import type { LoadConfig, LoadResult } from './load-worker.js';
import type { CeilingResponse } from './reference-server.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const REPO = resolve(HERE, '..', '..');
const TIGRAPH_BIN = join(REPO, 'bin', 'tigraph.js');
const ROOT = '/v1.0/security/threatIntelligence/';
const SERVERS = ['tigraph', 'ceiling', 'minimum'] as const;
type ServerName = (typeof SERVERS)[number];

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchOptions {
  /** Stores to run, in order (default sqlite). */
  readonly stores: readonly StoreKind[];
  /** PostgreSQL connection URL for the postgres store. */
  readonly databaseUrl: string;
  /** PostgreSQL schema for the data (default tigraph_bench_<rows>). */
  readonly schema?: string;
  /** Pool size of tigraph (and of the PostgreSQL minimum). */
  readonly poolSize: number;
  readonly rows: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly connections: number;
  /** Scenario names to run (default: all of the mode). */
  readonly only?: readonly string[];
  readonly scale: boolean;
  readonly scaleSizes: readonly number[];
  readonly cpuProf: boolean;
  /** Where results JSON goes (default bench/results). */
  readonly outDir: string;
  /** Keep the temp dir (data, logs) instead of deleting it. */
  readonly keep: boolean;
  readonly log: (line: string) => void;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  stores: ['sqlite'],
  databaseUrl: databaseUrlFromEnv(),
  poolSize: 10,
  rows: 100_000,
  durationSeconds: 5,
  warmupSeconds: 1,
  rounds: 3,
  connections: 32,
  scale: false,
  scaleSizes: [100_000, 1_000_000, 10_000_000],
  cpuProf: false,
  outDir: join(REPO, 'bench', 'results'),
  keep: false,
  log: (line) => process.stderr.write(`${line}\n`),
};

export interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly paths: readonly string[];
}

export interface RunStats extends LoadResult {
  readonly server: ServerName;
  readonly round: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly label: string;
  readonly urls: number;
  readonly meanBodyBytes: number;
  readonly median: Record<ServerName, { requestsPerSecond: number; p50: number; p99: number }>;
  readonly ratioToCeiling: number;
  readonly ratioToMinimum: number;
  /** VmHWM of the tigraph process after this scenario's runs (MiB); reset per scenario when the kernel allows. */
  readonly tigraphPeakRssMiB: number;
  readonly runs: readonly RunStats[];
}

export interface SizeReport {
  readonly store: StoreKind;
  readonly rows: number;
  readonly dataset: Omit<GeneratedData, 'sampleIndicatorIds' | 'sampleProfileIds' | 'pivotArtifactIds'>;
  readonly scenarios: readonly ScenarioResult[];
  readonly table: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: { cpus: number; model: string; node: string };
  readonly options: Omit<BenchOptions, 'log'>;
  readonly sizes: readonly SizeReport[];
  /** Store, rows, GET-by-id and list req/s + p99, page cost first vs last, ratios (issue 4's table). */
  readonly summaryTable: string;
  readonly scaleTable?: string;
  readonly cpuProfile?: { file: string; top: { fn: string; location: string; selfMs: number; selfPercent: number }[] };
  readonly resultFile: string;
}

// ---------------------------------------------------------------------------------------------- processes

interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
}

/** Spawns `args` and resolves once a line of its stdout/stderr matches `ready` (group 1 = port or URL). */
function startChild(name: string, args: string[], ready: RegExp, stdoutFile?: string, timeoutMs = 60000): Promise<Child> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const fail = (e: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(e);
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      seen += chunk.toString();
      const m = ready.exec(seen);
      if (m) {
        done = true;
        clearTimeout(timer);
        const v = m[1]!;
        resolvePromise({ proc, url: /^\d+$/.test(v) ? `http://127.0.0.1:${v}` : v });
      }
    };
    if (stdoutFile) proc.stdout!.pipe(createWriteStream(stdoutFile));
    else proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code, signal) => fail(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${seen}`)));
  });
}

function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    const t = setTimeout(() => child.proc.kill('SIGKILL'), 15000);
    child.proc.once('exit', () => {
      clearTimeout(t);
      r();
    });
    child.proc.kill('SIGTERM');
  });
}

function runWorker(config: LoadConfig, dir: string): Promise<LoadResult> {
  const file = join(dir, `load-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [join(HERE, 'load-worker.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code) => {
      rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`load worker exited with ${code}`));
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

function readStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resets the peak-RSS counter (VmHWM) of a process we own; false where the kernel does not allow it. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------- scenarios

const listQuery = "$filter=source%20eq%20%27osint%27&$orderby=firstSeenDateTime%20desc&$top=100";
const pivotPath = (artifactId: string): string =>
  `${ROOT}intelProfiles?$filter=${encodeURIComponent(`indicators/any(i: i/artifact/id eq '${artifactId.replace(/'/g, "''")}')`).replace(/'/g, '%27')}`;

async function get(base: string, path: string, token: string): Promise<{ status: number; contentType: string; body: string }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** Walks the big profile's listing through its nextLinks; returns each page's path and item count (page 1 first). */
async function walkPages(base: string, token: string, firstPath: string, maxPages: number): Promise<{ path: string; items: number }[]> {
  const pages: { path: string; items: number }[] = [];
  let path: string | undefined = firstPath;
  while (path && pages.length < maxPages) {
    const r = await get(base, path, token);
    if (r.status !== 200) throw new Error(`walking pages: ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
    const body = JSON.parse(r.body) as { '@odata.nextLink'?: string; value: unknown[] };
    pages.push({ path, items: body.value.length });
    const next = body['@odata.nextLink'];
    path = next ? next.slice(new URL(next).origin.length) : undefined;
  }
  return pages;
}

async function buildScenarios(data: GeneratedData, base: string, token: string, mode: 'default' | 'scale', log: (l: string) => void): Promise<Scenario[]> {
  const first = `${ROOT}intelProfiles/${data.bigProfileId}/indicators?${listQuery}`;
  const walkTo = Number.MAX_SAFE_INTEGER; // to the last page: the page-cost measurement
  const started = Date.now();
  const pages = await walkPages(base, token, first, walkTo);
  log(`  walked ${pages.length} page(s) of the big profile's osint listing in ${Date.now() - started} ms`);
  const page50 = pages[Math.min(50, pages.length) - 1]!.path;
  const n50 = Math.min(50, pages.length);
  // The page-cost comparison wants the same work per page: the deepest page with as many items as page 1 (the
  // very last page is usually partial, and cheaper for it).
  let lastFull = pages.length - 1;
  while (lastFull > 0 && pages[lastFull]!.items < pages[0]!.items) lastFull--;
  const pivots = data.pivotArtifactIds.slice(0, 200).map(pivotPath);
  const all: Scenario[] = [
    { name: 'get-indicator', label: 'GET indicator by id (random of 1,000)', paths: data.sampleIndicatorIds.map((id) => `${ROOT}intelligenceProfileIndicators/${id}`) },
    { name: 'get-profile', label: 'GET profile by id (random)', paths: data.sampleProfileIds.map((id) => `${ROOT}intelProfiles/${id}`) },
    { name: 'list-first-page', label: "profile's indicators, $filter+$orderby+$top=100, page 1", paths: [first] },
    { name: 'list-page-50', label: `the same, page ${n50} via $skiptoken`, paths: [page50] },
    { name: 'list-last-page', label: `the same, last full page (${lastFull + 1})`, paths: [pages[lastFull]!.path] },
    { name: 'count-filter', label: "$count=true&$filter=source eq 'osint'&$top=10", paths: [`${ROOT}intelProfiles/${data.bigProfileId}/indicators?$count=true&$filter=source%20eq%20%27osint%27&$top=10`] },
    { name: 'search-profiles', label: `intelProfiles?$search=${data.searchTerm}`, paths: [`${ROOT}intelProfiles?$search=${data.searchTerm}`] },
    { name: 'pivot-artifact', label: 'intelProfiles?$filter=indicators/any(i: i/artifact/id eq …) (random)', paths: pivots },
  ];
  return mode === 'scale' ? all.filter((s) => ['list-first-page', 'list-page-50', 'list-last-page', 'pivot-artifact'].includes(s.name)) : all;
}

const normalize = (body: string, origin: string): string => body.split(origin).join('http://ORIGIN');

// ---------------------------------------------------------------------------------------------- statistics & tables

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–');
const fmtRatio = (n: number): string => (!Number.isFinite(n) ? '–' : n >= 0.1 || n === 0 ? n.toFixed(2) : n.toPrecision(2));

export function markdownTable(rows: number, results: readonly ScenarioResult[]): string {
  const head = `| scenario (${fmtInt(rows)} rows) | req/s | p50 ms | p99 ms | ceiling req/s | minimum req/s | ratio to ceiling | ratio to minimum | tigraph peak RSS MiB |`;
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = results.map((r) => {
    const t = r.median.tigraph;
    return `| ${r.label} | ${fmtInt(t.requestsPerSecond)} | ${fmtMs(t.p50)} | ${fmtMs(t.p99)} | ${fmtInt(r.median.ceiling.requestsPerSecond)} | ${fmtInt(r.median.minimum.requestsPerSecond)} | ${fmtRatio(r.ratioToCeiling)} | ${fmtRatio(r.ratioToMinimum)} | ${r.tigraphPeakRssMiB.toFixed(0)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

/** Issue 4's table: one line per (store, rows). Page cost = 1 / req/s at fixed connections; last/first > 1 = slower. */
export function summaryTable(sizes: readonly SizeReport[]): string {
  const by = (s: SizeReport, name: string): ScenarioResult | undefined => s.scenarios.find((x) => x.name === name);
  const head =
    '| store | rows | GET-by-id req/s | GET-by-id p99 ms | GET ratio to ceiling | GET ratio to minimum | list req/s | list p99 ms | list ratio to ceiling | list ratio to minimum | last full page | last page req/s | last page p99 ms | page cost last/first (tigraph) | last/first (minimum) | last page ratio to minimum |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|';
  const lines = sizes.map((s) => {
    const g = by(s, 'get-indicator');
    const f = by(s, 'list-first-page');
    const l = by(s, 'list-last-page');
    const cost = (who: ServerName): number => (f && l ? f.median[who].requestsPerSecond / l.median[who].requestsPerSecond : NaN);
    const rps = (r?: ScenarioResult): string => fmtInt(r?.median.tigraph.requestsPerSecond ?? NaN);
    const p99 = (r?: ScenarioResult): string => fmtMs(r?.median.tigraph.p99 ?? NaN);
    return `| ${s.store} | ${fmtInt(s.rows)} | ${rps(g)} | ${p99(g)} | ${fmtRatio(g?.ratioToCeiling ?? NaN)} | ${fmtRatio(g?.ratioToMinimum ?? NaN)} | ${rps(f)} | ${p99(f)} | ${fmtRatio(f?.ratioToCeiling ?? NaN)} | ${fmtRatio(f?.ratioToMinimum ?? NaN)} | ${l?.label.replace(/^.*\((\d+)\)$/, 'page $1') ?? '–'} | ${rps(l)} | ${p99(l)} | ${fmtRatio(cost('tigraph'))} | ${fmtRatio(cost('minimum'))} | ${fmtRatio(l?.ratioToMinimum ?? NaN)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

function scaleTable(sizes: readonly SizeReport[]): string {
  const by = (s: SizeReport, name: string): ScenarioResult | undefined => s.scenarios.find((x) => x.name === name);
  const head = '| store | rows | page 1 req/s | page 1 p99 ms | page 50 p99 ms | last full page | last page p99 ms | last/first page cost (tigraph) | last/first (minimum) | pivot req/s | pivot p99 ms | pivot ratio to minimum |';
  const sep = '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|';
  const lines = sizes.map((s) => {
    const f = by(s, 'list-first-page');
    const p50 = by(s, 'list-page-50');
    const l = by(s, 'list-last-page');
    const pv = by(s, 'pivot-artifact');
    const cost = (a?: ScenarioResult, b?: ScenarioResult, who: ServerName = 'tigraph'): number => (a && b ? a.median[who].requestsPerSecond / b.median[who].requestsPerSecond : NaN);
    return `| ${s.store} | ${fmtInt(s.rows)} | ${fmtInt(f?.median.tigraph.requestsPerSecond ?? NaN)} | ${fmtMs(f?.median.tigraph.p99 ?? NaN)} | ${fmtMs(p50?.median.tigraph.p99 ?? NaN)} | ${l?.label.replace(/^.*\((\d+)\)$/, 'page $1') ?? '–'} | ${fmtMs(l?.median.tigraph.p99 ?? NaN)} | ${fmtRatio(cost(f, l))} | ${fmtRatio(cost(f, l, 'minimum'))} | ${fmtInt(pv?.median.tigraph.requestsPerSecond ?? NaN)} | ${fmtMs(pv?.median.tigraph.p99 ?? NaN)} | ${fmtRatio(pv?.ratioToMinimum ?? NaN)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

// ---------------------------------------------------------------------------------------------- one size

interface Started {
  readonly store: StoreKind;
  readonly tmp: string;
  readonly data: GeneratedData;
  readonly token: string;
  readonly tigraph: Child;
  readonly dataDir: string;
  /** tigraph serve arguments selecting the store (empty: SQLite in the data dir). */
  readonly storeArgs: string[];
  /** The PostgreSQL schema holding the data (dropped at cleanup unless --keep). */
  readonly schema?: string;
}

async function prepare(store: StoreKind, rows: number, options: BenchOptions): Promise<Started> {
  const tmp = mkdtempSync(join(tmpdir(), 'tigraph-bench-'));
  const dataDir = join(tmp, 'data');
  let data: GeneratedData;
  let storeArgs: string[] = [];
  let schema: string | undefined;
  if (store === 'postgres') {
    schema = options.schema ?? benchSchemaName(rows);
    options.log(`generating ${fmtInt(rows)} indicators into PostgreSQL schema ${schema} …`);
    const pgData = await generatePostgresDataset({ connectionString: options.databaseUrl, schema, rows, log: options.log });
    options.log(
      `  ${fmtInt(pgData.rows)} indicators, ${fmtInt(pgData.profiles)} profiles, ${fmtInt(pgData.artifacts)} artifacts: load ${pgData.loadMs} ms + indexes ${pgData.indexMs} ms + vacuum/analyze ${pgData.analyzeMs} ms (${fmtInt(pgData.rowsPerSecond)} rows/s); indicator table ${pgData.indicatorTableMiB} MiB + indexes ${pgData.indicatorIndexesMiB} MiB`,
    );
    data = pgData;
    storeArgs = ['--database-url', options.databaseUrl, '--database-schema', schema, '--pool-size', String(options.poolSize)];
  } else {
    options.log(`generating ${fmtInt(rows)} indicators into ${dataDir} …`);
    data = await generateDataset({ filename: join(dataDir, 'tigraph.db'), rows, log: options.log });
    options.log(`  ${fmtInt(data.rows)} indicators, ${fmtInt(data.profiles)} profiles, ${fmtInt(data.artifacts)} artifacts: load ${data.loadMs} ms + indexes ${data.indexMs} ms (${fmtInt(data.rowsPerSecond)} rows/s)`);
  }
  mkdirSync(dataDir, { recursive: true });
  const key = await loadOrCreateSigningKey(dataDir);
  const token = await mintToken(key, { expiresInSeconds: 7 * 86400 });
  const tigraph = await startTigraph(dataDir, storeArgs, join(tmp, 'tigraph-requests.log'), []);
  return { store, tmp, data, token, tigraph, dataDir, storeArgs, ...(schema ? { schema } : {}) };
}

function startTigraph(dataDir: string, storeArgs: readonly string[], logFile: string, nodeFlags: string[]): Promise<Child> {
  return startChild(
    'tigraph serve',
    [...nodeFlags, TIGRAPH_BIN, 'serve', '--data-dir', dataDir, ...storeArgs, '--port', '0', '--seed', 'none', '--log-level', 'info'],
    /v1\.0:\s+(http:\/\/[^/\s]+)\//,
    logFile,
  );
}

async function benchSize(store: StoreKind, rows: number, mode: 'default' | 'scale', options: BenchOptions): Promise<SizeReport & { started: Started }> {
  const started = await prepare(store, rows, options);
  const { tmp, data, token, tigraph } = started;
  let ceiling: Child | undefined;
  let minimum: Child | undefined;
  try {
    let scenarios = await buildScenarios(data, tigraph.url, token, mode, options.log);
    if (options.only?.length) scenarios = scenarios.filter((s) => options.only!.includes(s.name));

    // Fetch every URL from tigraph once: the ceiling's bytes and the expected bodies.
    const expected = new Map<string, CeilingResponse>();
    const bodyBytes = new Map<string, number>();
    for (const s of scenarios) {
      let bytes = 0;
      for (const p of s.paths) {
        if (!expected.has(p)) {
          const r = await get(tigraph.url, p, token);
          if (r.status !== 200) throw new Error(`tigraph answered ${r.status} to ${s.name} ${p}: ${r.body.slice(0, 500)}`);
          expected.set(p, { status: r.status, contentType: r.contentType, body: r.body });
        }
        bytes += Buffer.byteLength(expected.get(p)!.body);
      }
      bodyBytes.set(s.name, bytes / s.paths.length);
    }
    const ceilingFile = join(tmp, 'ceiling.json');
    writeFileSync(ceilingFile, JSON.stringify(Object.fromEntries(expected)));
    ceiling = await startChild('ceiling', [join(HERE, 'reference-server.js'), 'ceiling', ceilingFile], /listening (\d+)/);
    minimum = await startChild(
      'minimum',
      store === 'postgres'
        ? [join(HERE, 'reference-server.js'), 'minimum-pg', options.databaseUrl, started.schema!, String(options.poolSize)]
        : [join(HERE, 'reference-server.js'), 'minimum', join(started.dataDir, 'tigraph.db')],
      /listening (\d+)/,
    );
    const urls: Record<ServerName, string> = { tigraph: tigraph.url, ceiling: ceiling.url, minimum: minimum.url };

    // Same bodies, or no benchmark.
    for (const s of scenarios) {
      for (const p of s.paths) {
        const want = normalize(expected.get(p)!.body, tigraph.url);
        for (const who of ['ceiling', 'minimum'] as const) {
          const r = await get(urls[who], p, token);
          // The ceiling replays tigraph's bytes verbatim (tigraph's origin included); the minimum builds its own.
          const got = normalize(r.body, who === 'ceiling' ? tigraph.url : urls[who]);
          if (r.status !== 200 || got !== want) {
            let at = 0;
            while (at < want.length && want[at] === got[at]) at++;
            throw new Error(
              `${who} differs from tigraph for ${s.name} ${p} (status ${r.status}) at character ${at}:\n  tigraph: …${want.slice(Math.max(0, at - 80), at + 120)}\n  ${who}: …${got.slice(Math.max(0, at - 80), at + 120)}`,
            );
          }
        }
      }
    }
    options.log(`  verified: ceiling and minimum answer all ${expected.size} URLs with tigraph's bodies`);

    const runs = new Map<string, RunStats[]>(scenarios.map((s) => [s.name, []]));
    const peak = new Map<string, number>();
    const pid = tigraph.proc.pid!;
    for (let round = 1; round <= options.rounds; round++) {
      for (const s of scenarios) {
        for (const who of SERVERS) {
          if (who === 'tigraph') resetPeakRss(pid);
          const r = await runWorker(
            {
              url: urls[who],
              paths: s.paths,
              headers: { authorization: `Bearer ${token}` },
              connections: options.connections,
              durationSeconds: options.durationSeconds,
              warmupSeconds: options.warmupSeconds,
              seed: round * 7919 + s.name.length,
            },
            tmp,
          );
          if (r.non2xx > 0 || r.errors > 0) throw new Error(`${who} ${s.name} round ${round}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
          if (r.total === 0) throw new Error(`${who} ${s.name} round ${round}: no request completed`);
          runs.get(s.name)!.push({ ...r, server: who, round });
          if (who === 'tigraph') peak.set(s.name, Math.max(peak.get(s.name) ?? 0, readStatusKiB(pid, 'VmHWM')));
        }
        const last = runs.get(s.name)!.slice(-3);
        options.log(`  round ${round}/${options.rounds} ${s.name}: ${last.map((r) => `${r.server} ${fmtInt(r.requestsPerSecond)} req/s p99 ${fmtMs(r.p99)} ms`).join(' | ')}`);
      }
    }

    const results: ScenarioResult[] = scenarios.map((s) => {
      const rs = runs.get(s.name)!;
      const med = (who: ServerName) => {
        const mine = rs.filter((r) => r.server === who);
        return { requestsPerSecond: median(mine.map((r) => r.requestsPerSecond)), p50: median(mine.map((r) => r.p50)), p99: median(mine.map((r) => r.p99)) };
      };
      const m = { tigraph: med('tigraph'), ceiling: med('ceiling'), minimum: med('minimum') };
      // Ratios per round (same-round pairs), then the median: robust against drift of a noisy machine.
      const ratio = (other: ServerName): number =>
        median(Array.from({ length: options.rounds }, (_, i) => rs.find((r) => r.round === i + 1 && r.server === 'tigraph')!.requestsPerSecond / rs.find((r) => r.round === i + 1 && r.server === other)!.requestsPerSecond));
      return {
        name: s.name,
        label: s.label,
        urls: s.paths.length,
        meanBodyBytes: Math.round(bodyBytes.get(s.name)!),
        median: m,
        ratioToCeiling: ratio('ceiling'),
        ratioToMinimum: ratio('minimum'),
        tigraphPeakRssMiB: (peak.get(s.name) ?? 0) / 1024,
        runs: rs,
      };
    });
    const { sampleIndicatorIds: _a, sampleProfileIds: _b, pivotArtifactIds: _c, ...dataset } = data;
    return { store, rows, dataset, scenarios: results, table: `${store}:\n\n${markdownTable(data.rows, results)}`, started };
  } finally {
    await Promise.all([stopChild(ceiling), stopChild(minimum)]);
  }
}

async function cleanup(started: Started, keep: boolean, log: (l: string) => void): Promise<void> {
  await stopChild(started.tigraph);
  if (keep) log(`  kept ${started.tmp}${started.schema ? ` and schema ${started.schema}` : ''}`);
  else {
    rmSync(started.tmp, { recursive: true, force: true });
    if (started.schema) await dropSchema(started.storeArgs[started.storeArgs.indexOf('--database-url') + 1]!, started.schema);
  }
}

// ---------------------------------------------------------------------------------------------- CPU profile

export function topSelfTime(profileFile: string, n = 5): { fn: string; location: string; selfMs: number; selfPercent: number }[] {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const perNode = new Map<number, number>();
  p.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const self = new Map<string, { fn: string; location: string; us: number }>();
  for (const node of p.nodes) {
    const cf = node.callFrame;
    const fn = cf.functionName || '(anonymous)';
    if (fn === '(idle)' || fn === '(program)' || fn === '(root)') continue;
    const location = cf.url ? `${cf.url.replace(/^file:\/\//, '').replace(REPO + '/', '')}:${cf.lineNumber + 1}` : '';
    const k = `${fn} ${location}`;
    const e = self.get(k) ?? { fn, location, us: 0 };
    e.us += perNode.get(node.id) ?? 0;
    self.set(k, e);
  }
  const total = p.endTime - p.startTime;
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ fn: e.fn, location: e.location, selfMs: Math.round(e.us / 100) / 10, selfPercent: Math.round((1000 * e.us) / total) / 10 }));
}

async function cpuProfile(started: Started, options: BenchOptions): Promise<BenchReport['cpuProfile']> {
  const dir = join(options.outDir, `cpu-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  options.log(`cpu profile: tigraph serve --cpu-prof under the GET-by-id load (${options.durationSeconds + options.warmupSeconds} s) …`);
  const child = await startTigraph(started.dataDir, started.storeArgs, join(started.tmp, 'tigraph-cpuprof.log'), ['--cpu-prof', '--cpu-prof-dir', dir]);
  try {
    await runWorker(
      {
        url: child.url,
        paths: started.data.sampleIndicatorIds.map((id) => `${ROOT}intelligenceProfileIndicators/${id}`),
        headers: { authorization: `Bearer ${started.token}` },
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        seed: 1,
      },
      started.tmp,
    );
  } finally {
    await stopChild(child);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written to ${dir}`);
  return { file: join(dir, file), top: topSelfTime(join(dir, file), 5) };
}

// ---------------------------------------------------------------------------------------------- entry

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const options: BenchOptions = { ...DEFAULT_OPTIONS, ...partial };
  const startedAt = new Date().toISOString();
  mkdirSync(options.outDir, { recursive: true });
  const sizes: SizeReport[] = [];
  let cpu: BenchReport['cpuProfile'];
  const plan = options.stores.flatMap((store): { store: StoreKind; rows: number; mode: 'default' | 'scale' }[] =>
    options.scale ? options.scaleSizes.map((rows) => ({ store, rows, mode: 'scale' as const })) : [{ store, rows: options.rows, mode: 'default' as const }],
  );
  for (const step of plan) {
    const report = await benchSize(step.store, step.rows, step.mode, options);
    const { started, ...size } = report;
    try {
      sizes.push(size);
      options.log(`\n${size.table}\n`);
      if (options.cpuProf && step === plan[0]) cpu = await cpuProfile(started, options);
    } finally {
      await cleanup(started, options.keep, options.log);
    }
  }
  const resultFile = join(options.outDir, `bench-${startedAt.replace(/[:.]/g, '-')}-${options.stores.join('-')}${options.scale ? '-scale' : ''}.json`);
  const { log: _log, ...recordedOptions } = options;
  const report: BenchReport = {
    startedAt,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
    options: recordedOptions,
    sizes,
    summaryTable: summaryTable(sizes),
    ...(options.scale ? { scaleTable: scaleTable(sizes) } : {}),
    ...(cpu ? { cpuProfile: cpu } : {}),
    resultFile,
  };
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

export function parseArgs(argv: readonly string[]): Partial<BenchOptions> {
  const out: Record<string, unknown> = {};
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    switch (a) {
      case '--rows': out['rows'] = num(a, v); i++; break;
      case '--store': {
        const stores = (v ?? '').split(',').filter(Boolean);
        if (stores.length === 0 || stores.some((x) => x !== 'sqlite' && x !== 'postgres')) throw new Error('--store takes sqlite, postgres or sqlite,postgres');
        out['stores'] = stores;
        i++;
        break;
      }
      case '--database-url': if (!v) throw new Error('--database-url needs a URL'); out['databaseUrl'] = v; i++; break;
      case '--database-schema': if (!v) throw new Error('--database-schema needs a name'); out['schema'] = v; i++; break;
      case '--pool-size': out['poolSize'] = Math.round(num(a, v)); i++; break;
      case '--duration': out['durationSeconds'] = num(a, v); i++; break;
      case '--warmup': out['warmupSeconds'] = Number(v); i++; break;
      case '--rounds': out['rounds'] = Math.round(num(a, v)); i++; break;
      case '--connections': out['connections'] = Math.round(num(a, v)); i++; break;
      case '--only': out['only'] = (v ?? '').split(',').filter(Boolean); i++; break;
      case '--scale-sizes': out['scaleSizes'] = (v ?? '').split(',').map((x) => num(a, x)); out['scale'] = true; i++; break;
      case '--out': out['outDir'] = resolve(v ?? '.'); i++; break;
      case '--scale': out['scale'] = true; break;
      case '--cpu-prof': out['cpuProf'] = true; break;
      case '--keep': out['keep'] = true; break;
      case '--help':
      case '-h':
        process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]}*/\n`);
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      default:
        throw new Error(`unknown option ${a} (try --help)`);
    }
  }
  return out as Partial<BenchOptions>;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!existsSync(TIGRAPH_BIN)) throw new Error(`${TIGRAPH_BIN} not found`);
  const report = await runBench(parseArgs(process.argv.slice(2)));
  const out: string[] = [];
  for (const s of report.sizes) out.push(s.table, '');
  out.push('Summary (page cost = 1 / req/s at fixed connections; last/first 1.00 = flat):', '', report.summaryTable, '');
  if (report.scaleTable) out.push('Scale curve (cost = 1 / req/s at fixed connections):', '', report.scaleTable, '');
  if (report.cpuProfile) {
    out.push(`CPU profile of tigraph under GET-by-id (${report.cpuProfile.file}), top 5 by self time:`, '');
    out.push('| function | location | self ms | self % |', '|---|---|---:|---:|');
    for (const t of report.cpuProfile.top) out.push(`| ${t.fn} | ${t.location} | ${t.selfMs} | ${t.selfPercent} |`);
    out.push('');
  }
  out.push(`results: ${report.resultFile}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
