/**
 * Schema migrations, for every backend: the tables the model derives are reconciled with the tables the database
 * holds, additively. Reading what exists is the backend's job (its catalog queries); deciding what to do is this
 * pure function, shared by both.
 *
 * - a table the model derives and the database lacks is created with its indexes (a new entity type);
 * - a nullable column the model derives and the table lacks is added (a new nullable property);
 * - an index the model derives and the database lacks is created; an `ix_` index of a tigraph table that the
 *   model no longer derives is dropped (indexes hold no data);
 * - anything that would lose or misread data is drift and stops the start with the list of differences: a
 *   column the model does not declare, a column of another type or nullability, a new NOT NULL column in an
 *   existing table. Those need a hand-written migration.
 *
 * The derived schema's checksum is recorded in `tigraph_migrations` (version 1) after each reconciliation, so an
 * operator can see which schema a database was last brought to.
 */
import { createHash } from 'node:crypto';
import type { Schema } from '../schema/derive-schema.js';
import { createIndexStatement, createTableStatements } from './ddl.js';
import type { SqlDialect } from './sql-dialect.js';
import type { ExistingSchema } from './existing-schema.js';

export type { ExistingColumn, ExistingSchema } from './existing-schema.js';
import { INGEST_COLUMN } from './ingest-time.js';

/** Secrets of the server (not part of the model): name → base64url value. Created with the migrations table. */
export const SECRETS_TABLE = 'tigraph_secrets';
export const SECRETS_DDL = `CREATE TABLE IF NOT EXISTS "${SECRETS_TABLE}" ("name" TEXT PRIMARY KEY, "value" TEXT NOT NULL)`;

/**
 * Aliases an import harvested from free text (maltrail's `# Aliases:` lines): kept on the profile but never used
 * to match another source's profile (src/import/profile-book.ts). Not part of the model. Lower-case aliases.
 */
export const HARVESTED_ALIASES_TABLE = 'tigraph_harvested_aliases';
export const HARVESTED_ALIASES_DDL = `CREATE TABLE IF NOT EXISTS "${HARVESTED_ALIASES_TABLE}" ("profile_id" TEXT NOT NULL, "alias" TEXT NOT NULL, PRIMARY KEY ("profile_id", "alias"))`;

export const MIGRATIONS_TABLE = 'tigraph_migrations';
export const INDEX_PREFIX = 'ix_';

export interface MigrationPlan {
  readonly statements: readonly string[];
  /** Differences that cannot be reconciled additively, one sentence each; empty when the plan can run. */
  readonly drift: readonly string[];
}

const q = (name: string): string => `"${name}"`;

export function planMigration(schema: Schema, existing: ExistingSchema, dialect: SqlDialect): MigrationPlan {
  const statements: string[] = [];
  const drift: string[] = [];
  for (const table of schema.tables) {
    const have = existing.tables.get(table.name);
    if (!have) {
      statements.push(...createTableStatements(table, dialect));
      continue;
    }
    const byName = new Map(have.map((c) => [c.name, c]));
    // The ingestion-time column is tigraph's own, outside the model (ingest-time.ts, planIngestTime).
    for (const c of have) if (c.name !== INGEST_COLUMN && !table.columns.some((d) => d.name === c.name)) drift.push(`table ${table.name} has a column ${c.name} that the model does not declare`);
    for (const c of table.columns) {
      const found = byName.get(c.name);
      const type = dialect.columnType(c.kind);
      if (!found) {
        if (c.notNull) drift.push(`table ${table.name} lacks the NOT NULL column ${c.name}`);
        else statements.push(`ALTER TABLE ${q(table.name)} ADD COLUMN ${q(c.name)} ${type}`);
        continue;
      }
      if (found.type.toUpperCase() !== type.toUpperCase()) drift.push(`column ${table.name}.${c.name} is ${found.type}, the model derives ${type}`);
      if (found.notNull !== c.notNull && c.name !== table.keyColumn) drift.push(`column ${table.name}.${c.name} is ${found.notNull ? 'NOT NULL' : 'nullable'}, the model derives ${c.notNull ? 'NOT NULL' : 'nullable'}`);
    }
    for (const index of table.indexes) if (!existing.indexes.has(index.name)) statements.push(createIndexStatement(table, index, dialect));
  }
  const tables = new Set(schema.tables.map((t) => t.name));
  const indexes = new Set(schema.tables.flatMap((t) => t.indexes.map((i) => i.name)));
  for (const [name, table] of existing.indexes) {
    if (name.startsWith(INDEX_PREFIX) && tables.has(table) && !indexes.has(name)) statements.push(`DROP INDEX IF EXISTS ${q(name)}`);
  }
  return { statements, drift };
}

/** The error that stops a start on drift, naming every difference. */
export function driftError(drift: readonly string[]): Error {
  return new Error(`schema drift: ${drift.join('; ')}; add a migration`);
}

export const schemaChecksum = (schema: Schema, dialect: SqlDialect): string =>
  createHash('sha256').update(schema.tables.flatMap((t) => createTableStatements(t, dialect)).join(';\n')).digest('hex').slice(0, 16);
