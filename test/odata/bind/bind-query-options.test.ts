import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import type { EntityType } from '../../../src/model/model.js';
import { bindQueryOptions, type QueryContext } from '../../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../../../src/odata/limits/query-limits.js';
import { assertBadRequest } from '../uri/assert-odata-error.js';
import { boundToString } from './bound-to-string.js';

const NS = 'microsoft.graph.security';
const PROFILE = MODEL.entityType(`${NS}.intelligenceProfile`);
const INDICATOR = MODEL.entityType(`${NS}.intelligenceProfileIndicator`);
const HOST = MODEL.entityType(`${NS}.host`);
const PASSIVE_DNS = MODEL.entityType(`${NS}.passiveDnsRecord`);

const ctx = (type: EntityType, extra: Partial<Omit<QueryContext, "model">> = {}): QueryContext => ({
  model: MODEL,
  type,
  isCollection: true,
  where: type === PROFILE ? 'intelProfiles' : 'intelligenceProfileIndicators',
  strict: false,
  includeUnknownEnumMembers: false,
  limits: DEFAULT_LIMITS,
  ...extra,
});
const bind = (q: string, type: EntityType = PROFILE, extra: Partial<QueryContext> = {}) => bindQueryOptions(q, ctx(type, extra));
const fails = (q: string, type: EntityType, extra: Partial<QueryContext>, ...fragments: string[]): void =>
  void assertBadRequest(() => bind(q, type, extra), ...fragments);

describe('bindQueryOptions: option names and values', () => {
  it('returns the neutral options for an empty query', () => {
    assert.deepEqual(bind(''), { select: undefined, expand: [], filter: undefined, orderBy: [], top: undefined, skip: undefined, count: false, search: undefined, skipToken: undefined });
  });
  it('accepts names with or without $, in any case, percent-encoded, with + as space', () => {
    for (const q of ["$filter=title eq 'x'", "filter=title+eq+'x'", "$Filter=title%20eq%20'x'", "%24FILTER=title eq 'x'", "FiLtEr=title%20eq%20%27x%27"]) {
      assert.equal(boundToString(bind(q).filter!), "(eq $it/title 'x':String)", q);
    }
  });
  it('decodes %2B as + inside values (DateTimeOffset offsets)', () => {
    const f = bind('$filter=firstActiveDateTime ge 2022-05-02T23:09:20%2B02:00').filter!;
    assert.equal(boundToString(f), `(ge $it/firstActiveDateTime ${Date.UTC(2022, 4, 2, 21, 9, 20)}:DateTimeOffset)`);
  });
  it('ignores custom (non-$) parameters and empty pairs', () => assert.equal(bind('foo=bar&&api-version=2&$top=3').top, 3));
  it('rejects unknown $ options', () => fails('$apply=x', PROFILE, {}, "Query option '$apply' is not supported"));
  it('rejects unknown $ options when percent-encoded', () => fails('%24levels=2', PROFILE, {}, "Query option '$levels' is not supported"));
  it('rejects duplicates, also across spellings', () => {
    fails('$top=1&$top=2', PROFILE, {}, "Query option '$top' was specified more than once");
    fails('$filter=true&filter=true', PROFILE, {}, "Query option '$filter' was specified more than once");
  });
  it('rejects malformed percent-encoding', () => fails('$filter=%E0%A4%A', PROFILE, {}, 'Malformed request URL', 'invalid percent-encoding'));
  it('$format: json and application/json only', () => {
    bind('$format=json');
    bind('$format=application/json;odata.metadata=minimal');
    fails('$format=xml', PROFILE, {}, "Unsupported $format 'xml'");
    fails('$format=atom', PROFILE, {}, "Unsupported $format 'atom'");
  });
  it('$skiptoken: any case, passed through (decoded) untouched', () => {
    assert.equal(bind('$skipToken=abc%2Ddef_1').skipToken, 'abc-def_1');
    assert.equal(bind('$SKIPTOKEN=X%274453%27').skipToken, "X'4453'");
    fails('$skiptoken=', PROFILE, {}, 'Invalid $skiptoken: the token is empty');
  });
  it('$count: true/false only', () => {
    assert.equal(bind('$count=true').count, true);
    assert.equal(bind('$count=false').count, false);
    assert.equal(bind('$count=TRUE').count, true);
    fails('$count=1', PROFILE, {}, "Invalid $count clause: '1' is not a valid boolean (true or false) literal at position 0.");
    fails('$count=yes', PROFILE, {}, "'yes' is not a valid boolean");
  });
});

