/**
 * `tigraph import <file|dir|->…`: imports STIX 2.1 bundles, MISP events/galaxies, Microsoft IOC CSVs and IOC
 * lists into the store of a data directory (the same SQLite file `tigraph serve` uses). See
 * src/import/run-import.ts for the semantics. Exit code 0 on success (rejected records are reported, not fatal),
 * 2 when --strict aborted the import or an input is missing or unreadable (one line on stderr, nothing
 * imported), 1 on other errors.
 */
import { Command, Option } from 'commander';
import { access, constants, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MODEL } from '../../model/model.js';
import { FORMATS } from '../../import/detect-format.js';
import { spoolStdin } from '../../import/plan-inputs.js';
import { DEFAULT_BATCH_SIZE, runImport, type ImportProgress } from '../../import/run-import.js';
import { formatSummary } from '../format-import-summary.js';
import { SOURCES } from '../../import/types.js';
import { openStore } from '../../storage/open-store.js';

function renderProgress(p: ImportProgress): string {
  const s = Math.max(p.elapsedMs / 1000, 0.001);
  const rate = p.items / s;
  const frac = p.totalBytes ? Math.min(p.bytes / p.totalBytes, 1) : 0;
  const eta = frac > 0 && frac < 1 ? (s / frac) * (1 - frac) : 0;
  const width = 24;
  const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
  return `\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.items} records  ${Math.round(rate)} rec/s  ETA ${eta.toFixed(0)} s `;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import threat intelligence: STIX 2.1 bundles, MISP events/galaxies, Microsoft IOC CSVs, IOC lists')
    .argument('<inputs...>', "files or directories to import ('-' reads stdin)")
    .addOption(new Option('--format <format>', 'input format (default: detected per file)').choices([...FORMATS]))
    .addOption(new Option('--data-dir <dir>', 'data directory (SQLite database)').env('TIGRAPH_DATA_DIR').default('./data'))
    .addOption(new Option('--database-url <url>', 'import into PostgreSQL (postgres://…) instead of the SQLite store').env('TIGRAPH_DATABASE_URL'))
    .addOption(new Option('--database-schema <name>', 'PostgreSQL schema of the tigraph tables').env('TIGRAPH_DATABASE_SCHEMA'))
    .addOption(new Option('--source <source>', "indicator source (default: from the input; 'osint' when it says nothing)").choices([...SOURCES]))
    .option('--profile <name>', 'attach every indicator to this profile (matched by id, title or alias, or created)')
    .option('--strict', 'abort without writing anything when any record is rejected', false)
    .option('--batch-size <n>', 'indicators per transaction', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error('--batch-size must be an integer from 1 to 100000');
      return n;
    }, DEFAULT_BATCH_SIZE)
    .action(async (inputs: string[], opts) => {
      const displayNames = new Map<string, string>();
      const paths: string[] = [];
      const spooled: string[] = [];
      for (const input of inputs) {
        if (input === '-') {
          const file = await spoolStdin();
          spooled.push(file);
          displayNames.set(file, '-');
          paths.push(file);
        } else paths.push(resolve(input));
      }
      for (const [i, input] of inputs.entries()) {
        if (input === '-') continue;
        try {
          await access(paths[i]!, constants.R_OK);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
          process.stderr.write(`tigraph import: ${input}: ${why}\n`);
          for (const f of spooled) await rm(dirname(f), { recursive: true, force: true });
          process.exitCode = 2;
          return;
        }
      }
      const store = await openStore(MODEL, { databaseUrl: opts.databaseUrl, databaseSchema: opts.databaseSchema, poolSize: 2, inMemory: false, dataDir: resolve(opts.dataDir as string) });
      const tty = process.stderr.isTTY === true;
      try {
        const summary = await runImport({
          store,
          model: MODEL,
          inputs: paths,
          format: opts.format,
          source: opts.source,
          profile: opts.profile,
          strict: opts.strict,
          batchSize: opts.batchSize,
          displayNames,
          ...(tty ? { onProgress: (p: ImportProgress) => process.stderr.write(renderProgress(p)) } : {}),
        });
        if (tty) process.stderr.write('\n');
        process.stdout.write(`${formatSummary(summary)}\n`);
        if (summary.aborted) process.exitCode = 2;
      } finally {
        await store.close();
        for (const f of spooled) await rm(dirname(f), { recursive: true, force: true });
      }
    });
}
