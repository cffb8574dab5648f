/**
 * The import action with the newer formats (issue 13 point 5 over HTTP): a passive DNS COF body as JSON lines
 * (application/x-ndjson), a PEM certificate with `?host=` (the X.509 observation `tigraph import --host` makes), and
 * a CVE JSON 5 record; each job's summary lists the entities it wrote by type, and the API serves them. A bad `host`
 * is a 400 before a job exists.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { submitImport, waitForJob } from '../support/import-action.js';
import { datasetSkip, ds } from './helpers.js';

let s: TestServer;
let write: string;
before(async () => {
  s = await startTestServer({ seed: 'none' });
  write = await s.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
});
after(() => s.close());

async function runJob(query: string, contentType: string, body: string): Promise<Record<string, any>> {
  const r = await submitImport(s, write, query, contentType, body);
  assert.equal(r.status, 202, await r.clone().text());
  return waitForJob(s, r.headers.get('location')!);
}

/** A self-signed certificate for `name` (subject CN and SAN), valid through 2030. */
function certificate(name: string): { pem: string; sha1: string } {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = new Date('2024-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2030-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: name }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: name }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { pem: forge.pki.certificateToPem(cert), sha1: createHash('sha1').update(der).digest('hex') };
}

describe('import jobs of the newer formats', () => {
  it('passive DNS as JSON lines: the records, the hosts on both sides, served as passiveDns and passiveDnsReverse', async () => {
    const lines = [
      { rrname: 'www.pdns-job.example.', rrtype: 'A', rdata: '192.0.2.10', time_first: 1704067200, time_last: 1704153600, count: 3 },
      { rrname: 'www.pdns-job.example.', rrtype: 'CNAME', rdata: 'edge.pdns-job.example.', time_first: 1704067200, time_last: 1704067200, count: 1 },
    ];
    const job = await runJob('', 'application/x-ndjson', lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.equal(job['status'], 'succeeded', JSON.stringify(job));
    // The records, and the hosts on both sides: www. and edge.pdns-job.example, 192.0.2.10.
    assert.deepEqual(job['summary'].entities, [
      { type: 'hostname', created: 2, updated: 0, unchanged: 0 },
      { type: 'ipAddress', created: 1, updated: 0, unchanged: 0 },
      { type: 'passiveDnsRecord', created: 2, updated: 0, unchanged: 0 },
    ]);
    const forward = await s.json(`/v1.0${TI}/hosts/www.pdns-job.example/passiveDns?$orderby=recordType`);
    assert.deepEqual(
      forward.body.value.map((r: Record<string, any>) => [r['recordType'], r['firstSeenDateTime'], r['lastSeenDateTime'], r['artifact']['id']]),
      [
        ['A', '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '192.0.2.10'],
        ['CNAME', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'edge.pdns-job.example'],
      ],
    );
    const reverse = await s.json(`/v1.0${TI}/hosts/192.0.2.10/passiveDnsReverse`);
    assert.deepEqual(reverse.body.value.map((r: Record<string, any>) => r['parentHost']['id']), ['www.pdns-job.example']);
  });

  it('a PEM certificate with ?host=h:port: the certificate, its SAN host and the port observation', async () => {
    const { pem, sha1 } = certificate('cert-job.example');
    const job = await runJob('?host=cert-job.example:8443', 'application/x-pem-file', pem);
    assert.equal(job['status'], 'succeeded', JSON.stringify(job));
    const types = (job['summary'].entities as { type: string; created: number }[]).map((e) => [e.type, e.created]);
    assert.deepEqual(types, [['hostname', 1], ['hostPort', 1], ['hostSslCertificate', 1], ['sslCertificate', 1]]);
    const id = Buffer.from(sha1).toString('base64');
    const served = await s.json(`/v1.0${TI}/sslCertificates/${encodeURIComponent(id)}`);
    assert.equal(served.status, 200);
    assert.equal(served.body.sha1, sha1);
    assert.equal(served.body.subject.commonName, 'cert-job.example');
    const ports = await s.json(`/v1.0${TI}/hosts/cert-job.example/ports`);
    assert.deepEqual(ports.body.value.map((p: Record<string, any>) => p['port']), [8443]);
  });

  it('a bad ?host= is a 400 naming it, before any job exists', async () => {
    const before = Number(await (await s.get(`/v1.0${TI}/importJobs/$count`)).text());
    const r = await submitImport(s, write, '?host=not%20a%20host:99999', 'application/x-pem-file', certificate('x.example').pem);
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /'host'/);
    assert.equal(Number(await (await s.get(`/v1.0${TI}/importJobs/$count`)).text()), before);
  });

  it('a CVE JSON 5 record (CVE-2024-3094): the vulnerability and its components', { skip: datasetSkip }, async () => {
    const record = readFileSync(ds('cve', 'CVE-2024-3094.json'));
    const job = await runJob('', 'application/json', record.toString('utf8'));
    assert.equal(job['status'], 'succeeded', JSON.stringify(job));
    const parsed = JSON.parse(record.toString('utf8'));
    // One component per distinct affected product of the CNA: its `vendor product`, or its `packageName` (xz).
    const products = new Set((parsed.containers.cna.affected as Record<string, string>[]).map((a) => (a['product'] ? `${a['vendor'] ?? ''} ${a['product']}` : a['packageName']))).size;
    assert.equal(products, 6);
    assert.deepEqual(job['summary'].entities, [
      { type: 'vulnerability', created: 1, updated: 0, unchanged: 0 },
      { type: 'vulnerabilityComponent', created: products, updated: 0, unchanged: 0 },
    ]);
    const v = await s.json(`/v1.0${TI}/vulnerabilities/CVE-2024-3094`);
    assert.equal(v.status, 200);
    assert.equal(v.body.id, 'CVE-2024-3094');
  });
});
