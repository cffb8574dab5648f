import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../src/odata/uri/lexer.js';
import { decodeDate, decodeDateTimeOffset } from '../../../src/odata/uri/parse-literal.js';
import { syntaxErrorFor } from '../../../src/odata/uri/syntax-error.js';
import { assertBadRequest } from './assert-odata-error.js';

const lex = (text: string) => tokenize(text, { syntaxError: syntaxErrorFor('$filter'), maxLiteralLength: 50 });
const kinds = (text: string) => lex(text).map((t) => (t.kind === 'literal' ? `${t.literal!.type}:${t.text}` : t.kind === 'identifier' ? `id:${t.text}` : t.kind));

describe('lexer', () => {
  it('splits tokens and records positions', () => {
    assert.deepEqual(kinds("a/b eq 'x''y' and (c ne -1.5)"), ['id:a', '/', 'id:b', 'id:eq', "string:'x''y'", 'id:and', '(', 'id:c', 'id:ne', 'decimal:-1.5', ')', 'end']);
    assert.deepEqual(lex('  a  eq 1').map((t) => t.position), [2, 5, 8, 9]);
  });
  it('recognizes GUIDs (also starting with letters or digits like dates), dates and DateTimeOffsets', () => {
    assert.deepEqual(kinds('deadbeef-0000-4000-8000-000000000000 20170401-0000-4000-8000-000000000000 2017-04-01 2017-04-01T10:00Z'), [
      'guid:deadbeef-0000-4000-8000-000000000000',
      'guid:20170401-0000-4000-8000-000000000000',
      'date:2017-04-01',
      'dateTimeOffset:2017-04-01T10:00Z',
      'end',
    ]);
  });
  it('reads qualified enum literals, booleans and null in any case', () => {
    assert.deepEqual(kinds("ns.t'm' TRUE False NULL"), ["enum:ns.t'm'", 'boolean:TRUE', 'boolean:False', 'null:NULL', 'end']);
    assert.deepEqual(lex("ns.t'o''k'")[0]!.literal, { type: 'enum', typeName: 'ns.t', member: "o'k" });
  });
  it('rejects malformed tokens with positions', () => {
    assertBadRequest(() => lex('a eq 1x'), "'1x' is not a valid literal at position 5");
    assertBadRequest(() => lex('a eq #'), "unexpected character '#' at position 5");
    assertBadRequest(() => lex(`a eq '${'x'.repeat(51)}'`), 'the length of a literal is 51, the maximum is 50');
  });
});

describe('literal decoding', () => {
  it('DateTimeOffset: offsets, fractional seconds, Z', () => {
    assert.deepEqual(decodeDateTimeOffset('2022-05-02T23:09:20Z'), { ok: true, value: Date.UTC(2022, 4, 2, 23, 9, 20) });
    assert.deepEqual(decodeDateTimeOffset('2022-05-02T23:09:20.1234567-05:30'), { ok: true, value: Date.UTC(2022, 4, 3, 4, 39, 20, 123) });
    assert.deepEqual(decodeDateTimeOffset('2022-05-02T23:09Z'), { ok: true, value: Date.UTC(2022, 4, 2, 23, 9) });
    assert.deepEqual(decodeDateTimeOffset('0001-01-01T00:00:00Z').ok, true);
    assert.equal(decodeDateTimeOffset('2024-02-29T00:00:00Z').ok, true);
    assert.equal(decodeDateTimeOffset('2023-02-29T00:00:00Z').ok, false);
    assert.equal(decodeDateTimeOffset('2022-13-01T00:00:00Z').ok, false);
    assert.equal(decodeDateTimeOffset('2022-01-01T00:60:00Z').ok, false);
    assert.equal(decodeDateTimeOffset('2022-01-01T00:00:00+15:00').ok, false);
  });
  it('date-only is midnight UTC', () => {
    assert.deepEqual(decodeDate('2017-04-01'), { ok: true, value: Date.UTC(2017, 3, 1) });
    assert.equal(decodeDate('2017-04-31').ok, false);
  });
});
