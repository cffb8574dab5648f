/**
 * Imports the real public files of ../shared/datasets and asserts exact counts, records read back through the
 * Graph API, idempotent re-imports and cross-format merging.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indicatorId } from '../../src/model/ids.js';
import { startTestServer } from '../support/test-server.js';
import { byReason, counts, datasetSkip, ds, importInto, memoryStore, NOW } from './helpers.js';

const TI = '/v1.0/security/threatIntelligence';
let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tigraph-import-test-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('STIX 2.1 datasets', { skip: datasetSkip }, () => {
  it('apt1.json: 22 profiles, 3 hostname indicators of Ugly Gorilla, everything else counted', async () => {
    const store = memoryStore();
    const s = await importInto(store, [ds('stix/apt1.json')]);
    assert.deepEqual(s.profiles, { created: 22, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 3, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(byReason(s.skipped), {
      'relationship uses not imported': 16,
      'attack-pattern not imported': 7,
      'relationship attributed-to not imported': 7,
      'network, not a host': 4,
      'hash pattern': 3,
      'pattern with AND': 2,
    });
    // The report is an article (test/import/readers/stix-reports.test.ts) with the 3 hostnames of its object_refs.
    assert.deepEqual(Object.fromEntries(s.entities), { article: { created: 1, updated: 0, unchanged: 0 }, articleIndicator: { created: 3, updated: 0, unchanged: 0 } });
    assert.equal(s.rejected.size, 0);
    assert.deepEqual(s.skipped.get('network, not a host')!.positions, ['object 10 "223.166.0.0/15"', 'object 11 "58.246.0.0/15"', 'object 12 "112.64.0.0/15"', 'object 13 "139.226.0.0/15"']);
    assert.deepEqual(await counts(store), { profiles: 22, indicators: 3 });

    const server = await startTestServer({ store, seed: 'none' });
    try {
      const p = await server.json(`${TI}/intelProfiles/ugly-gorilla`);
      assert.equal(p.status, 200);
      assert.equal(p.body.title, 'Ugly Gorilla');
      assert.equal(p.body.kind, 'actor');
      assert.deepEqual(p.body.aliases, ['Greenfield', 'JackWang', 'Wang Dong']);
      assert.equal(p.body.firstActiveDateTime, '2015-05-15T09:12:16.432Z'); // earliest indicator (no first_seen)
      assert.deepEqual(p.body.summary, { content: '', format: 'text' });
      const apt1 = await server.json(`${TI}/intelProfiles/apt1`);
      assert.equal(apt1.body.firstActiveDateTime, '2006-06-01T18:13:15.684Z');
      assert.deepEqual(apt1.body.aliases, ['Comment Crew', 'Comment Group', 'Shady Rat']);
      assert.match(apt1.body.description.content, /^APT1 is a single organization/);
      const htran = await server.json(`${TI}/intelProfiles/huc-packet-transmit-tool-htran`);
      assert.equal(htran.body.kind, 'tool');
      const iid = indicatorId('ugly-gorilla', 'hugesoft.org');
      const i = await server.json(`${TI}/intelligenceProfileIndicators/${iid}?$expand=artifact`);
      assert.equal(i.status, 200);
      assert.equal(i.body.source, 'osint');
      assert.equal(i.body.firstSeenDateTime, '2015-05-15T09:12:16.432Z');
      assert.equal(i.body.lastSeenDateTime, null);
      assert.equal(i.body.artifact['@odata.type'], '#microsoft.graph.security.hostname');
      assert.equal(i.body.artifact.id, 'hugesoft.org');
    } finally {
      await server.close();
    }

    const again = await importInto(store, [ds('stix/apt1.json')]);
    assert.deepEqual(again.profiles, { created: 0, updated: 0, unchanged: 22 });
    assert.deepEqual(again.indicators, { created: 0, updated: 0, unchanged: 3, withoutProfile: 0 });
    assert.equal(again.batches, 0);
    assert.deepEqual(await counts(store), { profiles: 22, indicators: 3 });
  });

  it('indicator-for-c2-ip-address.json: one ipAddress indicator without a profile', async () => {
    const store = memoryStore();
    const s = await importInto(store, [ds('stix/indicator-for-c2-ip-address.json')]);
    assert.deepEqual(s.profiles, { created: 0, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 1 });
    assert.equal(s.skipped.size + s.rejected.size, 0);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const i = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('', '10.0.0.0')}?$expand=artifact`);
      assert.equal(i.status, 200);
      assert.equal(i.body.firstSeenDateTime, '2014-05-08T09:00:00Z'.replace('Z', '.000Z'));
      assert.equal(i.body.artifact['@odata.type'], '#microsoft.graph.security.ipAddress');
    } finally {
      await server.close();
    }
  });

  it('indicators-for-C2-with-COA.json: Poison Ivy (tool) with one ipAddress indicator', async () => {
    const store = memoryStore();
    const s = await importInto(store, [ds('stix/indicators-for-C2-with-COA.json')]);
    assert.deepEqual(s.profiles, { created: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(byReason(s.skipped), { 'course-of-action not imported': 1, 'relationship mitigates not imported': 1, 'hash pattern': 1 });
    const ind = await store.findOne({ kind: 'entity', type: (await import('./helpers.js')).INDICATOR, key: indicatorId('poison-ivy', '10.0.0.0'), parent: undefined, expand: [] });
    assert.ok(ind);
  });
});

describe('Microsoft RapidReleaseTI CSV (mstic/Indicators.csv)', { skip: datasetSkip }, () => {
  it('4 actor profiles, 170 indicators, hashes and other types skipped, one bad date rejected', async () => {
    const store = memoryStore();
    const s = await importInto(store, [ds('mstic/Indicators.csv')]);
    assert.deepEqual(s.profiles, { created: 4, updated: 0, unchanged: 0 });
    // 168 domainname + 3 IP + 1 URL rows = 172; one row repeats a domain of the same actor (merged); one row has
    // the date 19/20/2022 (rejected); the URL's host od.lk, not a row of its own, is a derived host indicator (+1).
    assert.deepEqual(s.indicators, { created: 171, updated: 0, unchanged: 0, withoutProfile: 0 });
    assert.equal(s.hostsFromUrls, 1);
    assert.equal(s.mergedInBatch, 1);
    assert.deepEqual(byReason(s.skipped), { hash: 57, 'IoC type filepath': 4, 'IoC type GUID': 2, 'IoC type commandline': 2 });
    assert.deepEqual(byReason(s.rejected), { 'invalid date TimeGenerated': 1 });
    assert.deepEqual(s.rejected.get('invalid date TimeGenerated')!.positions, ['line 206']);
    assert.deepEqual(await counts(store), { profiles: 4, indicators: 171 });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const list = await server.json(`${TI}/intelProfiles?$orderby=title`);
      assert.deepEqual(
        list.body.value.map((p: { id: string; title: string }) => [p.id, p.title]),
        [
          ['carmine-tsunami', 'Carmine Tsunami'],
          ['storm-0139', 'Storm-0139'],
          ['storm-1028', 'Storm-1028'],
          ['storm-1061', 'Storm-1061'],
        ],
      );
      const i = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('carmine-tsunami', 'takestox.com')}`);
      assert.equal(i.body.source, 'microsoft');
      assert.equal(i.body.firstSeenDateTime, '2022-05-24T00:00:00Z'.replace('Z', '.000Z'));
    } finally {
      await server.close();
    }
    const again = await importInto(store, [ds('mstic/Indicators.csv')]);
    assert.deepEqual(again.indicators, { created: 0, updated: 0, unchanged: 171, withoutProfile: 0 });
    assert.deepEqual(await counts(store), { profiles: 4, indicators: 171 });
  });

  it('campaign shape with --profile', async () => {
    const csv = join(tmp, 'campaign.csv');
    await writeFile(
      csv,
      [
        'DateAdded,FirstSeen,IoC,Type,TLP,Release,Category,MalwareFamily,SHA1,MD5,Filename,C2Domain',
        '5/27/2021,5/25/2021,Dataplane.EXAMPLE.,Domain,WHITE,May21,C2,NativeZone,,,,',
        '5/27/2021,,192.0.2.10,IP,WHITE,May21,C2,NativeZone,,,,',
        '5/27/2021,2021-05-20,hxxps://dataplane[.]example/x,Url,WHITE,May21,Payload,NativeZone,,,,',
        '5/27/2021,5/25/2021,2523f94bd4fba4af76f4411fe61084a7e7d80dec163c9ccba9226c80b8b31252,SHA256,WHITE,May21,Payload,NativeZone,,,boom.iso,',
        '5/27/2021,5/25/2021,"dataplane.example",Domain,WHITE,May21,C2,"Native, Zone",,,,',
        '',
      ].join('\r\n'),
    );
    const store = memoryStore();
    const s = await importInto(store, [csv], { profile: 'Midnight Blizzard' });
    assert.deepEqual(s.files.map((f) => f.format), ['mstic-csv']);
    assert.deepEqual(s.profiles, { created: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(s.indicators, { created: 3, updated: 0, unchanged: 0, withoutProfile: 0 });
    // the repeated domain row, and the URL's derived host indicator (dataplane.example, listed already)
    assert.equal(s.mergedInBatch, 2);
    assert.equal(s.hostsFromUrls, 1);
    assert.deepEqual(byReason(s.skipped), { hash: 1 });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const p = await server.json(`${TI}/intelProfiles/midnight-blizzard`);
      assert.equal(p.body.firstActiveDateTime, '2021-05-20T00:00:00.000Z');
      const dom = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('midnight-blizzard', 'dataplane.example')}`);
      // the domain row says 5/25/2021, the URL on it (its derived host indicator) 2021-05-20: the earliest wins
      assert.equal(dom.body.firstSeenDateTime, '2021-05-20T00:00:00.000Z');
      assert.equal(dom.body.source, 'microsoft');
      const ip = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('midnight-blizzard', '192.0.2.10')}`);
      assert.equal(ip.body.firstSeenDateTime, '2021-05-27T00:00:00.000Z'); // DateAdded when FirstSeen is empty
    } finally {
      await server.close();
    }
  });
});

describe('MISP galaxy (misp/microsoft-activity-group.json)', { skip: datasetSkip }, () => {
  it('179 clusters → 179 actor profiles with aliases and countries; re-import unchanged', async () => {
    const store = memoryStore();
    const s = await importInto(store, [ds('misp/microsoft-activity-group.json')]);
    assert.deepEqual(s.files.map((f) => f.format), ['misp']);
    assert.deepEqual(s.profiles, { created: 179, updated: 0, unchanged: 0 });
    assert.equal(s.skipped.size + s.rejected.size, 0);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const p = await server.json(`${TI}/intelProfiles/aqua-blizzard`);
      assert.equal(p.body.kind, 'actor');
      assert.deepEqual(p.body.countriesOrRegionsOfOrigin, [{ code: 'RU', label: 'Russia' }]);
      assert.ok(p.body.aliases.includes('ACTINIUM'));
      assert.equal(p.body.summary.content, 'Microsoft threat actor profile. Origin/Threat: Russia.');
      assert.equal(p.body.description.format, 'markdown');
      assert.equal(p.body.firstActiveDateTime, new Date(NOW).toISOString()); // no dates: import time
    } finally {
      await server.close();
    }
    const again = await importInto(store, [ds('misp/microsoft-activity-group.json')]);
    assert.deepEqual(again.profiles, { created: 0, updated: 0, unchanged: 179 });
    assert.equal((await counts(store)).profiles, 179);
  });
});

describe('maltrail IOC lists', { skip: datasetSkip }, () => {
  const files = ['apt_12.txt', 'apt_turla.txt', 'apt_sandworm.txt'].map((f) => ds('maltrail/apt', f));
  it('three lists: 3 profiles, 806 distinct values and 95 URL hosts, host-less paths skipped; re-import unchanged', async () => {
    const store = memoryStore();
    const s = await importInto(store, files);
    assert.deepEqual(s.files.map((f) => f.format), ['ioc-list', 'ioc-list', 'ioc-list']);
    assert.deepEqual(s.profiles, { created: 3, updated: 0, unchanged: 0 });
    // 13 + 317 + 476 distinct canonical values (ip:port lines collapse onto their IP), and the hosts of URLs that
    // are not listed themselves, as derived host indicators: 10 + 65 + 20 (counted by a separate parse of the files)
    assert.deepEqual(s.indicators, { created: 901, updated: 0, unchanged: 0, withoutProfile: 0 });
    // 470 repeated values, and 183 URL lines whose host indicator is one already listed or derived (183 − 95)
    assert.equal(s.mergedInBatch, 470 + 183 - 95);
    assert.equal(s.hostsFromUrls, 183);
    assert.deepEqual(byReason(s.skipped), { 'URL path without host': 22 });
    assert.equal(s.rejected.size, 0);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const p = await server.json(`${TI}/intelProfiles/turla`);
      assert.equal(p.body.title, 'turla');
      assert.ok(p.body.aliases.includes('storm-0156'), JSON.stringify(p.body.aliases));
      assert.equal(p.body.description.format, 'markdown');
      assert.match(p.body.description.content, /^References:\n\n- https?:\/\//);
      assert.equal((await server.json(`${TI}/intelProfiles/apt12`)).status, 200);
      const n = await server.json(`${TI}/intelProfiles/sandworm/indicators/$count`);
      assert.equal(Number(n.body), 496);
    } finally {
      await server.close();
    }
    const again = await importInto(store, files, { now: NOW + 86400000 });
    assert.deepEqual(again.profiles, { created: 0, updated: 0, unchanged: 3 });
    assert.equal(again.indicators.created + again.indicators.updated, 0);
    assert.deepEqual(await counts(store), { profiles: 3, indicators: 901 });
  });

  it('Microsoft names in aliases meet: kimsuky-style list merges into a galaxy profile', async () => {
    const store = memoryStore();
    await importInto(store, [ds('misp/microsoft-activity-group.json')]);
    const list = join(tmp, 'apt_kimsuky.txt');
    await writeFile(list, '# Aliases: Velvet Chollima, emerald sleet\n\nexample-kimsuky.example.com\n');
    const s = await importInto(store, [list]);
    assert.deepEqual(s.profiles, { created: 0, updated: 0, unchanged: 1 }); // 'kimsuky' is already an alias of Emerald Sleet
    const iid = indicatorId('emerald-sleet', 'example-kimsuky.example.com');
    const server = await startTestServer({ store, seed: 'none' });
    try {
      assert.equal((await server.json(`${TI}/intelProfiles/emerald-sleet/indicators/${iid}`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('cross-format duplicates', () => {
  it('the same domain from STIX and from an IOC list for the same profile is one indicator with merged times', async () => {
    const bundle = join(tmp, 'dup.json');
    await writeFile(
      bundle,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--1',
        objects: [
          { type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--1', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z', name: 'Dup Group' },
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--1',
            created: '2020-01-01T00:00:00Z',
            modified: '2020-01-01T00:00:00Z',
            pattern: "[domain-name:value = 'Dup.Example.COM.']",
            pattern_type: 'stix',
            valid_from: '2020-01-01T00:00:00Z',
            x_last_seen: '2024-03-01T00:00:00Z',
          },
          { type: 'relationship', spec_version: '2.1', id: 'relationship--1', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z', relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'intrusion-set--1' },
        ],
      }),
    );
    // The list's name is the profile's title (`dup-group`, the slug of "Dup Group"): a `# Aliases:` line alone
    // would not join them (harvested names never match).
    const list = join(tmp, 'apt_dup-group.txt');
    await writeFile(list, 'dup[.]example.com\n');
    const store = memoryStore();
    const a = await importInto(store, [bundle]);
    assert.deepEqual(a.indicators, { created: 1, updated: 0, unchanged: 0, withoutProfile: 0 });
    // The list's first seen is the import time (later) and it has no last seen: nothing to change.
    const b = await importInto(store, [list]);
    assert.deepEqual(b.profiles, { created: 0, updated: 1, unchanged: 0 }); // gains the alias 'dupgroup'
    assert.deepEqual(b.indicators, { created: 0, updated: 0, unchanged: 1, withoutProfile: 0 });
    // An older sighting in a second list import moves first seen back, a STIX x_last_seen moves last seen on.
    const c = await importInto(store, [list], { now: Date.parse('2019-06-01T00:00:00Z') });
    assert.deepEqual(c.indicators, { created: 0, updated: 1, unchanged: 0, withoutProfile: 0 });
    assert.deepEqual(await counts(store), { profiles: 1, indicators: 1 });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const i = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('dup-group', 'dup.example.com')}`);
      assert.equal(i.body.firstSeenDateTime, '2019-06-01T00:00:00.000Z');
      assert.equal(i.body.lastSeenDateTime, '2024-03-01T00:00:00.000Z');
      const p = await server.json(`${TI}/intelProfiles/dup-group`);
      assert.equal(p.body.firstActiveDateTime, '2019-06-01T00:00:00.000Z');
    } finally {
      await server.close();
    }
  });
});
