/**
 * Bound request → query plan, for requests bound by the real path and query-option binders: the page size
 * ($top capped by the maximum), the ordering made total by the key, the keyset position from a $skiptoken,
 * $skip on the first page only, the shape a token is bound to, and the count and entity plans.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import { SERVICE_ROOT_PATH } from '../../../src/model/names.js';
import type { PropertyAccessNode, SearchNode } from '../../../src/odata/bind/semantic-tree.js';
import { bindQueryOptions } from '../../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../../../src/odata/limits/query-limits.js';
import { encodeSkipToken } from '../../../src/odata/paging/skip-token.js';
import { bindResourcePath, type BoundResource } from '../../../src/odata/path/bind-resource-path.js';
import { parseResourcePath } from '../../../src/odata/path/parse-resource-path.js';
import { planCollection, planCount, planEntity, queryShape, stableOrder, type PagingSettings } from '../../../src/odata/plan/build-query-plan.js';
import type { CollectionQuery, CountQuery, EntityQuery } from '../../../src/odata/plan/query-plan.js';
import type { ParentScope } from '../../../src/model/records.js';
import { boundToString } from '../bind/bound-to-string.js';
import { assertODataError } from '../uri/assert-odata-error.js';

const TOKEN_KEY = Buffer.alloc(32, 1);
const PAGING: PagingSettings = { defaultPageSize: 100, maxPageSize: 50, tokenKey: TOKEN_KEY };

function bind(path: string, query = '') {
  const parsed = parseResourcePath(`/v1.0/${SERVICE_ROOT_PATH}/${path}`, MODEL.container.rootPath);
  assert.equal(parsed.kind, 'resource', path);
  const resource = bindResourcePath(MODEL, parsed.kind === 'resource' ? parsed.segments : []);
  if (resource.kind === "action" || resource.kind === "hop") throw new Error(`${path} is an action or a deeper path`);
  const type = resource.kind === "navigation" ? resource.navigation.target : resource.type;
  const options = bindQueryOptions(query, { model: MODEL, type, isCollection: resource.kind === 'collection', where: path, strict: false, includeUnknownEnumMembers: false, limits: DEFAULT_LIMITS });
  return { resource, options };
}

function collection(path: string, query = '', filterText = '', searchText = '') {
  const { resource, options } = bind(path, query);
  assert.equal(resource.kind, 'collection');
  const r = resource as BoundResource & { kind: 'collection' };
  return { resource: r, options, plan: planCollection(r, options, PAGING, (orderBy) => queryShape(r, orderBy, filterText, searchText)) };
}

const pathText = (a: PropertyAccessNode): string => [...a.navigation.map((n) => n.name), a.property?.name ?? '$it', ...a.complexPath.map((p) => p.name)].join('/');
const searchText = (s: SearchNode): string =>
  s.kind === 'SearchTerm' ? s.term : s.kind === 'SearchNot' ? `(not ${searchText(s.operand)})` : `(${s.kind === 'SearchAnd' ? 'and' : 'or'} ${searchText(s.left)} ${searchText(s.right)})`;
const parentText = (p: ParentScope | undefined): string | undefined => (p ? `${p.navigation.name}('${p.key}')` : undefined);

/** A plan in plain values: names instead of model objects, filters and searches as S-expressions. */
function show(q: CollectionQuery | CountQuery | EntityQuery): Record<string, unknown> {
  const common = { kind: q.kind, type: q.type.qualifiedName, parent: parentText(q.parent) };
  switch (q.kind) {
    case 'collection':
      return {
        ...common,
        filter: q.filter && boundToString(q.filter),
        search: q.search && searchText(q.search),
        orderBy: q.orderBy.map((o) => `${pathText(o.expression)} ${o.direction}`),
        after: q.after,
        skip: q.skip,
        limit: q.limit,
        expand: q.expand.map((n) => n.name),
      };
    case 'count':
      return { ...common, filter: q.filter && boundToString(q.filter), search: q.search && searchText(q.search) };
    case 'entity':
      return { ...common, key: q.key, expand: q.expand.map((n) => n.name) };
  }
}

const PROFILE_TYPE = 'microsoft.graph.security.intelligenceProfile';
const INDICATOR_TYPE = 'microsoft.graph.security.intelligenceProfileIndicator';

