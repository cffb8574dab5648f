/**
 * Issue 11 findings 3 (order-dependent profile matching), 5 (URLs hide their hosts) and 6 (orphans): the same
 * files give the same profiles in either order, and the summary says where each file's indicators went; a URL's
 * host answers `hosts/{host}` and the pivot; an indicator imported without a profile is adopted by the import that
 * names it, and a truncated STIX bundle followed by the intact one ends as the intact one alone. On SQLite and,
 * when TIGRAPH_TEST_DATABASE_URL is set, on PostgreSQL (the harvested-alias table, and the COPY write path that
 * deletes adopted orphans in the batch's transaction).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { indicatorId } from '../../src/model/ids.js';
import { keyAccess } from '../../src/import/queries.js';
import type { Store } from '../../src/storage/store.js';
import { startTestServer } from '../support/test-server.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import { counts, datasetSkip, ds, importInto, INDICATOR, inputFiles, memoryStore, PROFILE } from './helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-import-resolution-');
const opened: Store[] = [];
after(async () => {
  for (const s of opened) await s.close();
});
if (!TEST_DATABASE_URL) it('entity resolution and orphans on PostgreSQL', { skip: POSTGRES_SKIP_REASON }, () => {});
const STORES: [string, () => Promise<Store>][] = [
  ['SQLite', async () => memoryStore()],
  ...(TEST_DATABASE_URL ? [['PostgreSQL', async () => {
    const s = await createTestPostgresStore({ poolSize: 2 });
    opened.push(s);
    return s;
  }] as [string, () => Promise<Store>]] : []),
];


/** Every profile (id, title, aliases) and every indicator (id, first, last seen, profile) of a store, sorted. */
async function snapshot(store: Store): Promise<{ profiles: unknown[]; indicators: unknown[] }> {
  const all = async (type: typeof PROFILE) =>
    (await store.findMany({ kind: 'collection', type, parent: undefined, filter: undefined, search: undefined, orderBy: [{ expression: keyAccess(type), direction: 'asc' }], after: undefined, skip: 0, limit: 10_000, expand: [] })).records;
  const profiles = (await all(PROFILE)).map((r) => [r.values['id'], r.values['title'], [...(r.values['aliases'] as string[])].sort()]).sort();
  const indicators = (await all(INDICATOR)).map((r) => [r.values['id'], r.values['firstSeenDateTime'], r.values['lastSeenDateTime'], r.listedBy?.key ?? null]).sort();
  return { profiles, indicators };
}

