import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import type { EntityType, EnumType } from '../../../src/model/model.js';
import { bindFilter } from '../../../src/odata/bind/bind-expression.js';
import type { BoolNode } from '../../../src/odata/bind/semantic-tree.js';
import { parseExpression } from '../../../src/odata/uri/parse-expression.js';
import { assertBadRequest } from '../uri/assert-odata-error.js';
import { boundToString } from './bound-to-string.js';

const NS = 'microsoft.graph.security';
const PROFILE = MODEL.entityType(`${NS}.intelligenceProfile`);
const INDICATOR = MODEL.entityType(`${NS}.intelligenceProfileIndicator`);
const enumType = (qn: string): EnumType | undefined => {
  const t = MODEL.types.find((x) => x.qualifiedName.toLowerCase() === qn.toLowerCase());
  return t?.kind === 'enum' ? t : undefined;
};

function bind(text: string, type: EntityType = PROFILE): BoolNode {
  const tree = parseExpression(text, { maxDepth: 32, maxLiteralLength: 4096, maxInListItems: 100 });
  return bindFilter(tree, { type, includeUnknownEnumMembers: false, enumType });
}
const show = (text: string, type?: EntityType) => boundToString(bind(text, type));
const fails = (text: string, type: EntityType, ...fragments: string[]): void => void assertBadRequest(() => bind(text, type), ...fragments);

