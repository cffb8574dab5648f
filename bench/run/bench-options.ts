/** What one benchmark invocation runs (the options), and the shape of what it reports. */
import { join } from 'node:path';
import type { GeneratedData } from '../generate-data.js';
import type { LoadResult } from '../load-worker.js';
import { databaseUrlFromEnv } from '../postgres-data.js';
import { REPO, type ServerName } from './paths.js';

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
