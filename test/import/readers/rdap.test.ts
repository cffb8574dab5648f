/**
 * RDAP (RFC 9083) → whoisRecords with contacts, nameservers and dates, history from several snapshots
 * (src/import/readers/rdap.ts): the sample responses of ../shared/datasets/rdap (counts from an independent
 * look at each file's objectClassName / errorCode), values over HTTP, idempotent re-import, generated snapshots
 * in either order, and malformed responses.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectFormat } from '../../../src/import/detect-format.js';
import { MODEL } from '../../../src/model/model.js';
import type { Store } from '../../../src/storage/store.js';
import { startTestServer } from '../../support/test-server.js';
import { datasetSkip, ds, HAVE_DATASETS, importInto, inputFiles, memoryStore, positions } from '../helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-rdap-test-');
const count = (store: Store, set: string): Promise<number> =>
  store.count({ kind: 'count', type: MODEL.entitySet(set)!.entityType, parent: undefined, filter: undefined, search: undefined });
const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));
const samples = (): string[] =>
  HAVE_DATASETS ? ['20c-rdap', 'icann-rdap', 'openrdap'].flatMap((d) => readdirSync(ds('rdap', d)).filter((n) => !/^LICENSE/.test(n)).map((n) => join(ds('rdap', d), n))) : [];

describe('RDAP sample responses', { skip: datasetSkip }, () => {
  it('7 files: 5 whois records (4 domains, 1 IP network), the autnum skipped, the error rejected; served; re-import unchanged', async () => {
    const files = samples();
    const classes = files.map((f) => {
      const o = JSON.parse(readFileSync(f, 'utf8'));
      return o.errorCode !== undefined ? 'error' : o.objectClassName;
    });
    assert.deepEqual(classes.sort(), ['autnum', 'domain', 'domain', 'domain', 'domain', 'error', 'ip network']);
    for (const f of files) assert.equal(detectFormat({ name: f, head: readFileSync(f, 'utf8') }), 'rdap', f);
    const store = memoryStore();
    const s = await importInto(store, files);
    assert.deepEqual(entityCounts(s), {
      hostname: { created: 4, updated: 0, unchanged: 0 },
      ipAddress: { created: 1, updated: 0, unchanged: 0 },
      whoisRecord: { created: 5, updated: 0, unchanged: 0 },
    });
    assert.deepEqual(positions(s.skipped, 'autnum has no whois host'), ['autnum_16509.json object']);
    assert.deepEqual(Object.fromEntries([...s.rejected].map(([k, v]) => [k, v.positions])), { 'RDAP error 501: 501 Not Implemented': ['error_ripe_net.json object'] });
    assert.equal(await count(store, 'whoisRecords'), 5);

    const server = await startTestServer({ store, seed: 'none' });
    try {
      const w = await server.json(`${TI}/hosts/microsoft.click/whois`);
      assert.equal(w.status, 200);
      assert.equal(w.body.id, 'whois-microsoft.click');
      assert.equal(w.body.registrationDateTime, '2014-11-12T19:15:55.283Z');
      assert.equal(w.body.expirationDateTime, '2024-11-12T19:15:55.283Z');
      assert.equal(w.body.lastUpdateDateTime, '2023-10-17T10:47:21.733Z');
      assert.equal(w.body.lastSeenDateTime, '2024-06-18T14:25:27.257Z'); // "last update of RDAP database": the snapshot's time
      assert.equal(w.body.domainStatus, 'client update prohibited, client transfer prohibited, client delete prohibited');
      assert.equal(w.body.whoisServer, null);
      assert.deepEqual(w.body.registrant, { address: { city: null, countryOrRegion: 'US', postalCode: null, state: 'WA', street: null }, email: null, fax: null, name: null, organization: 'Microsoft Corporation', telephone: null });
      assert.deepEqual(w.body.registrar, { address: { city: 'Meridian', countryOrRegion: 'US', postalCode: '83646', state: 'ID', street: '3540 East Longwing Lane, Suite 300' }, email: 'ccops@markmonitor.com', fax: '+1.2083895771', name: 'MarkMonitor Inc.', organization: null, telephone: '+1.208389574' });
      assert.equal(w.body.admin, null); // redacted: an empty vCard
      assert.deepEqual(
        w.body.nameservers.map((n: { host: { id: string } }) => n.host.id),
        ['ns4-08.azure-dns.info', 'ns2-08.azure-dns.net', 'ns3-08.azure-dns.org', 'ns1-08.azure-dns.com'],
      );
      assert.deepEqual(JSON.parse(w.body.rawWhoisText).handle, JSON.parse(readFileSync(ds('rdap/icann-rdap/microsoft.click.json'), 'utf8')).handle);
      const com = await server.json(`${TI}/whoisRecords/whois-20c.com`);
      assert.deepEqual(com.body.nameservers.map((n: { host: { id: string } }) => n.host.id), ['ns-1468.awsdns-55.org', 'ns-1771.awsdns-29.co.uk', 'ns-327.awsdns-40.com', 'ns-545.awsdns-04.net']);
      assert.equal(com.body.registrar.name, 'CSL Computer Service Langenbach GmbH d/b/a joker.com');
      assert.equal(com.body.whoisServer, null); // port43 is an empty string in this file
      const cz = await server.json(`${TI}/hosts/example.cz/whois`);
      assert.equal(cz.body.whoisServer, 'whois.nic.cz');
      assert.equal(cz.body.registrant, null); // handles only, no vCard
      assert.equal(cz.body.lastSeenDateTime, '2004-08-30T22:55:00.000Z'); // no update events: the registration
      const net = await server.json(`${TI}/hosts/192.198.0.0/whois`);
      assert.equal(net.body.registrant.name, 'Radio Link Internet');
      assert.equal(net.body.abuse.email, 'daniel.petsinger@radiolinkinternet.com');
      assert.equal((await server.json(`${TI}/whoisRecords/whois-afnic.fr/history`)).body.value.length, 0);
    } finally {
      await server.close();
    }
    const again = await importInto(store, files);
    assert.deepEqual(entityCounts(again), { whoisRecord: { created: 0, updated: 0, unchanged: 5 } });
    assert.equal(again.batches, 0);
  });
});

const snapshot = (updated: string, registrar: string) =>
  JSON.stringify({
    rdapConformance: ['rdap_level_0'],
    objectClassName: 'domain',
    ldhName: 'Synthetic.EXAMPLE',
    status: ['active'],
    events: [
      { eventAction: 'registration', eventDate: '2020-01-01T00:00:00Z' },
      { eventAction: 'last update of RDAP database', eventDate: updated },
    ],
    entities: [{ objectClassName: 'entity', roles: ['registrar'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', registrar]]] }],
    nameservers: [{ objectClassName: 'nameserver', ldhName: 'NS1.Synthetic.example.' }],
  });

describe('RDAP snapshots and malformed responses', () => {
  for (const order of ['older first', 'newer first'] as const) {
    it(`three snapshots of one domain (${order}): the latest is the whois record, the others its history`, async () => {
      const a = await file(`a-${order}.json`, snapshot('2024-01-01T00:00:00Z', 'Registrar A'));
      const b = await file(`b-${order}.json`, snapshot('2024-06-01T00:00:00Z', 'Registrar B'));
      const c = await file(`c-${order}.json`, snapshot('2024-03-01T00:00:00Z', 'Registrar C'));
      const store = memoryStore();
      if (order === 'older first') {
        await importInto(store, [a]);
        await importInto(store, [b, c]);
      } else {
        await importInto(store, [b]);
        await importInto(store, [c, a]);
      }
      assert.equal(await count(store, 'whoisRecords'), 1);
      assert.equal(await count(store, 'whoisHistoryRecords'), 2);
      const server = await startTestServer({ store, seed: 'none' });
      try {
        const w = await server.json(`${TI}/hosts/synthetic.example/whois`);
        assert.equal(w.body.registrar.name, 'Registrar B');
        assert.equal(w.body.lastSeenDateTime, '2024-06-01T00:00:00.000Z');
        assert.deepEqual(w.body.nameservers.map((n: { host: { id: string } }) => n.host.id), ['ns1.synthetic.example']);
        const h = await server.json(`${TI}/whoisRecords/whois-synthetic.example/history?$orderby=lastSeenDateTime`);
        assert.deepEqual(
          h.body.value.map((r: { id: string; registrar: { name: string } }) => [r.id, r.registrar.name]),
          [
            ['whois-synthetic.example-20240101T000000Z', 'Registrar A'],
            ['whois-synthetic.example-20240301T000000Z', 'Registrar C'],
          ],
        );
      } finally {
        await server.close();
      }
      // Re-importing every snapshot changes nothing.
      const again = await importInto(store, [a, b, c]);
      assert.equal(again.batches, 0);
      assert.equal(await count(store, 'whoisHistoryRecords'), 2);
    });
  }

  it('rejects malformed responses with their position and reason, nothing written for them', async () => {
    const store = memoryStore();
    const inputs = [
      await file('bad-json.json', '{"rdapConformance": ["rdap_level_0"], "objectClassName": "domain", '),
      await file('no-name.json', JSON.stringify({ rdapConformance: [], objectClassName: 'domain', ldhName: 'not a name' })),
      await file('bad-date.json', JSON.stringify({ rdapConformance: [], objectClassName: 'domain', ldhName: 'bad-date.example', events: [{ eventAction: 'expiration', eventDate: 'someday' }] })),
      await file('no-class.json', JSON.stringify({ rdapConformance: [], ldhName: 'x.example' })),
      await file('bad-contact.json', JSON.stringify({ rdapConformance: [], objectClassName: 'domain', ldhName: 'nul.example', entities: [{ roles: ['registrant'], vcardArray: ['vcard', [['fn', {}, 'text', 'bad\u0000name']]] }] })),
      await file('search.json', JSON.stringify({ rdapConformance: [], domainSearchResults: [{ objectClassName: 'domain', ldhName: 'found.example' }, 7] })),
    ];
    const s = await importInto(store, inputs);
    const rejected = Object.fromEntries([...s.rejected].map(([k, v]) => [k, v.positions]));
    assert.deepEqual(rejected['missing or invalid ldhName'], ['no-name.json object']);
    assert.deepEqual(rejected['invalid eventDate of expiration'], ['bad-date.json object "someday"']);
    assert.deepEqual(rejected['not an RDAP object (no objectClassName)'], ['no-class.json object']);
    assert.deepEqual(rejected['not an RDAP object'], ['search.json domainSearchResults 1']);
    assert.ok(Object.entries(rejected).some(([k, p]) => k.startsWith('malformed JSON') && p[0] === 'bad-json.json file'));
    const model = Object.keys(rejected).find((k) => k.startsWith('invalid whoisRecord: '))!;
    assert.match(model, /registrant\/name/);
    assert.deepEqual(rejected[model], ['bad-contact.json object']);
    // Only found.example was written; nul.example has neither a whois record nor a host.
    assert.deepEqual(entityCounts(s), { hostname: { created: 1, updated: 0, unchanged: 0 }, whoisRecord: { created: 1, updated: 0, unchanged: 0 } });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      assert.equal((await server.json(`${TI}/hosts/nul.example`)).status, 404);
      assert.equal((await server.json(`${TI}/hosts/found.example/whois`)).body.id, 'whois-found.example');
    } finally {
      await server.close();
    }
  });
});
