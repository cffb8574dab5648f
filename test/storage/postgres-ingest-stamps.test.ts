/**
 * PostgreSQL ingestion stamps (ingest-time-postgres.ts): a bulk write inserts its rows with the transaction's stamp
 * (the INSERT trigger does not run for them), a small write's rows are stamped by the trigger, an update that changes
 * a row gets the new transaction's stamp, and an older database's single trigger is replaced when the store opens.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL } from '../../src/model/model.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import { indicator, profile, writesOf } from './store-cases.js';

/** Makes the trigger function count its calls in tigraph_stamp_calls (its body otherwise unchanged). */
async function countTriggerCalls(store: PostgresStore): Promise<() => Promise<number>> {
  await store.pool.query('CREATE TABLE tigraph_stamp_calls (n INTEGER NOT NULL); INSERT INTO tigraph_stamp_calls VALUES (0)');
  const def = (await store.pool.query<{ d: string }>("SELECT pg_get_functiondef(p.oid) AS d FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'tigraph_stamp_added' AND n.nspname = current_schema()")).rows[0]!.d;
  assert.match(def, /\nBEGIN\n/);
  await store.pool.query(def.replace('\nBEGIN\n', '\nBEGIN\n  UPDATE tigraph_stamp_calls SET n = n + 1;\n'));
  return async () => (await store.pool.query<{ n: number }>('SELECT n FROM tigraph_stamp_calls')).rows[0]!.n;
}

const stampsOf = async (store: PostgresStore, table: string): Promise<number[]> =>
  (await store.pool.query<{ s: string }>(`SELECT DISTINCT tigraph_added::TEXT AS s FROM "${table}" ORDER BY 1`)).rows.map((r) => Number(r.s));
const clock = async (store: PostgresStore): Promise<number> => Number((await store.pool.query<{ v: string }>('SELECT "value"::TEXT AS v FROM tigraph_ingest_clock WHERE id = 1')).rows[0]!.v);
const many = (tag: string, last: string | null = null) => Array.from({ length: 100 }, (_, i) => indicator(`${tag}${i}`, `h${i}.${tag}.example`, '2024-01-01T00:00:00Z', last));

if (!TEST_DATABASE_URL) {
  console.warn(`\n!!! ${POSTGRES_SKIP_REASON}\n`);
  it('postgres ingestion stamps', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  describe('postgres ingestion stamps', () => {
    it('a bulk write: every row has the transaction stamp (the clock), and the INSERT trigger never ran', async () => {
      const store = await createTestPostgresStore();
      try {
        const calls = await countTriggerCalls(store);
        const before = await clock(store);
        await store.write(writesOf(profile('p1', many('a'))));
        const stamp = await clock(store);
        assert.ok(stamp > before, `clock ${before} → ${stamp}`);
        assert.deepEqual(await stampsOf(store, 'intelligence_profile_indicator'), [stamp]);
        assert.deepEqual(await stampsOf(store, 'artifact'), [stamp]);
        assert.equal(await calls(), 0);
      } finally {
        await store.close();
      }
    });

    it('a small write is stamped by the trigger; a bulk update that changes rows gives them the new stamp', async () => {
      const store = await createTestPostgresStore();
      try {
        const calls = await countTriggerCalls(store);
        await store.write(writesOf(profile('p1', [indicator('s1', 'small.example', '2024-01-01T00:00:00Z')])));
        const first = await clock(store);
        // 1 profile, 1 indicator, 1 artifact: three rows without a stamp, each through the trigger.
        assert.equal(await calls(), 3);
        assert.deepEqual(await stampsOf(store, 'intelligence_profile_indicator'), [first]);
        await store.write(writesOf(profile('p2', many('b'))), { merge: true });
        const second = await clock(store);
        await store.write(writesOf(profile('p2', many('b', '2024-06-01T00:00:00Z'))), { merge: true });
        const third = await clock(store);
        assert.ok(first < second && second < third, `${first} < ${second} < ${third}`);
        // The 100 updated indicators (last seen changed) carry the third stamp; the small write's keeps the first.
        assert.deepEqual(await stampsOf(store, 'intelligence_profile_indicator'), [first, third]);
      } finally {
        await store.close();
      }
    });

    it("an older database's single INSERT OR UPDATE trigger is replaced by the two when the store opens", async () => {
      const store = await createTestPostgresStore();
      try {
        await store.pool.query('DROP TRIGGER tg_artifact_added ON artifact; DROP TRIGGER tg_artifact_added_update ON artifact');
        await store.pool.query('CREATE TRIGGER tg_artifact_added BEFORE INSERT OR UPDATE ON artifact FOR EACH ROW EXECUTE FUNCTION tigraph_stamp_added()');
        const schema = (await store.pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
        const again = await PostgresStore.open(MODEL, { connectionString: TEST_DATABASE_URL!, schema, poolSize: 1 });
        try {
          const defs = (await again.pool.query<{ n: string; d: string }>("SELECT g.tgname AS n, pg_get_triggerdef(g.oid) AS d FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE c.relname = 'artifact' AND c.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal ORDER BY 1")).rows;
          assert.deepEqual(
            defs.map((r) => r.n),
            ['tg_artifact_added', 'tg_artifact_added_update'],
          );
          assert.match(defs[0]!.d, /BEFORE INSERT ON .*artifact FOR EACH ROW WHEN \(\(\(new\.tigraph_added IS NULL\) OR \(new\.tigraph_added = 0\)\)\) EXECUTE FUNCTION tigraph_stamp_added\(\)/);
          assert.match(defs[1]!.d, /BEFORE UPDATE ON .*artifact FOR EACH ROW EXECUTE FUNCTION tigraph_stamp_added\(\)/);
        } finally {
          await again.close();
        }
      } finally {
        await store.close();
      }
    });
  });
}