describe('bindQueryOptions: $top and $skip', () => {
  it('accepts integers in range', () => {
    const o = bind('$top=999&$skip=0');
    assert.equal(o.top, 999);
    assert.equal(o.skip, 0);
  });
  it('$top=0 and negative $top are 400 (Graph: minimum 1)', () => {
    fails('$top=0', PROFILE, {}, 'Invalid $top clause: the minimum value is 1 but found 0 at position 0.');
    fails('$top=-1', PROFILE, {}, "Invalid $top clause: '-1' is not a valid positive integer literal at position 0.");
  });
  it('non-integers are 400', () => {
    fails('$top=1.5', PROFILE, {}, "'1.5' is not a valid positive integer literal");
    fails('$skip=abc', PROFILE, {}, "Invalid $skip clause: 'abc' is not a valid non-negative integer literal at position 0.");
    fails('$top=', PROFILE, {}, "'' is not a valid positive integer literal");
  });
  it('above the limits is limitExceeded naming the limit', () => {
    fails('$top=1000', PROFILE, {}, 'Limit exceeded: $top is 1000, the maximum is 999.');
    fails(`$skip=${DEFAULT_LIMITS.maxSkip + 1}`, PROFILE, {}, `the maximum is ${DEFAULT_LIMITS.maxSkip}`);
    fails('$top=99999999999999999999999', PROFILE, {}, 'Limit exceeded: $top', 'the maximum is 999');
    fails('$top=20', PROFILE, { limits: { ...DEFAULT_LIMITS, maxTop: 10 } }, 'Limit exceeded: $top is 20, the maximum is 10.');
  });
});

