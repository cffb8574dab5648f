/** The benchmark's command line, parsed with commander (the CLI library tigraph itself uses). */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import type { BenchOptions, StoreKind } from './bench-options.js';

const positive = (flag: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} needs a positive number`);
  return n;
};
const positiveInt = (flag: string) => (v: string): number => Math.round(positive(flag)(v));
const list = (v: string): string[] => v.split(',').filter(Boolean);
const stores = (v: string): StoreKind[] => {
  const s = list(v);
  if (s.length === 0 || s.some((x) => x !== 'sqlite' && x !== 'postgres')) throw new InvalidArgumentError('--store takes sqlite, postgres or sqlite,postgres');
  return s as StoreKind[];
};

/** Parses `argv` (without node and the script) into the options it names; throws an Error with commander's message. */
export function parseBenchArgs(argv: readonly string[], help: () => string): Partial<BenchOptions> {
  const cmd = new Command('bench')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false)
    .option('--rows <n>', 'indicators to generate', positiveInt('--rows'))
    .option('--store <stores>', 'sqlite, postgres or sqlite,postgres', stores)
    .option('--database-url <url>', 'PostgreSQL connection URL')
    .option('--database-schema <name>', 'PostgreSQL schema for the data')
    .option('--pool-size <n>', 'pool size of tigraph and of the PostgreSQL minimum', positiveInt('--pool-size'))
    .option('--duration <s>', 'seconds per measured run', positive('--duration'))
    .addOption(new Option('--warmup <s>', 'warm-up seconds per run').argParser(Number))
    .option('--rounds <n>', 'rounds (medians are reported)', positiveInt('--rounds'))
    .option('--connections <n>', 'concurrent connections', positiveInt('--connections'))
    .option('--only <names>', 'scenario names to run, comma-separated', list)
    .option('--scale-sizes <sizes>', 'row counts of the scale curve (implies --scale)', (v: string) => v.split(',').map(positive('--scale-sizes')))
    .option('--out <dir>', 'where results JSON goes')
    .option('--scale', 'run the scale curve')
    .option('--cpu-prof', 'profile tigraph under the GET-by-id load')
    .option('--keep', 'keep the temp dir and schema');
  cmd.helpInformation = help;
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') process.exit(0);
    if (e instanceof CommanderError) throw new Error(e.message.replace(/^error: /, ''));
    throw e;
  }
  const o = cmd.opts<Record<string, unknown>>();
  const out: Record<string, unknown> = {};
  const copy = (from: string, to: string = from): void => {
    if (o[from] !== undefined) out[to] = o[from];
  };
  copy('rows');
  copy('store', 'stores');
  copy('databaseUrl');
  copy('databaseSchema', 'schema');
  copy('poolSize');
  copy('duration', 'durationSeconds');
  copy('warmup', 'warmupSeconds');
  copy('rounds');
  copy('connections');
  copy('only');
  if (o['scaleSizes'] !== undefined) {
    out['scaleSizes'] = o['scaleSizes'];
    out['scale'] = true;
  }
  if (o['out'] !== undefined) out['outDir'] = resolve(String(o['out']));
  if (o['scale']) out['scale'] = true;
  if (o['cpuProf']) out['cpuProf'] = true;
  if (o['keep']) out['keep'] = true;
  return out;
}
