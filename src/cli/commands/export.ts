/**
 * `tigraph export --format stix [--profile <id|title|alias>] [--output <file|->]`: the store of a data directory
 * (the SQLite file `tigraph serve` and `tigraph import` use) as a STIX 2.1 bundle, streamed (see
 * src/export/export-stix.ts). The bundle goes to stdout by default; a summary goes to stderr. A file output is
 * written to `<file>.partial` and renamed when complete, so an interrupted export never leaves a truncated
 * bundle under the requested name. Exit code 0 on success, 1 on errors (unknown profile, missing store…).
 */
import { Command, Option } from 'commander';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportStix, newExportSummary, ProfileNotFoundError, type StixExportSummary } from '../../export/export-stix.js';
import { MODEL } from '../../model/model.js';
import { openStore, SQLITE_FILE_NAME, StoreOpenError } from '../../storage/open-store.js';
import type { Store } from '../../storage/store.js';

export function formatExportSummary(s: StixExportSummary): string {
  const skipped = [...s.skipped].map(([reason, n]) => `\n  ${n} × ${reason}`).join('');
  const total = [...s.skipped.values()].reduce((a, b) => a + b, 0);
  return `exported ${s.profiles} profile${s.profiles === 1 ? '' : 's'}, ${s.indicators} indicator${s.indicators === 1 ? '' : 's'}, ${s.relationships} relationships, ${s.locations} locations, ${s.articles} articles (${s.articleIndicators} article indicators), ${s.vulnerabilities} vulnerabilities; indicators left out: ${total}${skipped}`;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Export the store (or one profile) as a STIX 2.1 bundle')
    .addOption(new Option('--format <format>', 'output format').choices(['stix']).default('stix'))
    .addOption(new Option('--data-dir <dir>', 'data directory (SQLite database)').env('TIGRAPH_DATA_DIR').default('./data'))
    .option('--profile <profile>', 'only this profile (id, title or alias) and its indicators')
    .option('--output <file>', "output file ('-' = stdout)", '-')
    .action(async (opts) => {
      const dataDir = resolve(opts.dataDir as string);
      const db = join(dataDir, SQLITE_FILE_NAME);
      if (!existsSync(db)) {
        process.stderr.write(`tigraph export: no store at ${db} (use --data-dir)\n`);
        process.exitCode = 1;
        return;
      }
      let store: Store;
      try {
        store = await openStore(MODEL, { dataDir });
      } catch (e) {
        if (!(e instanceof StoreOpenError)) throw e;
        process.stderr.write(`tigraph export: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      const summary = newExportSummary();
      const output = opts.output as string;
      try {
        const chunks = Readable.from(exportStix({ store, model: MODEL, ...(opts.profile !== undefined ? { profile: opts.profile as string } : {}) }, summary));
        if (output === '-') {
          await pipeline(chunks, process.stdout, { end: false });
        } else {
          const target = resolve(output);
          const partial = `${target}.partial`;
          try {
            await pipeline(chunks, createWriteStream(partial));
            await rename(partial, target);
          } catch (e) {
            await rm(partial, { force: true });
            throw e;
          }
        }
        process.stderr.write(`${formatExportSummary(summary)}\n`);
      } catch (e) {
        if (!(e instanceof ProfileNotFoundError)) throw e;
        process.stderr.write(`tigraph export: ${e.message}\n`);
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
