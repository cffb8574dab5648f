/**
 * Binds parsed path segments against the model: entity set → key → navigation → key | $count, or an action
 * bound to the root entity (`microsoft.graph.security.import`).
 * Unknown names end here with Graph's 400 "Resource not found for the segment '…'".
 */
import { errors } from '../../errors/catalog.js';
import type { Action, EntitySet, EntityType, Model, NavigationProperty } from '../../model/model.js';
import type { ParentScope } from '../../model/records.js';
import type { PathSegment } from './parse-resource-path.js';

export type BoundResource =
  /** A collection: a served set, or a collection navigation of one entity (intelProfiles/{id}/indicators). */
  | { readonly kind: 'collection'; readonly set: EntitySet; readonly type: EntityType; readonly parent: ParentScope | undefined; readonly count: boolean; readonly contextPath: string }
  /** One entity by key, possibly through a parent's collection navigation. */
  | { readonly kind: 'entity'; readonly set: EntitySet; readonly type: EntityType; readonly key: string; readonly parent: ParentScope | undefined; readonly contextPath: string }
  /** A single-valued navigation of one entity (intelligenceProfileIndicators/{id}/artifact). */
  | { readonly kind: 'navigation'; readonly set: EntitySet; readonly sourceType: EntityType; readonly key: string; readonly navigation: NavigationProperty; readonly contextPath: string }
  /** An action bound to the root entity (…/threatIntelligence/microsoft.graph.security.import). */
  | { readonly kind: 'action'; readonly action: Action; readonly contextPath: string };

const MAX_KEY_LENGTH = 1024;
const quoteKey = (key: string): string => `'${encodeURIComponent(key.replace(/'/g, "''"))}'`;

function checkKey(key: string): string {
  if (key.length === 0) throw errors.invalidKey('the key is empty');
  if (key.length > MAX_KEY_LENGTH) throw errors.invalidKey(`the key is longer than ${MAX_KEY_LENGTH} characters`);
  return key;
}

export function bindResourcePath(model: Model, segments: readonly PathSegment[]): BoundResource {
  const [first, ...rest] = segments;
  if (!first || first.kind !== 'name') throw errors.unknownSegment(first?.kind === 'count' ? '$count' : '');
  const set = model.entitySet(first.name);
  if (!set) {
    const action = model.action(first.name);
    if (!action) throw errors.unknownSegment(first.name);
    if (rest.length) throw errors.unknownSegment(describe(rest[0]!));
    return { kind: 'action', action, contextPath: `${model.servicePath}/${action.qualifiedName}` };
  }
  const setPath = `${model.servicePath}/${set.name}`;
  if (rest.length === 0) {
    if (!set.listable) throw errors.notListable(set.name);
    return { kind: 'collection', set, type: set.entityType, parent: undefined, count: false, contextPath: setPath };
  }
  const second = rest[0]!;
  const more = rest.slice(1);
  if (second.kind === 'count') {
    if (more.length) throw errors.unknownSegment(describe(more[0]!));
    if (!set.listable) throw errors.notListable(set.name);
    return { kind: 'collection', set, type: set.entityType, parent: undefined, count: true, contextPath: setPath };
  }
  if (second.kind !== 'key') throw errors.unknownSegment(describe(second));
  const key = checkKey(second.key);
  if (more.length === 0) return { kind: 'entity', set, type: set.entityType, key, parent: undefined, contextPath: setPath };
  const navSeg = more[0]!;
  const tail = more.slice(1);
  if (navSeg.kind !== 'name') throw errors.unknownSegment(describe(navSeg));
  const nav = set.entityType.navigation(navSeg.name);
  if (!nav) throw errors.unknownSegment(navSeg.name);
  const navPath = `${setPath}(${quoteKey(key)})/${nav.name}`;
  if (!nav.collection) {
    if (tail.length) throw errors.unknownSegment(describe(tail[0]!));
    return { kind: 'navigation', set, sourceType: set.entityType, key, navigation: nav, contextPath: navPath };
  }
  const target = model.entitySetOf(nav.target);
  if (!target) throw errors.unknownSegment(navSeg.name);
  const parent: ParentScope = { navigation: nav, key };
  if (tail.length === 0) return { kind: 'collection', set: target, type: nav.target, parent, count: false, contextPath: navPath };
  const last = tail[0]!;
  const beyond = tail.slice(1);
  if (beyond.length) throw errors.unknownSegment(describe(beyond[0]!));
  if (last.kind === 'count') return { kind: 'collection', set: target, type: nav.target, parent, count: true, contextPath: navPath };
  if (last.kind !== 'key') throw errors.unknownSegment(describe(last));
  return { kind: 'entity', set: target, type: nav.target, key: checkKey(last.key), parent, contextPath: navPath };
}

const describe = (s: PathSegment): string => (s.kind === 'name' ? s.name : s.kind === 'key' ? s.key : '$count');