describe('bindQueryOptions: $select and $expand', () => {
  it('binds a comma list of structural and navigation properties (Kiota sends it comma-joined)', () => {
    const o = bind('$select=id,source,artifact', INDICATOR);
    assert.deepEqual(o.select?.map((s) => [s.property.kind, s.property.name]), [['property', 'id'], ['property', 'source'], ['navigation', 'artifact']]);
  });
  it('matches names case-insensitively and removes duplicates', () => {
    assert.deepEqual(bind('$select=Title,title,KIND').select?.map((s) => s.property.name), ['title', 'kind']);
  });
  it('* selects all (undefined)', () => {
    assert.equal(bind('$select=*').select, undefined);
    assert.equal(bind('$select=id,*').select, undefined);
  });
  it('unknown property is a 400 in Graph wording', () =>
    fails('$select=id,nope', INDICATOR, {}, "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.security.intelligenceProfileIndicator'."));
  it('paths and nested options in $select are 400 with a position', () => {
    fails('$select=summary/content', PROFILE, {}, 'Invalid $select clause', 'is not supported', 'at position 8');
    fails('$select=summary($select=content)', PROFILE, {}, 'nested query options inside $select are not supported at position 7');
    fails('$select=id,,title', PROFILE, {}, "Invalid $select clause: expected a property name but found ',' at position 3.");
    fails('$select=', PROFILE, {}, 'expected at least one item but found end of input at position 0');
  });
  it('$expand=artifact and artifact($select=id)', () => {
    const a = bind('$expand=artifact', INDICATOR);
    assert.deepEqual(a.expand.map((e) => [e.navigation.name, e.select]), [['artifact', undefined]]);
    const b = bind('$expand=Artifact($select=id)', INDICATOR);
    assert.deepEqual(b.expand.map((e) => [e.navigation.name, e.select?.map((s) => s.property.name)]), [['artifact', ['id']]]);
    const c = bind('$expand=artifact(select=*)', INDICATOR);
    assert.equal(c.expand[0]?.select, undefined);
  });
  it('$expand=* expands what is expandable: artifact on indicators, nothing on profiles', () => {
    assert.deepEqual(bind('$expand=*', INDICATOR).expand.map((e) => e.navigation.name), ['artifact']);
    assert.deepEqual(bind('$expand=*', PROFILE).expand, []);
  });
  it('expanding anything else is ExpandNotSupported', () => {
    const e = assertBadRequest(() => bind('$expand=indicators'), "Expand is not allowed for property 'indicators' according to the entity schema.");
    assert.equal(e.code, 'ExpandNotSupported');
    fails('$expand=title', PROFILE, {}, "Expand is not allowed for property 'title'");
    fails('$expand=reputation', HOST, {}, "Expand is not allowed for property 'reputation'");
  });
  it('unknown navigation, paths, nested options and nested $expand are 400', () => {
    fails('$expand=nope', INDICATOR, {}, "Could not find a property named 'nope' on type 'microsoft.graph.security.intelligenceProfileIndicator'");
    fails('$expand=artifact/id', INDICATOR, {}, "Invalid $expand clause: expanding a path ('artifact/id') is not supported at position 9.");
    fails('$expand=artifact($filter=id eq 1)', INDICATOR, {}, "the nested query option '$filter' is not supported inside $expand", 'at position 9');
    fails('$expand=artifact($expand=x)', INDICATOR, {}, 'Limit exceeded: the depth of $expand is 2, the maximum is 1.');
    fails('$expand=artifact($expand=x)', INDICATOR, { limits: { ...DEFAULT_LIMITS, maxExpandDepth: 2 } }, 'nested $expand inside', 'at position 9');
    fails('$expand=artifact($select=nope)', INDICATOR, {}, "Could not find a property named 'nope' on type 'microsoft.graph.security.artifact'");
    fails('$expand=artifact($select=id', INDICATOR, {}, "Invalid $expand clause: expected ')' but found end of input at position 19.");
    fails('$expand=artifact($select=id,)', INDICATOR, {}, "Invalid $expand clause: expected a property name but found end of input at position 20.");
  });
  it('single entities accept $select, $expand and $format', () => {
    const o = bind('$select=id&$expand=artifact&$format=json', INDICATOR, { isCollection: false });
    assert.equal(o.select?.length, 1);
  });
});

describe('bindQueryOptions: $orderby', () => {
  it('binds paths with directions', () => {
    const o = bind('$orderby=title desc,summary/content,kind ASC');
    assert.deepEqual(
      o.orderBy.map((i) => [[i.expression.property?.name, ...i.expression.complexPath.map((p) => p.name)].join('/'), i.direction]),
      [['title', 'desc'], ['summary/content', 'asc'], ['kind', 'asc']],
    );
  });
  it('artifact/id (a navigation to its key) is sortable', () => {
    const [item] = bind('$orderby=artifact/id desc', INDICATOR).orderBy;
    assert.deepEqual(item?.expression.navigation.map((n) => n.name), ['artifact']);
    assert.equal(item?.expression.property?.name, 'id');
  });
  it('errors', () => {
    fails('$orderby=nope', PROFILE, {}, "Invalid $orderby clause: could not find a property named 'nope' on type 'microsoft.graph.security.intelligenceProfile' at position 0.");
    fails('$orderby=aliases', PROFILE, {}, "'aliases' is collection-valued and cannot be sorted on at position 0");
    fails('$orderby=indicators', PROFILE, {}, "'indicators' is collection-valued");
    fails('$orderby=summary', PROFILE, {}, "'summary' is of complex type 'microsoft.graph.security.formattedContent'");
    fails('$orderby=title up', PROFILE, {}, "expected 'asc', 'desc', ',' or end of input but found 'up' at position 6");
    fails('$orderby=title asc desc', PROFILE, {}, "expected ',' or end of input but found 'desc' at position 10");
    fails('$orderby=', PROFILE, {}, 'Invalid $orderby clause: expected at least one item');
    fails('$orderby=a,b,c,d,e,f,g,h,i', PROFILE, {}, 'Limit exceeded: the number of $orderby items is 9, the maximum is 8.');
  });
});

