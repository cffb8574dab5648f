/** The derived schema is reconciled additively with what a database holds; anything that could lose data is drift. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL } from '../../src/model/model.js';
import { deriveSchema, indexName } from '../../src/storage/schema/derive-schema.js';
import { createIndexStatement, createTableStatements } from '../../src/storage/sql/ddl.js';
import { planMigration, type ExistingColumn, type ExistingSchema } from '../../src/storage/sql/migrations.js';
import { sqliteDialect } from '../../src/storage/sqlite/sqlite-dialect.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';

const SCHEMA = deriveSchema(MODEL);
const PROFILE_TABLE = SCHEMA.tables.find((t) => t.name === 'intelligence_profile')!;

/** What a database holding exactly the derived schema reports (SQLite spelling of types). */
function current(): { tables: Map<string, ExistingColumn[]>; indexes: Map<string, string> } {
  return {
    tables: new Map(SCHEMA.tables.map((t) => [t.name, t.columns.map((c) => ({ name: c.name, type: sqliteDialect.columnType(c.kind), notNull: c.notNull }))])),
    indexes: new Map(SCHEMA.tables.flatMap((t) => t.indexes.map((i) => [i.name, t.name] as [string, string]))),
  };
}

describe('planMigration', () => {
  it('index names fit PostgreSQL identifiers (63 bytes), long ones shortened with a hash', () => {
    assert.deepEqual(SCHEMA.tables.flatMap((t) => t.indexes.map((i) => i.name)).filter((n) => n.length > 63), []);
    assert.equal(indexName('ix_intelligence_profile_indicator_intelligence_profile_id_first_seen_date_time').length, 63);
    assert.equal(indexName('ix_intelligence_profile_indicator_intelligence_profile_id_first_seen_date_time'), 'ix_intelligence_profile_indicator_intelligence_profile_64776e42');
    assert.equal(indexName('ix_intelligence_profile_title'), 'ix_intelligence_profile_title');
  });

  it('an empty database gets every table with its indexes', () => {
    const plan = planMigration(SCHEMA, { tables: new Map(), indexes: new Map() }, sqliteDialect);
    assert.deepEqual(plan, { statements: SCHEMA.tables.flatMap((t) => createTableStatements(t, sqliteDialect)), drift: [] });
  });

  it('a database at the derived schema needs nothing', () => {
    assert.deepEqual(planMigration(SCHEMA, current(), sqliteDialect), { statements: [], drift: [] });
  });

  it('a missing nullable column is added, a missing index created, an obsolete ix_ index dropped', () => {
    const existing = current();
    existing.tables.set(PROFILE_TABLE.name, existing.tables.get(PROFILE_TABLE.name)!.filter((c) => c.name !== 'tradecraft'));
    const index = PROFILE_TABLE.indexes[0]!;
    existing.indexes.delete(index.name);
    existing.indexes.set('ix_intelligence_profile_retired', PROFILE_TABLE.name);
    existing.indexes.set('operator_made', PROFILE_TABLE.name);
    assert.deepEqual(planMigration(SCHEMA, existing, sqliteDialect), {
      statements: [
        'ALTER TABLE "intelligence_profile" ADD COLUMN "tradecraft" TEXT',
        createIndexStatement(PROFILE_TABLE, index, sqliteDialect),
        'DROP INDEX IF EXISTS "ix_intelligence_profile_retired"',
      ],
      drift: [],
    });
  });

  it('an undeclared column, a changed type or nullability and a new NOT NULL column are drift', () => {
    const existing: ExistingSchema = current();
    const columns = existing.tables.get(PROFILE_TABLE.name)!.filter((c) => c.name !== 'kind');
    (existing.tables as Map<string, ExistingColumn[]>).set(PROFILE_TABLE.name, [
      ...columns.map((c) => (c.name === 'title' ? { ...c, type: 'INTEGER' } : c.name === 'targets' ? { ...c, notNull: true } : c)),
      { name: 'legacy', type: 'TEXT', notNull: false },
    ]);
    assert.deepEqual(planMigration(SCHEMA, existing, sqliteDialect).drift, [
      'table intelligence_profile has a column legacy that the model does not declare',
      'table intelligence_profile lacks the NOT NULL column kind',
      'column intelligence_profile.targets is NOT NULL, the model derives nullable',
      'column intelligence_profile.title is INTEGER, the model derives TEXT',
    ]);
  });
});

