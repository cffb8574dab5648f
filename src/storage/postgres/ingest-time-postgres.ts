/**
 * PostgreSQL DDL for the ingestion time (../sql/ingest-time.ts): BEFORE triggers assign NEW.tigraph_added.
 * The clock advances once per transaction (the value is kept in a transaction-local setting); the UPDATE of the
 * clock row locks it until commit, so concurrent writers take stamps in commit order. Every table is stamped, so
 * a writing transaction takes the clock before any row lock and concurrent imports cannot deadlock on it.
 *
 * `tigraph_take_added()` returns the transaction's stamp, taking the clock on first use. A bulk write
 * (postgres-store.ts) inserts its rows with that stamp already set, so the INSERT trigger, which fires only for rows
 * inserted without one (`tigraph_added` = 0), does not run a PL/pgSQL function per row (about 1–3 µs a row: 0.3–0.9 s
 * per 330k rows and table, measured). The UPDATE trigger stamps every update that changes a column, as before.
 */
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_CLOCK_TABLE, INGEST_COLUMN, ingestIndexName } from '../sql/ingest-time.js';

const q = (n: string): string => `"${n}"`;

export const TAKE_STAMP_FUNCTION = 'tigraph_take_added';
const insertTriggerName = (t: TableDef): string => `tg_${t.name}_added`;
const updateTriggerName = (t: TableDef): string => `tg_${t.name}_added_update`;

const FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION ${TAKE_STAMP_FUNCTION}() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE v TEXT;
BEGIN
  v := current_setting('tigraph.added', true);
  IF v IS NULL OR v = '' THEN
    UPDATE ${q(INGEST_CLOCK_TABLE)} SET "value" = GREATEST("value" + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT) WHERE "id" = 1 RETURNING "value"::TEXT INTO v;
    PERFORM set_config('tigraph.added', v, true);
  END IF;
  RETURN v::BIGINT;
END $$`,
  `CREATE OR REPLACE FUNCTION tigraph_stamp_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.${q(INGEST_COLUMN)} := OLD.${q(INGEST_COLUMN)};
    IF NEW IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
  END IF;
  NEW.${q(INGEST_COLUMN)} := ${TAKE_STAMP_FUNCTION}();
  RETURN NEW;
END $$`,
];

/** A table's two stamp triggers (any older one dropped first). */
function triggerStatements(t: TableDef): string[] {
  return [
    `DROP TRIGGER IF EXISTS ${q(insertTriggerName(t))} ON ${q(t.name)}`,
    `DROP TRIGGER IF EXISTS ${q(updateTriggerName(t))} ON ${q(t.name)}`,
    `CREATE TRIGGER ${q(insertTriggerName(t))} BEFORE INSERT ON ${q(t.name)} FOR EACH ROW WHEN (NEW.${q(INGEST_COLUMN)} IS NULL OR NEW.${q(INGEST_COLUMN)} = 0) EXECUTE FUNCTION tigraph_stamp_added()`,
    `CREATE TRIGGER ${q(updateTriggerName(t))} BEFORE UPDATE ON ${q(t.name)} FOR EACH ROW EXECUTE FUNCTION tigraph_stamp_added()`,
  ];
}

export function postgresIngestTimeStatements(tables: readonly TableDef[]): string[] {
  const out = [
    `CREATE TABLE IF NOT EXISTS ${q(INGEST_CLOCK_TABLE)} ("id" INTEGER PRIMARY KEY, "value" BIGINT NOT NULL)`,
    `INSERT INTO ${q(INGEST_CLOCK_TABLE)} ("id", "value") VALUES (1, 0) ON CONFLICT DO NOTHING`,
    ...FUNCTIONS,
  ];
  for (const t of tables) {
    out.push(
      `ALTER TABLE ${q(t.name)} ADD COLUMN IF NOT EXISTS ${q(INGEST_COLUMN)} BIGINT DEFAULT 0`,
      `CREATE INDEX IF NOT EXISTS ${q(ingestIndexName(t))} ON ${q(t.name)} (${q(INGEST_COLUMN)}, ${q(t.keyColumn)})`,
      ...triggerStatements(t),
    );
  }
  return out;
}

/**
 * Statements bringing the stamp triggers of a database made before bulk writes stamped their own rows (one INSERT
 * OR UPDATE trigger without a condition, which would stamp those rows again) to today's two: `existing` maps each
 * table to its trigger definitions (pg_get_triggerdef). Tables without the ingestion column are left to
 * postgresIngestTimeStatements.
 */
export function postgresIngestTimeUpgrades(tables: readonly TableDef[], existing: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] {
  const stale = tables.filter((t) => {
    const defs = existing.get(t.name);
    if (!defs) return false;
    const insert = defs.get(insertTriggerName(t));
    return insert === undefined || !/\bWHEN\b/.test(insert) || !defs.has(updateTriggerName(t));
  });
  return stale.length ? [...FUNCTIONS, ...stale.flatMap(triggerStatements)] : [];
}
