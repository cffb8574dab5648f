/**
 * The row codec (src/storage/sql/row-codec.ts): encodeSet, the bulk write path's encoding, is encode without the
 * null columns — the same value in every column, for records of every shape the writes carry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../src/model/model.js';
import { deriveSchema } from '../../src/storage/schema/derive-schema.js';
import { createCodecs } from '../../src/storage/sql/row-codec.js';
import { profile, indicator, writesOf } from './store-cases.js';

const schema = deriveSchema(MODEL);
const codecs = createCodecs(schema);
const nonNull = (row: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));

describe('row codec', () => {
  it('encodeSet = encode minus its null columns, for a profile (JSON columns), indicators (a parent key, a navigation) and artifacts', () => {
    const writes = writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'), indicator('i2', 'b.example', '2024-01-02T00:00:00Z')], { aliases: ['x', 'y'] }));
    const tables = new Set<string>();
    for (const w of writes) {
      const table = schema.tables.find((t) => t.concreteTypes.includes(w.record.type))!;
      const codec = codecs.get(table)!;
      tables.add(table.name);
      assert.deepEqual(codec.encodeSet(w), nonNull(codec.encode(w)));
    }
    assert.deepEqual([...tables].sort(), ['artifact', 'intelligence_profile', 'intelligence_profile_indicator']);
  });

  it('encodeSet of an indicator carries exactly its key, type, values, artifact reference and profile key', () => {
    const w = writesOf(profile('p1', [indicator('i1', 'a.example', '2024-01-01T00:00:00Z')])).find((x) => x.record.type.name === 'intelligenceProfileIndicator')!;
    const table = schema.tables.find((t) => t.name === 'intelligence_profile_indicator')!;
    assert.deepEqual(codecs.get(table)!.encodeSet(w), {
      odata_type: 'intelligenceProfileIndicator',
      id: 'i1',
      source: 1,
      first_seen_date_time: Date.parse('2024-01-01T00:00:00Z'),
      artifact_id: 'a.example',
      artifact_type: 'hostname',
      intelligence_profile_id: 'p1',
    });
  });
});
