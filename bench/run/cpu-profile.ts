/** `--cpu-prof`: a profiled tigraph under the GET-by-id load, and its hottest functions by self time. */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions, BenchReport } from './bench-options.js';
import { startTigraph, type Started } from './bench-size.js';
import { REPO, ROOT } from './paths.js';
import { runWorker, stopChild } from './processes.js';

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

export async function cpuProfile(started: Started, options: BenchOptions): Promise<BenchReport['cpuProfile']> {
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
