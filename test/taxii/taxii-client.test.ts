/**
 * The OASIS TAXII 2.1 client (../shared/clients/cti-taxii-client, taxii2client.v21) against tigraph over HTTP and
 * HTTPS (the dev CA): discovery, API root, collections, get_objects with as_pages to the end of a collection
 * larger than one page (exactly the exporter's objects, no duplicate), get_manifest, get_object,
 * get_object_versions, added_after polls, and the error cases. Skips, loudly, without Python 3 or the client.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { runImport } from '../../src/import/run-import.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { exportStix } from '../../src/export/export-stix.js';
import { MODEL } from '../../src/model/model.js';
import { startHttpsServer, type RunningHttpsServer } from '../../src/server/start-https.js';
import { loadOrCreateDevCertificates } from '../../src/tls/dev-certificates.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Store } from '../../src/storage/store.js';

const CLIENT = resolve(process.cwd(), '../shared/clients/cti-taxii-client');
const DRIVER = resolve(process.cwd(), 'test/taxii/taxii-client-driver.py');
/**
 * The first Python 3 that has the client's dependencies (requests, six, pytz): the venv `.ci/run` makes
 * (../shared/clients/README.md), then PATH's `python3`.
 */
const PYTHON = ['/tmp/taxii-venv/bin/python', 'python3', '/usr/bin/python3'].find(
  (p) => spawnSync(p, ['-c', 'import requests, six, pytz'], { stdio: 'ignore' }).status === 0,
);
const skip = !existsSync(CLIENT)
  ? `the TAXII client is not at ${CLIENT}`
  : !PYTHON
    ? 'no Python 3 with requests, six and pytz (run: python3 -m venv --system-site-packages /tmp/taxii-venv && /tmp/taxii-venv/bin/pip install pytz)'
    : false;
if (skip) console.warn(`SKIPPING the OASIS TAXII client tests: ${skip}`);

/** An indicator imported after the seed. */
export const LATER_INDICATOR = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-02-01T00:00:00.000Z',
  modified: '2026-02-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'later.example.org']",
  pattern_type: 'stix',
  valid_from: '2026-02-01T00:00:00.000Z',
};

