/**
 * SQLite DDL for the ingestion time (../sql/ingest-time.ts). SQLite triggers cannot assign NEW, so AFTER
 * triggers advance the clock row and stamp the row by rowid; the UPDATE trigger fires only when a column other
 * than the stamp changed. SQLite has one writer at a time, so stamps are in commit order.
 *
 * A bulk write (bulk-write.ts) stamps its rows itself: it reserves as many stamps as it has rows from the clock,
 * in its own transaction, and inserts each row with its stamp, so the INSERT trigger (which fires only for rows
 * inserted without one, `tigraph_added` = 0) does not write every row a second time.
 */
import type { TableDef } from '../schema/derive-schema.js';
import { INGEST_CLOCK_TABLE, INGEST_COLUMN, ingestIndexName } from '../sql/ingest-time.js';

const q = (n: string): string => `"${n}"`;
const NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)";

/** The INSERT trigger's name and, for a table, its DDL (only rows inserted without a stamp). */
export const insertTriggerName = (t: TableDef): string => `tg_${t.name}_added_insert`;
const tick = `UPDATE ${q(INGEST_CLOCK_TABLE)} SET "value" = max("value" + 1, ${NOW_US}) WHERE "id" = 1`;
const stamp = (t: TableDef): string => `UPDATE ${q(t.name)} SET ${q(INGEST_COLUMN)} = (SELECT "value" FROM ${q(INGEST_CLOCK_TABLE)} WHERE "id" = 1) WHERE rowid = NEW.rowid`;
export const insertTriggerDdl = (t: TableDef): string =>
  `CREATE TRIGGER IF NOT EXISTS ${q(insertTriggerName(t))} AFTER INSERT ON ${q(t.name)} WHEN NEW.${q(INGEST_COLUMN)} IS NULL OR NEW.${q(INGEST_COLUMN)} = 0 BEGIN ${tick}; ${stamp(t)}; END`;

/**
 * Reserves `?` consecutive stamps (bound as the only parameter, ≥ 1) and returns the last: the first is
 * max(clock + 1, now), as the trigger would take it, and the clock ends on the last.
 */
export const RESERVE_STAMPS_SQL = `UPDATE ${q(INGEST_CLOCK_TABLE)} SET "value" = max("value" + 1, ${NOW_US}) + ? - 1 WHERE "id" = 1 RETURNING "value"`;

export function sqliteIngestTimeStatements(tables: readonly TableDef[]): string[] {
  const out = [
    `CREATE TABLE IF NOT EXISTS ${q(INGEST_CLOCK_TABLE)} ("id" INTEGER PRIMARY KEY, "value" INTEGER NOT NULL)`,
    `INSERT OR IGNORE INTO ${q(INGEST_CLOCK_TABLE)} ("id", "value") VALUES (1, 0)`,
  ];
  for (const t of tables) {
    const changed = t.columns.map((c) => `OLD.${q(c.name)} IS NOT NEW.${q(c.name)}`).join(' OR ');
    out.push(
      `ALTER TABLE ${q(t.name)} ADD COLUMN ${q(INGEST_COLUMN)} INTEGER DEFAULT 0`,
      `CREATE INDEX IF NOT EXISTS ${q(ingestIndexName(t))} ON ${q(t.name)} (${q(INGEST_COLUMN)}, ${q(t.keyColumn)})`,
      insertTriggerDdl(t),
      `CREATE TRIGGER IF NOT EXISTS ${q(`tg_${t.name}_added_update`)} AFTER UPDATE ON ${q(t.name)} WHEN ${changed} BEGIN ${tick}; ${stamp(t)}; END`,
    );
  }
  return out;
}

/**
 * Statements replacing INSERT triggers created before bulk writes stamped their own rows (a trigger without the
 * `WHEN … = 0` condition would stamp those rows again): `existing` maps trigger names to their SQL.
 */
export function sqliteInsertTriggerUpgrades(tables: readonly TableDef[], existing: ReadonlyMap<string, string>): string[] {
  return tables.flatMap((t) => {
    const have = existing.get(insertTriggerName(t));
    return have !== undefined && !/\bWHEN\b/i.test(have) ? [`DROP TRIGGER ${q(insertTriggerName(t))}`, insertTriggerDdl(t)] : [];
  });
}
