/**
 * Graph JSON → entity records, validated against the model: property names and types, nullability, enum
 * members in either spelling, ISO 8601 DateTimeOffsets, the concrete type of polymorphic navigations by
 * `@odata.type`, and OData deep insert of collection navigations (a profile's `indicators`).
 * Every problem is a Graph 400 naming the property.
 */
import { errors } from '../../errors/catalog.js';
import type { EntityType, Model, StructuralProperty, ValueType } from '../../model/model.js';
import type { EntityRecord, EntityRef, WriteRecord } from '../../model/records.js';
import { findUnstorable } from '../bind/unstorable-text.js';
import { lengthProblem, MAX_INDEXED_STRING_BYTES, MAX_TEXT_STRING_BYTES } from '../../model/string-limits.js';
import { readEnumMember } from '../serialize/enum-spelling.js';
import { decodeDate, decodeDateTimeOffset } from '../uri/parse-literal.js';

export interface ReadOptions {
  /** Require every non-nullable property (create) or accept a partial object (update). */
  readonly partial: boolean;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch ms of an ISO 8601 date or date-time, or why it is not one (`2024-02-30` is not a day; Date.parse rolls it over). */
function readDateTime(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  if (!ISO_DATE_TIME.test(text)) return { ok: false, reason: 'not an ISO 8601 DateTimeOffset' };
  return text.length === 10 ? decodeDate(text) : decodeDateTimeOffset(text);
}

function checkStorable(text: string, where: string, owner: string, limit: number): string {
  const bad = findUnstorable(text);
  if (bad) throw errors.invalidPropertyValue(where, owner, `the string contains ${bad.describe} at index ${bad.index}, which cannot be stored`);
  const long = lengthProblem(text, limit);
  if (long) throw errors.invalidPropertyValue(where, owner, long);
  return text;
}

/**
 * Why a key cannot be created, or undefined: it must be addressable afterwards as one path segment, so not
 * `$count`, `.` or `..` (URL normalisation or the binder reads them otherwise), no `/`, no control characters.
 */
function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'expected a non-empty string';
  const long = lengthProblem(key, MAX_INDEXED_STRING_BYTES);
  if (long) return long;
  if (key === '.' || key === '..' || key.toLowerCase() === '$count') return `'${key}' cannot be addressed as a key`;
  if (key.includes('/')) return "a key cannot contain '/'";
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(key);
  if (control) return `a key cannot contain control characters (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${control.index})`;
  const bad = findUnstorable(key);
  if (bad) return `a key cannot contain ${bad.describe} (index ${bad.index})`;
  return undefined;
}

/** `limit`: the most UTF-8 bytes a string here may hold (string-limits.ts: column or JSON text). */
/**
 * Most members an object of a body may have: an entity has a few dozen properties and annotations, so this bounds
 * the work on a body made of a million `@…` keys (which held the event loop for 11.6 s) without refusing any real one.
 */
export const MAX_OBJECT_MEMBERS = 1000;

/** The object's member names, once; more than MAX_OBJECT_MEMBERS is a 400. */
export function memberNames(src: Record<string, unknown>, where: string): string[] {
  const names = Object.keys(src);
  if (names.length > MAX_OBJECT_MEMBERS) throw errors.invalidBody(`${where} has ${names.length} members; an object may have at most ${MAX_OBJECT_MEMBERS}`);
  return names;
}