describe('bindFilter: trees', () => {
  const cases: [string, EntityType, string][] = [
    ["title eq 'x'", PROFILE, "(eq $it/title 'x':String)"],
    ["Title EQ 'x'", PROFILE, "(eq $it/title 'x':String)"],
    ["summary/content eq 'x'", PROFILE, "(eq $it/summary/content 'x':String)"],
    ["kind eq 'tool'", PROFILE, '(eq $it/kind 1:intelligenceProfileKind)'],
    ['kind eq tool', PROFILE, '(eq $it/kind 1:intelligenceProfileKind)'],
    ["kind eq microsoft.graph.security.intelligenceProfileKind'tool'", PROFILE, '(eq $it/kind 1:intelligenceProfileKind)'],
    ["'osint' eq source", INDICATOR, '(eq 1:indicatorSource $it/source)'],
    ["source eq 'openSourceIntelligence'", INDICATOR, '(eq $it/source 1:indicatorSource)'],
    ["source eq 'MicrosoftDefenderThreatIntelligence'", INDICATOR, '(eq $it/source 0:indicatorSource)'],
    ['source eq OSINT', INDICATOR, '(eq $it/source 1:indicatorSource)'],
    ['source eq unknownFutureValue', INDICATOR, '(eq $it/source 3:indicatorSource)'],
    ["source eq microsoft.graph.security.indicatorSource'1'", INDICATOR, '(eq $it/source 1:indicatorSource)'],
    ["source in ('osint', microsoft, null)".replace('microsoft,', "'microsoft',"), INDICATOR, '(in $it/source (1:indicatorSource 0:indicatorSource null:indicatorSource))'],
    ["artifact/id eq 'evil.example'", INDICATOR, "(eq $it/artifact/id 'evil.example':String)"],
    ['firstSeenDateTime ge 2022-05-02T23:09:20Z', INDICATOR, `(ge $it/firstSeenDateTime ${Date.UTC(2022, 4, 2, 23, 9, 20)}:DateTimeOffset)`],
    ['firstSeenDateTime lt 2017-04-01', INDICATOR, `(lt $it/firstSeenDateTime ${Date.UTC(2017, 3, 1)}:DateTimeOffset)`],
    ['lastSeenDateTime eq null', INDICATOR, '(eq $it/lastSeenDateTime null:DateTimeOffset)'],
    ['lastSeenDateTime gt null', INDICATOR, '(gt $it/lastSeenDateTime null:DateTimeOffset)'],
    ['firstSeenDateTime le lastSeenDateTime', INDICATOR, '(le $it/firstSeenDateTime $it/lastSeenDateTime)'],
    ["id eq 01234567-89ab-cdef-0123-456789abcdef", INDICATOR, "(eq $it/id '01234567-89ab-cdef-0123-456789abcdef':String)"],
    ["aliases/any(a: a eq 'APT28')", PROFILE, "(any $it/aliases a (eq a 'APT28':String))"],
    ['targets/any()', PROFILE, '(any $it/targets)'],
    ["countriesOrRegionsOfOrigin/any(c: c/code eq 'RU')", PROFILE, "(any $it/countriesOrRegionsOfOrigin c (eq c/code 'RU':String))"],
    ["indicators/any(i: i/artifact/id eq 'x')", PROFILE, "(any $it/indicators i (eq i/artifact/id 'x':String))"],
    ["indicators/any(i: i/source eq 'osint')", PROFILE, '(any $it/indicators i (eq i/source 1:indicatorSource))'],
    ["indicators/any(i: i/source eq osint and aliases/any(a: startswith(a, 'Fancy')))", PROFILE, "(any $it/indicators i (and (eq i/source 1:indicatorSource) (any $it/aliases a (startswith a 'Fancy':String))))"],
    ["NOT(aliases/any(i:i eq 'x'))", PROFILE, "(not (any $it/aliases i (eq i 'x':String)))"],
    ["contains(tolower(title), 'bear') or endsWith(title, 'x')", PROFILE, "(or (contains (tolower $it/title) 'bear':String) (endswith $it/title 'x':String))"],
    ['length(trim(title)) gt 3', PROFILE, '(gt (length (trim $it/title)) 3:Int32)'],
    ["title ne 'a' and (kind eq 'actor' or kind eq 'tool')", PROFILE, "(and (ne $it/title 'a':String) (or (eq $it/kind 0:intelligenceProfileKind) (eq $it/kind 1:intelligenceProfileKind)))"],
    ['true', PROFILE, 'true:Boolean'],
    ['1 eq 1', PROFILE, '(eq 1:Int32 1:Int32)'],
  ];
  for (const [input, type, expected] of cases) it(`${type.name}: ${input}`, () => assert.equal(show(input, type), expected));

  it('binds property types, lambda variables and their depth', () => {
    const node = bind("indicators/any(i: i/source eq 'osint')");
    assert.equal(node.kind, 'Any');
    if (node.kind !== 'Any') return;
    assert.equal(node.variable?.kind, 'LambdaEntity');
    assert.equal(node.variable?.kind === 'LambdaEntity' && node.variable.type, INDICATOR);
    assert.equal(node.variable?.kind === 'LambdaEntity' && node.variable.depth, 1);
    const p = node.predicate;
    assert.equal(p?.kind === 'Comparison' && p.left.kind === 'PropertyAccess' && p.left.source, node.variable);
    const nested = bind("indicators/any(i: aliases/any(a: a eq 'x'))");
    const inner = nested.kind === 'Any' && nested.predicate?.kind === 'Any' ? nested.predicate : undefined;
    assert.equal(inner?.variable?.kind === 'LambdaItem' && inner.variable.depth, 2);
    assert.equal(inner?.source.kind, 'It');
  });

  it('navigation paths carry the walked navigation and the property reached', () => {
    const n = bind("artifact/id eq 'x'", INDICATOR);
    const left = n.kind === 'Comparison' ? n.left : undefined;
    assert.equal(left?.kind, 'PropertyAccess');
    if (left?.kind !== 'PropertyAccess') return;
    assert.deepEqual(left.navigation.map((x) => x.name), ['artifact']);
    assert.equal(left.property?.name, 'id');
    assert.equal(left.type.kind === 'primitive' && left.type.qualifiedName, 'Edm.String');
  });
});

