/** Applies the migrations to an SQLite database, each in its own transaction. */
import type Database from 'better-sqlite3';
import type { Schema } from '../schema/derive-schema.js';
import { checksum, migrations } from '../sql/migrations.js';
import type { SqlDialect } from '../sql/sql-dialect.js';

export function migrate(db: Database.Database, schema: Schema, dialect: SqlDialect): void {
  db.exec('CREATE TABLE IF NOT EXISTS "tigraph_migrations" ("version" INTEGER PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" INTEGER NOT NULL)');
  const applied = new Map(
    (db.prepare('SELECT version, checksum FROM tigraph_migrations').all() as { version: number; checksum: string }[]).map((r) => [r.version, r.checksum]),
  );
  for (const m of migrations(schema, dialect)) {
    const sum = checksum(m);
    const have = applied.get(m.version);
    if (have === sum) continue;
    if (have !== undefined) throw new Error(`schema drift: migration ${m.version} was applied with checksum ${have}, the model now derives ${sum}; add a migration`);
    db.transaction(() => {
      for (const s of m.statements) db.exec(s);
      db.prepare('INSERT INTO tigraph_migrations (version, checksum, applied_at) VALUES (?, ?, ?)').run(m.version, sum, Date.now());
    })();
  }
}
