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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_OPTIONS, type BenchOptions, type BenchReport, type SizeReport, type StoreKind } from './run/bench-options.js';
import { benchSize, cleanup } from './run/bench-size.js';
import { parseBenchArgs } from './run/parse-bench-args.js';
import { cpuProfile } from './run/cpu-profile.js';
import { TIGRAPH_BIN } from './run/paths.js';
import { scaleTable, summaryTable } from './run/report-tables.js';

export { DEFAULT_OPTIONS, type BenchOptions, type BenchReport, type ScenarioResult, type SizeReport, type StoreKind } from './run/bench-options.js';
export { markdownTable, summaryTable } from './run/report-tables.js';
export { topSelfTime } from './run/cpu-profile.js';

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

/** The command line as options (only the flags given); `--help` prints this file's header. */
export function parseArgs(argv: readonly string[]): Partial<BenchOptions> {
  return parseBenchArgs(argv, () => `${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]}*/\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!existsSync(TIGRAPH_BIN)) throw new Error(`${TIGRAPH_BIN} not found`);
  let args: Partial<BenchOptions>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message} (try --help)\n`);
    process.exit(2);
  }
  const report = await runBench(args);
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
