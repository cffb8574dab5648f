/**
 * A bulk load into a large store stages its batches (write-batch.ts "Staged", run-import.ts, bulk-load.ts
 * shouldStage): it ends in exactly the state and the counts of the same load unstaged, orphans adopted and repeats
 * merged across batches included; 'auto' stages from STAGE_MIN_STORED stored indicators; PostgreSQL never stages;
 * and a CLI import killed before its merge leaves the store as it was, and running it again completes it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ImportStoreError } from '../../src/import/import-errors.js';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { importInto } from './helpers.js';
import { shouldStage, STAGE_MIN_STORED } from '../../src/import/bulk-load.js';
import type { Store } from '../../src/storage/store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';

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
  it('staged: the same rows and counts as unstaged, with orphans adopted and kept out and repeats across batches', async () => {
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
      seen.push(
        await onFile(`grow-${stage}.db`, async (store) => {
          await importInto(store, [base]);
          const s = await importInto(store, [orphans, group, late], { deferIndexes: 'always', batchSize: 4, stage: stage ? 'always' : 'never' });
          return {
            staged: store.stagedWrites > 0,
            indicators: s.indicators,
            mergedInBatch: s.mergedInBatch,
            orphansAdopted: s.orphansAdopted,
            keptUnderProfile: s.keptUnderProfile,
            rows: snapshot(store.db),
          };
        }),
      );
    }
    const [staged, unstaged] = seen;
    assert.deepEqual(
      { ...staged!, rows: staged!.rows.length },
      { staged: true, indicators: { created: 36, updated: 0, unchanged: 0, withoutProfile: 12 }, mergedInBatch: 13, orphansAdopted: 12, keptUnderProfile: 10, rows: 34 },
    );
    assert.deepEqual({ ...unstaged!, staged: true }, staged);
    assert.equal(unstaged!.staged, false);
  });

  it('a batch that fails at the merge is left out alone, as it fails alone unstaged: the others are kept, the run ends with the error, the indexes are built again', async () => {
    const base = join(tmp, 'apt_failbase.txt');
    await writeFile(base, hosts('fb', 10).join('\n') + '\n');
    const group = join(tmp, 'apt_failgroup.txt');
    await writeFile(group, hosts('f', 20).join('\n') + '\n');
    const seen = [];
    for (const stage of ['always', 'never'] as const) {
      seen.push(
        await onFile(`fail-${stage}.db`, async (store) => {
          await importInto(store, [base]);
          const indexes = (): number => Number(store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'intelligence_profile_indicator'`).pluck().get());
          const before = indexes();
          // One host the table refuses: its batch of 4 fails.
          store.db.exec(`CREATE TRIGGER "test_boom" BEFORE INSERT ON "intelligence_profile_indicator" WHEN NEW."artifact_id" = 'f-13.staged.example' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
          const error = await importInto(store, [group], { deferIndexes: 'always', batchSize: 4, stage }).then(
            () => 'none',
            // The run stops with ImportStoreError; its cause is the store's own error.
            (e: Error) => (e instanceof ImportStoreError ? (e.cause as Error).message : `not an ImportStoreError: ${e.message}`),
          );
          const kept = Number(store.db.prepare(`SELECT count(*) FROM "intelligence_profile_indicator" WHERE "artifact_id" LIKE 'f-%'`).pluck().get());
          return { stage, error, kept, indexesRebuilt: indexes() === before };
        }),
      );
    }
    assert.deepEqual(seen, [
      { stage: 'always', error: '1 staged write failed when merged, and its rows were left out: boom', kept: 16, indexesRebuilt: true },
      { stage: 'never', error: 'boom', kept: 16, indexesRebuilt: true },
    ]);
  });

  it("an entity's lookups see what the run's batches staged: a host's properties from STIX survive its RDAP record", async () => {
    const base = join(tmp, 'apt_entitybase.txt');
    await writeFile(base, hosts('eb', 2).join('\n') + '\n');
    const T = '2021-01-01T00:00:00.000Z';
    const bundle = join(tmp, 'entity-bundle.json');
    await writeFile(
      bundle,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--6f5b2a7e-2f0b-4a55-9c3e-000000000001',
        objects: [
          {
            type: 'indicator', spec_version: '2.1', id: 'indicator--6f5b2a7e-2f0b-4a55-9c3e-000000000002', created: T, modified: T,
            pattern: "[domain-name:value = 'rdap-host.staged.example']", pattern_type: 'stix', valid_from: T,
            x_tigraph_artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'rdap-host.staged.example', registrar: 'Example Registrar Inc.', registrant: 'Someone' },
          },
        ],
      }),
    );
    const rdap = join(tmp, 'entity-rdap.json');
    await writeFile(rdap, JSON.stringify({ objectClassName: 'domain', ldhName: 'rdap-host.staged.example', events: [{ eventAction: 'registration', eventDate: '2020-01-01T00:00:00Z' }] }));
    const seen = [];
    for (const stage of ['always', 'never'] as const) {
      seen.push(
        await onFile(`entity-${stage}.db`, async (store) => {
          await importInto(store, [base]);
          const s = await importInto(store, [bundle, rdap], { deferIndexes: 'always', stage });
          const host = store.db.prepare(`SELECT "registrar", "registrant", "whois_id" FROM "artifact" WHERE "id" = 'rdap-host.staged.example'`).get();
          return { staged: store.stagedWrites > 0, hostname: s.entities.get('hostname'), host };
        }),
      );
    }
    const expected = { hostname: { created: 0, updated: 1, unchanged: 0 }, host: { registrar: 'Example Registrar Inc.', registrant: 'Someone', whois_id: 'whois-rdap-host.staged.example' } };
    assert.deepEqual(seen, [
      { staged: true, ...expected },
      { staged: false, ...expected },
    ]);
  });

  it("'auto' stages into a store of 500,000 indicators or more, or an input of 500 MB or more (~1 KB an indicator); 'always' any, 'never' none", async () => {
    assert.equal(STAGE_MIN_STORED, 500_000);
    assert.deepEqual(
      [
        shouldStage('auto', 0, 0),
        shouldStage('auto', 499_999, 0),
        shouldStage('auto', 500_000, 0),
        shouldStage('auto', 0, 499_999_000),
        shouldStage('auto', 0, 500_000_000),
        shouldStage('auto', 499_999, 499_999_000),
        shouldStage('always', 0, 0),
        shouldStage('never', 10_000_000, 10_000_000_000),
      ],
      [false, false, true, false, true, false, true, false],
    );
    const file = join(tmp, 'apt_emptygroup.txt');
    await writeFile(file, hosts('e', 20).join('\n') + '\n');
    const seen = [];
    for (const stage of ['auto', 'always'] as const) {
      seen.push(
        await onFile(`empty-${stage}.db`, async (store) => {
          const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 4, stage });
          return [stage, s.indicators.created, store.stagedWrites, snapshot(store.db).length];
        }),
      );
    }
    // 20 indicators in batches of 4: 5 writes, staged only with 'always' (the store is far below 500,000).
    assert.deepEqual(seen, [
      ['auto', 20, 0, 20],
      ['always', 20, 5, 20],
    ]);
  });

  it('PostgreSQL writes at once (stagesWrites false): --stage always changes nothing there, while SQLite stages', async (t) => {
    // Each host twice, 8 lines apart: with batches of 4, a re-import finds every first occurrence unchanged and every
    // second one a repeat. Unstaged, a repeat whose row is unchanged is not written (no batch at all); staged, it is.
    const file = join(tmp, 'apt_twicegroup.txt');
    await writeFile(file, [...hosts('t', 8), ...hosts('t', 8)].join('\n') + '\n');
    const reimport = async (store: Store): Promise<unknown> => {
      await importInto(store, [file], { batchSize: 4 });
      const s = await importInto(store, [file], { batchSize: 4, deferIndexes: 'always', stage: 'always' });
      return { stagesWrites: store.stagesWrites, unchanged: s.indicators.unchanged, merged: s.mergedInBatch, batches: s.batches };
    };
    assert.deepEqual(await onFile('twice.db', reimport), { stagesWrites: true, unchanged: 8, merged: 8, batches: 2 });
    if (!TEST_DATABASE_URL) return t.skip(POSTGRES_SKIP_REASON);
    const pg = await createTestPostgresStore();
    try {
      assert.deepEqual(await reimport(pg), { stagesWrites: false, unchanged: 8, merged: 8, batches: 0 });
    } finally {
      await pg.close();
    }
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
    const args = ['import', first, second, '--data-dir', dataDir, '--defer-indexes', 'always', '--stage', 'always', '--batch-size', '500'];
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

/** Runs `body` on a SQLite store with a writer thread (as the CLI import opens it) on a new file `name`, then closes it. */
async function onFile<T>(name: string, body: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(MODEL, { filename: join(tmp, name), writerThread: true });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

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
