/** DDL derived from the schema, for any dialect: tables, keys and indexes. */
import type { IndexDef, Schema, TableDef } from '../schema/derive-schema.js';
import type { SqlDialect } from './sql-dialect.js';

const q = (name: string): string => `"${name}"`;

export function createTableStatements(table: TableDef, dialect: SqlDialect): string[] {
  const columns = table.columns.map((c) => `${q(c.name)} ${dialect.columnType(c.kind)}${c.notNull ? ' NOT NULL' : ''}`);
  return [
    `CREATE TABLE IF NOT EXISTS ${q(table.name)} (${columns.join(', ')}, PRIMARY KEY (${q(table.keyColumn)}))`,
    ...table.indexes.map((i) => createIndexStatement(table, i, dialect)),
  ];
}

export function createIndexStatement(table: TableDef, index: IndexDef, dialect: SqlDialect): string {
  const nullable = (c: string): boolean => !(table.columns.find((x) => x.name === c)?.notNull ?? false);
  const where = index.notNull ? ` WHERE ${q(index.notNull)} IS NOT NULL` : '';
  return `CREATE INDEX IF NOT EXISTS ${q(index.name)} ON ${q(table.name)} (${index.columns.map((c) => dialect.indexColumn(q(c), nullable(c) && !index.notNull)).join(', ')})${where}`;
}

export function schemaStatements(schema: Schema, dialect: SqlDialect): string[] {
  return schema.tables.flatMap((t) => createTableStatements(t, dialect));
}
