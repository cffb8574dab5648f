/**
 * Property-based (fast-check) over a real server on the store under test (SQLite, and PostgreSQL in the PostgreSQL
 * pass): generated query strings on the API's collections and generated profile and indicator write bodies. Every
 * answer is a Graph 2xx or 4xx; a refused write changes nothing (the counts stay as they were); the server keeps
 * answering /healthz throughout. 1,500 queries and 1,000 write bodies per run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MODEL } from '../../src/model/model.js';
import { collectionQuery, mangle } from '../support/generated-odata.js';
import { startTestServer, TEST_STORE, TI, type TestServer } from '../support/test-server.js';
import { apiClient, profileBody, type Send } from '../support/write-client.js';

let s: TestServer;
let send: Send;
let writeToken: string;
before(async () => {
  s = await startTestServer();
  writeToken = await s.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
  send = apiClient(s, writeToken);
});

/** Deletes what a 201 created, by its Location. */
async function deleteCreated(r: Response): Promise<void> {
  const location = r.headers.get('location')!;
  const del = await fetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${writeToken}` } });
  assert.equal(del.status, 204, `DELETE ${location}`);
}
after(async () => {
  await s.close();
});

async function expectGraphAnswer(r: Response, what: string): Promise<number> {
  const text = await r.text();
  assert.ok(r.status < 500 && !(r.status >= 300 && r.status < 400), `${what} → ${r.status} ${text.slice(0, 300)}`);
  if (r.status >= 400) {
    const body = JSON.parse(text);
    assert.equal(typeof body.error.code, 'string', `${what}: ${text.slice(0, 200)}`);
  }
  return r.status;
}

const count = async (path: string): Promise<number> => Number(await (await s.get(`/v1.0${TI}/${path}/$count`)).text());

/** A value for a property: mostly of a plausible shape, sometimes any JSON at all. */
const anyValue = fc.oneof(
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  fc.string({ maxLength: 20 }),
  fc.constantFrom('2024-02-30T00:00:00Z', '2024-01-01T00:00:00Z', 'actor', 'tool', 'osint', '\u0000', 'x'.repeat(5000), '$count', '..', 'a/b'),
  fc.constantFrom({ content: 'c', format: 'text' }, { content: 1, format: 'nope' }, [], {}, null, 2147483648, -1),
);

const profileWrite = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('$count', '.', '..', 'a/b', 'gen-x', '\u0001')),
    title: anyValue,
    kind: anyValue,
    firstActiveDateTime: anyValue,
    summary: anyValue,
    description: anyValue,
    aliases: anyValue,
    tradecraft: anyValue,
    targets: anyValue,
    unknownProperty: anyValue,
    '@odata.type': fc.constantFrom('#microsoft.graph.security.intelligenceProfile', '#microsoft.graph.security.hostname', 'garbage'),
  },
  { requiredKeys: [] },
);

describe(`generated requests on ${TEST_STORE}`, () => {
  for (const name of ['intelProfiles', 'intelligenceProfileIndicators', 'vulnerabilities']) {
    it(`${name}: 500 generated query strings over HTTP, each a Graph 2xx or 4xx`, async () => {
      const type = MODEL.entitySet(name)!.entityType;
      await fc.assert(
        fc.asyncProperty(collectionQuery(type), async (query) => {
          await expectGraphAnswer(await s.get(`/v1.0${TI}/${name}?${query}`), `${name}?${query}`);
        }),
        { numRuns: 500 },
      );
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    });
  }

  it('800 generated profile bodies: 201 (then deleted) or a 4xx that leaves the store as it was', async () => {
    const before = await count('intelProfiles');
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(profileWrite, profileWrite.map((b) => ({ ...profileBody('Generated'), ...b }))), async (body) => {
        const r = await send('POST', 'intelProfiles', body);
        const status = await expectGraphAnswer(r, `POST ${JSON.stringify(body).slice(0, 200)}`);
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
        if (status === 201) await deleteCreated(r);
        assert.equal(await count('intelProfiles'), before, `after ${status} for ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: 800 },
    );
    assert.ok((outcomes.get(400) ?? 0) > 100, JSON.stringify([...outcomes]));
  });

  it('200 generated indicator bodies posted into a profile, and mangled JSON text: a 4xx changes nothing', async () => {
    const before = await count('intelligenceProfileIndicators');
    const indicator = fc.record(
      { source: anyValue, firstSeenDateTime: anyValue, lastSeenDateTime: anyValue, artifact: fc.oneof(anyValue, fc.record({ '@odata.type': fc.constantFrom('#microsoft.graph.security.hostname', '#microsoft.graph.security.ipAddress', 'x'), id: anyValue })) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(indicator.map((b) => JSON.stringify(b)), mangle(fc.constant('{"source":"osint","artifact":{"@odata.type":"#microsoft.graph.security.hostname","id":"gen.example"}}'))), async (text) => {
        const r = await fetch(`${s.url}/v1.0${TI}/intelProfiles/actinium/indicators`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': 'application/json' },
          body: text,
        });
        const status = await expectGraphAnswer(r, `POST indicator ${text.slice(0, 200)}`);
        if (status === 201) await deleteCreated(r);
        assert.equal(await count('intelligenceProfileIndicators'), before);
      }),
      { numRuns: 200 },
    );
  });
});
