/**
 * The entry point of query-option processing: raw query string → parse (syntax) → bind (model) → limits
 * and capabilities → BoundQueryOptions. Pure; throws only catalog ODataErrors (status 400).
 */
import { errors } from '../../errors/catalog.js';
import type { EntityType, EnumType, Model } from '../../model/model.js';
import { enforceFilterLimits, enforceLimit, enforceOptionLength, type QueryLimits } from '../limits/query-limits.js';
import { parseExpression } from '../uri/parse-expression.js';
import { parseQueryString, type RawQueryOption, type SystemQueryOptionName } from '../uri/parse-query-options.js';
import { parseSearch } from '../uri/parse-search.js';
import { parseExpand, parseOrderBy, parseSelect } from '../uri/parse-select-expand.js';
import { bindFilter } from './bind-expression.js';
import { bindOrderBy } from './bind-orderby.js';
import { bindSearch } from './bind-search.js';
import { fieldSearchFilter } from './bind-field-search.js';
import { bindExpand, bindSelect } from './bind-select-expand.js';
import { enforceOptionCapabilities, propertyGuard } from './enforce-capabilities.js';
import type { BoundQueryOptions } from './semantic-tree.js';

export interface QueryContext {
  /** The model `type` belongs to: capabilities and enum types are looked up here. */
  readonly model: Model;
  readonly type: EntityType;
  readonly isCollection: boolean;
  /** The addressed collection or entity, for messages, e.g. 'intelProfiles'. */
  readonly where: string;
  readonly strict: boolean;
  readonly includeUnknownEnumMembers: boolean;
  readonly limits: QueryLimits;
}

/** Options allowed when a single entity is addressed. */
const SINGLE_ENTITY_OPTIONS: ReadonlySet<SystemQueryOptionName> = new Set(['select', 'expand', 'format']);

export function bindQueryOptions(rawQuery: string, ctx: QueryContext): BoundQueryOptions {
  const raw = parseQueryString(rawQuery);
  const { limits, type, where } = ctx;
  for (const option of raw.values()) enforceOptionLength(option.name, option.value, limits);
  if (!ctx.isCollection) {
    for (const [key, option] of raw) if (!SINGLE_ENTITY_OPTIONS.has(key)) throw errors.queryOptionNotAllowed(option.name, where);
  }
  const format = raw.get('format');
  if (format) checkFormat(format);
  let search = raw.get('search');
  // No free-text properties: Graph's field-scoped form (`"path:value"`), which means a $filter (bind-field-search.ts).
  let fieldSearch: RawQueryOption | undefined;
  if (search && type.searchableProperties.length === 0) {
    if (!search.value.includes(':')) throw errors.queryOptionNotAllowed(search.name, where);
    fieldSearch = { name: search.name, value: fieldSearchFilter(search.value, type, where) };
    search = undefined;
  }

  const caps = ctx.model.capabilitiesOf(type);
  if (ctx.strict) enforceOptionCapabilities(raw.keys(), caps, where);

  const given = raw.get('filter');
  const filterOption = fieldSearch ? { name: fieldSearch.name, value: given ? `(${given.value}) and (${fieldSearch.value})` : fieldSearch.value } : given;
  const orderByOption = raw.get('orderby');
  const selectOption = raw.get('select');
  const expandOption = raw.get('expand');
  const skipToken = raw.get('skiptoken');
  if (skipToken && skipToken.value === '') throw errors.invalidSkipToken('the token is empty');

  const expand = expandOption ? bindExpand(parseExpand(expandOption.value, limits), type, limits) : [];
  // Graph answers an $expand the schema does not allow with ExpandNotSupported naming the property.
  if (ctx.strict && caps.expandable === false && expand[0]) throw errors.expandNotSupported(expand[0].navigation.name);

  return {
    select: selectOption ? bindSelect(parseSelect(selectOption.value, limits), type, limits) : undefined,
    expand,
    filter: filterOption
      ? bindFilterOption(filterOption, ctx, ctx.strict ? propertyGuard(caps.nonFilterableProperties, 'Filtering', where) : undefined)
      : undefined,
    orderBy: orderByOption
      ? bindOrderBy(parseOrderBy(orderByOption.value, limits), type, limits, ctx.strict ? propertyGuard(caps.nonSortableProperties, 'Sorting', where) : undefined)
      : [],
    top: optionalInteger(raw.get('top'), 1, limits.maxTop),
    skip: optionalInteger(raw.get('skip'), 0, limits.maxSkip),
    count: raw.has('count') ? parseCount(raw.get('count')!) : false,
    search: search ? bindSearch(parseSearch(search.value, { maxDepth: limits.maxFilterDepth, maxTerms: limits.maxSearchTerms })) : undefined,
    skipToken: skipToken?.value,
  };
}

function bindFilterOption(option: RawQueryOption, ctx: QueryContext, onRootMember: ((name: string, position: number) => void) | undefined) {
  const { limits } = ctx;
  const tree = parseExpression(option.value, {
    option: '$filter',
    maxDepth: limits.maxFilterDepth,
    maxLiteralLength: limits.maxLiteralLength,
    maxInListItems: limits.maxInListItems,
  });
  enforceFilterLimits(tree, limits);
  return bindFilter(tree, {
    type: ctx.type,
    includeUnknownEnumMembers: ctx.includeUnknownEnumMembers,
    enumType: (qn) => findEnumType(ctx.model, ctx.type, qn),
    onRootMember,
  });
}

/** Enum types by qualified name (case-insensitive): those reachable from `type`'s properties first, then the served model. */
function findEnumType(model: Model, type: EntityType, qualifiedName: string): EnumType | undefined {
  const lower = qualifiedName.toLowerCase();
  const candidates: EnumType[] = [];
  for (const p of type.properties) if (p.type.kind === 'enum') candidates.push(p.type);
  for (const t of model.types) if (t.kind === 'enum') candidates.push(t);
  return candidates.find((t) => t.qualifiedName.toLowerCase() === lower);
}

function checkFormat(option: RawQueryOption): void {
  const value = option.value.trim().toLowerCase();
  if (value === 'json' || value === 'application/json' || value.startsWith('application/json;')) return;
  throw errors.unsupportedFormat(option.value);
}

function parseCount(option: RawQueryOption): boolean {
  const value = option.value.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw errors.badLiteral('$count', option.value, 'boolean (true or false)', 0);
}

function optionalInteger(option: RawQueryOption | undefined, min: number, max: number): number | undefined {
  if (!option) return undefined;
  const name = `$${option.name.replace(/^\$/, '').toLowerCase()}`;
  if (!/^\d+$/.test(option.value)) {
    throw errors.badLiteral(name, option.value, min === 1 ? 'positive integer' : 'non-negative integer', 0);
  }
  const value = Number(option.value);
  if (value < min) throw errors.invalidQuery(name, `the minimum value is ${min} but found ${option.value}`, 0);
  enforceLimit(name, max, Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER);
  return value;
}
