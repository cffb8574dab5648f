/**
 * X.509 certificates → sslCertificates, SAN-derived hostSslCertificates and, with --host, a hostPort observation
 * (src/import/readers/x509.ts): the six zcrypto sample certificates of ../shared/datasets/x509 (SHA-1 computed
 * here with createHash over the base64-decoded PEM block, and equal to the README's table), DER input, values
 * over HTTP, idempotent re-import, and malformed inputs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat } from '../../../src/import/detect-format.js';
import { MODEL } from '../../../src/model/model.js';
import type { Store } from '../../../src/storage/store.js';
import { startTestServer } from '../../support/test-server.js';
import { datasetSkip, ds, importInto, inputFiles, memoryStore, NOW, positions } from '../helpers.js';

const TI = '/v1.0/security/threatIntelligence';
const file = inputFiles('tigraph-x509-test-');
const count = (store: Store, set: string): Promise<number> =>
  store.count({ kind: 'count', type: MODEL.entitySet(set)!.entityType, parent: undefined, filter: undefined, search: undefined });
const entityCounts = (s: { entities: Map<string, unknown> }): Record<string, unknown> => Object.fromEntries([...s.entities].sort(([a], [b]) => a.localeCompare(b)));
const FILES = ['dadrian.io.pem', 'email-in-subject.pem', 'parsecert12-minlen.pem', 'parsecert2.pem', 'parsecert4-time.pem', 'qwac.pem'];
/** The DER of a file's PEM block. */
const der = (name: string): Buffer => Buffer.from(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(readFileSync(ds('x509', name), 'utf8'))![1]!.replace(/\s+/g, ''), 'base64');
const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const idOf = (hex: string): string => Buffer.from(hex).toString('base64');