describe('query plans: collections', () => {
  it('no options: the default page size (capped by the maximum), ordered by the key, one row more than the page to know about a next page', () => {
    const { plan } = collection('intelProfiles');
    assert.equal(plan.pageSize, 50);
    assert.deepEqual(show(plan.query), {
      kind: 'collection',
      type: PROFILE_TYPE,
      parent: undefined,
      filter: undefined,
      search: undefined,
      orderBy: ['id asc'],
      after: undefined,
      skip: 0,
      limit: 51,
      expand: [],
    });
  });

  it('$top below the maximum is the page size; a contained collection is scoped to its parent', () => {
    const { plan } = collection('intelProfiles/mint-sandstorm/indicators', "$top=5&$orderby=firstSeenDateTime desc&$filter=source eq 'osint'&$expand=artifact");
    assert.equal(plan.pageSize, 5);
    assert.deepEqual(show(plan.query), {
      kind: 'collection',
      type: INDICATOR_TYPE,
      parent: "indicators('mint-sandstorm')",
      filter: '(eq $it/source 1:indicatorSource)',
      search: undefined,
      orderBy: ['firstSeenDateTime desc', 'id desc'],
      after: undefined,
      skip: 0,
      limit: 6,
      expand: ['artifact'],
    });
  });

  it('$top above the maximum is capped to it', () => {
    const { plan } = collection('intelligenceProfileIndicators', '$top=500');
    assert.deepEqual([plan.pageSize, plan.query.limit], [50, 51]);
  });

  it('the key is appended once, in the direction of the last sort key, unless the ordering already has it', () => {
    const cases: [string, string[]][] = [
      ['$orderby=title', ['title asc', 'id asc']],
      ['$orderby=title desc', ['title desc', 'id desc']],
      ['$orderby=title,firstActiveDateTime desc', ['title asc', 'firstActiveDateTime desc', 'id desc']],
      ['$orderby=id desc', ['id desc']],
      ['$orderby=id,title desc', ['id asc', 'title desc']],
    ];
    for (const [q, expected] of cases) {
      const { resource, options, plan } = collection('intelProfiles', q);
      assert.deepEqual(show(plan.query)['orderBy'], expected, q);
      assert.deepEqual(stableOrder(resource.type, options.orderBy).map((o) => `${pathText(o.expression)} ${o.direction}`), expected, q);
    }
  });

  it('$search is planned as its bound tree', () => {
    const { plan } = collection('intelProfiles', '$search=blizzard AND NOT sleet');
    assert.equal(show(plan.query)['search'], '(and blizzard (not sleet))');
  });

  it('$skip applies on the first page; with a $skiptoken the plan continues after its position and skips nothing', () => {
    const first = collection('intelProfiles', '$skip=3&$top=2&$orderby=title');
    assert.deepEqual([first.plan.query.skip, first.plan.query.after], [3, undefined]);
    const token = encodeSkipToken(first.plan.shape, ['Mint Sandstorm', 'mint-sandstorm'], TOKEN_KEY);
    const next = collection('intelProfiles', `$skip=3&$top=2&$orderby=title&$skiptoken=${token}`);
    assert.deepEqual([next.plan.query.skip, next.plan.query.after, next.plan.query.limit], [0, ['Mint Sandstorm', 'mint-sandstorm'], 3]);
  });

  it('the shape a token is bound to: type, parent navigation and key, total ordering, filter and search text', () => {
    const { plan } = collection('intelProfiles/mint-sandstorm/indicators', "$orderby=firstSeenDateTime desc&$filter=source eq 'osint'", "source eq 'osint'", '');
    assert.equal(plan.shape, `["${INDICATOR_TYPE}","indicators","mint-sandstorm",["firstSeenDateTime desc","id desc"],"source eq 'osint'",""]`);
    assert.equal(collection('intelProfiles').plan.shape, `["${PROFILE_TYPE}","","",["id asc"],"",""]`);
  });

  it('a $skiptoken issued for another ordering, or with values that do not fit this one, is a 400', () => {
    const byTitle = collection('intelProfiles', '$orderby=title').plan.shape;
    const foreign = encodeSkipToken(byTitle, ['ACTINIUM', 'actinium'], TOKEN_KEY);
    assertODataError(
      () => collection('intelProfiles', `$orderby=title desc&$skiptoken=${foreign}`),
      400,
      'BadRequest',
      'Invalid $skiptoken: the token belongs to a different query ($filter, $orderby, $search or path changed).',
    );
    const short = encodeSkipToken(byTitle, ['ACTINIUM'], TOKEN_KEY);
    assertODataError(() => collection('intelProfiles', `$orderby=title&$skiptoken=${short}`), 400, 'BadRequest', 'Invalid $skiptoken: the token does not match the ordering.');
  });
});

describe('query plans: count and entity', () => {
  it('a count carries the filter and search, no paging', () => {
    const { resource, options } = bind('intelProfiles/mint-sandstorm/indicators/$count', "$filter=source eq 'public'");
    assert.equal(resource.kind, 'collection');
    assert.deepEqual(show(planCount(resource as BoundResource & { kind: 'collection' }, options)), {
      kind: 'count',
      type: INDICATOR_TYPE,
      parent: "indicators('mint-sandstorm')",
      filter: '(eq $it/source 2:indicatorSource)',
      search: undefined,
    });
  });

  it('an entity by key, with its expansions; through a parent it stays scoped to it', () => {
    const top = bind('intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55', '$expand=artifact');
    assert.deepEqual(show(planEntity(top.resource as BoundResource & { kind: 'entity' }, top.options)), {
      kind: 'entity',
      type: INDICATOR_TYPE,
      parent: undefined,
      key: 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55',
      expand: ['artifact'],
    });
    const contained = bind("intelProfiles('actinium')/indicators('47ccdbeb-816b-ac86-b96b-f31459d34b08')");
    assert.deepEqual(show(planEntity(contained.resource as BoundResource & { kind: 'entity' }, contained.options)), {
      kind: 'entity',
      type: INDICATOR_TYPE,
      parent: "indicators('actinium')",
      key: '47ccdbeb-816b-ac86-b96b-f31459d34b08',
      expand: [],
    });
  });
});
