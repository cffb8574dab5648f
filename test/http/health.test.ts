/**
 * Issue 10: "Unauthenticated /healthz and /readyz reveal the SQLite path and the pool state". Without a token (or
 * with a forged one) they say only up/down; a read token also gets the store and its detail. Both stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_STORE, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

describe(`health endpoints (${TEST_STORE})`, () => {
  for (const path of ['/healthz', '/readyz']) {
    it(`${path} without a token: 200 {"status":"up"} and nothing else`, async () => {
      const r = await fetch(`${s.url}${path}`);
      assert.equal(r.status, 200);
      assert.equal(await r.text(), '{"status":"up"}');
    });

    it(`${path} with a forged token: the same up/down answer, no details`, async () => {
      const r = await fetch(`${s.url}${path}`, { headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } });
      assert.equal(r.status, 200);
      assert.equal(await r.text(), '{"status":"up"}');
    });

    it(`${path} with a read token: status, store and detail`, async () => {
      const r = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${s.token}` } });
      assert.equal(r.status, 200);
      const body = (await r.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['status', 'store', 'detail']);
      assert.deepEqual([body['status'], body['store']], ['up', TEST_STORE]);
    });
  }
});
