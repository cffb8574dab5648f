import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearch } from '../../../src/odata/uri/parse-search.js';
import { searchToString } from '../../../src/odata/uri/syntax-tree.js';
import { assertBadRequest } from './assert-odata-error.js';

const OPTIONS = { maxDepth: 32, maxTerms: 10 };
const parse = (text: string) => searchToString(parseSearch(text, OPTIONS));
const fails = (text: string, ...fragments: string[]): void => void assertBadRequest(() => parseSearch(text, OPTIONS), ...fragments);

describe('parseSearch', () => {
  const cases: [string, string][] = [
    ['"pizza"', '"pizza"'],
    ['blue', 'blue'],
    ['"blue green"', '"blue green"'],
    ['"displayName:Browser"', '"displayName:Browser"'],
    ['blue green', '(AND blue green)'],
    ['blue AND green', '(AND blue green)'],
    ['blue OR green', '(OR blue green)'],
    ['NOT blue', '(NOT blue)'],
    ['a b OR c', '(OR (AND a b) c)'],
    ['a OR b c', '(OR a (AND b c))'],
    ['NOT a b', '(AND (NOT a) b)'],
    ['(foo OR that) AND (bar OR baz) AND NOT quux', '(AND (AND (OR foo that) (OR bar baz)) (NOT quux))'],
    ['AND', 'AND'],
    ['OR', 'OR'],
    ['NOT', 'NOT'],
    ['and or', '(AND and or)'],
    ["Daniel's 08/15 brand-new", "(AND (AND Daniel's 08/15) brand-new)"],
    ['"say \\"hi\\""', '"say \\"hi\\""'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(parse(input), expected));

  it('unbalanced quote', () => fails('"blue', `unterminated phrase: expected '"' but found end of input at position 5`));
  it('phrase glued to a word', () => fails('"blue"green', `expected whitespace or ')' after the phrase but found 'g' at position 6`));
  it('quote inside a word', () => fails('blue"green', `unexpected '"' inside the word 'blue' at position 4`));
  it('empty', () => fails('', 'expected a search term but found end of input at position 0'));
  it('empty phrase', () => fails('""', 'a phrase must not be empty at position 0'));
  it('dangling OR', () => fails('a OR', "expected a search term after 'OR' but found end of input at position 4"));
  it('dangling AND', () => fails('a AND )', "expected a search term after 'AND' but found ')' at position 6"));
  it('unclosed group', () => fails('(a OR b', "expected ')' but found end of input at position 7"));
  it('stray )', () => fails('a)', "expected a search term, AND, OR or end of input but found ')' at position 1"));
  it('too many terms', () => fails('a b c d e f g h i j k', 'Limit exceeded: the number of $search terms is 11, the maximum is 10.'));
  it('deep nesting', () => fails('('.repeat(100_000) + 'a' + ')'.repeat(100_000), 'Limit exceeded: the nesting depth of $search'));
  it('deep NOT', () => fails('NOT '.repeat(100_000) + 'a', 'Limit exceeded: the nesting depth of $search'));
});
