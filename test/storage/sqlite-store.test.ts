import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { planFor, runStoreCases, TEST_TOKEN_KEY } from './store-cases.js';
import { compileCollectionQuery } from '../../src/storage/sql/compile-query.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import { sqliteDialect } from '../../src/storage/sqlite/sqlite-dialect.js';
import { encodeSkipToken } from '../../src/odata/paging/skip-token.js';

runStoreCases({ name: 'sqlite', create: async () => new SqliteStore(MODEL, { filename: ':memory:' }) });

// The same cases with every read on reader threads (a file store, as `tigraph serve` opens it).
runStoreCases({
  name: 'sqlite with reader threads',
  create: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-readers-'));
    const store = new SqliteStore(MODEL, { filename: join(dir, 'tigraph.db'), readers: 2 });
    assert.equal(store.readerThreads, 2);
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    };
    return store;
  },
});

describe('sqlite specifics', () => {
  it('every list query shape of the API is served by an index (EXPLAIN QUERY PLAN)', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      // The SQL the compiler really emits for the API's list shapes, first page and a deep (keyset) page.
      const explain = (sql: string, params: readonly unknown[]): string =>
        (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const token = (path: string, query: string, values: (string | number | null)[]): string => encodeSkipToken(planFor(path, query).shape, values, TEST_TOKEN_KEY);
      const shapes: [string, string, (string | number | null)[]][] = [
        ['intelProfiles/p/indicators', '', ['x']],
        ['intelProfiles/p/indicators', '$orderby=firstSeenDateTime desc', [1, 'x']],
        ['intelProfiles/p/indicators', "$filter=source eq 'osint'&$orderby=firstSeenDateTime desc", [1, 'x']],
        ['intelProfiles/p/indicators', '$orderby=lastSeenDateTime', [null, 'x']],
        ['intelligenceProfileIndicators', '', ['x']],
        ['intelligenceProfileIndicators', '$orderby=firstSeenDateTime', [1, 'x']],
      ];
      for (const [path, query, after] of shapes) {
        for (const q of [query, [query, `$skiptoken=${token(path, query, after)}`].filter(Boolean).join('&')]) {
          const compiled = compileCollectionQuery(planFor(path, q).query, deriveSchema(MODEL), sqliteDialect);
          const plan = explain(compiled.sql, compiled.parameters);
          assert.doesNotMatch(plan, /SCAN t(?! USING)/, `${path}?${q}\n${compiled.sql}\n→ ${plan}`);
          assert.doesNotMatch(plan, /USE TEMP B-TREE FOR ORDER BY/, `${path}?${q}\n→ ${plan}`);
        }
      }
      // Filtering by artifact finds at most one indicator per profile, so its (tiny) result may be sorted in memory.
      const byArtifact = compileCollectionQuery(planFor('intelligenceProfileIndicators', "$filter=artifact/id eq 'x.example'").query, deriveSchema(MODEL), sqliteDialect);
      assert.match(explain(byArtifact.sql, byArtifact.parameters), /SEARCH t USING INDEX ix_intelligence_profile_indicator_artifact_id/);
      const pivot = compileCollectionQuery(planFor('intelProfiles', "$filter=indicators/any(i: i/artifact/id eq 'x')").query, deriveSchema(MODEL), sqliteDialect);
      assert.match(explain(pivot.sql, pivot.parameters), /SEARCH l\d+ (EXISTS )?USING (COVERING )?INDEX ix_intelligence_profile_indicator_artifact_id/);
    } finally {
      await store.close();
    }
  });

  it('a subtype column of the artifact table has a partial index: a hostname row adds no entry, a filter on it uses it', async () => {
    const store = new SqliteStore(MODEL, { filename: ':memory:' });
    try {
      const artifact = deriveSchema(MODEL).tables.find((t) => t.name === 'artifact')!;
      const sha1 = artifact.indexes.find((i) => i.columns[0] === 'sha1')!;
      assert.deepEqual(sha1, { name: 'ix_artifact_sha1_nn', columns: ['sha1', 'id'], notNull: 'sha1' });
      const ddl = (store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ix_artifact_sha1_nn'").get() as { sql: string }).sql;
      assert.equal(ddl, 'CREATE INDEX "ix_artifact_sha1_nn" ON "artifact" ("sha1", "id") WHERE "sha1" IS NOT NULL');
      const q = compileCollectionQuery(planFor('sslCertificates', "$filter=sha1 eq 'ab'").query, deriveSchema(MODEL), sqliteDialect);
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(plan, /USING INDEX ix_artifact_sha1_nn/);
      // the indicator table's own columns keep full indexes (every indicator has them)
      assert.equal(deriveSchema(MODEL).tables.find((t) => t.name === 'intelligence_profile_indicator')!.indexes.some((i) => i.notNull), false);
    } finally {
      await store.close();
    }
  });

  it('a file that is not a database fails to open and is not left open (no descriptor of it remains)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-notdb-'));
    try {
      const file = join(dir, 'tigraph.db');
      writeFileSync(file, 'this is text, not a SQLite database');
      const open = (): number => readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
      assert.throws(() => new SqliteStore(MODEL, { filename: file }), /file is not a database/);
      assert.equal(open(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('detects schema drift instead of running on a changed model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-drift-'));
    try {
      const file = join(dir, 'db.sqlite');
      await new SqliteStore(MODEL, { filename: file }).close();
      const db = new Database(file);
      db.exec('ALTER TABLE intelligence_profile_indicator ADD COLUMN confidence INTEGER');
      db.close();
      assert.throws(() => new SqliteStore(MODEL, { filename: file }), {
        message: 'schema drift: table intelligence_profile_indicator has a column confidence that the model does not declare; add a migration',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
