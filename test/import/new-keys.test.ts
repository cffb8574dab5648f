/**
 * Which writes of an import are marked new (write-batch.ts, "New keys"; WriteRecord.expectNew): every indicator
 * counted as created, and, on a store that appends new keys faster (PostgreSQL), every artifact of an import into
 * an empty artifact table that no earlier batch wrote. The stored rows are the same either way.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MODEL } from '../../src/model/model.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import { counts, importInto, INDICATOR, inputFiles, NOW, PROFILE } from './helpers.js';

const file = inputFiles('tigraph-new-keys-');
const hosts = (prefix: string, from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}.example`).join('\n') + '\n';

interface Marks {
  indicators: { marked: number; unmarked: number };
  artifacts: { marked: number; unmarked: number };
}

/** The store's `write`, instrumented: how many indicator and artifact records it was given, marked new or not. */
function recordMarks(store: Store): () => Marks {
  const write = store.write.bind(store);
  let marks: Marks = { indicators: { marked: 0, unmarked: 0 }, artifacts: { marked: 0, unmarked: 0 } };
  store.write = (records, options) => {
    for (const w of records) {
      if (w.record.type === PROFILE) continue;
      const side = w.record.type === INDICATOR ? marks.indicators : marks.artifacts;
      side[w.expectNew ? 'marked' : 'unmarked']++;
    }
    return write(records, options);
  };
  return () => {
    const seen = marks;
    marks = { indicators: { marked: 0, unmarked: 0 }, artifacts: { marked: 0, unmarked: 0 } };
    return seen;
  };
}

async function runs(store: Store): Promise<unknown[]> {
  // alpha and beta share the hosts a4…a7: 16 indicators (two profiles), 12 artifacts, 4 of them written twice.
  const alpha = await file('apt_alpha.txt', hosts('a', 0, 8));
  const beta = await file('apt_beta.txt', hosts('a', 4, 12));
  const gamma = await file('apt_gamma.txt', hosts('a', 0, 4) + hosts('g', 0, 4));
  const marks = recordMarks(store);
  const out: unknown[] = [];
  // The third run imports alpha as seen a day earlier: its 8 indicators are stored, and updated.
  for (const [inputs, now] of [[[alpha, beta], NOW], [[gamma], NOW], [[alpha], NOW - 86_400_000]] as const) {
    const s = await importInto(store, [...inputs], { batchSize: 4, deferIndexes: 'never', now });
    out.push({ created: s.indicators.created, updated: s.indicators.updated, ...marks(), stored: await counts(store) });
  }
  return out;
}

describe('keys an import marks new (WriteRecord.expectNew)', () => {
  const first = { created: 16, updated: 0, indicators: { marked: 16, unmarked: 0 } };
  const second = { created: 8, updated: 0, indicators: { marked: 8, unmarked: 0 }, artifacts: { marked: 0, unmarked: 8 }, stored: { profiles: 3, indicators: 24 } };
  // Stored indicators are written unmarked, and so are their artifacts.
  const third = { created: 0, updated: 8, indicators: { marked: 0, unmarked: 8 }, artifacts: { marked: 0, unmarked: 8 }, stored: { profiles: 3, indicators: 24 } };

  it('SQLite (an upsert of a new key costs what an insert does): the created indicators only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tigraph-new-keys-db-'));
    const store = new SqliteStore(MODEL, { filename: join(dir, 'tigraph.db') });
    try {
      assert.equal(store.appendsNewKeys, false);
      assert.deepEqual(await runs(store), [{ ...first, artifacts: { marked: 0, unmarked: 16 }, stored: { profiles: 2, indicators: 16 } }, second, third]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: also the artifacts of a load into an empty artifact table, each the first time a batch writes it', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, async () => {
    const store = await createTestPostgresStore({ writesInFlight: 2 });
    try {
      assert.equal(store.appendsNewKeys, true);
      assert.deepEqual(await runs(store), [{ ...first, artifacts: { marked: 12, unmarked: 4 }, stored: { profiles: 2, indicators: 16 } }, second, third]);
      const artifacts = (await store.pool.query('SELECT count(*)::int AS n FROM artifact')).rows[0].n;
      assert.equal(artifacts, 16);
    } finally {
      await store.close();
    }
  });
});
