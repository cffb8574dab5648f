import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../src/model/model.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';
import { indicator, planFor, profile, runStoreCases, writesOf } from './store-cases.js';
import { ODataError } from '../../src/errors/odata-error.js';

if (!TEST_DATABASE_URL) {
  console.warn(`\n!!! ${POSTGRES_SKIP_REASON}\n`);
  it('postgres store cases', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  const DB: string = TEST_DATABASE_URL;
  runStoreCases({ name: 'postgres', create: () => createTestPostgresStore() });

  describe('postgres specifics', () => {
    it('several processes migrating at once apply the schema exactly once (advisory lock)', async () => {
      const schema = uniqueSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(MODEL, { connectionString: DB, schema, poolSize: 2 })));
      try {
        const rows = (await stores[0]!.pool.query('SELECT version FROM tigraph_migrations')).rows;
        assert.deepEqual(rows, [{ version: 1 }]);
      } finally {
        await stores[0]!.dropSchema();
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('a bulk write rolled back on a fresh connection leaves no stale staging table behind: the next one on it commits', async () => {
      // poolSize 1: both writes use the same session. The first is the one that creates the staging tables, and
      // fails after that (a null first seen), so its CREATE TEMP TABLE is rolled back with it.
      const store = await createTestPostgresStore({ poolSize: 1 });
      try {
        const many = (tag: string) => Array.from({ length: 100 }, (_, i) => indicator(`${tag}${i}`, `h${i}.${tag}.example`, '2024-01-01T00:00:00Z'));
        const good = writesOf(profile('p1', many('a')));
        const bad = { ...good.at(-1)!, record: { ...good.at(-1)!.record, values: { ...good.at(-1)!.record.values, firstSeenDateTime: null } } };
        await assert.rejects(store.write([...good.slice(0, -1), bad]));
        await store.write(writesOf(profile('p2', many('b'))));
        await store.write(writesOf(profile('p3', many('c'))));
        const count = (await store.pool.query('SELECT count(*)::int AS n FROM intelligence_profile_indicator')).rows[0];
        assert.deepEqual(count, { n: 200 });
      } finally {
        await store.close();
      }
    });

    it('a bulk write (COPY) keeps backslashes, tabs, newlines and carriage returns in values exactly', async () => {
      const store = await createTestPostgresStore();
      try {
        const hostname = MODEL.subtypesOf(MODEL.entitySet('intelligenceProfileIndicators')!.entityType.navigation('artifact')!.target).find((t) => t.name === 'hostname')!;
        const registrants = Array.from({ length: 80 }, (_, i) => ['plain', 'back\\slash', 'tab\there', 'line\nbreak', 'cr\rhere', '\\N', 'all\\\t\n\r'][i % 7]! + i);
        await store.write(registrants.map((registrant, i) => ({ record: { kind: 'record', type: hostname, values: { id: `h${i}.copy.example`, registrant }, navigations: {} } })));
        const rows = (await store.pool.query('SELECT registrant FROM artifact ORDER BY (substring(id from 2 for position(\'.\' in id) - 2))::int')).rows.map((r: { registrant: string }) => r.registrant);
        assert.deepEqual(rows, registrants);
      } finally {
        await store.close();
      }
    });

    it("every pooled connection hears 'error' itself: a checked-out one that the server terminates between statements does not end the process", async () => {
      const store = await createTestPostgresStore({ poolSize: 1 });
      try {
        const client = await store.pool.connect();
        try {
          // Checked out, no query running, no listener of the caller: pg-pool's idle listener is gone.
          assert.equal(client.listenerCount('error'), 1);
          const pid = (client as unknown as { processID: number }).processID;
          const admin = await PostgresStore.open(MODEL, { connectionString: DB, schema: uniqueSchema(), poolSize: 1 });
          try {
            assert.deepEqual((await admin.pool.query('SELECT pg_terminate_backend($1) AS t', [pid])).rows, [{ t: true }]);
          } finally {
            await admin.dropSchema();
            await admin.close();
          }
          // The FATAL message arrives on a client with no query: without the listener this 'error' would be unhandled.
          await new Promise((r) => setTimeout(r, 300));
        } finally {
          client.release(true);
        }
        assert.equal((await store.health()).ok, true, 'the pool opens a new connection');
      } finally {
        await store.close();
      }
    });

    it("a statement past PostgreSQL's statement_timeout is 504 GatewayTimeout saying so, not 'database unreachable'", async () => {
      const store = await createTestPostgresStore({ statementTimeoutMs: 200 });
      try {
        const many = Array.from({ length: 3000 }, (_, i) => indicator(`t${i}`, `h${i}.timeout.example`, '2024-01-01T00:00:00Z'));
        await store.write(writesOf(profile('p1', many)));
        const plan = planFor('intelProfiles', '$filter=indicators/any(a: indicators/any(b: contains(b/artifact/id, a/artifact/id) and b/id ne a/id))');
        // No request deadline: only the database's own timeout ends it.
        await assert.rejects(store.findMany(plan.query), (e: unknown) => {
          assert.ok(e instanceof ODataError);
          assert.deepEqual(
            [e.status, e.code, e.message],
            [504, 'GatewayTimeout', "The query ran longer than the database's statement timeout (200 ms) and was cancelled; narrow $filter or $search, or page with a smaller $top."],
          );
          return true;
        });
        assert.equal((await store.health()).ok, true, 'the connection is fine afterwards');
      } finally {
        await store.close();
      }
    });

    it('an unreachable server is a Graph 503 ServiceUnavailable with Retry-After, not a crash', async () => {
      const url = new URL(DB);
      url.port = '1';
      await assert.rejects(PostgresStore.open(MODEL, { connectionString: url.toString(), schema: uniqueSchema(), connectTimeoutMs: 1000 }));
      const store = await createTestPostgresStore();
      try {
        // Terminate every connection of the pool from outside, as a server restart would.
        await store.pool.query('SELECT 1');
        const admin = await PostgresStore.open(MODEL, { connectionString: DB, schema: uniqueSchema(), poolSize: 1 });
        await admin.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND application_name = '' AND datname = current_database() AND query NOT ILIKE '%pg_stat_activity%' AND backend_type = 'client backend' AND pid IN (SELECT pid FROM pg_stat_activity WHERE query = 'SELECT 1')");
        await admin.dropSchema();
        await admin.close();
        const health = await store.health();
        assert.equal(typeof health.ok, 'boolean');
        // The pool recovers by itself: a later query succeeds.
        let ok = false;
        for (let i = 0; i < 20 && !ok; i++) ok = (await store.health()).ok;
        assert.ok(ok, 'recovered without a restart');
      } finally {
        await store.close();
      }
    });
  });
}
