import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import { bindQueryOptions } from '../../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS, countExpressionNodes, enforceFilterLimits, enforceLimit, enforceOptionLength } from '../../../src/odata/limits/query-limits.js';
import { parseExpression } from '../../../src/odata/uri/parse-expression.js';
import { assertBadRequest } from '../uri/assert-odata-error.js';

const PROFILE = MODEL.entityType('microsoft.graph.security.intelligenceProfile');
const parse = (text: string) => parseExpression(text, { maxDepth: 32, maxLiteralLength: 4096, maxInListItems: 100 });
const bind = (q: string, limits = DEFAULT_LIMITS) => bindQueryOptions(q, { model: MODEL, type: PROFILE, isCollection: true, where: 'intelProfiles', strict: false, includeUnknownEnumMembers: false, limits });

describe('query limits', () => {
  it('defaults are sane, with $top capped at 999 like Graph directory APIs', () => {
    assert.equal(DEFAULT_LIMITS.maxTop, 999);
    for (const [k, v] of Object.entries(DEFAULT_LIMITS)) assert.ok(Number.isInteger(v) && v > 0, k);
  });
  it('enforceLimit names the limit and the actual value', () => {
    enforceLimit('x', 3, 3);
    assertBadRequest(() => enforceLimit('the number of things', 3, 4), 'Limit exceeded: the number of things is 4, the maximum is 3.');
  });
  it('counts syntax nodes iteratively (IN-list items excluded)', () => {
    assert.equal(countExpressionNodes(parse("a eq 1 and not b/any(x: x eq 'y')")), 9);
    assert.equal(countExpressionNodes(parse("a in ('x', 'y', 'z')")), 2);
    assert.equal(countExpressionNodes(parse(Array.from({ length: 10_000 }, () => 'a eq 1').join(' or '))), 39_999);
  });
  it('maxFilterNodes', () => {
    const filter = Array.from({ length: 10 }, (_, i) => `title eq '${i}'`).join(' or ');
    assert.ok(bind(`$filter=${filter}`).filter);
    assertBadRequest(() => bind(`$filter=${filter}`, { ...DEFAULT_LIMITS, maxFilterNodes: 20 }), 'Limit exceeded: the number of nodes in $filter is 39, the maximum is 20.');
    assertBadRequest(() => enforceFilterLimits(parse(filter), { ...DEFAULT_LIMITS, maxFilterNodes: 38 }), 'is 39');
  });
  it('maxFilterDepth', () => {
    assert.ok(bind(`$filter=${'('.repeat(4)}true${')'.repeat(4)}`, { ...DEFAULT_LIMITS, maxFilterDepth: 4 }).filter);
    assertBadRequest(() => bind(`$filter=${'('.repeat(5)}true${')'.repeat(5)}`, { ...DEFAULT_LIMITS, maxFilterDepth: 4 }), 'Limit exceeded: the nesting depth of $filter (at position 4) is 5, the maximum is 4.');
    assertBadRequest(() => bind("$filter=aliases/any(a: targets/any(t: t eq a))", { ...DEFAULT_LIMITS, maxFilterDepth: 1 }), 'nesting depth of $filter');
  });
  it('maxLambdaDepth (default 2): the nested any() of the freezing query of issue 10 is refused before any SQL', () => {
    assert.equal(DEFAULT_LIMITS.maxLambdaDepth, 2);
    assert.ok(bind("$filter=indicators/any(i: aliases/any(a: a eq 'x'))").filter, 'two levels are allowed');
    assert.ok(bind("$filter=indicators/any(i: i/source eq 'osint') and aliases/any(a: a eq 'x')").filter, 'side by side is depth 1');
    const attack =
      "$filter=indicators/any(v0: indicators/any(v1: indicators/any(v2: indicators/any(v3: contains(v3/id,'zzz') and v3/id ne v0/id and v3/id ne v1/id and v3/id ne v2/id))))";
    assertBadRequest(() => bind(attack), 'Limit exceeded: the nesting depth of any()/all() in $filter is 4, the maximum is 2.');
    assertBadRequest(() => bind("$filter=indicators/any(a: indicators/any(b: indicators/all(c: c/id ne 'x')))"), 'Limit exceeded: the nesting depth of any()/all() in $filter is 3, the maximum is 2.');
    assert.ok(bind(attack, { ...DEFAULT_LIMITS, maxLambdaDepth: 4 }).filter, 'configurable');
  });
  it('maxInListItems and maxLiteralLength', () => {
    assertBadRequest(() => bind("$filter=title in ('a','b','c')", { ...DEFAULT_LIMITS, maxInListItems: 2 }), "the number of items in the 'in' list at position 9 is 3, the maximum is 2");
    assertBadRequest(() => bind("$filter=title eq 'abcdef'", { ...DEFAULT_LIMITS, maxLiteralLength: 5 }), 'the length of a literal is 6, the maximum is 5');
  });
  it('maxSelectItems, maxOrderByItems, maxSearchTerms', () => {
    assertBadRequest(() => bind('$select=id,title,kind', { ...DEFAULT_LIMITS, maxSelectItems: 2 }), 'the number of $select items is 3, the maximum is 2');
    assertBadRequest(() => bind('$orderby=id,title', { ...DEFAULT_LIMITS, maxOrderByItems: 1 }), 'the number of $orderby items is 2, the maximum is 1');
    assertBadRequest(() => bind('$search=a b c', { ...DEFAULT_LIMITS, maxSearchTerms: 2 }), 'the number of $search terms is 3, the maximum is 2');
  });
  it('option length: maxOptionLength, defaulting to DEFAULT_LIMITS when unset', () => {
    enforceOptionLength('$filter', 'x'.repeat(DEFAULT_LIMITS.maxOptionLength!), DEFAULT_LIMITS);
    const { maxOptionLength: _unused, ...withoutOptionLength } = DEFAULT_LIMITS;
    assertBadRequest(() => enforceOptionLength('$filter', 'x'.repeat(DEFAULT_LIMITS.maxOptionLength! + 1), withoutOptionLength), `the length of $filter is ${DEFAULT_LIMITS.maxOptionLength! + 1}`);
    assertBadRequest(() => bind("$filter=title eq 'x'", { ...DEFAULT_LIMITS, maxOptionLength: 5 }), 'Limit exceeded: the length of $filter is 12, the maximum is 5.');
  });
});
