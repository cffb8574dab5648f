import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

describe('bounded query cost: lambda nesting', () => {
  it('the query that froze the server (4 nested any()) is 400 at once, and the server stays responsive', async () => {
    const filter =
      "indicators/any(v0: indicators/any(v1: indicators/any(v2: indicators/any(v3: contains(v3/id,'zzz') and v3/id ne v0/id and v3/id ne v1/id and v3/id ne v2/id))))";
    const started = Date.now();
    const r = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent(filter)}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'BadRequest');
    assert.equal(r.body.error.message, 'Limit exceeded: the nesting depth of any()/all() in $filter is 4, the maximum is 2.');
    assert.ok(Date.now() - started < 1000, `refused in ${Date.now() - started} ms`);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  });

  it('a $filter of more than 200 syntax nodes (the default) is 400 naming the count, before any SQL runs', async () => {
    // 60 comparisons (3 nodes each: the operator, the path, the literal) joined by 59 'or' nodes: 239.
    const filter = Array.from({ length: 60 }, (_, i) => `id eq 'x${i}'`).join(' or ');
    const r = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent(filter)}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.message, 'Limit exceeded: the number of nodes in $filter is 239, the maximum is 200.');
    const within = Array.from({ length: 50 }, (_, i) => `id eq 'x${i}'`).join(' or '); // 199 nodes
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent(within)}`)).status, 200);
  });

  it('two nested levels are still served, with the right answer', async () => {
    // Midnight Blizzard (demo data) lists NOBELIUM among its aliases and has indicators; no other profile does.
    const nested = await s.json(`/v1.0${TI}/intelProfiles?$filter=${encodeURIComponent("indicators/any(i: aliases/any(a: a eq 'NOBELIUM'))")}&$select=title`);
    assert.equal(nested.status, 200, JSON.stringify(nested.body));
    assert.deepEqual(nested.body.value.map((p: { title: string }) => p.title), ['Midnight Blizzard']);
  });
});