for (const [label, make] of STORES) {
  describe(`${label}: entity resolution does not depend on import order (finding 3)`, () => {
    // maltrail-style lists that name each other in their `# Aliases:` lines (0ktapus.txt names pay2key)
    const ktapus = '# Aliases: scattered spider, pay2key\n# Reference: https://example.org/0ktapus\nktapus-a.example\nktapus-b.example\n';
    const pay2key = '# Aliases: fox kitten, 0ktapus\npay2key-a.example\n';

    it('0ktapus then pay2key and pay2key then 0ktapus, in separate imports, give the same two profiles', async () => {
      const a = await file('0ktapus.txt', ktapus);
      const b = await file('pay2key.txt', pay2key);
      const one = await make();
      const first = await importInto(one, [a]);
      const second = await importInto(one, [b]);
      const two = await make();
      await importInto(two, [b]);
      await importInto(two, [a]);
      const s1 = await snapshot(one);
      assert.deepEqual(s1, await snapshot(two));
      assert.deepEqual(s1.profiles, [
        ['0ktapus', '0ktapus', ['pay2key', 'scattered spider']],
        ['pay2key', 'pay2key', ['0ktapus', 'fox kitten']],
      ]);
      assert.deepEqual(
        s1.indicators.map((i) => [(i as unknown[])[0], (i as unknown[])[3]]),
        [
          [indicatorId('0ktapus', 'ktapus-a.example'), '0ktapus'],
          [indicatorId('0ktapus', 'ktapus-b.example'), '0ktapus'],
          [indicatorId('pay2key', 'pay2key-a.example'), 'pay2key'],
        ].sort(),
      );
      assert.deepEqual(first.files.map((f) => f.profiles), [[{ profileId: '0ktapus', title: '0ktapus', rule: 'new', indicators: 2 }]]);
      assert.deepEqual(second.files.map((f) => f.profiles), [[{ profileId: 'pay2key', title: 'pay2key', rule: 'new', indicators: 1 }]]);
    });

    it('both files in one import, in either order, give the same profiles', async () => {
      const a = await file('0ktapus.txt', ktapus);
      const b = await file('pay2key.txt', pay2key);
      const one = await make();
      await importInto(one, [a, b]);
      const two = await make();
      await importInto(two, [b, a]);
      assert.deepEqual(await snapshot(one), await snapshot(two));
      assert.deepEqual(await counts(one), { profiles: 2, indicators: 3 });
    });

    it('a curated alias still merges, and the summary names the rule: re-import by title, STIX aliases by alias', async () => {
      const T = '2020-01-01T00:00:00Z';
      const bundle = await file(
        'sofacy.json',
        JSON.stringify({
          type: 'bundle',
          id: 'bundle--1',
          objects: [
            { type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--1', created: T, modified: T, name: 'APT28', aliases: ['Sofacy'] },
            { type: 'indicator', spec_version: '2.1', id: 'indicator--1', created: T, modified: T, pattern: "[domain-name:value = 'stix.example']", pattern_type: 'stix', valid_from: T },
            { type: 'relationship', spec_version: '2.1', id: 'relationship--1', created: T, modified: T, relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'intrusion-set--1' },
          ],
        }),
      );
      const list = await file('apt_sofacy.txt', 'list.example\n');
      const store = await make();
      const s = await importInto(store, [bundle, list]);
      assert.deepEqual(
        s.files.map((f) => f.profiles),
        [[{ profileId: 'apt28', title: 'APT28', rule: 'new', indicators: 1 }], [{ profileId: 'apt28', title: 'APT28', rule: 'alias "sofacy"', indicators: 1 }]],
      );
      const again = await importInto(store, [list]);
      assert.deepEqual(again.files[0]!.profiles, [{ profileId: 'apt28', title: 'APT28', rule: 'alias "sofacy"', indicators: 1 }]);
      const third = await importInto(store, [bundle], { profile: 'APT28' });
      assert.deepEqual(third.files[0]!.profiles, [{ profileId: 'apt28', title: 'APT28', rule: '--profile', indicators: 1 }]);
    });
  });

  describe(`${label}: URL hosts are pivotable (finding 5)`, () => {
    it('hosts/{ip} and hosts/{name} answer for hosts only URLs name, and the pivot finds the profile', async () => {
      const store = await make();
      const s = await importInto(store, [await file('urlfamily.txt', 'http://198.51.100.23/gate.php\nhttps://Cdn.URL-Host.example:8443/a?b=1\nurl-host.example/plain/path\n')]);
      // three URLs and their three hosts (198.51.100.23, cdn.url-host.example, url-host.example)
      assert.deepEqual(s.indicators, { created: 6, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.equal(s.hostsFromUrls, 3);
      const server = await startTestServer({ store, seed: 'none' });
      try {
        const ip = await server.json(`${TI}/hosts/198.51.100.23`);
        assert.equal(ip.status, 200);
        assert.equal(ip.body['@odata.type'], '#microsoft.graph.security.ipAddress');
        const name = await server.json(`${TI}/hosts/cdn.url-host.example`);
        assert.equal(name.status, 200);
        assert.equal(name.body['@odata.type'], '#microsoft.graph.security.hostname');
        assert.equal((await server.json(`${TI}/hosts/url-host.example`)).status, 200);
        const pivot = await server.json(`${TI}/intelProfiles?$filter=indicators/any(i: i/artifact/id eq '198.51.100.23')&$select=id`);
        assert.deepEqual(pivot.body.value.map((p: { id: string }) => p.id), ['urlfamily']);
        const ind = await server.json(`${TI}/intelligenceProfileIndicators/${indicatorId('urlfamily', '198.51.100.23')}`);
        assert.equal(ind.status, 200);
      } finally {
        await server.close();
      }
    });
  });

  describe(`${label}: no orphans (finding 6)`, () => {
    // 100 domains and an IP: more than one bulk write's threshold on PostgreSQL (COPY path)
    const ROWS = 101;
    const csv = [
      'DateAdded,FirstSeen,IoC,Type,TLP,Release,Category,MalwareFamily,SHA1,MD5,Filename,C2Domain',
      ...Array.from({ length: ROWS - 1 }, (_, i) => `5/27/2021,5/25/2021,orphan-${i}.example,Domain,WHITE,May21,C2,,,,,`),
      '5/27/2021,5/26/2021,192.0.2.44,IP,WHITE,May21,C2,,,,,',
      '',
    ].join('\r\n');

    it('without --profile, then with it: the profile adopts both indicators, none stays without a profile', async () => {
      const path = await file('nobelium.csv', csv);
      const store = await make();
      const first = await importInto(store, [path]);
      assert.deepEqual(first.indicators, { created: ROWS, updated: 0, unchanged: 0, withoutProfile: ROWS });
      const second = await importInto(store, [path], { profile: 'NOBELIUM' });
      assert.equal(second.orphansAdopted, ROWS);
      assert.deepEqual(second.indicators, { created: ROWS, updated: 0, unchanged: 0, withoutProfile: 0 });
      const snap = await snapshot(store);
      assert.deepEqual(snap.indicators.map((i) => (i as unknown[])[3]), Array(ROWS).fill('nobelium'));
      const fresh = await make();
      await importInto(fresh, [path], { profile: 'NOBELIUM' });
      assert.deepEqual(snap, await snapshot(fresh));
    });

    it('with --profile, then without: nothing is created without a profile', async () => {
      const path = await file('nobelium-2.csv', csv);
      const store = await make();
      await importInto(store, [path], { profile: 'NOBELIUM' });
      const second = await importInto(store, [path]);
      assert.equal(second.keptUnderProfile, ROWS);
      assert.deepEqual(second.indicators, { created: 0, updated: 0, unchanged: 0, withoutProfile: 0 });
      assert.deepEqual(await counts(store), { profiles: 1, indicators: ROWS });
    });

    it('a truncated STIX bundle and then the intact one end in exactly the state of the intact one alone', async () => {
      const T = '2021-01-01T00:00:00Z';
      const objects = [
        { type: 'indicator', spec_version: '2.1', id: 'indicator--1', created: T, modified: T, pattern: "[domain-name:value = 'first.example']", pattern_type: 'stix', valid_from: '2021-02-01T00:00:00Z' },
        { type: 'indicator', spec_version: '2.1', id: 'indicator--2', created: T, modified: T, pattern: "[ipv4-addr:value = '192.0.2.55']", pattern_type: 'stix', valid_from: '2021-03-01T00:00:00Z' },
        { type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--1', created: T, modified: T, name: 'Late Relations' },
        { type: 'relationship', spec_version: '2.1', id: 'relationship--1', created: T, modified: T, relationship_type: 'indicates', source_ref: 'indicator--1', target_ref: 'intrusion-set--1' },
        { type: 'relationship', spec_version: '2.1', id: 'relationship--2', created: T, modified: T, relationship_type: 'indicates', source_ref: 'indicator--2', target_ref: 'intrusion-set--1' },
      ];
      const intact = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects });
      const cut = intact.indexOf('"type":"intrusion-set"') - 1;
      const truncated = await file('late-truncated.json', intact.slice(0, cut));
      const whole = await file('late.json', intact);
      const store = await make();
      const t = await importInto(store, [truncated]);
      assert.equal(t.indicators.withoutProfile, 2);
      assert.deepEqual([...t.rejected.keys()], ['truncated file']);
      const w = await importInto(store, [whole]);
      assert.equal(w.orphansAdopted, 2);
      const alone = await make();
      await importInto(alone, [whole]);
      assert.deepEqual(await snapshot(store), await snapshot(alone));
      assert.deepEqual(await counts(store), { profiles: 1, indicators: 2 });
    });
  });
}

describe('maltrail files that name each other (../shared/datasets/maltrail/apt)', () => {
  it('apt_duke.txt names cosmicduke and miniduke: each file keeps its own profile in either order', { skip: datasetSkip }, async () => {
    const files = ['apt_duke.txt', 'apt_cosmicduke.txt', 'apt_miniduke.txt'].map((f) => ds('maltrail/apt', f));
    const one = memoryStore();
    const s = await importInto(one, files);
    const two = memoryStore();
    for (const f of [...files].reverse()) await importInto(two, [f]);
    const snap = await snapshot(one);
    assert.deepEqual(snap, await snapshot(two));
    assert.deepEqual(snap.profiles.map((p) => (p as unknown[])[0]), ['cosmicduke', 'duke', 'miniduke']);
    assert.deepEqual(s.files.map((f) => f.profiles.map((p) => [p.profileId, p.rule])), [[['duke', 'new']], [['cosmicduke', 'new']], [['miniduke', 'new']]]);
  });
});

describe('--profile naming a stored profile by a curated alias', () => {
  it('the indicators go to that profile (ACTINIUM → Aqua Blizzard); no second profile is made', async () => {
    const T = '2020-01-01T00:00:00Z';
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--1', created: T, modified: T, name: 'Aqua Blizzard', aliases: ['ACTINIUM'] }] });
    const store = memoryStore();
    opened.push(store);
    await importInto(store, [await file('aqua.json', bundle)]);
    const s = await importInto(store, [await file('one.txt', 'evil-actinium.example\n')], { profile: 'ACTINIUM' });
    assert.deepEqual(s.files.map((f) => f.profiles), [[{ profileId: 'aqua-blizzard', title: 'Aqua Blizzard', rule: '--profile', indicators: 1 }]]);
    assert.deepEqual(s.profiles, { created: 0, updated: 0, unchanged: 1 });
    assert.deepEqual(await counts(store), { profiles: 1, indicators: 1 });
  });
});
