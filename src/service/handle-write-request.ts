/**
 * Writes with Graph semantics (the SDKs generate these calls; Microsoft's read-only service does not serve them):
 * POST to a collection → 201 with the entity and `Location`; PATCH → 204 (absent properties unchanged);
 * DELETE → 204 (a profile takes its indicators with it). Bodies are validated by the model (400 naming the
 * property); an existing id on POST is 409. Each write is one store transaction (Store.create/update/remove), so
 * its outcome does not depend on timing; a POST never changes an entity that exists (deep-inserted ids must be
 * new, referenced artifacts are linked as they are). New ids: a profile's is the slug of its title, an indicator's is
 * derived from (profile, artifact), so the same IOC posted twice to a profile is one indicator.
 */
import { errors } from '../errors/catalog.js';
import type { EntityType, Model } from '../model/model.js';
import { memberNames, readEntity } from '../odata/deserialize/read-entity.js';
import type { BoundResource } from '../odata/path/bind-resource-path.js';
import { derivedId, indicatorId } from '../model/ids.js';
import type { EntityRecord, ParentScope, WriteRecord } from '../model/records.js';
import type { Store } from '../storage/store.js';

export interface WriteOutcome {
  readonly status: 201 | 204;
  /** For 201: the created entity's key, to read it back and build Location. */
  readonly created?: { readonly resource: BoundResource & { kind: 'entity' } };
}

const keyOf = (r: EntityRecord): unknown => r.values[r.type.key.name];

/** A body without an id gets one by the model's id rule (a profile: the slug of its title), before children link to it. */
function withDerivedId(body: unknown, type: EntityType): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  memberNames(b, 'the body'); // too many members: the 400 here, before any copy
  if (b[type.key.name] !== undefined) return body;
  const id = derivedId(type, b);
  return id === undefined ? body : { ...b, [type.key.name]: id };
}

/** Indicators without an id get one derived from (profile, artifact). */
function assignIndicatorIds(writes: readonly WriteRecord[]): WriteRecord[] {
  return writes.map((w) => {
    const r = w.record;
    if (typeof keyOf(r) === 'string') return w;
    const artifact = Object.values(r.navigations).find((n): n is NonNullable<typeof n> => n !== null);
    if (!artifact) throw errors.invalidPropertyValue(r.type.key.name, r.type.qualifiedName, 'an id is required');
    const id = indicatorId(w.parent?.key ?? '', artifact.kind === 'ref' ? artifact.id : (keyOf(artifact) as string));
    return { ...w, record: { ...r, values: { ...r.values, [r.type.key.name]: id } } };
  });
}

export async function handleWrite(model: Model, store: Store, method: string, resource: BoundResource, body: unknown): Promise<WriteOutcome> {
  if (resource.kind === 'action' || resource.kind === 'navigation' || resource.kind === 'hop' || (resource.kind === 'collection' && resource.count) || !resource.set.writable) {
    throw errors.methodNotAllowed(method, ['GET', 'HEAD']);
  }
  if (method === 'POST') {
    if (resource.kind !== 'collection') throw errors.methodNotAllowed(method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
    const read = readEntity(model, resource.type, withDerivedId(body, resource.type), { partial: false });
    const mainIndex = read.writes.findIndex((w) => w.record === read.record);
    const writes = assignIndicatorIds(read.writes.map((w, i) => (i === mainIndex && resource.parent ? { ...w, parent: resource.parent } : w)));
    const key = keyOf(writes[mainIndex]!.record) as string;
    // One transaction: the parent is held while the rows go in; every new entity must be new (409 naming it).
    const outcome = await store.create({
      writes,
      main: mainIndex,
      ...(resource.parent ? { requires: { type: resource.parent.navigation.declaringType, key: resource.parent.key } } : {}),
    });
    if (!outcome.ok) {
      if (outcome.reason === 'missingParent') throw errors.resourceNotFound(resource.parent!.navigation.declaringType.qualifiedName, resource.parent!.key);
      throw errors.conflict(outcome.type.name, outcome.key);
    }
    return {
      status: 201,
      created: { resource: { kind: 'entity', set: resource.set, type: resource.type, key, parent: resource.parent, contextPath: resource.contextPath } },
    };
  }
  if (resource.kind !== 'entity') throw errors.methodNotAllowed(method, ['GET', 'HEAD', 'POST']);
  const existing = await store.findOne({ kind: 'entity', type: resource.type, key: resource.key, parent: resource.parent, expand: [] });
  if (!existing) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key);
  if (method === 'DELETE') {
    if (!(await store.remove(resource.type, resource.key))) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key);
    return { status: 204 };
  }
  if (method === 'PATCH') {
    // One UPDATE of the named columns (no read-modify-write): concurrent PATCHes of different properties all hold,
    // and a PATCH after a DELETE finds nothing (404) instead of writing the entity back.
    const patch = readEntity(model, existing.type, withoutKeyChange(body, existing), { partial: true });
    const targets = patch.writes.filter((w) => w.record !== patch.record);
    const scope: ParentScope | undefined = resource.parent;
    const updated = await store.update({ type: existing.type, key: resource.key, patch: patch.record, targets, ...(scope ? { scope } : {}) });
    if (!updated) throw errors.resourceNotFound(resource.type.qualifiedName, resource.key);
    return { status: 204 };
  }
  throw errors.methodNotAllowed(method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
}

/** A PATCH may repeat the id but not change it. */
function withoutKeyChange(body: unknown, existing: EntityRecord): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const key = existing.type.key.name;
  const given = (body as Record<string, unknown>)[key];
  if (given !== undefined && given !== existing.values[key]) throw errors.invalidPropertyValue(key, existing.type.qualifiedName, 'the id cannot be changed');
  const rest = { ...(body as Record<string, unknown>) };
  delete rest[key];
  if (!('@odata.type' in rest)) rest['@odata.type'] = `#${existing.type.qualifiedName}`;
  return rest;
}
