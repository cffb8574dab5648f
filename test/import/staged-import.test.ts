/**
 * A bulk load into a store that holds indicators stages its batches (write-batch.ts "Staged", run-import.ts): it
 * ends in exactly the state and the counts of the same load unstaged, orphans adopted and repeats merged across
 * batches included; a staged write is only posted into a non-empty store; and a CLI import killed before its merge
 * leaves the store as it was, and running it again completes it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { importInto } from './helpers.js';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-staged-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const CSV_HEADER = 'DateAdded,FirstSeen,IoC,Type,TLP,Release,Category,MalwareFamily,SHA1,MD5,Filename,C2Domain';
const csv = (hosts: string[], day: number): string => [CSV_HEADER, ...hosts.map((h) => `5/27/2021,5/${day}/2021,${h},Domain,WHITE,May21,C2,,,,,`), ''].join('\r\n');
const hosts = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}.staged.example`);

/** Every indicator row as (id, profile, artifact, first seen, last seen, source). */
const snapshot = (db: Database.Database): unknown[] =>
  db.prepare('SELECT "id", "intelligence_profile_id", "artifact_id", "first_seen_date_time", "last_seen_date_time", "source" FROM "intelligence_profile_indicator" ORDER BY "id"').raw().all();

describe('staged bulk loads', () => {
  it('into a store holding indicators: the same rows and counts as unstaged, with orphans adopted and kept out and repeats across batches', async () => {
    const base = join(tmp, 'apt_basegroup.txt');
    await writeFile(base, hosts('base', 10).join('\n') + '\n');
    // Orphans (no profile), then a profile listing them (adopted) twice over with new ones, then orphans again
    // (kept out: a profile lists them); batches of 4 spread every repeat over batches.
    const orphans = join(tmp, 'orphans.csv');
    await writeFile(orphans, csv([...hosts('h', 12), 'h-0.staged.example'], 20));
    const group = join(tmp, 'apt_stagedgroup.txt');
    // Its last batch (z-*) is still staged when the next file's orphans of those hosts are looked up.
    await writeFile(group, [...hosts('h', 12), ...hosts('n', 8), ...hosts('h', 12), ...hosts('z', 4)].join('\n') + '\n');
    const late = join(tmp, 'late.csv');
    await writeFile(late, csv([...hosts('h', 6), ...hosts('z', 4)], 10));
    const seen = [];
    for (const stage of [true, false]) {
      const store = new SqliteStore(MODEL, { filename: join(tmp, `grow-${stage}.db`), writerThread: true });
      try {
        await importInto(store, [base]);
        const s = await importInto(store, [orphans, group, late], { deferIndexes: 'always', batchSize: 4, ...(stage ? {} : { stage: 'never' as const }) });
        seen.push({
          staged: store.stagedWrites > 0,
          indicators: s.indicators,
          mergedInBatch: s.mergedInBatch,
          orphansAdopted: s.orphansAdopted,
          keptUnderProfile: s.keptUnderProfile,
          rows: snapshot(store.db),
        });
      } finally {
        await store.close();
      }
    }
    const [staged, unstaged] = seen;
    assert.deepEqual(
      { ...staged!, rows: staged!.rows.length },
      { staged: true, indicators: { created: 36, updated: 0, unchanged: 0, withoutProfile: 12 }, mergedInBatch: 13, orphansAdopted: 12, keptUnderProfile: 10, rows: 34 },
    );
    assert.deepEqual({ ...unstaged!, staged: true }, staged);
    assert.equal(unstaged!.staged, false);
  });

  it("into an empty store the batches are written as they come (not staged) unless stage is 'always'", async () => {
    const file = join(tmp, 'apt_emptygroup.txt');
    await writeFile(file, hosts('e', 20).join('\n') + '\n');
    const seen = [];
    for (const stage of ['auto', 'always'] as const) {
      const store = new SqliteStore(MODEL, { filename: join(tmp, `empty-${stage}.db`), writerThread: true });
      try {
        const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 4, stage });
        seen.push([stage, s.indicators.created, store.stagedWrites, snapshot(store.db).length]);
      } finally {
        await store.close();
      }
    }
    // 20 indicators in batches of 4: 5 writes, staged only with 'always'.
    assert.deepEqual(seen, [
      ['auto', 20, 0, 20],
      ['always', 20, 5, 20],
    ]);
  });

  it('tigraph import --stage takes auto, always or never: anything else is one error line and exit code 1', async () => {
    const r = await cli(['import', join(tmp, 'apt_emptygroup.txt'), '--data-dir', join(tmp, 'bad-stage'), '--stage', 'sometimes'], () => false);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n')[0], "error: option '--stage <when>' argument 'sometimes' is invalid. Allowed choices are auto, always, never.");
  });

  it('a CLI import killed before it merged leaves the store as it was; running it again completes it', async () => {
    const dataDir = join(tmp, 'killed');
    const base = join(tmp, 'apt_killbase.txt');
    await writeFile(base, hosts('kb', 5).join('\n') + '\n');
    // Two files: the kill comes when the first is done (its line on stderr), while the second is read.
    const first = join(tmp, 'apt_killone.txt');
    await writeFile(first, hosts('k1', 3000).join('\n') + '\n');
    const second = join(tmp, 'apt_killtwo.txt');
    await writeFile(second, hosts('k2', 200_000).join('\n') + '\n');
    const args = ['import', first, second, '--data-dir', dataDir, '--defer-indexes', 'always', '--batch-size', '500'];
    const count = (): number => {
      const db = new Database(join(dataDir, 'tigraph.db'), { readonly: true });
      try {
        return Number(db.prepare('SELECT count(*) FROM "intelligence_profile_indicator"').pluck().get());
      } finally {
        db.close();
      }
    };
    assert.equal((await cli(['import', base, '--data-dir', dataDir], () => false)).code, 0);
    assert.equal(count(), 5);
    const killed = await cli(args, (stderr) => /apt_killone\.txt \(1\/2/.test(stderr));
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    assert.equal(count(), 5, 'none of the staged batches is in the store');
    const rerun = await cli(args, () => false);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(count(), 5 + 3000 + 200_000);
    assert.match(rerun.stdout, /indicators: 203000 created, 0 updated, 0 unchanged/);
  });
});

/** Runs the CLI; kills it (SIGKILL) as soon as its stderr so far satisfies `killWhen`. */
function cli(args: string[], killWhen: (stderr: string) => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve('bin/tigraph.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen(stderr)) child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}
