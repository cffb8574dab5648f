/**
 * Property-based (fast-check): generated importer inputs — IOC lists, Microsoft-style CSVs, STIX bundles and MISP
 * events built from valid pieces and hostile ones (unterminated quotes, NUL, defanged and malformed values, wrong
 * JSON shapes, truncation) — through the real engine into a real store. Every input ends as a summary (never a
 * thrown error), nothing is counted twice (the store grows by exactly the indicators the summary says were created,
 * less the orphans they adopted),
 * and importing the same input again creates nothing. 1,600 inputs per run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { counts, importInto, inputFiles, memoryStore } from './helpers.js';

const file = inputFiles('tigraph-generated-inputs-');

const value = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.ipV6(),
  fc.webUrl(),
  fc.constantFrom('evil[.]example', 'hxxp://bad[.]example/x', '91.109.190.5:660666', '192.0.2.300', 'd41d8cd98f00b204e9800998ecf8427e', 'a'.repeat(64), '\u0000', '"', "'", '', ' ', '#comment', ',,,'),
  fc.string({ maxLength: 30 }),
);

/** Cuts a text at a generated point (a truncated download). */
const truncated = (text: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(text, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1)));

const iocList = fc.array(value, { maxLength: 30 }).map((vs) => vs.join('\n'));
const csv = fc
  .array(fc.tuple(fc.constantFrom('Domain', 'IPv4', 'URL', 'SHA256', 'Nope', ''), value, fc.constantFrom('2024-01-01', '2024-02-30', 'yesterday', '')), { maxLength: 20 })
  .map((rows) => ['Indicator type,Indicator,First seen', ...rows.map(([t, v, d]) => `${t},${v.includes(',') ? `"${v}` : v},${d}`)].join('\n'));
const stixObject = fc.oneof(
  fc.tuple(fc.uuid(), value).map(([id, v]) => ({ type: 'indicator', spec_version: '2.1', id: `indicator--${id}`, created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', pattern: `[domain-name:value = '${v.replace(/'/g, "\\'")}']`, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' })),
  fc.tuple(fc.uuid(), fc.string({ maxLength: 10 })).map(([id, name]) => ({ type: 'intrusion-set', spec_version: '2.1', id: `intrusion-set--${id}`, name, created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z' })),
  fc.tuple(fc.uuid(), fc.uuid(), fc.uuid()).map(([a, b, c]) => ({ type: 'relationship', spec_version: '2.1', id: `relationship--${a}`, relationship_type: 'indicates', source_ref: `indicator--${b}`, target_ref: `intrusion-set--${c}` })),
  fc.jsonValue({ maxDepth: 3 }),
);
const stix = fc.array(stixObject, { maxLength: 12 }).map((objects) => JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }));
const misp = fc
  .array(fc.tuple(fc.constantFrom('domain', 'ip-dst', 'url', 'md5', 'sha256', 'link', 'nope'), value, fc.constantFrom('1704067200', 'x', '')), { maxLength: 12 })
  .map((attrs) => JSON.stringify({ Event: { info: 'generated', date: '2024-01-01', Attribute: attrs.map(([type, v, ts]) => ({ type, value: v, timestamp: ts, to_ids: true })) } }));

const input = fc.oneof(
  iocList.map((text) => ({ name: 'apt_generated.txt', text })),
  csv.map((text) => ({ name: 'generated.csv', text })),
  fc.oneof(stix, truncated(stix)).map((text) => ({ name: 'generated.json', text })),
  fc.oneof(misp, truncated(misp)).map((text) => ({ name: 'generated-misp.json', text })),
);

describe('generated importer inputs', () => {
  it('1,600 inputs: a summary every time, stored indicators as counted, a re-import creates nothing', async () => {
    let n = 0;
    // One store for the whole run (inputs pile up in it, as in a real one): each case checks what it added.
    const store = memoryStore();
    try {
      await fc.assert(
        fc.asyncProperty(input, async ({ name, text }) => {
          const path = await file(`${n++}-${name}`, text);
          const before = (await counts(store)).indicators;
          const first = await importInto(store, [path]);
          // An adopted orphan (a stored indicator without a profile, now listed under one) is replaced, not added.
          assert.equal((await counts(store)).indicators - before, first.indicators.created - first.orphansAdopted, `stored vs. created for ${JSON.stringify(text.slice(0, 200))}`);
          const again = await importInto(store, [path]);
          assert.equal(again.indicators.created, 0, `re-import created indicators for ${JSON.stringify(text.slice(0, 200))}`);
          assert.equal(again.profiles.created, 0);
        }),
        { numRuns: 1600 },
      );
    } finally {
      await store.close();
    }
  });
});
