/**
 * PostgreSQL index builds after a bulk load (PostgresStore.buildIndexes): every derived index exists after a deferred
 * import, and a failing group of CREATE INDEX statements fails the build while the other groups' indexes stay.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MODEL } from '../../src/model/model.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import type { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import type { Statement } from '../../src/storage/sql/sql-dialect.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import { counts, importInto } from '../import/helpers.js';

const derived = deriveSchema(MODEL)
  .tables.filter((t) => t.name === 'intelligence_profile_indicator' || t.name === 'artifact')
  .flatMap((t) => t.indexes.map((i) => i.name))
  .sort();
const present = async (store: PostgresStore): Promise<string[]> =>
  (await store.pool.query<{ n: string }>("SELECT indexname AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_%' AND tablename IN ('intelligence_profile_indicator', 'artifact') ORDER BY indexname")).rows.map((r) => r.n);
const buildIndexes = (store: PostgresStore, statements: Statement[]): Promise<void> =>
  (store as unknown as { buildIndexes(s: Statement[]): Promise<void> }).buildIndexes(statements);

if (!TEST_DATABASE_URL) {
  console.warn(`\n!!! ${POSTGRES_SKIP_REASON}\n`);
  it('postgres index builds', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  describe('postgres index build after a bulk load', () => {
    let tmp: string;
    before(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'tigraph-pg-index-build-'));
    });
    after(() => rm(tmp, { recursive: true, force: true }));

    it('a deferred import ends with every derived index of the indicator and artifact tables', async () => {
      const file = join(tmp, 'pgdeferfamily.txt');
      await writeFile(file, Array.from({ length: 1500 }, (_, i) => `p${i}.pgdefer.example`).join('\n'));
      const store = await createTestPostgresStore({ poolSize: 4 });
      try {
        const s = await importInto(store, [file], { deferIndexes: 'always', batchSize: 500 });
        assert.deepEqual(s.indicators, { created: 1500, updated: 0, unchanged: 0, withoutProfile: 0 });
        assert.deepEqual(await present(store), derived);
        assert.deepEqual(await counts(store), { profiles: 1, indicators: 1500 });
      } finally {
        await store.close();
      }
    });

    const oneCore = availableParallelism() < 2 ? 'one core: the build uses one connection, so there is no second group to commit' : false;
    it('a failing group fails the build; the other groups commit their indexes', { skip: oneCore }, async () => {
      const store = await createTestPostgresStore({ poolSize: 2 });
      try {
        await store.pool.query('CREATE TABLE tigraph_build_probe (a INTEGER, b INTEGER)');
        // Two groups: [probe_a, broken] and [probe_b]; the broken statement rolls back its own group only.
        const statements = ['CREATE INDEX probe_a ON tigraph_build_probe (a)', 'CREATE INDEX probe_b ON tigraph_build_probe (b)', 'CREATE INDEX broken ON tigraph_build_probe (no_such_column)'].map((sql) => ({ sql, parameters: [] }));
        await assert.rejects(buildIndexes(store, statements), /no_such_column/);
        const made = (await store.pool.query<{ n: string }>("SELECT indexname AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'tigraph_build_probe' ORDER BY indexname")).rows.map((r) => r.n);
        assert.deepEqual(made, ['probe_b']);
      } finally {
        await store.close();
      }
    });
  });
}
