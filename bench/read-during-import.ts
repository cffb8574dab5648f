/**
 * `npm run bench:read-during-import -- [--rows 230000] [--baseline-seconds 10] [--store sqlite|postgres]`
 * (issue 10, point 5): GET-by-id latency of a real `tigraph serve` while an import job of `--rows` generated
 * hostnames runs through the import action, against the same probe on the same idle server measured first, in the
 * same invocation. One probe loop, a request every 20 ms; prints p50/p99/max of both phases, their ratios, and the
 * import's rate. Not part of `npm test`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { mintToken } from '../src/auth/mint-token.js';
import { WRITE } from '../src/auth/require-permission.js';
import { loadOrCreateSigningKey } from '../src/auth/signing-key.js';
import { startChild, stopChild } from './run/processes.js';
import { TIGRAPH_BIN as BIN } from './run/paths.js';

const TI = '/v1.0/security/threatIntelligence';
const PROBE = `${TI}/hosts/fake-malicious.site`;

interface Phase {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const summarize = (lat: number[]): Phase => {
  const s = [...lat].sort((a, b) => a - b);
  const q = (x: number): number => s[Math.min(s.length - 1, Math.floor(x * s.length))]!;
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.at(-1)! };
};

/** GET-by-id every 20 ms until `until` settles; every answer must be 200. */
async function probe(url: string, token: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const lat: number[] = [];
  while (!done) {
    const t = performance.now();
    const r = await fetch(`${url}${PROBE}`, { headers: { Authorization: `Bearer ${token}` } });
    await r.text();
    if (r.status !== 200) throw new Error(`probe answered ${r.status}`);
    lat.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return lat;
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--rows <n>', 'hostnames in the imported file', (v) => Number(v), 230_000)
    .option('--baseline-seconds <s>', 'idle probe before the import', (v) => Number(v), 10)
    .option('--store <store>', 'sqlite or postgres', 'sqlite')
    .option('--database-url <url>', 'PostgreSQL for --store postgres', process.env['TIGRAPH_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test')
    .parse()
    .opts<{ rows: number; baselineSeconds: number; store: string; databaseUrl: string }>();
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-read-during-import-'));
  const schema = `bench_rdi_${process.pid}`;
  const args = [BIN, 'serve', '--data-dir', dir, '--port', '0', '--log-level', 'warn', ...(opts.store === 'postgres' ? ['--database-url', opts.databaseUrl, '--database-schema', schema] : [])];
  const server = await startChild('tigraph', args, /v1\.0:\s+(http:\/\/[^/\s]+)\//);
  try {
    const token = await mintToken(await loadOrCreateSigningKey(dir), { roles: [WRITE] });
    const idle = summarize(await probe(server.url, token, new Promise((resolve) => setTimeout(resolve, opts.baselineSeconds * 1000))));
    const body = Array.from({ length: opts.rows }, (_, i) => `h${String(i).padStart(7, '0')}.read-during-import.example`).join('\n');
    const started = performance.now();
    const importing = (async () => {
      const r = await fetch(`${server.url}${TI}/microsoft.graph.security.import?name=bench-hosts.txt`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' }, body });
      if (r.status !== 202) throw new Error(`import answered ${r.status}: ${await r.text()}`);
      const location = r.headers.get('location')!;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const job = (await (await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).json()) as { status: string };
        if (job.status === 'succeeded') return;
        if (job.status !== 'running' && job.status !== 'notStarted') throw new Error(`import job ${job.status}`);
      }
    })();
    const busy = summarize(await probe(server.url, token, importing));
    await importing;
    const seconds = (performance.now() - started) / 1000;
    const row = (name: string, p: Phase): string => `${name.padEnd(16)} ${String(p.n).padStart(6)} ${p.p50.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${p.max.toFixed(1).padStart(8)}`;
    console.log(`GET-by-id on ${opts.store} while importing ${opts.rows} hostnames (${seconds.toFixed(1)} s, ${Math.round(opts.rows / seconds)} indicators/s)`);
    console.log(`${'phase'.padEnd(16)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    console.log(row('idle (baseline)', idle));
    console.log(row('during import', busy));
    console.log(`ratio during/idle: p50 ${(busy.p50 / idle.p50).toFixed(2)}, p99 ${(busy.p99 / idle.p99).toFixed(2)}; p99 during import ${busy.p99 < 250 ? 'under' : 'OVER'} 250 ms`);
  } finally {
    await stopChild(server);
    await rm(dir, { recursive: true, force: true });
    if (opts.store === 'postgres') {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: opts.databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
}

await main();
