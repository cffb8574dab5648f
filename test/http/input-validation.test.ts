/**
 * Input the stores cannot hold or compare is a precise 400 (or 415) at binding, on SQLite and PostgreSQL alike:
 * numeric literals out of the other operand's EDM range, NUL and lone surrogates in keys, literals, $search and
 * bodies, impossible calendar dates, ids that could never be addressed, and JSON bodies in another charset.
 */
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

const profile = {
  title: 'Input Validation',
  kind: 'actor',
  firstActiveDateTime: '2023-04-01T00:00:00Z',
  summary: { content: 'A profile for the input validation tests.', format: 'text' },
  description: { content: 'Created by a test.', format: 'text' },
};

const send = (method: string, path: string, body: string, contentType = 'application/json') =>
  fetch(`${s.url}/v1.0${TI}/${path}`, { method, headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': contentType }, body });

async function error(r: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await r.json()) as { error: { code: string; message: string } };
  return { status: r.status, code: body.error.code, message: body.error.message };
}

const get = (pathAndQuery: string) => s.get(`/v1.0${TI}/${pathAndQuery}`);
const filter = (f: string) => get(`intelProfiles?$filter=${encodeURIComponent(f)}`);
const bad = (message: string) => ({ status: 400, code: 'BadRequest', message });

describe('numeric literals are range-checked against the other operand', () => {
  it('an integer beyond Int32 compared with length() → 400 naming the literal and its position', async () => {
    assert.deepEqual(
      await error(await filter('length(title) gt 2147483648')),
      bad("Invalid filter clause: the literal 2147483648 is out of range for length(…) of type 'Edm.Int32' (-2147483648 to 2147483647) at position 17."),
    );
    assert.deepEqual(
      await error(await filter('length(title) lt -2147483649')),
      bad("Invalid filter clause: the literal -2147483649 is out of range for length(…) of type 'Edm.Int32' (-2147483648 to 2147483647) at position 17."),
    );
  });
  it('a decimal or exponent literal compared with an integer → 400', async () => {
    assert.deepEqual(await error(await filter('length(title) gt 1.5')), bad("Invalid filter clause: the literal 1.5 is not an integer, but length(…) is of type 'Edm.Int32' at position 17."));
    assert.deepEqual(await error(await filter('length(title) gt 1e308')), bad("Invalid filter clause: the literal 1e308 is not an integer, but length(…) is of type 'Edm.Int32' at position 17."));
  });
  it('the Int32 bounds themselves are accepted', async () => {
    const r = await filter('length(title) lt 2147483647 and length(title) gt -2147483648');
    assert.equal(r.status, 200);
  });
});

describe('text the stores cannot hold is refused where it enters', () => {
  it('a NUL in a path id → 400 with its position', async () => {
    assert.deepEqual(await error(await get('intelProfiles/a%00b')), bad('Invalid key: the key contains a NUL character (U+0000) at position 1, which no stored key can contain.'));
  });
  it('a NUL or a lone surrogate in a string literal → 400 with the literal position', async () => {
    assert.deepEqual(
      await error(await get(`intelProfiles?$filter=${encodeURIComponent("title eq 'a")}%00${encodeURIComponent("b'")}`)),
      bad("Invalid filter clause: the literal 'a\u0000b' contains a NUL character (U+0000), which cannot be stored or matched at position 9."),
    );
    // %ED%A0%80 is not UTF-8, so a lone surrogate only arrives through the JSON of a $batch or a body; in a URL it is a
    // malformed escape. The binder refuses it all the same (test/odata/bind/unstorable-literal.test.ts).
  });
  it('a NUL in $search → 400 with the term position', async () => {
    assert.deepEqual(await error(await get('intelProfiles?$search=%22ab%00c%22')), bad("Invalid search clause: the term 'ab\u0000c' contains a NUL character (U+0000), which cannot be stored or matched at position 0."));
  });
  it('a NUL or a lone surrogate in a POSTed or PATCHed string → 400 naming the property; nothing is written', async () => {
    const nul = await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id: 'nul-title', title: 'a\u0000b' }));
    assert.deepEqual(await error(nul), {
      status: 400,
      code: 'BadRequest',
      message: "Invalid value for property 'title' of type 'microsoft.graph.security.intelligenceProfile': the string contains a NUL character (U+0000) at index 1, which cannot be stored.",
    });
    assert.equal((await get('intelProfiles/nul-title')).status, 404);
    const lone = await send('POST', 'intelProfiles', `${JSON.stringify({ ...profile, id: 'lone-title' }).slice(0, -1)},"title":"x\\ud800"}`);
    assert.deepEqual(await error(lone), {
      status: 400,
      code: 'BadRequest',
      message: "Invalid value for property 'title' of type 'microsoft.graph.security.intelligenceProfile': the string contains a lone surrogate (U+D800) at index 1, which cannot be stored.",
    });
    assert.equal((await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id: 'patch-target' }))).status, 201);
    const patch = await send('PATCH', 'intelProfiles/patch-target', JSON.stringify({ title: 'before\u0000after' }));
    assert.deepEqual(await error(patch), {
      status: 400,
      code: 'BadRequest',
      message: "Invalid value for property 'title' of type 'microsoft.graph.security.intelligenceProfile': the string contains a NUL character (U+0000) at index 6, which cannot be stored.",
    });
    assert.equal((await s.json(`/v1.0${TI}/intelProfiles/patch-target`)).body.title, 'Input Validation');
  });
});

