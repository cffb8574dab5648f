/**
 * The PostgreSQL side of `npm run bench:import -- --postgres <url>`: the baseline is a bare `COPY` of the same
 * indicator rows (id, profile, type, value, first seen, last seen, source) into one table with a text primary key,
 * in one transaction, from rows prepared before the timed region; and the import's own rows are counted and
 * checksummed in its schema, so the two are known to be the same rows.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

export type BaselineRow = readonly [string, string, string, string, number, number | null, number];

const field = (v: string | number | null): string => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

/** COPY of `rows` into a fresh one-table schema; seconds of the COPY and commit only. The schema is dropped after. */
export async function postgresBaseline(url: string, rows: readonly BaselineRow[]): Promise<number> {
  const schema = `tigraph_bench_base_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE "${schema}".baseline (id TEXT PRIMARY KEY, profile TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT, source INTEGER NOT NULL)`);
    const text: string[] = [];
    let chunk = '';
    for (const r of rows) {
      chunk += `${r.map(field).join('\t')}\n`;
      if (chunk.length > 1 << 16) (text.push(chunk), (chunk = ''));
    }
    if (chunk) text.push(chunk);
    const t0 = process.hrtime.bigint();
    await client.query('BEGIN');
    await pipeline(Readable.from(text), client.query(copyStreams.from(`COPY "${schema}".baseline FROM STDIN`)));
    await client.query('COMMIT');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const n = Number((await client.query(`SELECT count(*) AS n FROM "${schema}".baseline`)).rows[0].n);
    if (n !== rows.length) throw new Error(`baseline COPY wrote ${n} rows, expected ${rows.length}`);
    return seconds;
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await client.end();
  }
}

/** Count and id/date checksum of the indicators an import wrote into `schema` (then dropped). */
export async function postgresImported(url: string, schema: string): Promise<{ count: number; idSum: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(
      `SELECT count(*) AS n, min(id) || '…' || max(id) || ' ' || sum(first_seen_date_time) || ' ' || sum(coalesce(last_seen_date_time, 0)) AS s FROM "${schema}".intelligence_profile_indicator`,
    );
    return { count: Number(r.rows[0].n), idSum: String(r.rows[0].s) };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await client.end();
  }
}
