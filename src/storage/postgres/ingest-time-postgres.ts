/**
 * PostgreSQL DDL for the ingestion time (../sql/ingest-time.ts): a BEFORE trigger assigns NEW.tigraph_added.
 * The clock advances once per transaction (the value is kept in a transaction-local setting); the UPDATE of the
 * clock row locks it until commit, so concurrent writers take stamps in commit order. Every table is stamped, so
 * a writing transaction takes the clock before any row lock and concurrent imports cannot deadlock on it.
 */
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_CLOCK_TABLE, INGEST_COLUMN, ingestIndexName } from '../sql/ingest-time.js';

const q = (n: string): string => `"${n}"`;

export function postgresIngestTimeStatements(tables: readonly TableDef[]): string[] {
  const out = [
    `CREATE TABLE IF NOT EXISTS ${q(INGEST_CLOCK_TABLE)} ("id" INTEGER PRIMARY KEY, "value" BIGINT NOT NULL)`,
    `INSERT INTO ${q(INGEST_CLOCK_TABLE)} ("id", "value") VALUES (1, 0) ON CONFLICT DO NOTHING`,
    `CREATE OR REPLACE FUNCTION tigraph_stamp_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE v TEXT;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.${q(INGEST_COLUMN)} := OLD.${q(INGEST_COLUMN)};
    IF NEW IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
  END IF;
  v := current_setting('tigraph.added', true);
  IF v IS NULL OR v = '' THEN
    UPDATE ${q(INGEST_CLOCK_TABLE)} SET "value" = GREATEST("value" + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT) WHERE "id" = 1 RETURNING "value"::TEXT INTO v;
    PERFORM set_config('tigraph.added', v, true);
  END IF;
  NEW.${q(INGEST_COLUMN)} := v::BIGINT;
  RETURN NEW;
END $$`,
  ];
  for (const t of tables) {
    out.push(
      `ALTER TABLE ${q(t.name)} ADD COLUMN IF NOT EXISTS ${q(INGEST_COLUMN)} BIGINT DEFAULT 0`,
      `CREATE INDEX IF NOT EXISTS ${q(ingestIndexName(t))} ON ${q(t.name)} (${q(INGEST_COLUMN)}, ${q(t.keyColumn)})`,
      `DROP TRIGGER IF EXISTS ${q(`tg_${t.name}_added`)} ON ${q(t.name)}`,
      `CREATE TRIGGER ${q(`tg_${t.name}_added`)} BEFORE INSERT OR UPDATE ON ${q(t.name)} FOR EACH ROW EXECUTE FUNCTION tigraph_stamp_added()`,
    );
  }
  return out;
}
