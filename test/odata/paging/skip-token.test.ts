/**
 * The opaque keyset `$skiptoken`: its exact wire form (MAC computed independently, with Python's hmac, for the
 * pinned value), the round trip, and every way a token that this server did not issue for this query is refused
 * (each a 400 with its own reason) — forged values included, which the MAC stops before they reach SQL.
 */
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSkipToken, encodeSkipToken, shapeHash } from '../../../src/odata/paging/skip-token.js';
import { assertODataError } from '../uri/assert-odata-error.js';

const SHAPE = 'shape-a';
const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
/** base64url('[2,"8Ip7CQYTooqj",["a",1,null]]') "." base64url(HMAC-SHA-256(KEY, that)[0..16]). */
const BODY = 'WzIsIjhJcDdDUVlUb29xaiIsWyJhIiwxLG51bGxdXQ';
const TOKEN = `${BODY}.-lZMXjYHzCaDyNztrawibQ`;
const b64 = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');
/** A token for any body, signed with KEY (what only the server can do): for the checks after the MAC. */
const signed = (json: unknown, key = KEY): string => {
  const body = b64(json);
  return `${body}.${createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url')}`;
};

const refused = (token: string, reason: string, shape = SHAPE, values = 3, key = KEY): void =>
  void assertODataError(() => decodeSkipToken(token, shape, values, key), 400, 'BadRequest', `Invalid $skiptoken: ${reason}.`);

describe('skip tokens', () => {
  it('the shape hash is the first 12 base64url characters of its SHA-256', () => {
    assert.equal(shapeHash(SHAPE), '8Ip7CQYTooqj');
    assert.equal(shapeHash('shape-b'), 'v9B0QzeFy1Tz');
  });

  it('encodes base64url JSON [version 2, shape hash, sort values] "." its truncated HMAC', () => {
    assert.equal(encodeSkipToken(SHAPE, ['a', 1, null], KEY), TOKEN);
    assert.equal(Buffer.from(BODY, 'base64url').toString('utf8'), '[2,"8Ip7CQYTooqj",["a",1,null]]');
    assert.equal(encodeSkipToken(SHAPE, ['a', 1, null], OTHER_KEY), `${BODY}.0-T_XFm0eXOQ0Oqu2JR3dw`);
  });

  it('round-trips strings (any Unicode), numbers and nulls', () => {
    assert.deepEqual(decodeSkipToken(TOKEN, SHAPE, 3, KEY), ['a', 1, null]);
    const values = ["it's \"quoted\" & ünïcødé 🚀", -1.5, 1732941430000, null, ''];
    assert.deepEqual(decodeSkipToken(encodeSkipToken(SHAPE, values, KEY), SHAPE, 5, KEY), values);
  });

  it('refuses a forged or altered token: another key, edited values, an unkeyed version-1 token, a MAC of the wrong size', () => {
    const forged = 'the token was not issued by this server or was altered';
    refused(TOKEN, forged, SHAPE, 3, OTHER_KEY);
    refused(`${b64([2, '8Ip7CQYTooqj', ['zzz', 1, null]])}.-lZMXjYHzCaDyNztrawibQ`, forged);
    refused(`${b64([2, '8Ip7CQYTooqj', ['a', 1e308, null]])}.-lZMXjYHzCaDyNztrawibQ`, forged);
    refused(`${BODY}.${'A'.repeat(22)}`, forged);
    refused(`${BODY}.-lZMXjYHzCaDyNztrawibR`, forged);
    refused(TOKEN, forged, SHAPE, 3, Buffer.alloc(0));
    refused('WzEsIjhJcDdDUVlUb29xaiIsWyJhIiwxLG51bGxdXQ', 'the token is not in the format this server issues');
    refused(`${BODY}.-lZMXjYHzCaDyNztrawib`, 'the token is not in the format this server issues');
  });

  it('refuses a token for another query shape', () => {
    refused(TOKEN, 'the token belongs to a different query ($filter, $orderby, $search or path changed)', 'shape-b');
    refused(signed([2, '8Ip7CQYTooqk', ['a', 1, null]]), 'the token belongs to a different query ($filter, $orderby, $search or path changed)');
  });

  it('refuses a token whose values do not fit the ordering: count or type', () => {
    refused(TOKEN, 'the token does not match the ordering', SHAPE, 2);
    refused(signed([2, '8Ip7CQYTooqj', ['a', 1]]), 'the token does not match the ordering');
    refused(signed([2, '8Ip7CQYTooqj', ['a', true, null]]), 'the token does not match the ordering');
    refused(signed([2, '8Ip7CQYTooqj', ['a', { $gt: 1 }, null]]), 'the token does not match the ordering');
    refused(signed([2, '8Ip7CQYTooqj', 'a,1,null']), 'the token does not match the ordering');
  });

  it('refuses what is not a token of this format: other version, other arity, not JSON, not base64url, too long', () => {
    const format = 'the token is not in the format this server issues';
    refused(signed([1, '8Ip7CQYTooqj', ['a', 1, null]]), format);
    refused(signed([2, '8Ip7CQYTooqj']), format);
    refused(signed({ v: 2 }), format);
    refused(`${Buffer.from('not json').toString('base64url')}.${createHmac('sha256', KEY).update(Buffer.from('not json').toString('base64url')).digest().subarray(0, 16).toString('base64url')}`, format);
    refused(`${TOKEN}=`, format);
    refused('WzEs+IjhJ/cDd.-lZMXjYHzCaDyNztrawibQ', format);
    refused('A'.repeat(4097), 'the token is too long');
  });
});
