/**
 * Schema migrations, for every backend. Migration 1 is the schema derived from the model; its checksum is
 * recorded so that a model change without a new migration is detected at start instead of corrupting data.
 */
import { createHash } from 'node:crypto';
import type { Schema } from '../schema/derive-schema.js';
import { schemaStatements } from './ddl.js';
import type { SqlDialect } from './sql-dialect.js';

export interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

export function migrations(schema: Schema, dialect: SqlDialect): Migration[] {
  return [
    { version: 1, statements: schemaStatements(schema, dialect) },
    // The server-side ingestion time for TAXII (ingest-time.ts).
    { version: 2, statements: dialect.ingestTimeStatements(schema.tables) },
  ];
}

export const checksum = (m: Migration): string => createHash('sha256').update(m.statements.join(';\n')).digest('hex').slice(0, 16);