const indexNamesSqlite = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name").pluck().all() as string[]);
const derivedIndexNames = SCHEMA.tables.flatMap((t) => t.indexes.map((i) => i.name)).sort();

describe('SQLite reconciliation at open', () => {
  const withFile = async (body: (file: string) => Promise<void>): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-migrate-'));
    try {
      await body(join(dir, 'db.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('restores a dropped table and index, drops an obsolete ix_ index, keeps the rows', () =>
    withFile(async (file) => {
      await new SqliteStore(MODEL, { filename: file }).close();
      const db = new Database(file);
      db.prepare("INSERT INTO intelligence_profile (id, odata_type, title, kind, description, summary, first_active_date_time) VALUES ('p1', '#microsoft.graph.security.intelligenceProfile', 'kept', 0, '{}', '{}', 0)").run();
      db.exec('DROP TABLE artifact');
      db.exec(`DROP INDEX "${PROFILE_TABLE.indexes[0]!.name}"`);
      db.exec('CREATE INDEX ix_intelligence_profile_retired ON intelligence_profile (title)');
      db.close();
      await new SqliteStore(MODEL, { filename: file }).close();
      const after = new Database(file);
      try {
        assert.deepEqual(indexNamesSqlite(after), derivedIndexNames);
        assert.equal(after.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'artifact'").pluck().get(), 1);
        assert.equal(after.prepare("SELECT title FROM intelligence_profile WHERE id = 'p1'").pluck().get(), 'kept');
      } finally {
        after.close();
      }
    }));

  it('refuses to start on a column the model does not declare, naming it, and changes nothing', () =>
    withFile(async (file) => {
      await new SqliteStore(MODEL, { filename: file }).close();
      const db = new Database(file);
      db.exec('ALTER TABLE intelligence_profile ADD COLUMN legacy TEXT');
      db.exec(`DROP INDEX "${PROFILE_TABLE.indexes[0]!.name}"`);
      db.close();
      assert.throws(() => new SqliteStore(MODEL, { filename: file }), {
        message: 'schema drift: table intelligence_profile has a column legacy that the model does not declare; add a migration',
      });
      const after = new Database(file);
      try {
        assert.deepEqual(indexNamesSqlite(after), derivedIndexNames.filter((n) => n !== PROFILE_TABLE.indexes[0]!.name));
      } finally {
        after.close();
      }
    }));
});

describe('PostgreSQL reconciliation at open', () => {
  if (!TEST_DATABASE_URL) {
    console.warn(`\n!!! ${POSTGRES_SKIP_REASON}\n`);
    it('postgres reconciliation', { skip: POSTGRES_SKIP_REASON }, () => {});
    return;
  }
  const url = TEST_DATABASE_URL;
  it('restores a dropped table and index, drops an obsolete ix_ index; an undeclared column is drift', async () => {
    const schema = uniqueSchema();
    const first = await PostgresStore.open(MODEL, { connectionString: url, schema, poolSize: 1 });
    try {
      await first.pool.query(`INSERT INTO "${schema}".intelligence_profile (id, odata_type, title, kind, description, summary, first_active_date_time) VALUES ('p1', '#microsoft.graph.security.intelligenceProfile', 'kept', 0, '{}', '{}', 0)`);
      await first.pool.query(`DROP TABLE "${schema}".artifact`);
      await first.pool.query(`DROP INDEX "${schema}"."${PROFILE_TABLE.indexes[0]!.name}"`);
      await first.pool.query(`CREATE INDEX ix_intelligence_profile_retired ON "${schema}".intelligence_profile (title)`);
      await (await PostgresStore.open(MODEL, { connectionString: url, schema, poolSize: 1 })).close();
      const names = (await first.pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'ix\\_%' ORDER BY indexname COLLATE "C"`, [schema])).rows.map((r) => r.indexname as string);
      assert.deepEqual(names, [...derivedIndexNames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      assert.equal((await first.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'artifact'`, [schema])).rows[0].n, 1);
      assert.equal((await first.pool.query(`SELECT title FROM "${schema}".intelligence_profile WHERE id = 'p1'`)).rows[0].title, 'kept');
      await first.pool.query(`ALTER TABLE "${schema}".intelligence_profile ADD COLUMN legacy TEXT`);
      await assert.rejects(PostgresStore.open(MODEL, { connectionString: url, schema, poolSize: 1 }), {
        message: 'schema drift: table intelligence_profile has a column legacy that the model does not declare; add a migration',
      });
    } finally {
      await first.dropSchema();
      await first.close();
    }
  });
});
