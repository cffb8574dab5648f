/**
 * The benchmark dataset on PostgreSQL: the same deterministic records as generate-data.ts (generateRecords), into
 * a fresh schema created by the real store (PostgresStore.open runs the migrations), then loaded through the
 * store's own bulk path — store.write() with large batches, i.e. COPY into a staging table and one
 * INSERT … SELECT … ON CONFLICT merge per table and batch. Nothing bypasses the model, the row codec or the
 * merge; the shortcut is the same as on SQLite: the secondary (`ix_*`) indexes are dropped before the load and
 * re-created afterwards from their own DDL (read from pg_indexes), then VACUUM (ANALYZE).
 *
 * Generation (JS, in this process) and the merge (in the PostgreSQL backend) overlap: batch n+1 is built while
 * batch n is being written (at most one write in flight).
 *
 * CLI: `node dist/bench/postgres-data.js --rows N [--database-url URL] [--schema NAME] [--drop]`
 */
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { MODEL } from '../src/model/model.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import type { WriteRecord } from '../src/model/records.js';
import { generateRecords, type GeneratedData } from './generate-data.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export const databaseUrlFromEnv = (): string => process.env['TIGRAPH_BENCH_DATABASE_URL'] || DEFAULT_DATABASE_URL;

export const benchSchemaName = (rows: number): string => `tigraph_bench_${Math.floor(rows)}`;

export interface PostgresGenerateOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly rows: number;
  readonly seed?: number;
  /** Indicators per store.write() call (default 20,000: one COPY + merge per table per batch). */
  readonly batchSize?: number;
  readonly sampleSize?: number;
  readonly log?: (line: string) => void;
}

export interface PostgresGeneratedData extends GeneratedData {
  readonly connectionString: string;
  readonly schema: string;
  readonly analyzeMs: number;
  readonly indicatorTableMiB: number;
  readonly indicatorIndexesMiB: number;
}

/** A plain client for the DDL around the load (the store's pool stays the store's). */
async function admin(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: 'tigraph-bench-admin' });
  await client.connect();
  return client;
}

export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const client = await admin(connectionString);
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function generatePostgresDataset(options: PostgresGenerateOptions): Promise<PostgresGeneratedData> {
  const log = options.log ?? (() => undefined);
  const { connectionString, schema } = options;
  await dropSchema(connectionString, schema);
  const store = await PostgresStore.open(MODEL, { connectionString, schema, poolSize: 2, statementTimeoutMs: 0 });
  const client = await admin(connectionString);
  try {
    const indexes = (
      await client.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'ix\\_%' ORDER BY indexname", [schema])
    ).rows;
    for (const ix of indexes) await client.query(`DROP INDEX "${schema}"."${ix.indexname}"`);

    const started = Date.now();
    let inflight: Promise<void> = Promise.resolve();
    let failed: unknown;
    const shape = await generateRecords({ ...options, batchSize: options.batchSize ?? 20000 }, async (batch: WriteRecord[]) => {
      await inflight;
      if (failed) throw failed;
      inflight = store.write(batch).catch((e: unknown) => {
        failed = e;
      });
    });
    await inflight;
    if (failed) throw failed;
    const loadMs = Date.now() - started;
    log(`  loaded ${shape.rows.toLocaleString('en-US')} indicators in ${loadMs} ms; rebuilding ${indexes.length} indexes …`);

    const indexStarted = Date.now();
    await client.query("SET maintenance_work_mem = '512MB'");
    for (const ix of indexes) await client.query(ix.indexdef);
    const indexMs = Date.now() - indexStarted;
    const analyzeStarted = Date.now();
    const tables = (await client.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema])).rows.map((r) => r.tablename);
    for (const t of tables) await client.query(`VACUUM (ANALYZE) "${schema}"."${t}"`);
    const analyzeMs = Date.now() - analyzeStarted;
    const size = (
      await client.query<{ t: string; i: string }>(
        `SELECT pg_table_size('"${schema}".intelligence_profile_indicator') AS t, pg_indexes_size('"${schema}".intelligence_profile_indicator') AS i`,
      )
    ).rows[0]!;
    return {
      filename: `${connectionString.replace(/\/\/[^@/]*@/, '//')}#${schema}`,
      connectionString,
      schema,
      ...shape,
      loadMs,
      indexMs,
      analyzeMs,
      rowsPerSecond: Math.round((shape.rows * 1000) / Math.max(1, loadMs + indexMs + analyzeMs)),
      indicatorTableMiB: Math.round(Number(size.t) / 1048576),
      indicatorIndexesMiB: Math.round(Number(size.i) / 1048576),
    };
  } finally {
    await client.end().catch(() => {});
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
  };
  const rows = Number(arg('rows', '100000'));
  const connectionString = arg('database-url', databaseUrlFromEnv());
  const schema = arg('schema', benchSchemaName(rows));
  const result = await generatePostgresDataset({ connectionString, schema, rows, log: (l) => process.stderr.write(`${l}\n`) });
  const { sampleIndicatorIds, sampleProfileIds, pivotArtifactIds, ...summary } = result;
  process.stdout.write(`${JSON.stringify({ ...summary, samples: { indicators: sampleIndicatorIds.length, profiles: sampleProfileIds.length, pivots: pivotArtifactIds.length } }, null, 2)}\n`);
  if (process.argv.includes('--drop')) await dropSchema(connectionString, schema);
}