function readValue(type: ValueType, value: unknown, where: string, owner: string, limit: number): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'enum': {
      if (typeof value !== 'string') throw errors.invalidPropertyValue(where, owner, `expected a ${type.name} member name`);
      const v = readEnumMember(type, value);
      if (v === undefined) throw errors.invalidPropertyValue(where, owner, `'${value}' is not a member of ${type.name} (${type.members.map((m) => m.name).join(', ')})`);
      if (type.sentinelValue !== undefined && v >= type.sentinelValue) throw errors.invalidPropertyValue(where, owner, `'${value}' cannot be written (evolvable-enum sentinel)`);
      return v;
    }
    case 'complex': {
      if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidPropertyValue(where, owner, `expected a ${type.name} object`);
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of memberNames(src, where)) if (!key.startsWith('@') && !type.property(key) && !type.navigation(key)) throw errors.invalidPropertyValue(`${where}/${key}`, type.qualifiedName, 'no such property');
      for (const p of type.properties) out[p.name] = readProperty(p, src[type.property(p.name)?.name ?? p.name], `${where}/${p.name}`, type.qualifiedName, false, true);
      // Navigations inside a complex type (whoisNameserver.host): a reference {"@odata.type"?, "id"}, stored as given.
      for (const n of type.navigationProperties) {
        const ref = src[n.name];
        if (ref === undefined || ref === null) continue;
        const r = ref as Record<string, unknown>;
        if (typeof ref !== 'object' || Array.isArray(ref) || typeof r['id'] !== 'string' || Object.keys(r).some((k) => k !== 'id' && k !== '@odata.type')) {
          throw errors.invalidPropertyValue(`${where}/${n.name}`, type.qualifiedName, 'expected a reference {"@odata.type", "id"}');
        }
        const annotation = r['@odata.type'];
        if (annotation !== undefined && typeof annotation !== 'string') throw errors.invalidPropertyValue(`${where}/${n.name}/@odata.type`, type.qualifiedName, 'expected a type name');
        out[n.name] = annotation === undefined ? { id: r['id'] } : { '@odata.type': `#${annotation.replace(/^#/, '')}`, id: r['id'] };
      }
      return out;
    }
    case 'primitive':
      switch (type.qualifiedName) {
        case 'Edm.DateTimeOffset': {
          if (typeof value !== 'string') throw errors.invalidPropertyValue(where, owner, `'${String(value)}' is not an ISO 8601 DateTimeOffset`);
          const ms = readDateTime(value);
          if (!ms.ok) throw errors.invalidPropertyValue(where, owner, `'${value}' is not a valid ISO 8601 DateTimeOffset (${ms.reason})`);
          return ms.value;
        }
        case 'Edm.Int32':
        case 'Edm.Int64':
          if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.invalidPropertyValue(where, owner, 'expected an integer');
          return value;
        case 'Edm.Double':
          if (typeof value !== 'number') throw errors.invalidPropertyValue(where, owner, 'expected a number');
          return value;
        case 'Edm.Boolean':
          if (typeof value !== 'boolean') throw errors.invalidPropertyValue(where, owner, 'expected true or false');
          return value;
        default:
          if (typeof value !== 'string') throw errors.invalidPropertyValue(where, owner, 'expected a string');
          return checkStorable(value, where, owner, limit);
      }
  }
}

function readProperty(p: StructuralProperty, value: unknown, where: string, owner: string, partial: boolean, nested = false): unknown {
  const limit = nested || p.collection || p.freeText ? MAX_TEXT_STRING_BYTES : MAX_INDEXED_STRING_BYTES;
  if (value === undefined) {
    if (!p.nullable && !p.collection && !partial) throw errors.invalidPropertyValue(where, owner, 'the property is required');
    return p.collection ? [] : null;
  }
  if (value === null) {
    if (!p.nullable && !p.collection) throw errors.invalidPropertyValue(where, owner, 'the property cannot be null');
    return p.collection ? [] : null;
  }
  if (p.collection) {
    if (!Array.isArray(value)) throw errors.invalidPropertyValue(where, owner, 'expected an array');
    return value.map((v, i) => {
      if (v === null && !p.nullable) throw errors.invalidPropertyValue(`${where}/${i}`, owner, 'items cannot be null');
      return readValue(p.type, v, `${where}/${i}`, owner, limit);
    });
  }
  return readValue(p.type, value, where, owner, limit);
}