describe('X.509 sample certificates', { skip: datasetSkip }, () => {
  it('6 certificates, 6 SAN hosts of the leaf certificates ("firewall" is not a host, the CA has none); served; re-import unchanged', async () => {
    assert.deepEqual(FILES.map((f) => sha1(der(f))), [
      '88f3bd5c2d8ca749aeb04823c19d9fea9d8b398d',
      '91106dda5e8161fb57ed4931dab2411ee361d248',
      'b730f93589b2f7b692d4ae4cdf968b81483c23d8',
      'fe9853fb38f62cdd2d4fd1236e5699a6533597a1',
      '079a824bc99a144c4bcbd675efb1bec9f353e88f',
      'f1b7533029586920ee56df926bc59dcd8cfa3630',
    ]);
    const paths = FILES.map((f) => ds('x509', f));
    for (const p of paths) assert.equal(detectFormat({ name: p, head: readFileSync(p, 'utf8') }), 'x509');
    const store = memoryStore();
    const s = await importInto(store, paths);
    // SAN DNS names by hand: dadrian.io 1, qwac 1, parsecert2 2, parsecert12 2 (= 6 hosts); parsecert4 "firewall" (one label) skipped.
    assert.deepEqual(entityCounts(s), {
      hostSslCertificate: { created: 6, updated: 0, unchanged: 0 },
      hostname: { created: 6, updated: 0, unchanged: 0 },
      sslCertificate: { created: 6, updated: 0, unchanged: 0 },
    });
    assert.deepEqual(positions(s.skipped, 'SAN name is not a host'), ['parsecert4-time.pem certificate 1 "firewall"']);
    assert.equal(s.rejected.size, 0);
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const c = await server.json(`${TI}/sslCertificates/${encodeURIComponent(idOf('fe9853fb38f62cdd2d4fd1236e5699a6533597a1'))}`);
      assert.equal(c.status, 200);
      assert.equal(c.body.sha1, 'fe9853fb38f62cdd2d4fd1236e5699a6533597a1');
      assert.equal(c.body.fingerprint, 'fe:98:53:fb:38:f6:2c:dd:2d:4f:d1:23:6e:56:99:a6:53:35:97:a1');
      assert.equal(c.body.serialNumber, BigInt('0x8765CCCBBF32').toString());
      assert.equal(c.body.issueDateTime, '2009-09-01T16:30:45.000Z');
      assert.equal(c.body.expirationDateTime, '2011-10-12T22:18:26.000Z');
      assert.equal(c.body.firstSeenDateTime, null);
      assert.deepEqual(c.body.subject, {
        address: { city: 'Malvern', countryOrRegion: 'US', postalCode: null, state: 'PA', street: null },
        alternateNames: ['www.yourshoppingnetwork.com', 'yourshoppingnetwork.com'],
        commonName: 'www.yourshoppingnetwork.com',
        email: null,
        givenName: null,
        organizationName: 'Farmhaus, LLC',
        organizationUnitName: 'Retail Up!',
        serialNumber: null,
        surname: null,
      });
      assert.equal(c.body.issuer.commonName, 'Go Daddy Secure Certification Authority');
      assert.equal(c.body.issuer.serialNumber, '07969287');
      const related = await server.json(`${TI}/sslCertificates/${encodeURIComponent(idOf('fe9853fb38f62cdd2d4fd1236e5699a6533597a1'))}/relatedHosts`);
      assert.deepEqual(related.body.value.map((h: { id: string }) => h.id).sort(), ['www.yourshoppingnetwork.com', 'yourshoppingnetwork.com']);
      const ca = await server.json(`${TI}/sslCertificates/${encodeURIComponent(idOf('91106dda5e8161fb57ed4931dab2411ee361d248'))}`);
      assert.equal(ca.body.subject.email, 'ca-winshuttle@dfn.de');
      assert.deepEqual(ca.body.subject.alternateNames, []); // the SAN holds only an e-mail address
      const qwac = await server.json(`${TI}/sslCertificates/${encodeURIComponent(idOf('f1b7533029586920ee56df926bc59dcd8cfa3630'))}`);
      assert.equal(qwac.body.subject.serialNumber, '918713867');
      assert.deepEqual(qwac.body.subject.address, { city: 'OSLO', countryOrRegion: 'NO', postalCode: '0150', state: null, street: null });
      const onHost = await server.json(`${TI}/hosts/camtradeplus.com.pe/sslCertificates`);
      assert.deepEqual(onHost.body.value.map((h: { id: string; ports: unknown[] }) => [h.id, h.ports]), [['b730f93589b2f7b692d4ae4cdf968b81483c23d8-camtradeplus.com.pe', []]]);
    } finally {
      await server.close();
    }
    const again = await importInto(store, paths);
    assert.deepEqual(entityCounts(again), { hostSslCertificate: { created: 0, updated: 0, unchanged: 6 }, sslCertificate: { created: 0, updated: 0, unchanged: 6 } });
    assert.equal(again.batches, 0);
  });

  it('DER input and --host h:port: the same certificate id, a hostSslCertificate with the port and a hostPort', async () => {
    const input = await file('dadrian.der', der('dadrian.io.pem'));
    assert.equal(detectFormat({ name: 'no-extension', head: readFileSync(input).toString('utf8') }), 'x509');
    const store = memoryStore();
    const s = await importInto(store, [input], { host: 'Dadrian.IO:8443' });
    assert.deepEqual(entityCounts(s), {
      hostPort: { created: 1, updated: 0, unchanged: 0 },
      hostSslCertificate: { created: 1, updated: 0, unchanged: 0 },
      hostname: { created: 1, updated: 0, unchanged: 0 },
      sslCertificate: { created: 1, updated: 0, unchanged: 0 },
    });
    const id = idOf('88f3bd5c2d8ca749aeb04823c19d9fea9d8b398d');
    const seen = new Date(NOW).toISOString();
    const server = await startTestServer({ store, seed: 'none' });
    try {
      const c = await server.json(`${TI}/sslCertificates/${encodeURIComponent(id)}`);
      assert.deepEqual([c.body.firstSeenDateTime, c.body.lastSeenDateTime], [seen, seen]);
      const hs = await server.json(`${TI}/hosts/dadrian.io/sslCertificates`);
      assert.deepEqual(hs.body.value.map((h: { ports: unknown[] }) => h.ports), [[{ firstSeenDateTime: seen, lastSeenDateTime: seen, port: 8443 }]]);
      const ports = await server.json(`${TI}/hosts/dadrian.io/ports`);
      assert.deepEqual(ports.body.value.map((p: Record<string, unknown>) => [p['id'], p['port'], p['protocol'], p['status']]), [['dadrian.io-8443', 8443, 'tcp', 'open']]);
      const recent = await server.json(`${TI}/hostPorts/dadrian.io-8443/mostRecentSslCertificate`);
      assert.equal(recent.body.id, id);
    } finally {
      await server.close();
    }
    const later = await importInto(store, [input], { host: 'dadrian.io:8443', now: NOW + 86_400_000 });
    assert.deepEqual(entityCounts(later).hostPort, { created: 0, updated: 1, unchanged: 0 }); // seen again a day later: last seen moves
  });
});

