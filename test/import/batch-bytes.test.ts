/**
 * A batch is written once its pending indicators hold BATCH_BYTES (8 MiB) of text, however few they are
 * (src/import/batch-bytes.ts): rows of long values make smaller batches, not batches of more memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counts, importInto, inputFiles, memoryStore } from './helpers.js';
import { BATCH_BYTES, pendingBytes, recordBytes } from '../../src/import/batch-bytes.js';
import { MODEL } from '../../src/model/model.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';

const input = inputFiles('tigraph-batch-bytes-');

describe('batch bytes', () => {
  it('pendingBytes: id, position, property names and string values; 8 per other value, a nested one by its JSON', () => {
    assert.equal(BATCH_BYTES, 8 * 1024 * 1024);
    // 3 + 6, then '@odata.type' (11) + '#x' (2), 'id' (2) + 'h.example' (9).
    assert.equal(pendingBytes('abc', 'line 1', { '@odata.type': '#x', id: 'h.example' }), 33);
    // 11 + 0, 2 + 0, 'port' (4) + 8, 'nested' (6) + '{"a":1}' (7).
    assert.equal(pendingBytes('', '', { '@odata.type': '', id: '', port: 443, nested: { a: 1 } }), 38);
    // 'record 1' (8), then per record: 'id' (2) + 'CVE-1' (5); 'id' (2) + 'c' (1), 'score' (5) + 8.
    assert.equal(recordBytes('record 1', [{ record: { values: { id: 'CVE-1' } } }, { record: { values: { id: 'c', score: 7.5 } } }]), 31);
  });

  it('10 URLs of 1,000,000 characters with the default --batch-size (5,000): 2 batches, not 1, every URL stored whole', async () => {
    const url = (i: number): string => {
      const head = `https://big-${i}.example/p?q=`;
      return head + 'x'.repeat(1_000_000 - head.length);
    };
    const file = await input('apt_bigurlgroup.txt', Array.from({ length: 10 }, (_, i) => url(i)).join('\n') + '\n');
    const store = memoryStore();
    try {
      const s = await importInto(store, [file]);
      // 10 URL indicators and the 10 host indicators derived from them (an IOC list's lines are at most 1 MiB). A
      // batch is written at the indicator that brings it to 8 MiB (8,388,608 bytes): the ninth URL (8 URLs and their
      // hosts hold a little over 8,000,000), then the rest at the end. Counted by indicators alone: 1 batch.
      assert.deepEqual({ indicators: s.indicators, batches: s.batches, stored: await counts(store) }, { indicators: { created: 20, updated: 0, unchanged: 0, withoutProfile: 0 }, batches: 2, stored: { profiles: 1, indicators: 20 } });
      const lengths = store.db.prepare(`SELECT length("value") FROM "artifact" WHERE "value" LIKE 'https://big-%' ORDER BY 1`).pluck().all();
      assert.deepEqual(lengths, Array.from({ length: 10 }, () => 1_000_000));
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL the same: the 10 URLs of 1,000,000 characters make 2 batches, every URL stored whole', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, async () => {
    const head = (i: number): string => `https://pg-big-${i}.example/p?q=`;
    const file = await input('apt_pgbigurlgroup.txt', Array.from({ length: 10 }, (_, i) => head(i) + 'x'.repeat(1_000_000 - head(i).length)).join('\n') + '\n');
    const store = await createTestPostgresStore();
    try {
      const s = await importInto(store, [file]);
      assert.deepEqual({ indicators: s.indicators, batches: s.batches, stored: await counts(store) }, { indicators: { created: 20, updated: 0, unchanged: 0, withoutProfile: 0 }, batches: 2, stored: { profiles: 1, indicators: 20 } });
      const rows = await store.pool.query(`SELECT length("value") AS n FROM "artifact" WHERE "value" LIKE 'https://pg-big-%'`);
      assert.deepEqual(rows.rows.map((r: { n: number }) => Number(r.n)), Array.from({ length: 10 }, () => 1_000_000));
    } finally {
      await store.close();
    }
  });

  it('entity records too: 10 CVE records with descriptions of 1,000,000 characters make 2 batches, not 1, each description stored whole', async () => {
    const record = (i: number): Record<string, unknown> => ({
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: `CVE-2099-${9000 + i}`, state: 'PUBLISHED', datePublished: '2024-01-02T03:04:05.000Z', dateUpdated: '2024-02-01T00:00:00.000Z' },
      containers: { cna: { descriptions: [{ lang: 'en', value: 'd'.repeat(1_000_000) }], affected: [{ vendor: 'Example', product: `Widget ${i}` }] } },
    });
    // One file of about 10 MB (a CVE file may hold 16 MiB).
    const file = await input('big-descriptions.json', JSON.stringify(Array.from({ length: 10 }, (_, i) => record(i))));
    const store = memoryStore();
    try {
      const s = await importInto(store, [file]);
      // Written at the record that brings the batch to 8 MiB, the ninth (8 hold a little over 8,000,000), and the
      // last one at the end. By count alone (--batch-size 5,000): 1 batch.
      assert.deepEqual({ entities: Object.fromEntries(s.entities), batches: s.batches }, { entities: { vulnerability: { created: 10, updated: 0, unchanged: 0 }, vulnerabilityComponent: { created: 10, updated: 0, unchanged: 0 } }, batches: 2 });
      const type = MODEL.entitySet('vulnerabilities')!.entityType;
      const lengths = [];
      // description is a formattedContent: { content, format }.
      for (let i = 0; i < 10; i++) {
        const v = await store.findOne({ kind: 'entity', type, key: `CVE-2099-${9000 + i}`, parent: undefined, expand: [] });
        lengths.push(String((v?.values['description'] as { content?: unknown } | undefined)?.content).length);
      }
      assert.deepEqual(lengths, Array.from({ length: 10 }, () => 1_000_000));
    } finally {
      await store.close();
    }
  });
});
