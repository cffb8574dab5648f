/**
 * Issue 11 findings 1, 2, 7 (STIX campaigns) and 8 (capped descriptions, the `invalid port` reason): what kind and
 * title a profile gets from its file or STIX type, and how large its reference description may grow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalize } from '../../src/import/canonicalize.js';
import { MAX_REFERENCES, profileFromFileName, referencesDescription } from '../../src/import/readers/ioc-list.js';
import { indicatorId, slugId } from '../../src/model/ids.js';
import { importInto, INDICATOR, inputFiles, KIND, memoryStore, PROFILE } from './helpers.js';
import type { Store } from '../../src/storage/store.js';


const file = inputFiles('tigraph-import-kinds-');


const entity = async (store: Store, type: typeof PROFILE, key: string): Promise<Readonly<Record<string, unknown>> | undefined> =>
  (await store.findOne({ kind: 'entity', type, key, parent: undefined, expand: [] }))?.values;

describe('profile kinds and titles from IOC list file names', () => {
  it('numeric and other non-APT family names keep their name and are tools; apt_ files are actors', () => {
    assert.deepEqual(profileFromFileName('/trails/static/malware/9002.txt'), { title: '9002', kind: 'tool' });
    assert.deepEqual(profileFromFileName('404.txt'), { title: '404', kind: 'tool' });
    assert.deepEqual(profileFromFileName('cobaltstrike.txt'), { title: 'cobaltstrike', kind: 'tool' });
    assert.deepEqual(profileFromFileName('apt_12.txt'), { title: 'apt12', kind: 'actor' });
    assert.deepEqual(profileFromFileName('apt_gamaredon-1.txt'), { title: 'gamaredon', kind: 'actor' });
  });

  it('importing 9002.txt and apt_kimsuky.txt stores a tool "9002" and an actor "kimsuky"', async () => {
    const store = memoryStore();
    await importInto(store, [await file('9002.txt', '# Reference: https://example.org/9002\n9002-rat.example\n'), await file('apt_kimsuky.txt', 'kimsuky.example\n')]);
    const rat = await entity(store, PROFILE, slugId('9002'));
    assert.ok(rat, 'profile 9002 exists');
    assert.equal(rat['kind'], KIND('tool'));
    assert.equal(rat['title'], '9002');
    assert.equal(await entity(store, PROFILE, 'apt9002'), undefined);
    const kimsuky = await entity(store, PROFILE, slugId('kimsuky'));
    assert.ok(kimsuky, 'profile kimsuky exists');
    assert.equal(kimsuky['kind'], KIND('actor'));
    assert.ok(await entity(store, INDICATOR, indicatorId(slugId('9002'), '9002-rat.example')));
  });
});

describe('STIX campaigns are actor profiles', () => {
  it('an indicator that indicates a campaign belongs to the campaign profile', async () => {
    const T = '2020-01-01T00:00:00Z';
    const sdo = (o: Record<string, unknown>) => JSON.stringify({ spec_version: '2.1', created: T, modified: T, ...o });
    const bundle = `{"type":"bundle","id":"bundle--c","objects":[${[
      sdo({ type: 'campaign', id: 'campaign--1', name: 'admin@338' }),
      sdo({ type: 'indicator', id: 'indicator--1', pattern: "[domain-name:value = 'campaign.example']", pattern_type: 'stix', valid_from: T }),
      sdo({ type: 'relationship', id: 'relationship--1', relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'campaign--1' }),
    ].join(',')}]}`;
    const store = memoryStore();
    const s = await importInto(store, [await file('campaign.json', bundle)]);
    assert.deepEqual(s.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 0 });
    const p = await entity(store, PROFILE, slugId('admin@338'));
    assert.ok(p, 'campaign profile exists');
    assert.equal(p['kind'], KIND('actor'));
    assert.ok(await entity(store, INDICATOR, indicatorId(slugId('admin@338'), 'campaign.example')));
  });
});

describe('MISP dates (finding 4)', () => {
  it('first seen = first_seen, else the event date (not the modification timestamp); last seen = last_seen, else the latest timestamp', async () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    const epoch = (d: string) => String(day(d) / 1000);
    const event = {
      Event: {
        info: 'dates',
        date: '2024-02-01',
        timestamp: epoch('2024-02-05'),
        Attribute: [
          { type: 'domain', value: 'modified-later.example', to_ids: true, timestamp: epoch('2024-02-12') },
          { type: 'domain', value: 'event-newer.example', to_ids: true, timestamp: epoch('2024-02-03') },
          { type: 'domain', value: 'own-dates.example', to_ids: true, timestamp: epoch('2024-02-12'), first_seen: '2024-01-15T10:00:00.000000+00:00', last_seen: '2024-01-20T10:00:00.000000+00:00' },
        ],
      },
    };
    const store = memoryStore();
    await importInto(store, [await file('dates-event.json', JSON.stringify(event))], { profile: 'Dates Group' });
    const seen = async (artifact: string) => {
      const v = await entity(store, INDICATOR, indicatorId(slugId('Dates Group'), artifact));
      assert.ok(v, artifact);
      return [v['firstSeenDateTime'], v['lastSeenDateTime']];
    };
    assert.deepEqual(await seen('modified-later.example'), [day('2024-02-01'), day('2024-02-12')]);
    assert.deepEqual(await seen('event-newer.example'), [day('2024-02-01'), day('2024-02-05')]);
    assert.deepEqual(await seen('own-dates.example'), [Date.parse('2024-01-15T10:00:00Z'), Date.parse('2024-01-20T10:00:00Z')]);
  });
});

describe('bounded payloads and right reasons', () => {
  it(`a reference description keeps the first ${MAX_REFERENCES} references and counts the rest`, () => {
    const refs = Array.from({ length: 24399 }, (_, i) => `https://ref.example/${i}`);
    const d = referencesDescription(refs);
    assert.equal(d.split('\n').filter((l) => l.startsWith('- ')).length, MAX_REFERENCES);
    assert.ok(d.includes(`- https://ref.example/${MAX_REFERENCES - 1}\n`));
    assert.ok(!d.includes(`https://ref.example/${MAX_REFERENCES}\n`));
    assert.ok(d.endsWith(`\n… and ${24399 - MAX_REFERENCES} more references\n`));
    assert.ok(d.length < 64 * 1024);
    assert.equal(referencesDescription(['a', 'b']), 'References:\n\n- a\n- b\n');
  });

  it('failures are values on the summary: --strict with a reject is strictAborted; a clean import has none', async () => {
    const store = memoryStore();
    const bad = await importInto(store, [await file('apt_strictvalues.txt', 'ok.example\n999.1.1.1\n')], { strict: true });
    assert.deepEqual([...bad.failures], ['strictAborted']);
    const good = await importInto(store, [await file('apt_cleanvalues.txt', 'ok.example\n')]);
    assert.deepEqual([...good.failures], []);
  });

  it('ip:port with an out-of-range port is "invalid port", not "invalid IPv6 address"', () => {
    const c = canonicalize('91.109.190.5:660666');
    assert.deepEqual(c, { ok: false, outcome: 'reject', reason: 'invalid port' });
    const ok = canonicalize('91.109.190.5:6606');
    assert.ok(ok.ok);
    assert.equal(ok.artifact.id, '91.109.190.5');
  });
});
