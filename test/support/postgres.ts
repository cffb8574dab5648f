/**
 * PostgreSQL for tests: TIGRAPH_TEST_DATABASE_URL names the server (CI sets it; .ci/run starts PostgreSQL).
 * Each store gets its own schema, dropped when the store is closed.
 */
import { randomBytes } from 'node:crypto';
import { MODEL } from '../../src/model/model.js';
import { PostgresStore, type PostgresStoreOptions } from '../../src/storage/postgres/postgres-store.js';

export const TEST_DATABASE_URL = process.env['TIGRAPH_TEST_DATABASE_URL'];

export const POSTGRES_SKIP_REASON =
  'PostgreSQL suite skipped: TIGRAPH_TEST_DATABASE_URL is not set. To run it: TIGRAPH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test';

export const uniqueSchema = (): string => `tigraph_t_${randomBytes(6).toString('hex')}`;

export async function createTestPostgresStore(options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
  if (!TEST_DATABASE_URL) throw new Error(POSTGRES_SKIP_REASON);
  const store = await PostgresStore.open(MODEL, { connectionString: TEST_DATABASE_URL, schema: uniqueSchema(), poolSize: 4, ...options });
  const close = store.close.bind(store);
  store.close = async () => {
    await store.dropSchema().catch(() => {});
    await close();
  };
  return store;
}
