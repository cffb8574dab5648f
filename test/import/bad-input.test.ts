/** Malformed input: reported with position and reason, the import goes on; --strict writes nothing. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indicatorId } from '../../src/model/ids.js';
import { byReason, counts, importInto, INDICATOR, memoryStore, PROFILE } from './helpers.js';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-import-bad-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const T = '2020-01-01T00:00:00Z';
const sdo = (o: Record<string, unknown>) => JSON.stringify({ spec_version: '2.1', created: T, modified: T, ...o });
const indicator = (n: number, pattern: string, extra: Record<string, unknown> = {}) =>
  sdo({ type: 'indicator', id: `indicator--${n}`, pattern, pattern_type: 'stix', valid_from: T, ...extra });
const indicates = (n: number) => sdo({ type: 'relationship', id: `relationship--${n}`, relationship_type: 'indicates', source_ref: `indicator--${n}`, target_ref: 'intrusion-set--1' });
const bundle = (objects: string[]) => `{"type":"bundle","id":"bundle--x","objects":[\n${objects.join(',\n')}\n]}`;

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = join(tmp, name);
  await writeFile(p, content);
  return p;
}

const profileBundle = () => [
  sdo({ type: 'intrusion-set', id: 'intrusion-set--1', name: 'Bad Input Group' }),
  indicator(1, "[domain-name:value = 'good-one.example']"),
  indicates(1),
  "{ \"type\": \"indicator\", \"id\": 'single-quoted' }", // object 3: not JSON, but balanced
  indicator(4, "[domain-name:value = 'broken.example'"), // unparseable pattern
  indicator(5, "[ipv4-addr:value = '300.1.2.3']"), // invalid IP
  sdo({ type: 'indicator', id: 'indicator--6', pattern_type: 'stix', valid_from: T }), // no pattern
  indicator(7, "[domain-name:value = 'no-date.example']", { valid_from: undefined }), // no valid_from
  sdo({ type: 'malware', id: 'malware--8' }), // no name
  indicator(9, "[domain-name:value = 'good-two.example' OR ipv6-addr:value = '2001:DB8::9']"),
  indicates(9),
  '{"type":"indicator","id":"indicator--12","pattern":"[domain-name:value = \'x.example\']",}', // object 11: trailing comma
];

describe('bad input', () => {
  it('STIX: each malformed object is reported with its index; the rest imports', async () => {
    const store = memoryStore();
    const s = await importInto(store, [await file('bad.json', bundle(profileBundle()))]);
    assert.deepEqual(byReason(s.rejected), {
      'malformed JSON': 2,
      'unparseable pattern: unbalanced brackets': 1,
      'invalid IPv4 address': 1,
      'missing required field pattern': 1,
      'missing required field valid_from': 1,
      'missing required field name': 1,
    });
    assert.deepEqual(s.rejected.get('malformed JSON')!.positions, ['object 3', 'object 11']);
    assert.deepEqual(s.rejected.get('unparseable pattern: unbalanced brackets')!.positions, [`object 4 "[domain-name:value = 'broken.example'"`]);
    assert.deepEqual(s.rejected.get('invalid IPv4 address')!.positions, ['object 5 "300.1.2.3"']);
    assert.deepEqual(s.rejected.get('missing required field name')!.positions, ['object 8']);
    assert.deepEqual(s.indicators, { created: 3, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.ok(await store.findOne({ kind: 'entity', type: INDICATOR, key: indicatorId('bad-input-group', '2001:db8::9'), parent: undefined, expand: [] }));
  });

  it('a profile name over the stored limit (800 UTF-8 bytes) is rejected with its position; the other profile imports', async () => {
    const store = memoryStore();
    const long = 'N'.repeat(1000);
    const s = await importInto(store, [
      await file('long-name.json', bundle([sdo({ type: 'intrusion-set', id: 'intrusion-set--9', name: long }), sdo({ type: 'intrusion-set', id: 'intrusion-set--1', name: 'Bad Input Group' })])),
    ]);
    const reason = 'invalid profile name: the string is 1000 bytes long (UTF-8); at most 800 are stored';
    assert.deepEqual([...s.rejected.keys()], [reason]);
    assert.deepEqual(s.rejected.get(reason)!.positions, ['object 0']);
    assert.deepEqual([s.profiles.created, s.profiles.updated], [1, 0]);
    assert.ok(await store.findOne({ kind: 'entity', type: PROFILE, key: 'bad-input-group', parent: undefined, expand: [] }));
  });

  it('--strict: any rejected record aborts the import with nothing written', async () => {
    const store = memoryStore();
    const s = await importInto(store, [await file('bad-strict.json', bundle(profileBundle()))], { strict: true, batchSize: 1 });
    assert.equal(s.aborted, true);
    assert.equal(s.rejected.size, 6);
    assert.deepEqual(await counts(store), { profiles: 0, indicators: 0 });
    // without rejects, --strict imports normally
    const ok = await importInto(store, [await file('good-strict.json', bundle([profileBundle()[0]!, profileBundle()[1]!, profileBundle()[2]!]))], { strict: true });
    assert.equal(ok.aborted, false);
    assert.deepEqual(await counts(store), { profiles: 1, indicators: 1 });
  });

  it('a truncated bundle: complete objects before the cut import, the truncation is reported', async () => {
    const text = bundle(profileBundle());
    const cut = text.slice(0, text.indexOf('indicator--9') - 20);
    const store = memoryStore();
    const s = await importInto(store, [await file('truncated.json', cut)]);
    assert.deepEqual(s.rejected.get('truncated file')?.count, 1);
    assert.deepEqual(s.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(await counts(store), { profiles: 1, indicators: 1 });
  });

  it('non-UTF-8 bytes: the affected line or object is rejected, the rest imports', async () => {
    const list = Buffer.concat([Buffer.from('# Aliases: x\nfine-one.example\nbad-\xff'), Buffer.from([0xff, 0xfe]), Buffer.from('.example\nfine-two.example\n')]);
    const store = memoryStore();
    const s = await importInto(store, [await file('apt_utf8.txt', list)]);
    assert.deepEqual(byReason(s.rejected), { 'not valid UTF-8': 1 });
    assert.deepEqual(s.rejected.get('not valid UTF-8')!.positions, ['line 3']);
    assert.equal(s.indicators.created, 2);

    const objects = profileBundle().slice(0, 3);
    const bad = Buffer.from(bundle(objects).replace('Bad Input Group', 'Bad Input Gr\u00f6up'), 'latin1'); // ö as the lone byte 0xf6
    const s2 = await importInto(memoryStore(), [await file('latin1.json', bad)]);
    assert.deepEqual(s2.rejected.get('not valid UTF-8')?.positions, ['object 0']);
    assert.deepEqual(s2.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 1 });
  });

  it('IOC lists and CSVs: invalid values are rejected with their line', async () => {
    const store = memoryStore();
    const s = await importInto(store, [await file('apt_mixed.txt', 'ok.example\n999.1.2.3\nnot a domain\n10.0.0.0/8\n192.0.2.7:443 # c2\n')]);
    assert.deepEqual(byReason(s.rejected), { 'invalid IPv4 address': 1, 'not a domain, IP address or URL': 1 });
    assert.deepEqual(byReason(s.skipped), { 'network, not a host': 1 });
    assert.deepEqual(s.rejected.get('invalid IPv4 address')!.positions, ['line 2 "999.1.2.3"']);
    assert.equal(s.indicators.created, 2);
    const csv = await file(
      'rr.csv',
      'TimeGenerated,IoC,IoC_Type,ExpirationDateTime,Description,Action,ConfidenceScore,ThreatType,Active,Type,TrafficLightProtocolLevel,ActivityGroupNames\n' +
        '1/2/2023,,domainname,,,Alert,100,x,TRUE,t,Clear,Storm-9999\n' +
        '1/2/2023,a.example,domainname\n' +
        '1/2/2023,"multi\nline.example",domainname,,,Alert,100,x,TRUE,t,Clear,Storm-9999\n' +
        ',b.example,domainname,,,Alert,100,x,TRUE,t,Clear,Storm-9999\n' +
        '1/2/2023,c.example,domainname,,,Alert,100,x,TRUE,t,Clear,Storm-9999\n' +
        '1/2/2023,"unterminated,domainname\n',
    );
    const c = await importInto(memoryStore(), [csv]);
    assert.deepEqual(byReason(c.rejected), {
      'missing required field IoC': 1,
      'expected 12 fields, found 3': 1,
      'invalid hostname': 1,
      'missing required field TimeGenerated': 1,
      'truncated: the input ends inside a quoted field': 1,
    });
    assert.deepEqual(c.rejected.get('invalid hostname')!.positions, ['line 4 "multi\\nline.example"']);
    assert.deepEqual(c.rejected.get('missing required field TimeGenerated')!.positions, ['line 6']);
    assert.equal(c.indicators.created, 1);
  });

  it('MISP event: attribute types, composite splits, galaxy profile, skips', async () => {
    const event = {
      Event: {
        info: 'test event',
        date: '2024-02-01',
        Attribute: [
          { type: 'ip-dst', value: '192.0.2.1', to_ids: true, timestamp: '1706745600' },
          { type: 'ip-src|port', value: '192.0.2.2|8080', to_ids: true, first_seen: '2024-01-15T10:00:00.000000+00:00', last_seen: '2024-01-20T10:00:00.000000+00:00' },
          { type: 'domain|ip', value: 'Mixed.Example.|2001:db8::5', to_ids: true },
          { type: 'hostname', value: 'ctx.example', to_ids: false },
          { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', to_ids: true },
          { type: 'domain', to_ids: true },
          { type: 'url', value: 'http://Mixed.example/x', to_ids: true, deleted: true },
        ],
        Object: [{ name: 'domain-ip', Attribute: [{ type: 'domain', value: 'obj.example', to_ids: true }] }],
        Galaxy: [{ type: 'microsoft-activity-group', name: 'Microsoft Activity Group actor', GalaxyCluster: [{ value: 'Aqua Blizzard', meta: { synonyms: ['ACTINIUM'], country: 'RU' } }] }],
      },
    };
    const store = memoryStore();
    const s = await importInto(store, [await file('event.json', JSON.stringify(event))]);
    assert.deepEqual(s.files.map((f) => f.format), ['misp']);
    assert.deepEqual(s.profiles, { created: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 5, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(byReason(s.skipped), { 'to_ids false (context only)': 1, 'attribute type md5': 1, 'deleted attribute': 1 });
    assert.deepEqual(byReason(s.rejected), { 'missing required field value': 1 });
    const get = (artifact: string) => store.findOne({ kind: 'entity', type: INDICATOR, key: indicatorId('aqua-blizzard', artifact), parent: undefined, expand: [] });
    assert.equal((await get('192.0.2.1'))!.values['firstSeenDateTime'], 1706745600000);
    assert.equal((await get('192.0.2.1'))!.values['lastSeenDateTime'], 1706745600000); // its timestamp (the event has none)
    assert.equal((await get('192.0.2.2'))!.values['lastSeenDateTime'], Date.parse('2024-01-20T10:00:00Z'));
    assert.ok(await get('mixed.example'));
    assert.ok(await get('2001:db8::5'));
    assert.ok(await get('obj.example'));
    const p = await store.findOne({ kind: 'entity', type: PROFILE, key: 'aqua-blizzard', parent: undefined, expand: [] });
    assert.deepEqual(p!.values['countriesOrRegionsOfOrigin'], [{ code: 'RU', label: 'Russia' }]);
    // A later source naming the actor by its old name meets the same profile.
    const s2 = await importInto(store, [await file('apt_actinium.txt', 'old-name.example\n')]);
    assert.deepEqual(s2.profiles, { created: 0, updated: 0, unchanged: 1 });
    assert.ok(await get('old-name.example'));
  });

  it('MISP feed directory (manifest.json + one file per event), tag-named profile', async () => {
    const { mkdir } = await import('node:fs/promises');
    const dir = join(tmp, 'feed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ 'e-1': { info: 'one' }, 'e-2': { info: 'two' } }));
    await writeFile(join(dir, 'e-1.json'), JSON.stringify({ Event: { date: '2024-03-01', Tag: [{ name: 'misp-galaxy:threat-actor="Feed Actor"' }], Attribute: [{ type: 'domain', value: 'feed-one.example', to_ids: true }] } }));
    await writeFile(join(dir, 'e-2.json'), JSON.stringify({ Event: { date: '2024-03-02', Attribute: [{ type: 'ip-dst|port', value: '198.51.100.4|443', to_ids: true }] } }));
    const store = memoryStore();
    const s = await importInto(store, [dir]);
    assert.deepEqual(s.files.map((f) => f.format), ['misp', 'misp']);
    assert.deepEqual(s.profiles, { created: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 2, updated: 0, unchanged: 0, withoutProfile: 1 });
    const i = await store.findOne({ kind: 'entity', type: INDICATOR, key: indicatorId('feed-actor', 'feed-one.example'), parent: undefined, expand: [] });
    assert.equal(i!.values['firstSeenDateTime'], Date.parse('2024-03-01T00:00:00Z'));
  });
});
