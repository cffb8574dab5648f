/**
 * SQL for listing rows of several tables in ingestion order (TAXII objects, manifests): one keyset position
 * (stamp, part, key) over a union of parts, each part one table with an optional equality condition. Each part
 * is its own index range scan on (tigraph_added, key) with LIMIT n, so a deep page costs what the first does;
 * the outer query merges at most parts × n keys.
 */
import { sql } from 'kysely';
import type { Schema } from '../schema/derive-schema.js';
import type { IngestQuery } from '../store.js';
import type { Sql, SqlDialect, Statement } from './sql-dialect.js';
import { INGEST_COLUMN } from './ingest-time.js';

export function compileIngestListing(query: IngestQuery, schema: Schema, dialect: SqlDialect): Statement {
  const added = sql.ref(`t.${INGEST_COLUMN}`);
  const branches = query.parts.map((part, i) => {
    const table = schema.tableOf(part.type);
    const key = sql.ref(`t.${table.keyColumn}`);
    const where: Sql[] = [];
    if (part.key !== undefined) where.push(sql`${key} = ${part.key}`);
    if (part.parentKey !== undefined) {
      const fk = table.foreignKeys.find((f) => f.navigation === part.parentKey!.navigation)!;
      where.push(sql`${sql.ref(`t.${fk.column}`)} = ${part.parentKey.key}`);
    }
    if (part.equals) where.push(sql`${sql.ref(`t.${table.propertyColumns.get(part.equals.property)!.name}`)} = ${part.equals.value}`);
    if (query.addedAfter !== undefined) where.push(sql`${added} > ${query.addedAfter}`);
    if (query.addedUntil !== undefined) where.push(sql`${added} <= ${query.addedUntil}`);
    const a = query.after;
    if (a) {
      if (i < a.part) where.push(sql`${added} > ${a.added}`);
      // A row-value comparison: both databases turn it into one range on the (tigraph_added, key) index (an OR would not).
      else if (i === a.part) where.push(sql`(${added}, ${key}) ${a.inclusive ? sql`>=` : sql`>`} (${a.added}, ${a.key})`);
      else where.push(sql`${added} >= ${a.added}`);
    }
    const cond = where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    return sql`SELECT * FROM (SELECT ${sql.lit(i)} AS "part", ${added} AS "added", ${key} AS "key" FROM ${sql.table(table.name)} AS t ${cond} ORDER BY ${added}, ${key} LIMIT ${query.limit}) AS ${sql.id(`p${i}`)}`;
  });
  return sql`SELECT "part", "added", "key" FROM (${sql.join(branches, sql` UNION ALL `)}) AS u ORDER BY "added", "part", "key" LIMIT ${query.limit}`.compile(dialect.kysely);
}