describe('X.509: malformed input', () => {
  const good = (): string => (datasetSkip ? '' : readFileSync(ds('x509/dadrian.io.pem'), 'utf8'));
  it('a corrupt PEM block is rejected at its position; the good certificate of the same file imports', { skip: datasetSkip }, async () => {
    const input = await file('two.pem', `# a comment\n-----BEGIN CERTIFICATE-----\nMIIBbad0base64==\n-----END CERTIFICATE-----\n${good()}`);
    const store = memoryStore();
    const s = await importInto(store, [input]);
    const rejected = [...s.rejected];
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]![0], 'not an X.509 certificate (malformed or truncated PEM)');
    assert.deepEqual(rejected[0]![1].positions, ['certificate 1']);
    assert.equal(await count(store, 'sslCertificates'), 1);
  });

  it('a PEM marker without a certificate, garbage bytes and an invalid --host are rejected, nothing written', async () => {
    const store = memoryStore();
    const a = await importInto(store, [await file('empty.pem', '-----BEGIN CERTIFICATE-----\nnot closed\n')]);
    assert.deepEqual(Object.fromEntries([...a.rejected].map(([k, v]) => [k, v.positions])), { 'no certificate (a PEM marker without a well-formed CERTIFICATE block)': ['file'] });
    const b = await importInto(store, [await file('junk.der', Buffer.from([0x30, 0x82, 0x00, 0x01, 0xff]))]);
    assert.deepEqual(Object.fromEntries([...b.rejected].map(([k, v]) => [k, v.positions])), { 'not an X.509 certificate (malformed or truncated DER)': ['certificate 1'] });
    const bad64 = await importInto(store, [await file('bad64.pem', '-----BEGIN CERTIFICATE-----\n!!!!notbase64@@@@\n-----END CERTIFICATE-----\n')]);
    assert.deepEqual(Object.keys(Object.fromEntries(bad64.rejected)), ['no certificate (a PEM marker without a well-formed CERTIFICATE block)']);
    const c = await importInto(store, [await file('ok.pem', good() || 'x')], { host: 'not a host:99' });
    assert.deepEqual(Object.fromEntries([...c.rejected].map(([k, v]) => [k, v.positions])), { 'invalid --host not a host:99: not a hostname or IP address': ['--host'] });
    const d = await importInto(store, [await file('ok2.pem', good() || 'x')], { host: 'dadrian.io:70000' });
    assert.deepEqual(Object.keys(Object.fromEntries(d.rejected)), ['invalid --host port 70000']);
    assert.equal(await count(store, 'sslCertificates'), 0);
    assert.equal(await count(store, 'hostPorts'), 0);
  });
});
