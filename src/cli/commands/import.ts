/**
 * `tigraph import <file|dir|->…`: imports STIX 2.1 bundles, MISP events/galaxies, Microsoft IOC CSVs and IOC
 * lists into the store of a data directory (the same SQLite file `tigraph serve` uses). See
 * src/import/run-import.ts for the semantics. Exit code 0 on success (rejected records are reported, not fatal),
 * 2 when --strict aborted the import or an input is missing or unreadable (one line on stderr, nothing
 * imported), 1 on other errors. The V8 heap grows less between full collections than node's default
 * (heap-growth.ts), for flat memory in large imports.
 */
import { Command, Option } from 'commander';
import { access, constants, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MODEL } from '../../model/model.js';
import { FORMATS } from '../../import/detect-format.js';
import { ImportStoreError, InputError, ioReason } from '../../import/import-errors.js';
import { spoolStdin } from '../../import/plan-inputs.js';
import { parseHostOption } from '../../import/readers/x509.js';
import { usageError } from '../usage-error.js';
import { DEFAULT_BATCH_SIZE, runImport, type ImportOptions, type ImportProgress } from '../../import/run-import.js';
import { formatSummary, placementLine } from '../format-import-summary.js';
import { limitHeapGrowth } from '../heap-growth.js';
import cliProgress from 'cli-progress';

const { SingleBar, Presets } = cliProgress;
import { SOURCES } from '../../import/types.js';
import { openStore, StoreOpenError } from '../../storage/open-store.js';
import type { Store } from '../../storage/store.js';

/**
 * Progress on stderr: a cli-progress bar on a terminal (bytes read of the inputs' total, records, rate and ETA),
 * else one plain line per finished input file (its indicators and where they went), for logs and CI.
 */
function progressReporter(tty: boolean): Pick<ImportOptions, 'onProgress' | 'onFileDone'> & { stop(): void } {
  if (!tty) {
    return {
      onFileDone: (f, i, n) => process.stderr.write(`tigraph import: ${f.path} (${i + 1}/${n}, ${f.format ?? 'unknown format'}): ${placementLine(f)}\n`),
      stop: () => {},
    };
  }
  const bar = new SingleBar(
    { format: '[{bar}] {percentage}% | {items} records | {rate} rec/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: false, etaBuffer: 50, fps: 5 },
    Presets.legacy,
  );
  let started = false;
  return {
    onProgress: (p: ImportProgress) => {
      const payload = { items: p.items, rate: Math.round(p.items / Math.max(p.elapsedMs / 1000, 0.001)) };
      if (!started) {
        bar.start(Math.max(p.totalBytes, 1), 0, payload);
        started = true;
      }
      bar.update(Math.min(p.bytes, Math.max(p.totalBytes, 1)), payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import threat intelligence: STIX 2.1 bundles, MISP events/galaxies, Microsoft IOC CSVs, IOC lists, CVE JSON 5 records, passive DNS (COF), RDAP, X.509 certificates')
    .argument('<inputs...>', "files or directories to import ('-' reads stdin)")
    .addOption(new Option('--format <format>', 'input format (default: detected per file)').choices([...FORMATS]))
    .addOption(new Option('--data-dir <dir>', 'data directory (SQLite database)').env('TIGRAPH_DATA_DIR').default('./data'))
    .addOption(new Option('--database-url <url>', 'import into PostgreSQL (postgres://…) instead of the SQLite store').env('TIGRAPH_DATABASE_URL'))
    .addOption(new Option('--database-schema <name>', 'PostgreSQL schema of the tigraph tables').env('TIGRAPH_DATABASE_SCHEMA'))
    .addOption(new Option('--source <source>', "indicator source (default: from the input; 'osint' when it says nothing)").choices([...SOURCES]))
    .option('--profile <name>', 'attach every indicator to this profile (matched by id, title or alias, or created)')
    .option('--host <host[:port]>', 'X.509 certificates: the host (and port) that served them, recorded as an observation of each certificate there')
    .option('--strict', 'abort without writing anything when any record is rejected', false)
    .option('--batch-size <n>', 'indicators per batch, at most: fewer once they hold 8 MiB of text (long values); a batch commits whole, in one transaction', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error('--batch-size must be an integer from 1 to 100000');
      return n;
    }, DEFAULT_BATCH_SIZE)
    .addOption(
      new Option('--defer-indexes <when>', 'build secondary indexes after the load: auto (a large import into an empty store), always, never')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .addOption(
      new Option('--stage <when>', 'in a load that defers its indexes, stage the batches and merge them into the store in key order (SQLite): auto (into a store of 500,000 indicators or more, or from an input of 500 MB or more), always, never')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .action(async (inputs: string[], opts) => {
      // Options that cannot work stop the import before anything is read (exit 2, the message alone).
      if (opts.profile !== undefined && String(opts.profile).trim() === '') usageError('--profile needs a name');
      if (opts.host !== undefined) {
        const host = parseHostOption(String(opts.host));
        if (!host.ok) usageError(host.reason);
      }
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
        let why: string | undefined;
        try {
          await access(paths[i]!, constants.R_OK);
          const s = await stat(paths[i]!);
          // A FIFO or a device would be read twice (two-pass readers) or never end (/dev/zero): '-' reads a stream.
          if (!s.isFile() && !s.isDirectory()) why = "not a regular file or directory (use '-' to read a stream from stdin)";
        } catch (e) {
          why = ioReason(e);
        }
        if (why) {
          process.stderr.write(`tigraph import: ${input}: ${why}\n`);
          for (const f of spooled) await rm(dirname(f), { recursive: true, force: true });
          process.exitCode = 2;
          return;
        }
      }
      // Before the store opens: its writer thread's heap follows the setting too.
      limitHeapGrowth();
      let store: Store;
      try {
        store = await openStore(MODEL, { databaseUrl: opts.databaseUrl, databaseSchema: opts.databaseSchema, poolSize: 2, inMemory: false, dataDir: resolve(opts.dataDir as string), sqliteWriterThread: true, postgresWritesInFlight: 2 });
      } catch (e) {
        if (!(e instanceof StoreOpenError)) throw e;
        process.stderr.write(`tigraph import: ${e.message}\n`);
        for (const f of spooled) await rm(dirname(f), { recursive: true, force: true });
        process.exitCode = 1;
        return;
      }
      const progress = progressReporter(process.stderr.isTTY === true);
      try {
        const summary = await runImport({
          store,
          model: MODEL,
          inputs: paths,
          format: opts.format,
          source: opts.source,
          profile: opts.profile,
          ...(opts.host !== undefined ? { host: opts.host as string } : {}),
          strict: opts.strict,
          batchSize: opts.batchSize,
          deferIndexes: opts.deferIndexes,
          stage: opts.stage,
          displayNames,
          ...progress,
        });
        progress.stop();
        process.stdout.write(`${formatSummary(summary)}\n`);
        // --strict aborted, or --profile named a profile that cannot be (nothing was imported under it).
        if (summary.aborted || summary.failures.has('profileInvalid')) process.exitCode = 2;
      } catch (e) {
        if (!(e instanceof InputError || e instanceof ImportStoreError)) throw e;
        progress.stop();
        process.stderr.write(`tigraph import: ${e.message}\n`);
        process.exitCode = e instanceof InputError ? 2 : 1;
      } finally {
        await store.close();
        for (const f of spooled) await rm(dirname(f), { recursive: true, force: true });
      }
    });
}
