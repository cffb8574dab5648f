import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../../src/odata/uri/parse-expression.js';
import { expressionToString } from '../../../src/odata/uri/syntax-tree.js';
import { assertBadRequest } from './assert-odata-error.js';

const OPTIONS = { maxDepth: 32, maxLiteralLength: 100, maxInListItems: 5 };
const parse = (text: string) => expressionToString(parseExpression(text, OPTIONS));
const fails = (text: string, ...fragments: (string | RegExp)[]): void => void assertBadRequest(() => parseExpression(text, OPTIONS), ...fragments);

describe('parseExpression: trees', () => {
  const cases: [string, string][] = [
    ["source eq 'osint'", "(eq source 'osint')"],
    ["title eq 'let''s meet'", "(eq title 'let''s meet')"],
    ['a eq 1 and b eq 2 or c eq 3', '(or (and (eq a 1) (eq b 2)) (eq c 3))'],
    ['a eq 1 or b eq 2 and c eq 3', '(or (eq a 1) (and (eq b 2) (eq c 3)))'],
    ['a eq 1 or (b eq 2 or c eq 3)', '(or (eq a 1) (or (eq b 2) (eq c 3)))'],
    ['a lt 1 eq true', '(eq (lt a 1) true)'],
    ['not a eq 1', '(eq (not a) 1)'],
    ["NOT(aliases/any(i:i eq 'admin'))", "(not (any aliases i (eq i 'admin')))"],
    ["Name EQ 'Milk' AND Price LT 2.55", "(and (eq Name 'Milk') (lt Price 2.55))"],
    ["endsWith(title,'x') and startswith(tolower(title), 'ab')", "(and (endswith title 'x') (startswith (tolower title) 'ab'))"],
    ['length(trim(toupper(summary/content))) ge 3', '(ge (length (trim (toupper summary/content))) 3)'],
    ["source in ('osint', 'public', null)", "(in source ('osint' 'public' null))"],
    ["indicators/any(i: i/artifact/id eq 'x' and i/source eq osint)", "(any indicators i (and (eq i/artifact/id 'x') (eq i/source osint)))"],
    ['aliases/any()', '(any aliases)'],
    ['aliases/ANY( )', '(any aliases)'],
    ["indicators/any(i: aliases/any(a: a eq 'x'))", "(any indicators i (any aliases a (eq a 'x')))"],
    ["targets/all(t: t ne 'x')", "(all targets t (ne t 'x'))"],
    ["source has microsoft.graph.security.indicatorSource'osint'", "(has source microsoft.graph.security.indicatorSource'osint')"],
    ['firstSeenDateTime ge 2022-05-02T23:09:20Z', '(ge firstSeenDateTime 2022-05-02T23:09:20Z)'],
    ['d ge 2022-05-02T23:09:20.1234567+02:00 and d lt 2017-04-01', '(and (ge d 2022-05-02T23:09:20.1234567+02:00) (lt d 2017-04-01))'],
    ['id eq 01234567-89ab-cdef-0123-456789abcdef', '(eq id 01234567-89ab-cdef-0123-456789abcdef)'],
    ['n eq -5 or n eq 1.5e3 or n eq 42.0', '(or (or (eq n -5) (eq n 1.5e3)) (eq n 42.0))'],
    ['true', 'true'],
    ['( ( (true) ) )', 'true'],
    ['x eq null', '(eq x null)'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(parse(input), expected));

  it('decodes literals: DateTimeOffset with offset to epoch ms, date-only to midnight UTC', () => {
    const t = parseExpression('d eq 2022-05-02T23:09:20.5+02:00', OPTIONS);
    assert.equal(t.kind, 'BinaryToken');
    const lit = t.kind === 'BinaryToken' && t.right.kind === 'LiteralToken' ? t.right.literal : undefined;
    assert.deepEqual(lit, { type: 'dateTimeOffset', value: Date.UTC(2022, 4, 2, 21, 9, 20, 500) });
    const d = parseExpression('d eq 2017-04-01', OPTIONS);
    assert.deepEqual(d.kind === 'BinaryToken' && d.right.kind === 'LiteralToken' ? d.right.literal : undefined, { type: 'date', value: Date.UTC(2017, 3, 1) });
  });

  it('reads an unencoded "+" that became a space before a time zone offset as "+"', () => {
    const t = parseExpression('d eq 2022-05-02T23:09:20 02:00', OPTIONS);
    assert.deepEqual(t.kind === 'BinaryToken' && t.right.kind === 'LiteralToken' ? t.right.literal.type : undefined, 'dateTimeOffset');
  });

  it('records positions of operators and path segments', () => {
    const t = parseExpression("title eq 'x'", OPTIONS);
    assert.equal(t.kind === 'BinaryToken' ? t.position : -1, 6);
    const p = parseExpression('i/artifact/id eq 1', OPTIONS);
    assert.deepEqual(p.kind === 'BinaryToken' && p.left.kind === 'PathToken' ? p.left.segments.map((s) => s.position) : [], [0, 2, 11]);
  });
});

describe('parseExpression: syntax errors name what was expected and the position', () => {
  it('unclosed parenthesis', () => fails("(title eq 'x'", "Invalid filter clause: expected ')' but found end of input at position 13."));
  it('unclosed function call', () => fails("startswith(title, 'x'", "expected ',' or ')' but found end of input at position 21"));
  it('unclosed lambda', () => fails("aliases/any(a: a eq 'x'", "expected ')' but found end of input at position 23"));
  it('unterminated string', () => fails("title eq 'abc", `unterminated string literal: expected "'" but found end of input at position 13.`));
  it('empty filter', () => fails('', 'expected an expression but found end of input at position 0'));
  it('dangling operator', () => fails('title eq', "expected an expression after 'eq' but found end of input at position 8"));
  it('missing operator', () => fails("title 'x'", "expected an operator or end of input but found ''x'' at position 6"));
  it('stray closing parenthesis', () => fails('true)', "found ')' without a matching '('", 'at position 4'));
  it('operator in operand position', () => fails('eq 1', "found the operator 'eq'", 'at position 0'));
  it('unexpected character', () => fails('a eq [1]', "unexpected character '['", 'at position 5'));
  it('arithmetic is not supported', () => fails('Price add 2 eq 3', "arithmetic operator 'add' is not supported", 'at position 6'));
  it('unknown function', () => fails("foo(title)", "unknown function 'foo'", 'at position 0'));
  it('unsupported OData function', () => fails('year(d) eq 2020', "the function 'year' is not supported", 'at position 0'));
  it('wrong arity', () => fails("startswith(title)", "'startswith' takes 2 arguments but was given 1", 'at position 0'));
  it('any without a path', () => fails('any()', "must follow a collection path", 'at position 3'));
  it('all() without a lambda', () => fails('Products/all()', 'all() requires a lambda expression', 'at position 13'));
  it('lambda without colon', () => fails('a/any(x x eq 1)', "expected ':' after the lambda variable 'x'", 'at position 8'));
  it('in-list with a property', () => fails('a in (a, b)', "expected a literal in the list of the 'in' operator but found 'a'", 'at position 6'));
  it('in without a list', () => fails("a in 'x'", "expected '(' to start the list of the 'in' operator", 'at position 5'));
  it('type-cast segments', () => fails("artifact/microsoft.graph.security.hostname/id eq 'x'", "type-cast segment 'microsoft.graph.security.hostname' is not supported", 'at position 9'));
  it('$it and $count', () => {
    fails("$it eq 'x'", "'$it' is not supported", 'at position 0');
    fails('aliases/$count eq 0', "'$count' is not supported", 'at position 8');
  });
  it('typed literals other than enums', () => fails("d eq duration'P1D'", "typed literal duration'…' is not supported", 'at position 5'));
  it('invalid DateTimeOffset: no time zone', () => fails('d eq 2022-05-02T23:09:20', 'not a valid DateTimeOffset literal: a time zone is required', 'at position 5'));
  it('invalid DateTimeOffset: 24:00', () => fails('d eq 2011-12-31T24:00Z', 'hour 24 is out of range', 'at position 5'));
  it('invalid date: February 30', () => fails('d eq 2021-02-30', 'day 30 is out of range for month 2', 'at position 5'));
  it('malformed number', () => fails('n eq 42.', "'42.' is not a valid literal", 'at position 5'));
  it('integer out of range', () => fails('n eq 99999999999999999999', 'integer is out of range', 'at position 5'));
  it('double-quoted strings are not OData literals', () => fails('a eq "x"', `unexpected character '"'`, 'at position 5'));
  it('key segments', () => fails('a/Items(1) eq 1', 'key, function or type segments in paths are not supported', 'at position 7'));
});

describe('parseExpression: limits', () => {
  it('100,000-deep parentheses end in a 400, not a stack overflow', () => fails('('.repeat(100_000) + 'true' + ')'.repeat(100_000), 'nesting depth of $filter', 'the maximum is 32'));
  it('100,000 nested not end in a 400', () => fails('not '.repeat(100_000) + 'true', 'nesting depth', 'the maximum is 32'));
  it('deeply nested lambdas count toward the depth', () => fails('a/any(x:'.repeat(1000) + 'true' + ')'.repeat(1000), 'nesting depth'));
  it('nesting just inside the limit parses', () => assert.equal(parse('('.repeat(31) + 'true' + ')'.repeat(31)), 'true'));
  it('long literals are rejected', () => fails(`a eq '${'x'.repeat(101)}'`, 'Limit exceeded: the length of a literal is 101, the maximum is 100'));
  it('long in-lists are rejected', () => fails('a in (1,2,3,4,5,6)', "the number of items in the 'in' list at position 5 is 6, the maximum is 5"));
  it('long and/or chains parse iteratively', () => {
    const t = parseExpression(Array.from({ length: 20_000 }, (_, i) => `a eq ${i}`).join(' or '), OPTIONS);
    assert.equal(t.kind, 'BinaryToken');
  });
});
