/**
 * Binding refuses text neither store can hold (NUL, lone surrogates) and numeric literals outside the other
 * operand's EDM type, with the literal's position; well-formed text and in-range numbers bind as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import type { EnumType } from '../../../src/model/model.js';
import { bindFilter } from '../../../src/odata/bind/bind-expression.js';
import { bindSearch } from '../../../src/odata/bind/bind-search.js';
import { findUnstorable } from '../../../src/odata/bind/unstorable-text.js';
import { parseExpression } from '../../../src/odata/uri/parse-expression.js';
import { parseSearch } from '../../../src/odata/uri/parse-search.js';
import { assertODataError } from '../uri/assert-odata-error.js';
import { boundToString } from './bound-to-string.js';

const PROFILE = MODEL.entityType('microsoft.graph.security.intelligenceProfile');
const enumType = (): EnumType | undefined => undefined;
const bind = (text: string) =>
  bindFilter(parseExpression(text, { maxDepth: 32, maxLiteralLength: 4096, maxInListItems: 100 }), { type: PROFILE, includeUnknownEnumMembers: false, enumType });

describe('findUnstorable', () => {
  it('finds NUL and lone surrogates with their index, and passes surrogate pairs', () => {
    assert.equal(findUnstorable('plain text'), undefined);
    assert.equal(findUnstorable('emoji \ud83d\ude00 pair'), undefined);
    assert.deepEqual(findUnstorable('ab\u0000'), { index: 2, describe: 'a NUL character (U+0000)' });
    assert.deepEqual(findUnstorable('x\ud800y'), { index: 1, describe: 'a lone surrogate (U+D800)' });
    assert.deepEqual(findUnstorable('\ude00'), { index: 0, describe: 'a lone surrogate (U+DE00)' });
    assert.deepEqual(findUnstorable('ok\ud83d'), { index: 2, describe: 'a lone surrogate (U+D83D)' });
  });
});

describe('bindFilter: unstorable string literals', () => {
  it('a lone surrogate in a literal → 400 with the literal position', () => {
    assertODataError(() => bind("title eq 'x\ud800'"), 400, 'BadRequest', "Invalid filter clause: the literal 'x\ud800' contains a lone surrogate (U+D800), which cannot be stored or matched at position 9.");
  });
  it('a NUL in a function argument and in an in-list item → 400', () => {
    assertODataError(() => bind("startswith(title,'a\u0000')"), 400, 'BadRequest', "Invalid filter clause: the literal 'a\u0000' contains a NUL character (U+0000), which cannot be stored or matched at position 17.");
    assertODataError(() => bind("title in ('ok','\u0000')"), 400, 'BadRequest', "Invalid filter clause: the literal '\u0000' contains a NUL character (U+0000), which cannot be stored or matched at position 15.");
  });
  it('a surrogate pair binds', () => {
    assert.equal(boundToString(bind("title eq '\ud83d\ude00'")), "(eq $it/title '\ud83d\ude00':String)");
  });
});

describe('bindSearch: unstorable terms', () => {
  it('a lone surrogate in a term → 400 with the term position', () => {
    assertODataError(() => bindSearch(parseSearch('good b\udc00d', { maxDepth: 10, maxTerms: 10 })), 400, 'BadRequest', "Invalid search clause: the term 'b\udc00d' contains a lone surrogate (U+DC00), which cannot be stored or matched at position 5.");
  });
});

describe('bindFilter: numeric literals against Int32', () => {
  it('Int32 bounds bind; one beyond is a 400; decimals are refused', () => {
    assert.equal(boundToString(bind('length(title) le 2147483647')), '(le (length $it/title) 2147483647:Int32)');
    assertODataError(() => bind('length(title) eq 2147483648'), 400, 'BadRequest', "Invalid filter clause: the literal 2147483648 is out of range for length(…) of type 'Edm.Int32' (-2147483648 to 2147483647) at position 17.");
    assertODataError(() => bind('length(title) in (1, 9007199254740991)'), 400, 'BadRequest', "Invalid filter clause: the literal 9007199254740991 is out of range for length(…) of type 'Edm.Int32' (-2147483648 to 2147483647) at position 21.");
    assertODataError(() => bind('length(title) gt 2.0'), 400, 'BadRequest', "Invalid filter clause: the literal 2.0 is not an integer, but length(…) is of type 'Edm.Int32' at position 17.");
  });
});
