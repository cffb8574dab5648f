/** Reconciles an SQLite database with the derived schema (see sql/migrations.ts), in one transaction. */
import type Database from 'better-sqlite3';
import type { Schema } from '../schema/derive-schema.js';
import { driftError, HARVESTED_ALIASES_DDL, MIGRATIONS_TABLE, SECRETS_DDL, planMigration, schemaChecksum, type ExistingColumn, type ExistingSchema } from '../sql/migrations.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import { planIngestTime } from '../sql/ingest-time.js';
import { sqliteInsertTriggerUpgrades } from './ingest-time-sqlite.js';

function readExisting(db: Database.Database): ExistingSchema {
  const tables = new Map<string, ExistingColumn[]>();
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const name of names) {
    const columns = db.prepare('SELECT name, type, "notnull" AS nn FROM pragma_table_info(?)').all(name) as { name: string; type: string; nn: number }[];
    tables.set(name, columns.map((c) => ({ name: c.name, type: c.type, notNull: c.nn === 1 })));
  }
  const indexes = new Map((db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'").all() as { name: string; tbl_name: string }[]).map((r) => [r.name, r.tbl_name]));
  return { tables, indexes };
}

export function migrate(db: Database.Database, schema: Schema, dialect: SqlDialect): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("version" INTEGER PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" INTEGER NOT NULL)`);
    db.exec(SECRETS_DDL);
    db.exec(HARVESTED_ALIASES_DDL);
    const existing = readExisting(db);
    const plan = planMigration(schema, existing, dialect);
    if (plan.drift.length > 0) throw driftError(plan.drift);
    for (const s of [...plan.statements, ...planIngestTime(schema, existing, dialect)]) db.exec(s);
    const triggers = new Map((db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
    for (const s of sqliteInsertTriggerUpgrades(schema.tables, triggers)) db.exec(s);
    const sum = schemaChecksum(schema, dialect);
    const have = db.prepare(`SELECT checksum FROM "${MIGRATIONS_TABLE}" WHERE version = 1`).pluck().get();
    if (have !== sum) db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (version, checksum, applied_at) VALUES (1, ?, ?) ON CONFLICT (version) DO UPDATE SET checksum = excluded.checksum, applied_at = excluded.applied_at`).run(sum, Date.now());
  }).immediate();
}
