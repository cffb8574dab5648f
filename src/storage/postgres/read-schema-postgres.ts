/** What the migration reads of the current schema (the first of the connection's search_path): columns, indexes, triggers. */
import type pg from 'pg';
import type { ExistingColumn, ExistingSchema } from '../sql/migrations.js';

/** The triggers of the current schema's tables: table name → trigger name → definition. */
export async function readTriggers(client: pg.PoolClient): Promise<Map<string, Map<string, string>>> {
  const rows = await client.query<{ t: string; n: string; d: string }>(
    'SELECT c.relname AS t, g.tgname AS n, pg_get_triggerdef(g.oid) AS d FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND NOT g.tgisinternal',
  );
  const out = new Map<string, Map<string, string>>();
  for (const r of rows.rows) {
    const defs = out.get(r.t) ?? new Map<string, string>();
    defs.set(r.n, r.d);
    out.set(r.t, defs);
  }
  return out;
}

/** The tables, columns and indexes of the connection's current schema (the first of its search_path). */
export async function readExisting(client: pg.PoolClient): Promise<ExistingSchema> {
  const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    'SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
  );
  const tables = new Map<string, ExistingColumn[]>();
  for (const r of columns.rows) {
    const list = tables.get(r.table_name) ?? [];
    list.push({ name: r.column_name, type: r.data_type, notNull: r.is_nullable === 'NO' });
    tables.set(r.table_name, list);
  }
  const indexes = await client.query<{ indexname: string; tablename: string }>('SELECT indexname, tablename FROM pg_indexes WHERE schemaname = current_schema()');
  return { tables, indexes: new Map(indexes.rows.map((r) => [r.indexname, r.tablename])) };
}
