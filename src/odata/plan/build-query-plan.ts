/**
 * Bound request → query plan: applies server-driven paging (page size = $top capped by the maximum, as Graph
 * does), appends the key to the ordering so it is total, and turns a `$skiptoken` into a keyset position.
 */
import type { EntityType } from '../../model/model.js';
import type { BoundQueryOptions, OrderByItem, PropertyAccessNode } from '../bind/semantic-tree.js';
import type { BoundResource } from '../path/bind-resource-path.js';
import { decodeSkipToken } from '../paging/skip-token.js';
import type { CollectionQuery, CountQuery, EntityQuery } from './query-plan.js';

export interface PagingSettings {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** The `$skiptoken` MAC key (skip-token.ts); without one, a request carrying a token is refused. */
  readonly tokenKey?: Buffer;
  /**
   * Most characters of serialized entities in one page (default DEFAULT_MAX_PAGE_CHARS): a page of large entities
   * ends early with a nextLink rather than build a response no client (or V8 string) can hold. One entity is
   * always served, whatever its size.
   */
  readonly maxPageChars?: number;
}

/** 16 Mi characters: far above any page of ordinary entities (a demo profile is ~2 KB), below what breaks a client. */
export const DEFAULT_MAX_PAGE_CHARS = 16 * 1024 * 1024;

const pathText = (a: PropertyAccessNode): string => [...a.navigation.map((n) => n.name), a.property?.name ?? '$it', ...a.complexPath.map((p) => p.name)].join('/');

/** Ordering made total by the key, and the shape string a skip token is bound to. */
/** `keyOrder`: the direction of the key when nothing else orders (the set's declared default: newest import job first). */
export function stableOrder(type: EntityType, orderBy: readonly OrderByItem[], keyOrder: 'asc' | 'desc' = 'asc'): OrderByItem[] {
  const key = type.key;
  const hasKey = orderBy.some((o) => o.expression.source.kind === 'It' && o.expression.navigation.length === 0 && o.expression.property === key && o.expression.complexPath.length === 0);
  if (hasKey) return [...orderBy];
  const keyAccess: PropertyAccessNode = { kind: 'PropertyAccess', source: { kind: 'It', type }, navigation: [], property: key, complexPath: [], type: key.type };
  // The key follows the last key's direction, so one index (…, sort column, key) serves the order in either direction.
  return [...orderBy, { expression: keyAccess, direction: orderBy.at(-1)?.direction ?? keyOrder }];
}

export function queryShape(resource: BoundResource & { kind: 'collection' }, orderBy: readonly OrderByItem[], filterText: string, searchText: string): string {
  return JSON.stringify([resource.type.qualifiedName, resource.parent?.navigation.name ?? '', resource.parent?.key ?? '', orderBy.map((o) => `${pathText(o.expression)} ${o.direction}`), filterText, searchText]);
}

/** A key no token was made with: without a configured key every token fails its check. */
const NO_KEY = Buffer.alloc(0);

export function planCollection(
  resource: BoundResource & { kind: 'collection' },
  options: BoundQueryOptions,
  paging: PagingSettings,
  shapeOf: (orderBy: readonly OrderByItem[]) => string,
): { query: CollectionQuery; pageSize: number; shape: string } {
  const orderBy = stableOrder(resource.type, options.orderBy, resource.parent ? 'asc' : resource.set.keyOrder);
  const shape = shapeOf(orderBy);
  const pageSize = Math.min(options.top ?? paging.defaultPageSize, paging.maxPageSize);
  const after = options.skipToken !== undefined ? decodeSkipToken(options.skipToken, shape, orderBy.length, paging.tokenKey ?? NO_KEY) : undefined;
  return {
    query: {
      kind: 'collection',
      type: resource.type,
      parent: resource.parent,
      filter: options.filter,
      search: options.search,
      orderBy,
      after,
      // $skip applies to the first page only; later pages continue from the keyset position.
      skip: after ? 0 : (options.skip ?? 0),
      limit: pageSize + 1,
      expand: options.expand.map((e) => e.navigation),
    },
    pageSize,
    shape,
  };
}

export function planCount(resource: BoundResource & { kind: 'collection' }, options: BoundQueryOptions): CountQuery {
  return { kind: 'count', type: resource.type, parent: resource.parent, filter: options.filter, search: options.search };
}

export function planEntity(resource: BoundResource & { kind: 'entity' }, options: BoundQueryOptions): EntityQuery {
  return { kind: 'entity', type: resource.type, key: resource.key, parent: resource.parent, expand: options.expand.map((e) => e.navigation) };
}
