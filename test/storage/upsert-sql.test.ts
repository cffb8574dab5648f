/**
 * The upsert SQL (src/storage/sql/upsert-sql.ts), as SQLite gets it: insert-if-absent, the merge mode's SET list
 * with the model's merge rules (earliest first seen, latest last seen), replace mode without them, and the order of
 * a write's tables.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { MODEL } from '../../src/model/model.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import { sqliteDialect } from '../../src/storage/sqlite/sqlite-dialect.js';
import { insertFrom, mergeRules, writeRank } from '../../src/storage/sql/upsert-sql.js';

const schema = deriveSchema(MODEL);
const table = (name: string) => schema.tables.find((t) => t.name === name)!;
const INDICATORS = table('intelligence_profile_indicator');
const T = '"intelligence_profile_indicator"';
const pick = (c: string, op: '<' | '>'): string =>
  `"${c}" = CASE WHEN excluded."${c}" IS NULL THEN ${T}."${c}" WHEN ${T}."${c}" IS NULL THEN excluded."${c}" WHEN excluded."${c}" ${op} ${T}."${c}" THEN excluded."${c}" ELSE ${T}."${c}" END`;

describe('upsert SQL', () => {
  it('keep: insert if absent', () => {
    assert.equal(
      insertFrom(sqliteDialect, INDICATORS, sql`VALUES (${null}, ${null})`, 'keep', ['id', 'source']),
      `INSERT INTO ${T} ("id", "source") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING`,
    );
  });

  it('merge: first seen keeps the earliest, last seen the latest non-null value, every other column the incoming one', () => {
    assert.deepEqual([...mergeRules(INDICATORS)], [['first_seen_date_time', 'min'], ['last_seen_date_time', 'max']]);
    const set = ['"odata_type" = excluded."odata_type"', '"source" = excluded."source"', pick('first_seen_date_time', '<'), pick('last_seen_date_time', '>'), '"artifact_id" = excluded."artifact_id"', '"artifact_type" = excluded."artifact_type"', '"intelligence_profile_id" = excluded."intelligence_profile_id"'];
    assert.equal(insertFrom(sqliteDialect, INDICATORS, sql`VALUES (${null})`, 'merge', ['id']), `INSERT INTO ${T} ("id") VALUES (?) ON CONFLICT ("id") DO UPDATE SET ${set.join(', ')}`);
  });

  it('replace: every column the incoming value', () => {
    const set = ['odata_type', 'source', 'first_seen_date_time', 'last_seen_date_time', 'artifact_id', 'artifact_type', 'intelligence_profile_id'].map((c) => `"${c}" = excluded."${c}"`);
    assert.equal(insertFrom(sqliteDialect, INDICATORS, sql`VALUES (${null})`, 'replace', ['id']), `INSERT INTO ${T} ("id") VALUES (?) ON CONFLICT ("id") DO UPDATE SET ${set.join(', ')}`);
  });

  it('write order: profiles before artifacts before indicators (a foreign key and a navigation)', () => {
    assert.deepEqual(['intelligence_profile', 'artifact', 'intelligence_profile_indicator'].map((n) => writeRank(table(n))), [0, 1, 3]);
  });
});
