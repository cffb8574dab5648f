/**
 * Bounded work per request (issue 10, point 2), on the store under test: a read past the server's deadline ends
 * with a Graph 504 and its database work is cancelled; /healthz answers within 1 s meanwhile (SQLite reads run on
 * reader threads); one client's expensive reads cannot take the whole database from another client.
 *
 * The expensive query is the most costly shape the default limits allow: two nested any() over one profile's
 * 10,000 indicators, a containment test for each of the 10^8 pairs (minutes of work on either store).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TEST_STORE, TI, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';
import { submitImport, waitForJob } from '../support/import-action.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';

const DEADLINE_MS = 1500;
const INDICATORS = 10_000;
const EXPENSIVE = `/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent('indicators/any(a: indicators/any(b: contains(b/artifact/id, a/artifact/id) and b/id ne a/id))')}`;
const DEADLINE_MESSAGE = `The request ran longer than the server's deadline of ${DEADLINE_MS} ms and its query was cancelled; narrow $filter or $search, or page with a smaller $top.`;

let s: TestServer;
let dir: string;

async function importHostnames(server: TestServer, count: number, profile: string): Promise<void> {
  const write = await server.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
  const lines = Array.from({ length: count }, (_, i) => `h${String(i).padStart(6, '0')}.deadline.example`).join('\n');
  const r = await submitImport(server, write, `?name=hosts.txt&profile=${encodeURIComponent(profile)}`, 'text/plain', lines);
  assert.equal(r.status, 202, await r.clone().text());
  assert.equal((await waitForJob(server, r.headers.get('location')!, 60_000)).status, 'succeeded');
}

/** Times each GET /healthz, one every 100 ms, until `until` settles. */
async function probeHealth(server: TestServer, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const times: number[] = [];
  while (!done) {
    const t = performance.now();
    const r = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(r.status, 200);
    await r.text();
    times.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return times;
}

async function activeStatements(): Promise<number> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%EXISTS (SELECT 1 FROM%' AND pid <> pg_backend_pid()");
    return Number(r.rows[0]!.n);
  } finally {
    await c.end();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tigraph-deadline-'));
  // SQLite: a file store, so that reads run on reader threads (an in-memory store reads on the event loop).
  s = await startTestServer({ requestDeadlineMs: DEADLINE_MS, ...(TEST_STORE === 'sqlite' ? { inMemory: false, dataDir: dir, sqliteReaders: 2 } : {}) });
  await importHostnames(s, INDICATORS, 'Deadline Test');
});
after(async () => {
  await s.close();
  await rm(dir, { recursive: true, force: true });
});

describe(`request deadline on ${TEST_STORE}`, () => {
  it('the most expensive allowed query ends at the deadline with 504 GatewayTimeout, and /healthz answers within 1 s meanwhile', async () => {
    const started = performance.now();
    const answer = s.json(EXPENSIVE);
    const health = await probeHealth(s, answer);
    const r = await answer;
    const took = performance.now() - started;
    assert.equal(r.status, 504, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'GatewayTimeout');
    assert.equal(r.body.error.message, DEADLINE_MESSAGE);
    assert.ok(took >= DEADLINE_MS - 50 && took < DEADLINE_MS + 1000, `answered after ${Math.round(took)} ms`);
    assert.ok(health.length >= 5, `${health.length} health probes`);
    assert.ok(Math.max(...health) < 1000, `slowest /healthz ${Math.round(Math.max(...health))} ms`);
  });

  it("the cancelled query's database work stops: the store answers an ordinary read at once, and no statement is left running", async () => {
    const r = await s.json(EXPENSIVE);
    assert.equal(r.status, 504);
    if (TEST_STORE === 'postgres') assert.equal(await waitFor('no statement left running', async () => ((await activeStatements()) === 0 ? true : undefined), { timeoutMs: 1000 }), true);
    const t = performance.now();
    const ordinary = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("title eq 'Deadline Test'")}&$select=title`);
    assert.equal(ordinary.status, 200);
    assert.deepEqual(ordinary.body.value, [{ '@odata.type': '#microsoft.graph.security.intelligenceProfile', title: 'Deadline Test' }]);
    assert.ok(performance.now() - t < 500, `ordinary read took ${Math.round(performance.now() - t)} ms`);
  });

  it("one client's expensive reads leave the database to another client: its read answers within 1 s", async () => {
    const greedy = await s.mint({ subject: '00000000-0000-0000-0000-00000000a11c', appId: '00000000-0000-0000-0000-0000000a11ce' });
    const flood = Array.from({ length: 12 }, () => fetch(`${s.url}${EXPENSIVE}`, { headers: { Authorization: `Bearer ${greedy}` } }).then((r) => r.status));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the flood holds its share of the store now
    const t = performance.now();
    const other = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("title eq 'Deadline Test'")}&$select=title`);
    const took = performance.now() - t;
    assert.equal(other.status, 200);
    assert.equal(other.body.value.length, 1);
    assert.ok(took < 1000, `the other client waited ${Math.round(took)} ms`);
    assert.deepEqual(new Set(await Promise.all(flood)), new Set([504]));
  });
});
