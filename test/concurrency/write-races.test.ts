/** Races the issue found on PostgreSQL (check-then-write): each runs 20 rounds against the store under test. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { WRITE } from '../../src/auth/require-permission.js';

let s: TestServer;
let writeToken: string;
before(async () => {
  s = await startTestServer();
  writeToken = await s.mint({ roles: [WRITE] });
});
after(() => s.close());

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${s.url}/v1.0${TI}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${writeToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const profile = (title: string) => ({ title, kind: 'actor', firstActiveDateTime: '2023-04-01T00:00:00Z', summary: { content: 's', format: 'text' }, description: { content: 'd', format: 'text' } });

describe('concurrent writes', () => {
  it('20 concurrent POSTs of the same id: exactly one 201, the others 409 (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => send('POST', 'intelProfiles', profile(`Race ${round}`)).then((r) => r.status)));
      assert.deepEqual([statuses.filter((x) => x === 201).length, statuses.filter((x) => x === 409).length], [1, 19], `round ${round}`);
    }
  });
});
