/**
 * `npm run soak -- --minutes 10 [--store sqlite|postgres] [--database-url URL] [--connections 16]`: a soak of one
 * real `tigraph serve` child process at saturation (issue 10, point 10). Not part of `npm test`.
 *
 * - `--connections` client loops (default 16) run back to back, each request picked by a fixed mix: 45% a profile
 *   list page, 25% GET-by-id of a profile, 10% an indicator list page, 20% a write cycle (POST a profile → PATCH its
 *   description → DELETE it, so the data stays the same size).
 * - One more loop imports a 5,000-indicator STIX bundle through the import action, polls the job until it ends,
 *   and starts again (the same bundle: the first run creates, the later ones update), for the whole run.
 * - Every minute it prints the requests by status, p50/p99 latency and the server's RSS (VmRSS from /proc, and
 *   RssAnon — heap and private memory without the SQLite file pages the store maps), each the median of one-second
 *   samples over the minute (import jobs run in threads that come and go); at the end the totals, the
 *   count of 5xx and socket errors, and whether RSS was flat after warm-up (last minute within 10% of the third).
 *   Exit code 1 when any 5xx or socket error happened or RSS was not flat.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken } from '../src/auth/mint-token.js';
import { WRITE } from '../src/auth/require-permission.js';
import { loadOrCreateSigningKey } from '../src/auth/signing-key.js';
import { errorMessage, soakBundle, soakProfile } from './soak-bodies.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/tigraph.js');
const TI = '/v1.0/security/threatIntelligence';

interface Args {
  minutes: number;
  store: 'sqlite' | 'postgres';
  databaseUrl: string;
  connections: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { minutes: 10, store: 'sqlite', databaseUrl: process.env.TIGRAPH_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', connections: 16 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--minutes' && v) (a.minutes = Number(v)), i++;
    else if (k === '--store' && (v === 'sqlite' || v === 'postgres')) (a.store = v), i++;
    else if (k === '--database-url' && v) (a.databaseUrl = v), i++;
    else if (k === '--connections' && v) (a.connections = Number(v)), i++;
    else throw new Error(`unknown option ${k} (--minutes N, --store sqlite|postgres, --database-url URL, --connections C)`);
  }
  if (!(a.minutes > 0) || !Number.isInteger(a.connections) || a.connections < 1) throw new Error('--minutes > 0 and --connections ≥ 1');
  return a;
}

const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });

interface Minute {
  statuses: Map<string, number>;
  latencies: number[];
  /** The server's memory, sampled every second. */
  memory: { rss: number; anon: number }[];
}