describe('bindQueryOptions: $search', () => {
  it('binds Graph-style search on intelligence profiles', () => {
    assert.deepEqual(bind('$search="fancy bear"').search, { kind: 'SearchTerm', term: 'fancy bear' });
    assert.deepEqual(bind('$search=apt OR NOT bear').search, {
      kind: 'SearchOr',
      left: { kind: 'SearchTerm', term: 'apt' },
      right: { kind: 'SearchNot', operand: { kind: 'SearchTerm', term: 'bear' } },
    });
  });
  it('is a 400 on any other type', () => {
    fails('$search=x', INDICATOR, {}, "Query option '$search' is not allowed on intelligenceProfileIndicators.");
    fails('$search=x', PASSIVE_DNS, { where: 'passiveDns' }, "Query option '$search' is not allowed on passiveDns.");
  });
  it('syntax errors have positions', () => fails('$search="blue', PROFILE, {}, `Invalid $search clause: unterminated phrase: expected '"' but found end of input at position 5.`));
});

describe('bindQueryOptions: single entities', () => {
  for (const q of ["$filter=title eq 'x'", '$top=1', '$skip=1', '$count=true', '$orderby=title', '$search=x', '$skiptoken=abc']) {
    it(`${q} is not allowed on a single entity`, () => {
      const name = q.slice(0, q.indexOf('='));
      fails(q, PROFILE, { isCollection: false, where: 'intelligenceProfile' }, `Query option '${name}' is not allowed on intelligenceProfile.`);
    });
  }
});

describe('bindQueryOptions: strict mode enforces the CSDL capability annotations', () => {
  const strict = { strict: true };
  it('non-strict serves everything on every collection', () => {
    bind("$filter=source eq 'osint'&$orderby=firstSeenDateTime&$count=true&$top=1&$skip=1&$expand=artifact", INDICATOR);
    bind("$filter=title eq 'x'&$orderby=kind");
  });
  it('Filterable=false rejects $filter', () => fails("$filter=source eq 'osint'", INDICATOR, strict, '$filter is not supported on intelligenceProfileIndicators (strict mode'));
  it('NonFilterableProperties reject those properties, also inside lambdas', () => {
    fails("$filter=title eq 'x'", PROFILE, strict, "Filtering on the property 'title' is not supported on intelProfiles");
    fails("$filter=aliases/any(a: a eq 'x')", PROFILE, strict, "Filtering on the property 'aliases'");
    assert.ok(bind("$filter=kind eq 'actor'", PROFILE, strict).filter);
  });
  it('NonSortableProperties reject those properties', () => {
    fails('$orderby=kind', PROFILE, strict, "Sorting on the property 'kind' is not supported on intelProfiles");
    assert.equal(bind('$orderby=title', PROFILE, strict).orderBy.length, 1);
  });
  it('Expandable=false rejects $expand with ExpandNotSupported naming the property', () =>
    assert.throws(() => bind('$expand=artifact', INDICATOR, strict), { status: 400, code: 'ExpandNotSupported', message: "Expand is not allowed for property 'artifact' according to the entity schema." }));
  it('Searchable=true on intelligenceProfile keeps $search in strict mode', () => assert.ok(bind('$search=x', PROFILE, strict).search));
  it('Sortable, Top, Skip and Countable false on hosts', () => {
    for (const o of ['$orderby=id', '$top=1', '$skip=1', '$count=true']) fails(o, HOST, { ...strict, where: 'hosts' }, `${o.slice(0, o.indexOf('='))} is not supported on hosts`);
  });
});