describe('bindFilter: errors', () => {
  it('unknown property', () =>
    fails('x eq 1', INDICATOR, "Invalid filter clause: could not find a property named 'x' on type 'microsoft.graph.security.intelligenceProfileIndicator' at position 0."));
  it('unknown property inside a path', () => fails("artifact/nope eq 'x'", INDICATOR, "could not find a property named 'nope' on type 'microsoft.graph.security.artifact' at position 9"));
  it('unknown property in a lambda', () => fails("indicators/any(i: i/nope eq 'x')", PROFILE, "could not find a property named 'nope' on type 'microsoft.graph.security.intelligenceProfileIndicator' at position 20"));
  it('string property vs number', () => fails('title eq 5', PROFILE, "cannot compare the property 'title' of type 'Edm.String' with the literal 5 of type 'Edm.Int32'", 'at position 9'));
  it('date vs string', () => fails("firstActiveDateTime gt '2022-01-01'", PROFILE, "of type 'Edm.DateTimeOffset' with the literal '2022-01-01'", 'without quotes', 'at position 23'));
  it('date vs number', () => fails('firstActiveDateTime gt 5', PROFILE, "of type 'Edm.DateTimeOffset'", 'at position 23'));
  it('unknown enum member', () => fails("source eq 'nope'", INDICATOR, "'nope' is not a member of the enum type 'microsoft.graph.security.indicatorSource'", 'at position 10'));
  it('unknown bare enum member', () => fails('source eq nope', INDICATOR, "'nope' is not a member of the enum type", 'at position 10'));
  it('qualified literal of another enum type', () => fails("source eq microsoft.graph.security.contentFormat'text'", INDICATOR, 'cannot compare', 'at position 10'));
  it('bare identifier against a non-enum', () => fails('title eq osint', PROFILE, "could not find a property named 'osint'", 'at position 9'));
  it('enum vs number', () => fails('kind eq 1', PROFILE, "of type 'microsoft.graph.security.intelligenceProfileKind' with the literal 1", 'at position 8'));
  it('two properties of incompatible types', () => fails('title eq firstActiveDateTime', PROFILE, "cannot compare the property 'title' of type 'Edm.String' with the property 'firstActiveDateTime'", 'at position 9'));
  it('complex values cannot be compared', () => fails("summary eq 'x'", PROFILE, "complex type 'microsoft.graph.security.formattedContent'", 'at position 0'));
  it('collections need any()', () => fails("aliases eq 'x'", PROFILE, "'aliases' is a collection; use aliases/any(…)", 'at position 0'));
  it('collection navigation needs any()', () => fails("indicators/id eq 'x'", PROFILE, "'indicators' is a collection-valued navigation property", 'at position 0'));
  it('navigation is not a value', () => fails("artifact eq 'x'", INDICATOR, "'artifact' is a navigation property, not a value", 'at position 0'));
  it("'all' is rejected as unsupported on Graph", () => fails("aliases/all(a: a eq 'x')", PROFILE, "the lambda operator 'all' is not supported", 'at position 8'));
  it("'has' is rejected as unsupported", () => fails("source has 'osint'", INDICATOR, "the 'has' operator is not supported", 'at position 7'));
  it('any() on a non-collection', () => fails('title/any()', PROFILE, "any() needs a collection but 'title' is not one", 'at position 0'));
  it('lambda variable redefined', () => fails("indicators/any(i: aliases/any(i: i eq 'x'))", PROFILE, "the lambda variable 'i' is already defined", 'at position 30'));
  it('lambda entity variable used as a value', () => fails("indicators/any(i: i eq 'x')", PROFILE, "the lambda variable 'i' is an entity", 'at position 18'));
  it('non-boolean filter', () => fails('title', PROFILE, "expected a boolean expression but found title of type 'Edm.String'", 'at position 0'));
  it('non-boolean literal filter', () => fails("'x'", PROFILE, "expected a boolean expression but found the literal 'x'", 'at position 0'));
  it('not on a non-boolean (not binds tighter than eq)', () => fails("not title eq 'x'", PROFILE, "expected a value but found 'not …'", 'write not (a eq b)', 'at position 0'));
  it('string function on a non-string', () => fails("startswith(kind, 'a')", PROFILE, "the argument 1 of startswith must be a string but the property 'kind' is of type", 'at position 11'));
  it('string function with a number', () => fails('contains(title, 5)', PROFILE, 'the argument 2 of contains must be a string but the literal 5', 'at position 16'));
  it('value function as a predicate', () => fails('tolower(title)', PROFILE, "expected a boolean expression but tolower(…) returns 'Edm.String'", 'at position 0'));
  it('boolean expression as a value', () => fails("(title eq 'a') eq true", PROFILE, 'expected a value but found a boolean expression', 'at position 1'));
  it('in-list item of the wrong type', () => fails("source in ('osint', 5)", INDICATOR, 'with the literal 5', 'at position 20'));
  it('unknown qualified enum type between literals', () => fails("a.b'x' eq a.b'y'", PROFILE, "'a.b' is not a known enum type", 'at position 0'));
  it('lambda over a path through a navigation is not supported', () => fails("artifact/id/any()", INDICATOR, "any() needs a collection", 'at position 0'));
});
