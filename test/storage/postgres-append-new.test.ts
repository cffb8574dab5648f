/**
 * PostgreSQL appends the records of a bulk write marked `expectNew` (WriteRecord) by COPY into their table
 * (bulk-write-postgres.ts, appendNew): the rows and their stamp are the upsert path's, without its staging tables.
 * A marked key that is there after all (stored before, written by another process at the same time, or twice in
 * one write) is upserted as it would be without the mark, never an error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL } from '../../src/model/model.js';
import type { WriteRecord } from '../../src/model/records.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';
import { indicator, profile, writesOf } from './store-cases.js';

const skip = TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON;
if (skip) console.warn(`\n!!! ${POSTGRES_SKIP_REASON}\n`);

const PROFILE_TYPE = MODEL.entitySet('intelProfiles')!.entityType;
const HOSTNAME = MODEL.subtypesOf(MODEL.entitySet('intelligenceProfileIndicators')!.entityType.navigation('artifact')!.target).find((t) => t.name === 'hostname')!;

/** `n` indicators `${tag}0…` of hosts `h0.${tag}.example…`, seen from `first` to `last`. */
const many = (tag: string, n: number, first: string, last: string | null = null): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => indicator(`${tag}${i}`, `h${i}.${tag}.example`, first, last));

/** The writes with every indicator and artifact marked new (the profile is not). */
const marked = (writes: WriteRecord[]): WriteRecord[] => writes.map((w) => (w.record.type === PROFILE_TYPE ? w : { ...w, expectNew: true }));

const ms = (iso: string): number => Date.parse(iso);

async function indicatorRows(store: PostgresStore): Promise<{ id: string; artifact: string; first: number; last: number | null }[]> {
  const r = await store.pool.query(
    'SELECT id, artifact_id AS artifact, first_seen_date_time AS first, last_seen_date_time AS last FROM intelligence_profile_indicator ORDER BY id COLLATE "C"',
  );
  return r.rows;
}

