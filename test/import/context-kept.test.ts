/**
 * Issue 11 finding 7 (context that was dropped): MISP galaxies other than threat-actor and the `tool="…"` /
 * `rat="…"` tags become profiles of the right kind; a STIX campaign's `attributed-to` relationship lists the
 * campaign's indicators under the attributed intrusion set too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitMitreName } from '../../src/import/readers/misp.js';
import { indicatorId, slugId } from '../../src/model/ids.js';
import { importInto, INDICATOR, inputFiles, KIND, memoryStore, PROFILE } from './helpers.js';
import type { Store } from '../../src/storage/store.js';


const file = inputFiles('tigraph-import-context-');


const profile = async (store: Store, id: string) => (await store.findOne({ kind: 'entity', type: PROFILE, key: id, parent: undefined, expand: [] }))?.values;
const indicator = async (store: Store, profileId: string, artifact: string) =>
  (await store.findOne({ kind: 'entity', type: INDICATOR, key: indicatorId(profileId, artifact), parent: undefined, expand: [] }))?.values;

const galaxy = (type: string, ...values: string[]) => ({ type, name: type, GalaxyCluster: values.map((value) => ({ value, meta: {} })) });

describe('MISP galaxies and tags (finding 7)', () => {
  it('splits MITRE cluster names into a title and an id', () => {
    assert.deepEqual(splitMitreName('APT28 - G0007'), { title: 'APT28', id: 'G0007' });
    assert.deepEqual(splitMitreName('Mimikatz - S0002'), { title: 'Mimikatz', id: 'S0002' });
    assert.deepEqual(splitMitreName('Lazarus Group'), { title: 'Lazarus Group' });
  });

  it('every actor and tool galaxy, tool="…" and rat="…" tags become profiles of their kind, each listing the event\'s indicators', async () => {
    const event = {
      Event: {
        info: 'galaxies',
        date: '2024-03-01',
        Galaxy: [
          galaxy('mitre-intrusion-set', 'APT28 - G0007'),
          galaxy('tool', 'BabyShark'),
          galaxy('rat', 'njRAT'),
          galaxy('banker', 'Zeus'),
          galaxy('malpedia', 'Emotet'),
          galaxy('mitre-malware', 'X-Agent - S0161'),
          galaxy('mitre-tool', 'Mimikatz - S0002'),
          galaxy('sector', 'Finance'),
        ],
        Tag: [{ name: 'tool="BabyShark"' }, { name: 'rat="Quasar"' }, { name: 'tlp:white' }, { name: 'misp-galaxy:mitre-intrusion-set="APT28 - G0007"' }],
        Attribute: [{ type: 'domain', value: 'galaxy.example', to_ids: true }],
      },
    };
    const store = memoryStore();
    const s = await importInto(store, [await file('galaxies.json', JSON.stringify(event))]);
    const expected: [string, 'actor' | 'tool', string[]][] = [
      ['APT28', 'actor', ['G0007']],
      ['BabyShark', 'tool', []],
      ['njRAT', 'tool', []],
      ['Zeus', 'tool', []],
      ['Emotet', 'tool', []],
      ['X-Agent', 'tool', ['S0161']],
      ['Mimikatz', 'tool', ['S0002']],
      ['Quasar', 'tool', []],
    ];
    assert.deepEqual(s.profiles, { created: 8, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 8, updated: 0, unchanged: 0, withoutProfile: 0 });
    for (const [title, kind, aliases] of expected) {
      const p = await profile(store, slugId(title));
      assert.ok(p, `profile ${title}`);
      assert.equal(p['title'], title);
      assert.equal(p['kind'], KIND(kind), `${title} is ${kind}`);
      assert.deepEqual(p['aliases'], aliases);
      assert.ok(await indicator(store, slugId(title), 'galaxy.example'), `${title} lists galaxy.example`);
    }
    assert.equal(await profile(store, slugId('Finance')), undefined, 'a sector galaxy is not a profile');
  });
});

describe('STIX campaigns attributed to an intrusion set (finding 7)', () => {
  it('an indicator of a campaign is listed by the campaign and by the intrusion set it is attributed to', async () => {
    const T = '2020-01-01T00:00:00Z';
    const sdo = (o: Record<string, unknown>) => JSON.stringify({ spec_version: '2.1', created: T, modified: T, ...o });
    const bundle = `{"type":"bundle","id":"bundle--a","objects":[${[
      sdo({ type: 'intrusion-set', id: 'intrusion-set--1', name: 'APT1' }),
      sdo({ type: 'campaign', id: 'campaign--1', name: 'Operation Example' }),
      sdo({ type: 'relationship', id: 'relationship--1', relationship_type: 'attributed-to', source_ref: 'campaign--1', target_ref: 'intrusion-set--1' }),
      sdo({ type: 'indicator', id: 'indicator--1', pattern: "[domain-name:value = 'op.example']", pattern_type: 'stix', valid_from: T }),
      sdo({ type: 'relationship', id: 'relationship--2', relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'campaign--1' }),
    ].join(',')}]}`;
    const store = memoryStore();
    const s = await importInto(store, [await file('attributed.json', bundle)]);
    assert.deepEqual(s.indicators, { created: 2, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.equal([...s.skipped.keys()].includes('relationship attributed-to not imported'), false);
    assert.ok(await indicator(store, slugId('Operation Example'), 'op.example'), 'the campaign lists it');
    assert.ok(await indicator(store, slugId('APT1'), 'op.example'), 'the attributed intrusion set lists it');
    assert.equal((await profile(store, slugId('Operation Example')))?.['kind'], KIND('actor'));
  });
});
