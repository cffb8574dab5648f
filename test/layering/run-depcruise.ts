/** Runs dependency-cruiser's CLI with the repository's `.dependency-cruiser.cjs` and returns its violations. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const CLI = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

export interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
  /** For a cycle: the modules of the cycle. */
  readonly cycle?: readonly string[];
}

export interface CruiseResult {
  readonly violations: Violation[];
  readonly modulesCruised: number;
}

interface RawViolation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** `depcruise <paths> --config .dependency-cruiser.cjs --output-type json`, run in `cwd`. */
export function cruise(cwd: string, paths: readonly string[]): CruiseResult {
  const r = spawnSync(process.execPath, [CLI, ...paths, '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 || !r.stdout) throw new Error(`depcruise exited with ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: RawViolation[] }; modules: { source: string }[] };
  return {
    violations: out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to, ...(v.cycle ? { cycle: v.cycle.map((c) => c.name) } : {}) })),
    modulesCruised: out.modules.length,
  };
}

/** One line per violation: `rule: from → to`. */
export const describe = (vs: readonly Violation[]): string => vs.map((v) => `${v.rule}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.join(' → ')})` : ''}`).join('\n');