const newMinute = (): Minute => ({ statuses: new Map(), latencies: [], memory: [] });
/** A minute's memory: the median of its one-second samples (a single sample lands anywhere in a GC or import cycle). */
const medianMemory = (m: Minute, at: () => { rss: number; anon: number }): { rss: number; anon: number } => {
  const samples = m.memory.length ? m.memory : [at()];
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { rss: mid(samples.map((x) => x.rss)), anon: mid(samples.map((x) => x.anon)) };
};
const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function memory(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-soak-'));
  const port = await freePort();
  const key = await loadOrCreateSigningKey(dir);
  const token = await mintToken(key, { roles: [WRITE], expiresInSeconds: 3600 + args.minutes * 60 });
  const schema = `tigraph_soak_${process.pid}`;
  const serveArgs = [BIN, 'serve', '--port', String(port), '--data-dir', dir, '--log-level', 'info', ...(args.store === 'postgres' ? ['--database-url', args.databaseUrl, '--database-schema', schema] : [])];
  const child = spawn(process.execPath, serveArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`tigraph serve exited: ${stderr}`);
    const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 600) throw new Error('tigraph serve did not come up in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const headers = { Authorization: `Bearer ${token}` };
  const json = { ...headers, 'Content-Type': 'application/json' };
  const seed = (await (await fetch(`${base}${TI}/intelProfiles?$select=id&$top=50`, { headers })).json()) as { value: { id: string }[] };
  const ids = seed.value.map((v) => v.id);
  if (ids.length === 0) throw new Error('the demo seed has no profiles');

  const minutes: Minute[] = [newMinute()];
  const memories: { rss: number; anon: number }[] = [];
  let socketErrors = 0;
  const firstErrors: string[] = [];
  const record = (status: string, ms: number): void => {
    const m = minutes[minutes.length - 1]!;
    m.statuses.set(status, (m.statuses.get(status) ?? 0) + 1);
    m.latencies.push(ms);
  };
  interface Answer {
    status: number;
    location: string | null;
    body: string;
  }
  const send = async (method: string, path: string, init: RequestInit = {}): Promise<Answer | undefined> => {
    const t = performance.now();
    try {
      const r = await fetch(`${base}${path}`, { method, headers, ...init });
      const body = await r.text();
      record(String(r.status), performance.now() - t);
      if (r.status >= 500 && firstErrors.length < 5) firstErrors.push(`${method} ${path} → ${r.status} ${errorMessage(body)}`);
      return { status: r.status, location: r.headers.get('location'), body };
    } catch (e) {
      socketErrors++;
      record('socket error', performance.now() - t);
      if (firstErrors.length < 5) firstErrors.push(`${method} ${path} → ${(e as Error).message}`);
      return undefined;
    }
  };

  const deadline = Date.now() + args.minutes * 60_000;
  let n = 0;
  const client = async (c: number): Promise<void> => {
    while (Date.now() < deadline) {
      const r = (n++ * 7919 + c) % 100;
      if (r < 45) await send('GET', `${TI}/intelProfiles?$top=20&$skip=${n % 5}`);
      else if (r < 70) await send('GET', `${TI}/intelProfiles/${ids[n % ids.length]}`);
      else if (r < 80) await send('GET', `${TI}/intelProfiles/${ids[n % ids.length]}/indicators?$top=20`);
      else {
        const created = await send('POST', `${TI}/intelProfiles`, { headers: json, body: JSON.stringify(soakProfile(`soak ${process.pid} ${c} ${n}`)) });
        if (created?.status !== 201) continue;
        const id = (JSON.parse(created.body) as { id: string }).id;
        await send('PATCH', `${TI}/intelProfiles/${id}`, { headers: json, body: JSON.stringify({ description: { content: `patched ${n}`, format: 'text' } }) });
        await send('DELETE', `${TI}/intelProfiles/${id}`);
      }
    }
  };
  const bundle = JSON.stringify(soakBundle(5000));
  let imports = 0;
  const importer = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const r = await send('POST', `${TI}/microsoft.graph.security.import`, { headers: json, body: bundle });
      const location = r?.location;
      if (r?.status !== 202 || !location) {
        await new Promise((ok) => setTimeout(ok, 1000));
        continue;
      }
      const path = new URL(location).pathname;
      for (;;) {
        await new Promise((ok) => setTimeout(ok, 500));
        const job = await send('GET', path);
        const status = job?.status === 200 ? (JSON.parse(job.body) as { status: string }).status : 'unknown';
        if (status !== 'notStarted' && status !== 'running') break;
      }
      imports++;
    }
  };

  const started = Date.now();
  console.log(`soak: ${args.minutes} min, store ${args.store}, ${args.connections} connections + 1 import loop, server pid ${child.pid}`);
  console.log('| min | requests | by status | p50 ms | p99 ms | RSS MiB | RssAnon MiB | imports done |');
  console.log('|---|---|---|---|---|---|---|---|');
  const sampler = setInterval(() => minutes[minutes.length - 1]!.memory.push(memory(child.pid!)), 1000);
  const tick = setInterval(() => {
    const m = minutes[minutes.length - 1]!;
    const mem = medianMemory(m, () => memory(child.pid!));
    memories.push(mem);
    const total = [...m.statuses.values()].reduce((a, b) => a + b, 0);
    const by = [...m.statuses].sort().map(([s, k]) => `${s}: ${k}`).join(', ');
    console.log(`| ${minutes.length} | ${total} | ${by} | ${pct(m.latencies, 50).toFixed(1)} | ${pct(m.latencies, 99).toFixed(1)} | ${mem.rss.toFixed(0)} | ${mem.anon.toFixed(0)} | ${imports} |`);
    minutes.push(newMinute());
  }, 60_000);
  await Promise.all([...Array.from({ length: args.connections }, (_, c) => client(c)), importer()]);
  clearInterval(tick);
  clearInterval(sampler);
  const totals = new Map<string, number>();
  for (const m of minutes) for (const [s, k] of m.statuses) totals.set(s, (totals.get(s) ?? 0) + k);
  const fiveXx = [...totals].filter(([s]) => s.startsWith('5')).reduce((a, [, k]) => a + k, 0);
  const third = memories[2];
  const last = memories[memories.length - 1];
  const flat = third && last ? Math.abs(last.rss - third.rss) / third.rss <= 0.1 : undefined;
  console.log(`\ntotal ${((Date.now() - started) / 60_000).toFixed(1)} min: ${[...totals].sort().map(([s, k]) => `${s}: ${k}`).join(', ')}; imports finished: ${imports}`);
  console.log(`5xx: ${fiveXx}; socket errors: ${socketErrors}`);
  if (third && last) console.log(`RSS minute 3 → last: ${third.rss.toFixed(0)} → ${last.rss.toFixed(0)} MiB (${(((last.rss - third.rss) / third.rss) * 100).toFixed(1)}%; flat within 10%: ${flat ? 'yes' : 'NO'}); RssAnon ${third.anon.toFixed(0)} → ${last.anon.toFixed(0)} MiB`);
  for (const e of firstErrors) console.log(`  error: ${e}`);
  child.kill('SIGTERM');
  await new Promise((ok) => child.once('exit', ok));
  if (args.store === 'postgres') {
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: args.databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
  await rm(dir, { recursive: true, force: true });
  if (fiveXx > 0 || socketErrors > 0 || flat === false) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
