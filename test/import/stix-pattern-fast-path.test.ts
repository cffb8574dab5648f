/**
 * parseStixPattern's shortcut for `[type:property = 'text']` gives exactly what the general parser gives, on
 * patterns built from the pieces that decide it (object types mapped or not, property case, operators, spacing,
 * quotes and backslashes in the text, OR/AND, brackets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseStixPattern, parseStixPatternGeneral } from '../../src/import/stix-pattern.js';

const space = fc.constantFrom('', ' ', '  ', '\t', '\n');
const type = fc.constantFrom('domain-name', 'DOMAIN-NAME', 'hostname', 'ipv4-addr', 'ipv6-addr', 'url', 'Url', 'file', 'email-addr', 'x-custom_1');
const property = fc.constantFrom('value', 'VALUE', 'Value', 'name', 'hashes.MD5', 'hashes', 'value_x');
const op = fc.constantFrom('=', '!=', 'MATCHES', 'LIKE', '==');
const text = fc.array(fc.constantFrom('a', 'evil.example', '1.2.3.4', ' ', "\\'", '\\\\', "'", '\\', 'AND', 'OR', ']', '[', 'ü'), { maxLength: 5 }).map((p) => p.join(''));
const comparison = fc.tuple(space, type, property, space, op, space, text, space).map(([a, t, p, b, o, c, v, d]) => `${a}${t}:${p}${b}${o}${c}'${v}'${d}`);
const pattern = fc.oneof(
  fc.tuple(space, comparison, space).map(([a, c, b]) => `${a}[${c}]${b}`),
  fc.tuple(comparison, fc.constantFrom(' OR ', ' AND ', ' or '), comparison).map(([x, j, y]) => `[${x}${j}${y}]`),
  fc.tuple(comparison, comparison).map(([x, y]) => `[${x}] OR [${y}]`),
  comparison,
  fc.string(),
);

describe('STIX pattern fast path', () => {
  it('equals the general parser on any pattern', () => {
    fc.assert(fc.property(pattern, (p) => assert.deepEqual(parseStixPattern(p), parseStixPatternGeneral(p), JSON.stringify(p))), { numRuns: 5000 });
  });

  it('examples: the shortcut case, an unmapped object, an escaped quote', () => {
    assert.deepEqual(parseStixPattern("[domain-name:value = 'evil.example']"), { kind: 'values', values: [{ hint: 'hostname', value: 'evil.example', path: 'domain-name:value' }], skipped: [] });
    assert.deepEqual(parseStixPattern("[file:name = 'x.exe']"), { kind: 'skip', reason: 'pattern on file:name' });
    assert.deepEqual(parseStixPattern("[url:value = 'http://a.example/it\\'s']"), { kind: 'values', values: [{ hint: 'url', value: "http://a.example/it's", path: 'url:value' }], skipped: [] });
  });
});
