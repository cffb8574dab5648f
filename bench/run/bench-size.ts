/** One (store, rows) step: generate the data, start tigraph and both reference servers, verify, measure, clean up. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../../src/auth/mint-token.js';
import { loadOrCreateSigningKey } from '../../src/auth/signing-key.js';
import { generateDataset, type GeneratedData } from '../generate-data.js';
import { benchSchemaName, dropSchema, generatePostgresDataset } from '../postgres-data.js';
import type { CeilingResponse } from '../reference-server.js';
import type { BenchOptions, RunStats, ScenarioResult, SizeReport, StoreKind } from './bench-options.js';
import { BENCH_DIST, SERVERS, TIGRAPH_BIN, type ServerName } from './paths.js';
import { readStatusKiB, resetPeakRss, runWorker, startChild, stopChild, type Child } from './processes.js';
import { fmtInt, fmtMs, markdownTable, median } from './report-tables.js';
import { buildScenarios, get, normalize } from './scenarios.js';

export interface Started {
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

export async function prepare(store: StoreKind, rows: number, options: BenchOptions): Promise<Started> {
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
  const token = await mintToken(key, { expiresInSeconds: 86400 }) // within the server's default --max-token-lifetime (28 h);
  const tigraph = await startTigraph(dataDir, storeArgs, join(tmp, 'tigraph-requests.log'), []);
  return { store, tmp, data, token, tigraph, dataDir, storeArgs, ...(schema ? { schema } : {}) };
}

export function startTigraph(dataDir: string, storeArgs: readonly string[], logFile: string, nodeFlags: string[]): Promise<Child> {
  return startChild(
    'tigraph serve',
    [...nodeFlags, TIGRAPH_BIN, 'serve', '--data-dir', dataDir, ...storeArgs, '--port', '0', '--seed', 'none', '--log-level', 'info'],
    /v1\.0:\s+(http:\/\/[^/\s]+)\//,
    logFile,
  );
}

export async function benchSize(store: StoreKind, rows: number, mode: 'default' | 'scale', options: BenchOptions): Promise<SizeReport & { started: Started }> {
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
    ceiling = await startChild('ceiling', [join(BENCH_DIST, 'reference-server.js'), 'ceiling', ceilingFile], /listening (\d+)/);
    minimum = await startChild(
      'minimum',
      store === 'postgres'
        ? [join(BENCH_DIST, 'reference-server.js'), 'minimum-pg', options.databaseUrl, started.schema!, String(options.poolSize)]
        : [join(BENCH_DIST, 'reference-server.js'), 'minimum', join(started.dataDir, 'tigraph.db')],
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

export async function cleanup(started: Started, keep: boolean, log: (l: string) => void): Promise<void> {
  await stopChild(started.tigraph);
  if (keep) log(`  kept ${started.tmp}${started.schema ? ` and schema ${started.schema}` : ''}`);
  else {
    rmSync(started.tmp, { recursive: true, force: true });
    if (started.schema) await dropSchema(started.storeArgs[started.storeArgs.indexOf('--database-url') + 1]!, started.schema);
  }
}
