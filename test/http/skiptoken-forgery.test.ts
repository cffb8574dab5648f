/**
 * `$skiptoken` is authenticated (HMAC under the store's secret): the forgeries that reached SQL before — a string
 * or an out-of-range number where the ordering has a date, an unkeyed token computed from the public format —
 * are 400s naming the reason, on both stores (PostgreSQL answered them 500).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const LIST = `/v1.0${TI}/intelligenceProfileIndicators?$orderby=firstSeenDateTime&$top=2&$select=id`;
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('$skiptoken forgery', () => {
  let token: string;
  before(async () => {
    const first = await s.json(LIST);
    assert.equal(first.status, 200);
    const link = first.body['@odata.nextLink'] as string;
    token = link.slice(link.indexOf('$skiptoken=') + '$skiptoken='.length);
  });

  it('the issued token continues the listing', async () => {
    const next = await s.json(`${LIST}&$skiptoken=${token}`);
    assert.equal(next.status, 200);
    assert.equal(next.body.value.length, 2);
  });

  const forgedValues: Array<[string, unknown[]]> = [
    ['a string where the ordering has a date', ['not a date', 'x']],
    ['a number beyond any date', [1e308, 'x']],
    ['a number beyond a 64-bit integer', [2 ** 70, 'x']],
    ['a NUL byte in a string value', [0, 'a\u0000b']],
  ];
  for (const [name, values] of forgedValues) {
    it(`edited values, the server's MAC kept (${name}): 400`, async () => {
      const [body, mac] = token.split('.') as [string, string];
      const [version, hash] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [number, string];
      const r = await s.json(`${LIST}&$skiptoken=${b64([version, hash, values])}.${mac}`);
      assert.deepEqual([r.status, r.body.error.code, r.body.error.message], [400, 'BadRequest', 'Invalid $skiptoken: the token was not issued by this server or was altered.']);
    });
  }

  it('an unkeyed token built from the public format (the old forgery): 400', async () => {
    const shape = JSON.stringify(['microsoft.graph.security.intelligenceProfileIndicator', '', '', ['firstSeenDateTime asc', 'id asc'], '', '']);
    const hash = createHash('sha256').update(shape).digest('base64url').slice(0, 12);
    const r = await s.json(`${LIST}&$skiptoken=${b64([1, hash, ['not a date', 'x']])}`);
    assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid $skiptoken: the token is not in the format this server issues.']);
  });

  it('a token of another server (another store secret): 400', async () => {
    const other = await startTestServer();
    try {
      const first = await other.json(LIST);
      const link = first.body['@odata.nextLink'] as string;
      const foreign = link.slice(link.indexOf('$skiptoken=') + '$skiptoken='.length);
      const r = await s.json(`${LIST}&$skiptoken=${foreign}`);
      assert.deepEqual([r.status, r.body.error.message], [400, 'Invalid $skiptoken: the token was not issued by this server or was altered.']);
    } finally {
      await other.close();
    }
  });
});
