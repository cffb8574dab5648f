/**
 * SQLite DDL for the ingestion time (../sql/ingest-time.ts). SQLite triggers cannot assign NEW, so AFTER
 * triggers advance the clock row and stamp the row by rowid; the UPDATE trigger fires only when a column other
 * than the stamp changed. SQLite has one writer at a time, so stamps are in commit order.
 */
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_CLOCK_TABLE, INGEST_COLUMN, ingestIndexName } from '../sql/ingest-time.js';

const q = (n: string): string => `"${n}"`;
const NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)";

export function sqliteIngestTimeStatements(tables: readonly TableDef[]): string[] {
  const out = [
    `CREATE TABLE IF NOT EXISTS ${q(INGEST_CLOCK_TABLE)} ("id" INTEGER PRIMARY KEY, "value" INTEGER NOT NULL)`,
    `INSERT OR IGNORE INTO ${q(INGEST_CLOCK_TABLE)} ("id", "value") VALUES (1, 0)`,
  ];
  const tick = `UPDATE ${q(INGEST_CLOCK_TABLE)} SET "value" = max("value" + 1, ${NOW_US}) WHERE "id" = 1`;
  const stamp = (t: TableDef): string => `UPDATE ${q(t.name)} SET ${q(INGEST_COLUMN)} = (SELECT "value" FROM ${q(INGEST_CLOCK_TABLE)} WHERE "id" = 1) WHERE rowid = NEW.rowid`;
  for (const t of tables) {
    const changed = t.columns.map((c) => `OLD.${q(c.name)} IS NOT NEW.${q(c.name)}`).join(' OR ');
    out.push(
      `ALTER TABLE ${q(t.name)} ADD COLUMN ${q(INGEST_COLUMN)} INTEGER DEFAULT 0`,
      `CREATE INDEX IF NOT EXISTS ${q(ingestIndexName(t))} ON ${q(t.name)} (${q(INGEST_COLUMN)}, ${q(t.keyColumn)})`,
      `CREATE TRIGGER IF NOT EXISTS ${q(`tg_${t.name}_added_insert`)} AFTER INSERT ON ${q(t.name)} BEGIN ${tick}; ${stamp(t)}; END`,
      `CREATE TRIGGER IF NOT EXISTS ${q(`tg_${t.name}_added_update`)} AFTER UPDATE ON ${q(t.name)} WHEN ${changed} BEGIN ${tick}; ${stamp(t)}; END`,
    );
  }
  return out;
}
