/**
 * Load generator process of `npm run bench` (kept out of the bench's own process so that the driver's work does
 * not share an event loop with it): `node load-worker.js <config.json>` runs autocannon against one server —
 * a warm-up, then the measured run — picking each request's path from `paths` with a seeded PRNG, and prints
 * one JSON line with the result.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

export interface LoadConfig {
  readonly url: string;
  readonly paths: readonly string[];
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly seed: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

function picker(paths: readonly string[], seed: number): () => string {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return paths[(((t ^ (t >>> 14)) >>> 0) % paths.length)]!;
  };
}

function run(config: LoadConfig, seconds: number, seed: number): Promise<autocannon.Result> {
  const pick = picker(config.paths, seed);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: config.url,
        connections: config.connections,
        duration: seconds,
        headers: config.headers,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pick() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadConfig;
if (config.warmupSeconds > 0) await run(config, config.warmupSeconds, config.seed ^ 0x9e3779b9);
const r = await run(config, config.durationSeconds, config.seed);
const result: LoadResult = {
  requestsPerSecond: r.requests.total / (r.duration || config.durationSeconds),
  p50: r.latency.p50,
  p99: r.latency.p99,
  total: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
