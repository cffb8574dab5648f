/**
 * The opaque keyset `$skiptoken`: its exact wire form, the round trip, and every way a token that this server did
 * not issue for this query is refused (each a 400 with its own reason).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSkipToken, encodeSkipToken, shapeHash } from '../../../src/odata/paging/skip-token.js';
import { assertODataError } from '../uri/assert-odata-error.js';

const SHAPE = 'shape-a';
/** base64url('[1,"8Ip7CQYTooqj",["a",1,null]]'); 8Ip7CQYTooqj = the first 12 base64url characters of sha256('shape-a'). */
const TOKEN = 'WzEsIjhJcDdDUVlUb29xaiIsWyJhIiwxLG51bGxdXQ';
const b64 = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');

const refused = (token: string, reason: string, shape = SHAPE, values = 3): void =>
  void assertODataError(() => decodeSkipToken(token, shape, values), 400, 'BadRequest', `Invalid $skiptoken: ${reason}.`);

describe('skip tokens', () => {
  it('the shape hash is the first 12 base64url characters of its SHA-256', () => {
    assert.equal(shapeHash(SHAPE), '8Ip7CQYTooqj');
    assert.equal(shapeHash('shape-b'), 'v9B0QzeFy1Tz');
  });

  it('encodes [version, shape hash, sort values] as base64url JSON', () => {
    assert.equal(encodeSkipToken(SHAPE, ['a', 1, null]), TOKEN);
    assert.equal(Buffer.from(TOKEN, 'base64url').toString('utf8'), '[1,"8Ip7CQYTooqj",["a",1,null]]');
  });

  it('round-trips strings (any Unicode), numbers and nulls', () => {
    assert.deepEqual(decodeSkipToken(TOKEN, SHAPE, 3), ['a', 1, null]);
    const values = ["it's \"quoted\" & ünïcødé 🚀", -1.5, 1732941430000, null, ''];
    assert.deepEqual(decodeSkipToken(encodeSkipToken(SHAPE, values), SHAPE, 5), values);
  });

  it('refuses a token for another query shape', () => {
    refused(TOKEN, 'the token belongs to a different query ($filter, $orderby, $search or path changed)', 'shape-b');
  });

  it('refuses a token whose shape hash was altered', () => {
    refused(b64([1, '8Ip7CQYTooqk', ['a', 1, null]]), 'the token belongs to a different query ($filter, $orderby, $search or path changed)');
  });

  it('refuses a token whose values do not fit the ordering: count or type', () => {
    refused(TOKEN, 'the token does not match the ordering', SHAPE, 2);
    refused(b64([1, '8Ip7CQYTooqj', ['a', 1]]), 'the token does not match the ordering');
    refused(b64([1, '8Ip7CQYTooqj', ['a', true, null]]), 'the token does not match the ordering');
    refused(b64([1, '8Ip7CQYTooqj', ['a', { $gt: 1 }, null]]), 'the token does not match the ordering');
    refused(b64([1, '8Ip7CQYTooqj', 'a,1,null']), 'the token does not match the ordering');
  });

  it('refuses what is not a token of this format: other version, other arity, not JSON, not base64url, too long', () => {
    const format = 'the token is not in the format this server issues';
    refused(b64([2, '8Ip7CQYTooqj', ['a', 1, null]]), format);
    refused(b64([1, '8Ip7CQYTooqj']), format);
    refused(b64({ v: 1 }), format);
    refused(TOKEN.slice(0, -4), format); // truncated: no longer valid JSON
    refused(Buffer.from('not json').toString('base64url'), format);
    refused(`${TOKEN}=`, format);
    refused('WzEs+IjhJ/cDd', format);
    refused('A'.repeat(4097), 'the token is too long');
  });
});
