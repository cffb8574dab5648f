/**
 * Binds parsed path segments against the model: entity set → key → navigation → key | $count, to any depth, or an
 * action bound to the root entity (`microsoft.graph.security.import`).
 *
 * A path that goes on past a single-valued navigation (`hosts/{id}/whois/history`) or past an entity reached
 * through a collection navigation (`hosts/{id}/components/{id}/host`) binds to a `hop`: the service resolves the
 * entity reached so far to its key, then binds the rest from that entity's own set (`whoisRecords/{key}/history`),
 * keeping the context path of the whole request. The key-as-segment form is ambiguous to the untyped parser
 * (`whois/history`: is `history` whois's key?); the binder reads such a segment as a name or a key by what the
 * model expects at that point.
 *
 * Unknown names end here with Graph's 400 "Resource not found for the segment '…'".
 */
import { errors } from '../../errors/catalog.js';
import type { Action, EntitySet, EntityType, Model, NavigationProperty } from '../../model/model.js';
import type { ParentScope } from '../../model/records.js';
import { findUnstorable } from '../bind/unstorable-text.js';
import { splitKey, type PathSegment } from './parse-resource-path.js';

export type BoundResource =
  /** A collection: a served set, or a collection navigation of one entity (intelProfiles/{id}/indicators). */
  | { readonly kind: 'collection'; readonly set: EntitySet; readonly type: EntityType; readonly parent: ParentScope | undefined; readonly count: boolean; readonly contextPath: string }
  /** One entity by key, possibly through a parent's collection navigation. */
  | { readonly kind: 'entity'; readonly set: EntitySet; readonly type: EntityType; readonly key: string; readonly parent: ParentScope | undefined; readonly contextPath: string }
  /** A single-valued navigation of one entity (intelligenceProfileIndicators/{id}/artifact). */
  | { readonly kind: 'navigation'; readonly set: EntitySet; readonly sourceType: EntityType; readonly key: string; readonly navigation: NavigationProperty; readonly contextPath: string }
  /**
   * A deeper path: resolve `from` (an entity, or a single-valued navigation) to one entity, then bind `rest` from
   * that entity's set and key (see the module comment). `contextPath` is the path reached so far.
   */
  | { readonly kind: 'hop'; readonly from: BoundResource & { kind: 'entity' | 'navigation' }; readonly rest: readonly PathSegment[]; readonly contextPath: string }
  /** An action bound to the root entity (…/threatIntelligence/microsoft.graph.security.import). */
  | { readonly kind: 'action'; readonly action: Action; readonly contextPath: string };

const MAX_KEY_LENGTH = 1024;
const quoteKey = (key: string): string => `'${encodeURIComponent(key.replace(/'/g, "''"))}'`;

function checkKey(key: string): string {
  if (key.length === 0) throw errors.invalidKey('the key is empty');
  if (key.length > MAX_KEY_LENGTH) throw errors.invalidKey(`the key is longer than ${MAX_KEY_LENGTH} characters`);
  const bad = findUnstorable(key);
  if (bad) throw errors.invalidKey(`the key contains ${bad.describe} at position ${bad.index}, which no stored key can contain`);
  return key;
}

/** The segment as a name: a key written as its own segment may be a name (`whois/history`). */
function asName(s: PathSegment): { name: string; key?: string } | undefined {
  if (s.kind === 'name') return { name: s.name };
  if (s.kind === 'key' && s.segment) return splitKey(s.key);
  return undefined;
}

/** The segment as a key: a plain name after a collection is its key (`components/{id}` after a key-as-name). */
function asKey(s: PathSegment): string | undefined {
  if (s.kind === 'key') return s.key;
  if (s.kind === 'name') return s.name;
  return undefined;
}

/** Re-splits `name('key')` read as one name into its name and key segments. */
const nameSegments = (n: { name: string; key?: string }): PathSegment[] => (n.key === undefined ? [] : [{ kind: 'key', key: n.key }]);

export function bindResourcePath(model: Model, segments: readonly PathSegment[], contextPrefix?: string): BoundResource {
  const [first, ...rest] = segments;
  if (!first || first.kind !== 'name') throw errors.unknownSegment(first?.kind === 'count' ? '$count' : '');
  const set = model.entitySet(first.name);
  if (!set) {
    const action = model.action(first.name);
    if (!action) throw errors.unknownSegment(first.name);
    if (rest.length) throw errors.unknownSegment(describe(rest[0]!));
    return { kind: 'action', action, contextPath: `${model.servicePath}/${action.qualifiedName}` };
  }
  const setPath = contextPrefix ?? `${model.servicePath}/${set.name}`;
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
  const firstKey = asKey(second);
  if (firstKey === undefined) throw errors.unknownSegment(describe(second));
  return fromEntity(model, { kind: 'entity', set, type: set.entityType, key: checkKey(firstKey), parent: undefined, contextPath: setPath }, `${setPath}(${quoteKey(firstKey)})`, more);
}

/** Binds what follows one entity (`entityPath` is its canonical path: `…/hosts('x')`). */
function fromEntity(model: Model, entity: BoundResource & { kind: 'entity' }, entityPath: string, more: readonly PathSegment[]): BoundResource {
  if (more.length === 0) return entity;
  const named = asName(more[0]!);
  if (!named) throw errors.unknownSegment(describe(more[0]!));
  if (entity.parent) return { kind: 'hop', from: entity, rest: more, contextPath: entityPath };
  const tail = [...nameSegments(named), ...more.slice(1)];
  const nav = entity.type.navigation(named.name);
  if (!nav) throw errors.unknownSegment(named.name);
  const navPath = `${entityPath}/${nav.name}`;
  if (!nav.collection) {
    const navigation = { kind: 'navigation', set: entity.set, sourceType: entity.type, key: entity.key, navigation: nav, contextPath: navPath } as const;
    return tail.length ? { kind: 'hop', from: navigation, rest: tail, contextPath: navPath } : navigation;
  }
  const target = model.entitySetOf(nav.target) ?? model.containedSet(nav);
  if (!target) throw errors.unknownSegment(named.name);
  const parent: ParentScope = { navigation: nav, key: entity.key };
  if (tail.length === 0) return { kind: 'collection', set: target, type: nav.target, parent, count: false, contextPath: navPath };
  const last = tail[0]!;
  const beyond = tail.slice(1);
  if (last.kind === 'count') {
    if (beyond.length) throw errors.unknownSegment(describe(beyond[0]!));
    return { kind: 'collection', set: target, type: nav.target, parent, count: true, contextPath: navPath };
  }
  const key = asKey(last);
  if (key === undefined) throw errors.unknownSegment(describe(last));
  const member = { kind: 'entity', set: target, type: nav.target, key: checkKey(key), parent, contextPath: navPath } as const;
  return beyond.length ? { kind: 'hop', from: member, rest: beyond, contextPath: `${navPath}(${quoteKey(key)})` } : member;
}

/**
 * The rest of a hop, bound from the entity it reached (`type`, `key`): as if the request had named that entity
 * by its own set, with the context path continuing the original request's.
 */
export function bindHopRest(model: Model, hop: BoundResource & { kind: 'hop' }, type: EntityType, key: string): BoundResource {
  const set = model.entitySetOf(type);
  if (!set) throw errors.unknownSegment(describe(hop.rest[0]!));
  return fromEntity(model, { kind: 'entity', set, type, key, parent: undefined, contextPath: hop.contextPath }, hop.contextPath, hop.rest);
}

const describe = (s: PathSegment): string => (s.kind === 'name' ? s.name : s.kind === 'key' ? s.key : '$count');