/** Resolves `@odata.type` (with or without '#', case-insensitive on the name) to a concrete subtype of `base`. */
function concreteType(model: Model, base: EntityType, annotation: unknown, where: string): EntityType {
  if (annotation === undefined) {
    if (!base.abstract) return base;
    throw errors.invalidPropertyValue(where, base.qualifiedName, `'@odata.type' is required to choose a concrete type of ${base.name}`);
  }
  const name = typeof annotation === 'string' ? annotation.replace(/^#/, '') : '';
  const t = model.subtypesOf(base).find((x) => x.qualifiedName.toLowerCase() === name.toLowerCase());
  if (!t) throw errors.invalidPropertyValue(`${where}/@odata.type`, base.qualifiedName, `'${String(annotation)}' is not ${base.name} or a type derived from it`);
  if (t.abstract) throw errors.invalidPropertyValue(`${where}/@odata.type`, base.qualifiedName, `${t.name} is abstract`);
  return t;
}

/**
 * Reads one entity and everything deep-inserted with it. Returns the write records in dependency order
 * (navigation targets, the entity, then its children).
 */
export function readEntity(model: Model, expected: EntityType, json: unknown, options: ReadOptions, where = ''): { record: EntityRecord; writes: WriteRecord[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw errors.invalidBody(`${where || 'the body'} must be a JSON object`);
  const src = json as Record<string, unknown>;
  const members = memberNames(src, where || 'the body');
  const type = concreteType(model, expected, src['@odata.type'], where || expected.name);
  for (const key of members) {
    if (key.startsWith('@') || key.includes('@')) continue;
    if (!type.property(key) && !type.navigation(key)) throw errors.invalidPropertyValue(`${where}${key}`, type.qualifiedName, 'no such property');
  }
  const values: Record<string, unknown> = {};
  for (const p of type.properties) {
    const key = members.find((k) => k === p.name) ?? members.find((k) => k.toLowerCase() === p.name.toLowerCase());
    const raw = key === undefined ? undefined : src[key];
    if (p === type.key) {
      const problem = raw === undefined ? undefined : keyProblem(raw);
      if (problem) throw errors.invalidPropertyValue(`${where}${p.name}`, type.qualifiedName, problem);
      values[p.name] = raw ?? null;
      continue;
    }
    if (raw === undefined && options.partial) continue; // an update leaves absent properties as they are
    values[p.name] = readProperty(p, raw, `${where}${p.name}`, type.qualifiedName, options.partial);
  }
  const writes: WriteRecord[] = [];
  const navigations: Record<string, EntityRef | EntityRecord | null> = {};
  const children: { nav: string; items: unknown[] }[] = [];
  for (const nav of type.navigationProperties) {
    const raw = src[nav.name];
    if (nav.collection) {
      if (raw === undefined) continue;
      if (!Array.isArray(raw)) throw errors.invalidPropertyValue(`${where}${nav.name}`, type.qualifiedName, 'expected an array of entities');
      children.push({ nav: nav.name, items: raw });
      continue;
    }
    if (raw === undefined) {
      if (!nav.nullable && !options.partial) throw errors.invalidPropertyValue(`${where}${nav.name}`, type.qualifiedName, 'the navigation property is required');
      continue;
    }
    if (raw === null) {
      if (!nav.nullable) throw errors.invalidPropertyValue(`${where}${nav.name}`, type.qualifiedName, 'the navigation property cannot be null');
      navigations[nav.name] = null;
      continue;
    }
    const inner = readEntity(model, nav.target, raw, { partial: Object.keys(raw as object).every((k) => k === 'id' || k.startsWith('@')) }, `${where}${nav.name}/`);
    if (typeof inner.record.values[nav.target.key.name] !== 'string') throw errors.invalidPropertyValue(`${where}${nav.name}/id`, nav.target.qualifiedName, 'the id is required');
    // A reference-only artifact ({"@odata.type","id"}) links without overwriting a stored artifact.
    const isReference = Object.keys(raw as object).every((k) => k === 'id' || k.startsWith('@'));
    // A reference creates the target only when it does not exist yet (and only if that is valid without data).
    if (!isReference) writes.push(...inner.writes);
    else if (inner.record.type.properties.every((p) => p === inner.record.type.key || p.nullable || p.collection)) {
      writes.push({ record: inner.record, ifAbsent: true });
    }
    navigations[nav.name] = isReference ? { kind: 'ref', type: inner.record.type, id: inner.record.values[nav.target.key.name] as string } : inner.record;
  }
  const record: EntityRecord = { kind: 'record', type, values, navigations };
  writes.push({ record });
  for (const c of children) {
    const nav = type.navigation(c.nav)!;
    const parentKey = values[type.key.name];
    if (typeof parentKey !== 'string') throw errors.invalidPropertyValue(`${where}id`, type.qualifiedName, 'an id is required to deep-insert related entities');
    c.items.forEach((item, i) => {
      const child = readEntity(model, nav.target, item, options, `${where}${nav.name}/${i}/`);
      const last = child.writes.at(-1)!;
      child.writes[child.writes.length - 1] = { ...last, parent: { navigation: nav, key: parentKey } };
      writes.push(...child.writes);
    });
  }
  return { record, writes };
}
