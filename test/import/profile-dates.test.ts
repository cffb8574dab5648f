/**
 * Issue 11 finding 4: a profile's firstActiveDateTime is the source's own date, else the earliest first seen of
 * its indicators, else the date of the source's record (STIX `created`), never the import day when the source
 * knows better.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { slugId } from '../../src/model/ids.js';
import { importInto, memoryStore, PROFILE } from './helpers.js';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-profile-dates-'));
});
after(() => rm(tmp, { recursive: true, force: true }));

const sdo = (o: Record<string, unknown>) => JSON.stringify({ spec_version: '2.1', created: '2019-05-01T00:00:00Z', modified: '2019-05-01T00:00:00Z', ...o });
const indicates = (n: number, target: string) => sdo({ type: 'relationship', id: `relationship--${n}`, relationship_type: 'indicates', source_ref: `indicator--${n}`, target_ref: target });

describe('profile first activity from STIX', () => {
  it('first_seen wins; else the earliest indicator (even when later than created); else created; never the import day', async () => {
    const objects = [
      sdo({ type: 'intrusion-set', id: 'intrusion-set--1', name: 'Dated Set', first_seen: '2015-03-01T00:00:00Z' }),
      sdo({ type: 'malware', id: 'malware--2', name: 'Undated Malware', is_family: true }),
      sdo({ type: 'intrusion-set', id: 'intrusion-set--3', name: 'Indicated Set' }),
      sdo({ type: 'indicator', id: 'indicator--4', pattern: "[domain-name:value = 'later.example']", pattern_type: 'stix', valid_from: '2021-07-01T00:00:00Z' }),
      sdo({ type: 'indicator', id: 'indicator--5', pattern: "[domain-name:value = 'later-still.example']", pattern_type: 'stix', valid_from: '2022-01-01T00:00:00Z' }),
      indicates(4, 'intrusion-set--3'),
      indicates(5, 'intrusion-set--3'),
    ];
    const path = join(tmp, 'dates.json');
    await writeFile(path, `{"type":"bundle","id":"bundle--d","objects":[${objects.join(',')}]}`);
    const store = memoryStore();
    await importInto(store, [path]);
    const active = async (title: string) => {
      const v = (await store.findOne({ kind: 'entity', type: PROFILE, key: slugId(title), parent: undefined, expand: [] }))?.values;
      return new Date(v!['firstActiveDateTime'] as number).toISOString();
    };
    assert.deepEqual(
      [await active('Dated Set'), await active('Undated Malware'), await active('Indicated Set')],
      ['2015-03-01T00:00:00.000Z', '2019-05-01T00:00:00.000Z', '2021-07-01T00:00:00.000Z'],
    );
    await store.close();
  });
});