describe('PostgreSQL appends keys marked new (WriteRecord.expectNew)', { skip }, () => {
  it('marked records go into their tables without a staging table; rows and the one stamp are those of the upsert path', async () => {
    const results = [];
    for (const mark of [true, false]) {
      // One pooled connection: the temporary tables listed below are that session's.
      const store = await createTestPostgresStore({ poolSize: 1 });
      try {
        const writes = writesOf(profile('p1', many('a', 100, '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z')));
        await store.write(mark ? marked(writes) : writes, { merge: true });
        const staging = (await store.pool.query("SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r' ORDER BY relname")).rows.map((r) => r.relname);
        const stamps = (
          await store.pool.query(
            'SELECT count(DISTINCT s)::int AS n, min(s) > 0 AS positive FROM (SELECT tigraph_added AS s FROM artifact UNION ALL SELECT tigraph_added FROM intelligence_profile_indicator UNION ALL SELECT tigraph_added FROM intelligence_profile) AS t',
          )
        ).rows[0];
        const rows = await indicatorRows(store);
        results.push({ staging, stamps, count: rows.length, first: rows[0], artifacts: (await store.pool.query('SELECT count(*)::int AS n FROM artifact')).rows[0].n });
      } finally {
        await store.close();
      }
    }
    const same = { stamps: { n: 1, positive: true }, count: 100, first: { id: 'a0', artifact: 'h0.a.example', first: ms('2024-01-02T00:00:00Z'), last: ms('2024-01-03T00:00:00Z') }, artifacts: 100 };
    assert.deepEqual(results, [
      { staging: ['tigraph_staging_intelligence_profile_write'], ...same },
      { staging: ['tigraph_staging_artifact_keep', 'tigraph_staging_intelligence_profile_indicator_write', 'tigraph_staging_intelligence_profile_write'], ...same },
    ]);
  });

  it('a marked key that is stored already is merged as without the mark: earliest first seen, latest last seen; a stored artifact keeps its properties', async () => {
    const store = await createTestPostgresStore();
    try {
      await store.write([{ record: { kind: 'record', type: HOSTNAME, values: { id: 'h0.b.example', registrant: 'Registrant Kept' }, navigations: {} } }]);
      await store.write(writesOf(profile('p1', many('b', 50, '2024-01-05T00:00:00Z', '2024-02-01T00:00:00Z'))), { merge: true });
      await store.write(marked(writesOf(profile('p1', many('b', 100, '2024-01-02T00:00:00Z', '2024-01-20T00:00:00Z')))), { merge: true });
      const rows = await indicatorRows(store);
      const byId = new Map(rows.map((r) => [r.id, r]));
      assert.equal(rows.length, 100);
      assert.deepEqual(byId.get('b0'), { id: 'b0', artifact: 'h0.b.example', first: ms('2024-01-02T00:00:00Z'), last: ms('2024-02-01T00:00:00Z') });
      assert.deepEqual(byId.get('b49'), { id: 'b49', artifact: 'h49.b.example', first: ms('2024-01-02T00:00:00Z'), last: ms('2024-02-01T00:00:00Z') });
      assert.deepEqual(byId.get('b50'), { id: 'b50', artifact: 'h50.b.example', first: ms('2024-01-02T00:00:00Z'), last: ms('2024-01-20T00:00:00Z') });
      const artifact = (await store.pool.query("SELECT registrant, (SELECT count(*)::int FROM artifact) AS n FROM artifact WHERE id = 'h0.b.example'")).rows[0];
      assert.deepEqual(artifact, { registrant: 'Registrant Kept', n: 100 });
    } finally {
      await store.close();
    }
  });

  it('two marked records of one write with the same key merge as without the mark', async () => {
    const store = await createTestPostgresStore();
    try {
      const writes = marked(writesOf(profile('p1', [...many('c', 70, '2024-03-01T00:00:00Z'), indicator('c5', 'h5.c.example', '2024-01-01T00:00:00Z', '2024-04-01T00:00:00Z')])));
      await store.write(writes, { merge: true });
      const rows = await indicatorRows(store);
      assert.equal(rows.length, 70);
      assert.deepEqual(
        rows.find((r) => r.id === 'c5'),
        { id: 'c5', artifact: 'h5.c.example', first: ms('2024-01-01T00:00:00Z'), last: ms('2024-04-01T00:00:00Z') },
      );
    } finally {
      await store.close();
    }
  });

  it('two processes appending the same new keys at once: both commit, each key is stored once, with the seen times of both', async () => {
    const schema = uniqueSchema();
    const [a, b] = await Promise.all([0, 1].map(() => PostgresStore.open(MODEL, { connectionString: TEST_DATABASE_URL!, schema, poolSize: 2 })));
    try {
      for (let round = 0; round < 3; round++) {
        const tag = `r${round}x`;
        await Promise.all([
          a!.write(marked(writesOf(profile('p1', many(tag, 200, '2024-01-10T00:00:00Z', '2024-01-11T00:00:00Z')))), { merge: true }),
          b!.write(marked(writesOf(profile('p1', many(tag, 200, '2024-01-05T00:00:00Z', '2024-01-31T00:00:00Z')))), { merge: true }),
        ]);
        const rows = (await indicatorRows(a!)).filter((r) => r.id.startsWith(tag));
        assert.equal(rows.length, 200, `round ${round}`);
        const times = new Set(rows.map((r) => `${r.first}/${r.last}`));
        assert.deepEqual([...times], [`${ms('2024-01-05T00:00:00Z')}/${ms('2024-01-31T00:00:00Z')}`], `round ${round}`);
      }
      assert.equal((await a!.pool.query('SELECT count(*)::int AS n FROM artifact')).rows[0].n, 600);
    } finally {
      await a!.dropSchema();
      await Promise.all([a!.close(), b!.close()]);
    }
  });
});
