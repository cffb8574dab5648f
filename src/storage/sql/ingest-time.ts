/**
 * The server-side ingestion time (TAXII `date_added`, `added_after`): every stored row carries
 * `tigraph_added`, microseconds since the epoch, stamped by the database itself (triggers, migration 2) from
 * one clock row, `max(clock + 1, now)`. Taking the clock locks its row until the writing transaction ends, so
 * stamps grow in commit order: a reader that has seen stamp T never later sees a new stamp ≤ T, which is what
 * makes an incremental `added_after` poll neither miss nor repeat an object. An upsert that changes nothing
 * keeps its stamp; one that changes any column gets a new one.
 *
 * Kept outside the model-derived schema (it is no Graph property): the codecs never read or write it; the
 * migration (migrations.ts) adds it, its index and triggers to any table that lacks it, in both dialects.
 */
import type { Schema, TableDef } from '../schema/derive-schema.js';
import type { ExistingSchema } from './existing-schema.js';
import type { SqlDialect } from './sql-dialect.js';

export const INGEST_COLUMN = 'tigraph_added';
export const INGEST_CLOCK_TABLE = 'tigraph_ingest_clock';

/**
 * A table's ingestion-order index name: (tigraph_added, key) serves the TAXII keyset. Not `ix_`-prefixed: those
 * are the model-derived indexes the migration drops when the model no longer derives them.
 */
export const ingestIndexName = (table: TableDef): string => `ia_${table.name}`;

/**
 * The statements adding the ingestion time to every table of `schema` that lacks it (run after the model
 * migration, in the same transaction): its column, index and triggers, and the clock.
 */
export function planIngestTime(schema: Schema, existing: ExistingSchema, dialect: SqlDialect): string[] {
  const lacking = schema.tables.filter((t) => !(existing.tables.get(t.name) ?? []).some((c) => c.name === INGEST_COLUMN));
  return lacking.length ? dialect.ingestTimeStatements(lacking) : [];
}
