/**
 * A poller's walk (Sentinel's TAXII connector, OpenCTI): first poll every page, then poll with `added_after` =
 * the last `X-TAXII-Date-Added-Last` seen; after an import that adds one indicator and changes another, the
 * next poll returns exactly those (and their relationships), and re-importing unchanged data returns nothing.
 * Also: every served object passes the STIX 2.1 checks in stix-rules.ts; media-type errors.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runImport } from '../../src/import/run-import.js';
import { MODEL } from '../../src/model/model.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../support/postgres.js';
import type { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { stixProblems } from './stix-rules.js';

const ACCEPT = { Accept: 'application/taxii+json;version=2.1' };

async function poll(server: TestServer, addedAfter: string | undefined): Promise<{ objects: any[]; last: string | undefined; pages: number }> {
  const objects: any[] = [];
  let last: string | undefined;
  let next: string | undefined;
  let pages = 0;
  do {
    const q = new URLSearchParams({ limit: '25', ...(addedAfter ? { added_after: addedAfter } : {}), ...(next ? { next } : {}) });
    const r = await server.get(`/taxii2/api/collections/all/objects/?${q}`, ACCEPT);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/taxii+json;version=2.1');
    const body = (await r.json()) as { objects?: any[]; next?: string; more?: boolean };
    pages++;
    objects.push(...(body.objects ?? []));
    last = r.headers.get('x-taxii-date-added-last') ?? last;
    next = body.next;
    assert.equal(body.more ?? false, next !== undefined);
  } while (next);
  return { objects, last, pages };
}

for (const storeKind of ['sqlite', 'postgres'] as const) {
describe(`TAXII poller walk (${storeKind})`, { skip: storeKind === 'postgres' && !TEST_DATABASE_URL ? POSTGRES_SKIP_REASON : false }, () => {
  let pg: PostgresStore | undefined;
  let server: TestServer;
  let dir: string;
  before(async () => {
    pg = storeKind === 'postgres' ? await createTestPostgresStore() : undefined;
    server = await startTestServer(pg ? { store: pg } : {});
    dir = await mkdtemp(join(tmpdir(), 'tigraph-taxii-poll-'));
  });
  after(async () => {
    await server?.close();
    await pg?.dropSchema();
    await pg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('first poll, then added_after the last X-TAXII-Date-Added-Last: exactly the new and changed objects', async () => {
    const first = await poll(server, undefined);
    assert.ok(first.pages > 3);
    assert.equal(new Set(first.objects.map((o) => o.id)).size, first.objects.length);
    for (const o of first.objects) assert.deepEqual(stixProblems(o), [], `${o.id}`);
    assert.deepEqual((await poll(server, first.last)).objects, []);

    // One changed indicator (a later last-seen) and one new one.
    const changed = first.objects.find((o) => o.type === 'indicator' && o.x_tigraph_profile);
    const later = { ...changed, x_last_seen: '2027-01-01T00:00:00.000Z' };
    const fresh = { type: 'indicator', spec_version: '2.1', id: 'indicator--0b7f6f4e-1b0f-4a51-9c1a-1d9a2b8f0a11', created: '2026-03-01T00:00:00.000Z', modified: '2026-03-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00.000Z' };
    const indicates = first.objects.find((r) => r.relationship_type === 'indicates' && r.source_ref === changed.id);
    const profile = first.objects.find((o) => o.id === indicates.target_ref);
    const file = join(dir, 'update.json');
    await writeFile(file, JSON.stringify({ type: 'bundle', id: 'bundle--1f0e2b7c-8a55-4a8e-9d5b-0b6a3c3d2e10', objects: [profile, later, indicates, fresh] }));
    await runImport({ store: server.store, model: MODEL, inputs: [file], format: 'stix' });

    const second = await poll(server, first.last);
    const ids = second.objects.filter((o) => o.type === 'indicator').map((o) => o.id).sort();
    assert.equal(ids.length, 2, JSON.stringify(second.objects.map((o) => o.id)));
    assert.ok(ids.includes(changed.id), `${changed.id} in ${JSON.stringify(second.objects)}`);
    assert.equal(second.objects.find((o) => o.id === changed.id).x_last_seen, '2027-01-01T00:00:00.000Z');
    assert.ok(second.last! > first.last!);

    // The same import again changes nothing: the next poll is empty.
    await runImport({ store: server.store, model: MODEL, inputs: [file], format: 'stix' });
    assert.deepEqual((await poll(server, second.last)).objects, []);
  });

  it('406 for an unacceptable Accept, TAXII error messages for bad parameters and a foreign cursor', async () => {
    const r406 = await server.get('/taxii2/api/collections/', { Accept: 'application/xml' });
    assert.equal(r406.status, 406);
    assert.deepEqual(await r406.json(), {
      title: 'Not Acceptable',
      description: "The Accept header 'application/xml' allows no media type this endpoint serves (application/taxii+json;version=2.1).",
      http_status: '406',
    });
    const r400 = await server.get('/taxii2/api/collections/all/objects/?limit=0', ACCEPT);
    assert.equal(r400.status, 400);
    assert.deepEqual(await r400.json(), { title: 'Bad Request', description: "Invalid 'limit': '0' is not a positive integer.", http_status: '400' });
    const page = (await (await server.get('/taxii2/api/collections/all/objects/?limit=2', ACCEPT)).json()) as { next: string };
    const rNext = await server.get(`/taxii2/api/collections/all/objects/?limit=2&match[type]=indicator&next=${page.next}`, ACCEPT);
    assert.equal(rNext.status, 400);
    assert.equal(((await rNext.json()) as { description: string }).description, "Invalid 'next': the cursor was issued for other filter parameters.");
    const r401 = await fetch(`${server.url}/taxii2/api/collections/`, { headers: ACCEPT });
    assert.equal(r401.status, 401);
    assert.equal(((await r401.json()) as { http_status: string }).http_status, '401');
  });
});
}