describe('impossible dates are 400', () => {
  it('firstActiveDateTime 2024-02-30 in a body → 400 (not stored as 2024-03-01)', async () => {
    for (const value of ['2024-02-30', '2024-02-30T00:00:00Z', '2023-02-29T12:00:00Z']) {
      const r = await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id: 'bad-date', firstActiveDateTime: value }));
      const day = value.slice(8, 10).replace(/^0/, '');
      assert.deepEqual(await error(r), {
        status: 400,
        code: 'BadRequest',
        message: `Invalid value for property 'firstActiveDateTime' of type 'microsoft.graph.security.intelligenceProfile': '${value}' is not a valid ISO 8601 DateTimeOffset (day ${day} is out of range for month 2).`,
      });
    }
    assert.equal((await get('intelProfiles/bad-date')).status, 404);
    const leap = await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id: 'leap-date', firstActiveDateTime: '2024-02-29' }));
    assert.equal(leap.status, 201);
    assert.equal(((await leap.json()) as { firstActiveDateTime: string }).firstActiveDateTime, '2024-02-29T00:00:00.000Z');
  });
  it('2024-02-30 in a $filter literal → 400', async () => {
    assert.deepEqual(
      await error(await filter('firstActiveDateTime gt 2024-02-30T00:00:00Z')),
      bad("Invalid filter clause: '2024-02-30T00:00:00Z' is not a valid DateTimeOffset literal: day 30 is out of range for month 2 at position 23."),
    );
  });
});

describe('ids that could never be addressed are refused at creation', () => {
  const cases: [string, string][] = [
    ['$count', "'$count' cannot be addressed as a key"],
    ['$COUNT', "'$COUNT' cannot be addressed as a key"],
    ['.', "'.' cannot be addressed as a key"],
    ['..', "'..' cannot be addressed as a key"],
    ['a/b', "a key cannot contain '/'"],
    ['tab\there', 'a key cannot contain control characters (U+0009 at index 3)'],
    ['nul\u0000', 'a key cannot contain control characters (U+0000 at index 3)'],
    ['del\u007f', 'a key cannot contain control characters (U+007F at index 3)'],
  ];
  for (const [id, detail] of cases) {
    it(`id ${JSON.stringify(id)} → 400 naming 'id'`, async () => {
      const r = await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id }));
      assert.deepEqual(await error(r), bad(`Invalid value for property 'id' of type 'microsoft.graph.security.intelligenceProfile': ${detail}.`));
    });
  }
});

describe('JSON bodies are UTF-8', () => {
  it('a body starting with a UTF-8 BOM is accepted', async () => {
    const r = await fetch(`${s.url}/v1.0${TI}/intelProfiles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ ...profile, id: 'with-bom' }))]),
    });
    assert.equal(r.status, 201);
    assert.equal(((await r.json()) as { id: string }).id, 'with-bom');
  });
  for (const charset of ['utf-16', 'latin1', '"ISO-8859-1"']) {
    it(`Content-Type charset=${charset} → 415 UnsupportedMediaType`, async () => {
      const r = await send('POST', 'intelProfiles', JSON.stringify({ ...profile, id: 'other-charset' }), `application/json; charset=${charset}`);
      const name = charset.replace(/"/g, '').toLowerCase();
      assert.deepEqual(await error(r), { status: 415, code: 'UnsupportedMediaType', message: `Content-Type charset '${name}' is not supported; send application/json in UTF-8.` });
      assert.equal((await get('intelProfiles/other-charset')).status, 404);
    });
  }
});
