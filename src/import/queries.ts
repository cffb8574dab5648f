/** Small query-plan builders the importer needs: list by key order, and fetch by a set of keys. */
import type { EntityType, NavigationProperty } from '../model/model.js';
import type { BoolNode, PropertyAccessNode } from '../odata/bind/semantic-tree.js';
import type { CollectionQuery } from '../odata/plan/query-plan.js';

export const keyAccess = (type: EntityType): PropertyAccessNode => ({
  kind: 'PropertyAccess',
  source: { kind: 'It', type },
  navigation: [],
  property: type.key,
  complexPath: [],
  type: type.key.type,
});

const keyIn = (type: EntityType, ids: readonly string[]): BoolNode => ({
  kind: 'In',
  left: keyAccess(type),
  list: ids.map((id) => ({ kind: 'Constant', value: id, type: type.key.type })),
});

/** The entities of `type` whose single navigation `navigation` points at one of `ids` (indicators of artifacts). */
export function byNavigationKeys(type: EntityType, navigation: NavigationProperty, ids: readonly string[]): CollectionQuery {
  const target = navigation.target;
  return {
    ...byKeys(type, []),
    filter: {
      kind: 'In',
      left: { kind: 'PropertyAccess', source: { kind: 'It', type }, navigation: [navigation], property: target.key, complexPath: [], type: target.key.type },
      list: ids.map((id) => ({ kind: 'Constant', value: id, type: target.key.type })),
    },
    limit: 100_000,
  };
}

/** The entities of `type` (or a subtype) whose key is one of `ids`. */
export function byKeys(type: EntityType, ids: readonly string[]): CollectionQuery {
  return {
    kind: 'collection',
    type,
    parent: undefined,
    filter: keyIn(type, ids),
    search: undefined,
    orderBy: [{ expression: keyAccess(type), direction: 'asc' }],
    after: undefined,
    skip: 0,
    limit: ids.length,
    expand: [],
  };
}