async function drive(base: string, token: string, weak: string, ca: string, writer: string): Promise<any> {
  const { stdout } = await promisify(execFile)(PYTHON!, [DRIVER, base, token, weak, ca, writer], {
    // requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`: trust only the dev CA.
    env: { ...process.env, PYTHONPATH: CLIENT, ...(ca ? { REQUESTS_CA_BUNDLE: ca, CURL_CA_BUNDLE: ca } : {}) },
    maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

for (const storeKind of ['sqlite', 'postgres'] as const) {
const storeSkip = skip || (storeKind === 'postgres' && !TEST_DATABASE_URL ? POSTGRES_SKIP_REASON : false);
describe(`TAXII 2.1 with the OASIS client (${storeKind})`, { skip: storeSkip }, () => {
  let server: TestServer;
  let https: RunningHttpsServer;
  let dir: string;
  let ca: string;
  let exported: any[];
  let pg: (Store & { dropSchema(): Promise<void> }) | undefined;
  before(async () => {
    pg = storeKind === 'postgres' ? await createTestPostgresStore() : undefined;
    server = await startTestServer(pg ? { store: pg } : {});
    dir = await mkdtemp(join(tmpdir(), 'tigraph-taxii-'));
    const certs = await loadOrCreateDevCertificates(dir);
    ca = certs.caCertPath;
    const listener = server.server.listeners('request')[0] as Parameters<typeof startHttpsServer>[0];
    https = await startHttpsServer(listener, { port: 0, host: '127.0.0.1', certPem: certs.certPem, keyPem: certs.keyPem });
    let text = '';
    for await (const chunk of exportStix({ store: server.store, model: MODEL })) text += chunk;
    exported = JSON.parse(text).objects;
    // A second ingestion (its own transaction, so a later stamp than the seed's).
    const bundle = join(dir, 'later.json');
    await writeFile(bundle, JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [LATER_INDICATOR] }));
    await runImport({ store: server.store, model: MODEL, inputs: [bundle], format: 'stix', source: 'osint' });
    let again = '';
    for await (const chunk of exportStix({ store: server.store, model: MODEL })) again += chunk;
    exported = JSON.parse(again).objects;
  });
  after(async () => {
    await https?.close();
    await server?.close();
    await pg?.dropSchema();
    await pg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`walks discovery, collections, every page, manifest, versions, added_after and errors over ${scheme}`, async () => {
      const weak = await server.mint({ roles: [] });
      let text = '';
      for await (const chunk of exportStix({ store: server.store, model: MODEL })) text += chunk;
      exported = JSON.parse(text).objects;
      const writer = await server.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
      const out = await drive(scheme === 'http' ? server.url : https.url, server.token, weak, scheme === 'https' ? ca : '', writer);
      const base = scheme === 'http' ? server.url : https.url;
      assert.equal(out.title, 'tigraph TAXII 2.1');
      assert.equal(out.api_root_url, `${base}/taxii2/api/`);
      assert.deepEqual(out.versions, ['application/taxii+json;version=2.1']);
      assert.equal(out.max_content_length, 16 * 1024 * 1024);
      assert.deepEqual(out.collections.slice(0, 4).map((c: any) => c.id), ['all', 'microsoft', 'osint', 'public']);
      assert.ok(out.collections.every((c: any) => c.can_read === true && c.can_write === false));

      // Every object once; the same objects as the exporter's bundle (locations are per profile in TAXII).
      assert.equal(new Set(out.object_ids).size, out.object_ids.length, 'no duplicates');
      assert.ok(out.pages > 2, `more than one page (${out.pages})`);
      const nonLocation = (ids: string[]): string[] => ids.filter((i) => !i.startsWith('location--')).sort();
      // The TAXII collections serve profiles and their indicators; the export also has the articles (reports and
      // their article indicators) and vulnerabilities, which TAXII does not serve.
      const served = exported.filter((o) => o.type !== 'report' && o.type !== 'vulnerability' && o.x_tigraph_article === undefined);
      assert.equal(exported.length - served.length, 3 + 4 + 2);
      assert.deepEqual(nonLocation(out.object_ids), nonLocation(served.map((o) => o.id)));
      const originPairs = exported.filter((o) => o.relationship_type === 'originates-from').length;
      assert.equal(out.object_ids.filter((i: string) => i.startsWith('location--')).length, originPairs);

      assert.deepEqual(out.manifest.map((m: any) => m.id), out.object_ids);
      assert.ok(out.manifest.every((m: any) => m.media_type === 'application/stix+json;version=2.1' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(m.date_added)));
      const indicator = out.object_ids.find((i: string) => i.startsWith('indicator--'));
      const expected = exported.find((o) => o.id === indicator);
      assert.deepEqual(out.one_object.objects, [expected]);
      assert.deepEqual(out.versions_of_one.versions, [expected.modified]);

      assert.deepEqual(out.after_latest, {});
      const later = out.manifest.filter((m: any) => m.date_added > out.middle_stamp).map((m: any) => m.id);
      assert.ok(later.length > 0);
      assert.deepEqual(out.after_middle_ids, later);
      assert.deepEqual(out.indicators_only, Array(10).fill('indicator'));

      assert.equal(out.errors.unknown_collection.status, 404);
      assert.deepEqual(out.errors.unknown_collection.body, { title: 'Not Found', description: "Collection 'no-such-collection' does not exist.", http_status: '404' });
      assert.equal(out.errors.unknown_collection.type, 'application/taxii+json;version=2.1');
      assert.equal(out.errors.no_permission.status, 403);
      assert.equal(out.errors.no_permission.body.http_status, '403');
      assert.equal(out.errors.wrong_accept.status, 406);
      assert.equal(out.errors.wrong_accept.body.title, 'Not Acceptable');
      assert.equal(out.errors.bad_added_after.status, 400);
      assert.equal(out.errors.bad_added_after.body.http_status, '400');
      assert.equal(out.errors.wrong_content_type.status, 415);
      assert.equal(out.errors.wrong_content_type.body.title, 'Unsupported Media Type');
      assert.equal(out.errors.add_without_write, 'AccessError');

      // add_objects with status polling: one indicator imported, the malformed one failed with the importer's reason.
      assert.equal(out.osint_can_write, true);
      assert.equal(out.add_status.status, 'complete');
      assert.equal(out.add_status.total_count, 2);
      assert.equal(out.add_status.success_count, 1);
      assert.equal(out.add_status.failure_count, 1);
      assert.equal(out.add_status.failures[0].id, 'indicator--0c7b5e0e-7c52-4c1c-8d8f-3f0d1d1b6a02');
      assert.equal(out.add_status.failures[0].message, 'unparseable pattern: unbalanced brackets');
      assert.deepEqual(out.status_poll, { http: 200, status: 'complete', success_count: 1 });
      // The osint collection: its identity is stamped at the epoch, so added_after gives just the new indicator.
      assert.deepEqual(out.after_add, [{ type: 'indicator', name: `added-by-taxii-${scheme}.example` }]);
    });
  }
});
}
