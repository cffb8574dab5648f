/**
 * EntityWriter (src/import/write-entities.ts) remembers what it wrote in a run as a 128-bit digest of each record's
 * canonical form (formDigest), not the form itself, so its memory does not grow with the records' text; a repeat
 * within the run is still told from a changed one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { importInto, inputFiles, memoryStore } from './helpers.js';
import { formDigest } from '../../src/import/write-entities.js';
import { MODEL } from '../../src/model/model.js';

const input = inputFiles('tigraph-write-entities-');

describe('entity writer', () => {
  it('formDigest: the first 22 base64url characters of the form\'s SHA-256 (128 bits), whatever its length', () => {
    const long = 'x'.repeat(1_000_000);
    assert.equal(formDigest(long), createHash('sha256').update(long).digest('base64url').slice(0, 22));
    assert.equal(formDigest(long).length, 22);
    // printf '%s' '{"t":"vulnerability"}' | sha256sum, in base64url: SgQRmitIZJ6JjXMkhwjBtu…
    assert.equal(formDigest('{"t":"vulnerability"}'), 'SgQRmitIZJ6JjXMkhwjBtu');
  });

  it('within a run, with batches of 1: an identical repeat is neither counted nor written again, a changed one is written (the later wins)', async () => {
    const record = (description: string): Record<string, unknown> => ({
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: 'CVE-2099-7001', state: 'PUBLISHED', datePublished: '2024-01-02T03:04:05.000Z', dateUpdated: '2024-02-01T00:00:00.000Z' },
      containers: { cna: { descriptions: [{ lang: 'en', value: description }], affected: [{ vendor: 'Example', product: 'Widget' }] } },
    });
    const file = await input('repeats.json', JSON.stringify([record('first'), record('first'), record('second')]));
    const store = memoryStore();
    try {
      const s = await importInto(store, [file], { batchSize: 1 });
      // Batch 1 writes the record and its component; batch 2 (the same record) writes nothing; batch 3 the change.
      assert.deepEqual({ entities: Object.fromEntries(s.entities), batches: s.batches }, { entities: { vulnerability: { created: 1, updated: 0, unchanged: 0 }, vulnerabilityComponent: { created: 1, updated: 0, unchanged: 0 } }, batches: 2 });
      const v = await store.findOne({ kind: 'entity', type: MODEL.entitySet('vulnerabilities')!.entityType, key: 'CVE-2099-7001', parent: undefined, expand: [] });
      assert.equal((v?.values['description'] as { content?: unknown } | undefined)?.content, 'second');
    } finally {
      await store.close();
    }
  });
});
