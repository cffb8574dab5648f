/**
 * Passive DNS Common Output Format → passiveDnsRecords linking hosts on both sides (src/import/readers/pdns-cof.ts).
 * The samples in ../shared/datasets/passive-dns are DNSDB responses recorded as VCR cassettes (YAML); the test takes
 * the COF lines out of each cassette's response body (every line holding `{"count"`, without the YAML indentation
 * and quote) into a temporary .jsonl file, imports those, and checks the records over HTTP. Counts are computed
 * from the extracted lines (one record per rdata value) and were checked by hand against the README (2 + 3 + 22).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat } from '../../../src/import/detect-format.js';
import { passiveDnsId } from '../../../src/import/readers/pdns-cof.js';
import { MODEL } from '../../../src/model/model.js';
import type { Store } from '../../../src/storage/store.js';
import { startTestServer } from '../../support/test-server.js';
import { datasetSkip, ds, HAVE_DATASETS, importInto, inputFiles, memoryStore, positions } from '../helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-pdns-test-');
const count = (store: Store, set: string): Promise<number> =>
  store.count({ kind: 'count', type: MODEL.entitySet(set)!.entityType, parent: undefined, filter: undefined, search: undefined });
const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));

/** The COF lines of a VCR cassette's response body. */
const cofLines = (name: string): string[] =>
  HAVE_DATASETS
    ? readFileSync(ds('passive-dns', name), 'utf8')
        .split('\n')
        .filter((l) => l.includes('{"count"'))
        .map((l) => l.trim().replace(/^'/, ''))
    : [];

describe('passive DNS COF (DNSDB samples)', { skip: datasetSkip }, () => {
  it('27 records from the three cassettes, 27 hostnames and 3 IPs created; passiveDns and passiveDnsReverse answer; re-import unchanged', async () => {
    const names = ['1_2_1.yml', '1_2_2.yml', '1_1_3.yml'];
    const lines = names.map(cofLines);
    const records = lines.map((ls) => ls.reduce((n, l) => n + [JSON.parse(l).rdata].flat().length, 0));
    assert.deepEqual(records, [2, 3, 22]);
    const rrnames = new Set(lines.flat().map((l) => JSON.parse(l).rrname.replace(/\.$/, '')));
    const rdataHosts = new Set(lines.flat().flatMap((l) => [JSON.parse(l).rdata].flat().map((v: string) => v.replace(/\.$/, ''))));
    const ips = [...rdataHosts].filter((v) => /^[0-9.]+$|:/.test(v));
    assert.equal(rrnames.size + rdataHosts.size - ips.length, 27);
    assert.equal(ips.length, 3);
    const inputs = await Promise.all(names.map((n, i) => file(n.replace('.yml', '.jsonl'), `${lines[i]!.join('\n')}\n`)));
    for (const p of inputs) assert.equal(detectFormat({ name: p, head: readFileSync(p, 'utf8') }), 'pdns-cof');

    const store = memoryStore();
    const s = await importInto(store, inputs);
    assert.deepEqual(entityCounts(s), {
      hostname: { created: 27, updated: 0, unchanged: 0 },
      ipAddress: { created: 3, updated: 0, unchanged: 0 },
      passiveDnsRecord: { created: 27, updated: 0, unchanged: 0 },
    });
    assert.equal(s.rejected.size, 0);
    assert.equal(s.skipped.size, 0);
    assert.equal(await count(store, 'passiveDnsRecords'), 27);

    const server = await startTestServer({ store, seed: 'none' });
    try {
      const fwd = await server.json(`${TI}/hosts/www.farsightsecurity.com/passiveDns`); // artifacts and hosts are inline references
      assert.equal(fwd.status, 200);
      assert.deepEqual(
        [...fwd.body.value].sort((a: { recordType: string }, b: { recordType: string }) => a.recordType.localeCompare(b.recordType)).map((r: Record<string, unknown> & { artifact: { id: string; '@odata.type': string } }) => [r['recordType'], r['firstSeenDateTime'], r['lastSeenDateTime'], r['collectedDateTime'], r.artifact['@odata.type'], r.artifact.id]),
        [
          ['A', '2019-12-01T06:31:28.000Z', '2020-03-18T18:28:41.000Z', '2020-03-18T18:28:41.000Z', '#microsoft.graph.security.ipAddress', '104.244.14.108'],
          ['AAAA', '2019-11-30T17:55:11.000Z', '2020-03-18T22:00:06.000Z', '2020-03-18T22:00:06.000Z', '#microsoft.graph.security.ipAddress', '2620:11c:f008::108'],
        ],
      );
      assert.equal(fwd.body.value.find((r: { recordType: string }) => r.recordType === 'A').id, passiveDnsId('www.farsightsecurity.com', 'A', '104.244.14.108'));
      const ns = await server.json(`${TI}/hosts/farsightsecurity.com/passiveDns`);
      assert.deepEqual(ns.body.value.map((r: { artifact: { id: string } }) => r.artifact.id).sort(), ['ns5.dnsmadeeasy.com', 'ns6.dnsmadeeasy.com', 'ns7.dnsmadeeasy.com']);
      const rev = await server.json(`${TI}/hosts/154.9.205.199/passiveDnsReverse?$top=50`);
      assert.equal(rev.body.value.length, 22);
      assert.ok(rev.body.value.every((r: { recordType: string; parentHost: { id: string } }) => r.recordType === 'A' && /^jppost-a..\.top$/.test(r.parentHost.id)));
      const nsRev = await server.json(`${TI}/hosts/ns6.dnsmadeeasy.com/passiveDnsReverse`);
      assert.equal(nsRev.body.value.length, 1);
      const host = await server.json(`${TI}/hosts/154.9.205.199`);
      assert.equal(host.body['@odata.type'], '#microsoft.graph.security.ipAddress');
    } finally {
      await server.close();
    }
    const again = await importInto(store, inputs);
    assert.deepEqual(entityCounts(again), { passiveDnsRecord: { created: 0, updated: 0, unchanged: 27 } });
    assert.equal(again.batches, 0);
  });
});

describe('passive DNS COF: malformed lines and merging', () => {
  const good = { count: 3, time_first: 1700000000, time_last: 1700003600, rrname: 'www.synthetic.example.', rrtype: 'A', rdata: ['192.0.2.10', '192.0.2.11'] };
  it('rejects or skips each bad line or value with its line number and reason; good lines and values import', async () => {
    const input = await file(
      'bad.jsonl',
      [
        JSON.stringify(good),
        '{"rrname": "broken.example.", ',
        JSON.stringify({ ...good, rrname: undefined }),
        JSON.stringify({ ...good, time_first: 'yesterday' }),
        JSON.stringify({ ...good, time_first: 1800000000 }),
        JSON.stringify({ ...good, rrtype: 'TXT', rdata: ['"v=spf1 -all"'] }),
        JSON.stringify({ ...good, rrname: 'mixed.synthetic.example', rdata: ['192.0.2.12', 'not-an-ip'] }),
        '',
        JSON.stringify({ ...good, rrname: 'mx.synthetic.example', rrtype: 'MX', rdata: '10 mail.synthetic.example.' }),
        '[1, 2]',
      ].join('\n'),
    );
    const store = memoryStore();
    const s = await importInto(store, [input]);
    assert.deepEqual(entityCounts(s).passiveDnsRecord, { created: 4, updated: 0, unchanged: 0 });
    const rejected = Object.fromEntries([...s.rejected].map(([reason, r]) => [reason, r.positions]));
    assert.deepEqual(Object.keys(rejected).sort(), ['invalid A rdata', 'missing or invalid time_first/time_last', 'missing required field rrname', 'not a COF object', 'time_first after time_last', Object.keys(rejected).find((k) => k.startsWith('malformed JSON'))!].sort());
    assert.deepEqual(rejected['missing required field rrname'], ['line 3']);
    assert.deepEqual(rejected['missing or invalid time_first/time_last'], ['line 4']);
    assert.deepEqual(rejected['time_first after time_last'], ['line 5']);
    assert.deepEqual(rejected['invalid A rdata'], ['line 7 "not-an-ip"']);
    assert.deepEqual(rejected['not a COF object'], ['line 10']);
    assert.deepEqual(positions(s.skipped, 'rrtype TXT has no host artifact'), ['line 6 "\\"v=spf1 -all\\""']);
    assert.equal(await count(store, 'passiveDnsRecords'), 4);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const mx = await server.json(`${TI}/hosts/mx.synthetic.example/passiveDns`);
      assert.deepEqual(mx.body.value.map((r: { artifact: { id: string } }) => r.artifact.id), ['mail.synthetic.example']);
    } finally {
      await server.close();
    }
  });

  it('a second observation of a record widens its first/last seen (updated), the same again is unchanged', async () => {
    const store = memoryStore();
    await importInto(store, [await file('a.jsonl', JSON.stringify({ ...good, rdata: ['192.0.2.10'] }))]);
    const wider = await file('b.jsonl', JSON.stringify({ ...good, rdata: ['192.0.2.10'], time_first: 1690000000, time_last: 1700001000 }));
    const s = await importInto(store, [wider]);
    assert.deepEqual(entityCounts(s), { passiveDnsRecord: { created: 0, updated: 1, unchanged: 0 } });
    assert.deepEqual(entityCounts(await importInto(store, [wider])), { passiveDnsRecord: { created: 0, updated: 0, unchanged: 1 } });
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const r = await server.json(`${TI}/passiveDnsRecords/${passiveDnsId('www.synthetic.example', 'A', '192.0.2.10')}`);
      assert.equal(r.body.firstSeenDateTime, '2023-07-22T04:26:40.000Z'); // 1690000000, the earlier first
      assert.equal(r.body.lastSeenDateTime, '2023-11-14T23:13:20.000Z'); // 1700003600, the later last (kept)
    } finally {
      await server.close();
    }
  });
});
