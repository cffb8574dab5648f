/**
 * Entity records → Graph JSON objects. Property order follows the model (inherited properties first);
 * every entity carries `@odata.type` with the CSDL casing; single navigations are inlined as
 * `{"@odata.type","id"}` references unless expanded; unset selected properties are `null`;
 * DateTimeOffset is ISO 8601 UTC (`toISOString`, ending in Z).
 */
import type { ComplexType, StructuralProperty, ValueType } from '../../model/model.js';
import type { EntityRecord, EntityRef } from '../../model/records.js';
import type { ExpandItem, SelectItem } from '../bind/semantic-tree.js';
import type { EnumSpelling } from './enum-spelling.js';

export interface WriteOptions {
  readonly enums: EnumSpelling;
  readonly includeUnknownEnumMembers: boolean;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function writeValue(type: ValueType, value: unknown, o: WriteOptions): Json {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'enum':
      return o.enums.write(type, value as number, o.includeUnknownEnumMembers);
    case 'complex':
      return writeComplex(type, value as Record<string, unknown>, o);
    case 'primitive':
      if (type.qualifiedName === 'Edm.DateTimeOffset') return new Date(value as number).toISOString();
      return value as Json;
  }
}

function writeComplex(type: ComplexType, value: Record<string, unknown>, o: WriteOptions): Json {
  const out: { [key: string]: Json } = {};
  for (const p of type.properties) out[p.name] = writeProperty(p, value[p.name], o);
  // Navigations inside the complex type (whoisNameserver.host): the stored reference, when there is one.
  for (const n of type.navigationProperties) if (value[n.name] !== undefined && value[n.name] !== null) out[n.name] = value[n.name] as Json;
  return out;
}

function writeProperty(p: StructuralProperty, value: unknown, o: WriteOptions): Json {
  if (value === null || value === undefined) return p.collection ? [] : null;
  if (p.collection) return (value as unknown[]).map((v) => writeValue(p.type, v, o));
  return writeValue(p.type, value, o);
}

export const typeAnnotation = (qualifiedName: string): string => `#${qualifiedName}`;

function writeRef(ref: EntityRef): Json {
  return { '@odata.type': typeAnnotation(ref.type.qualifiedName), id: ref.id };
}

export function writeEntity(
  record: EntityRecord,
  select: readonly SelectItem[] | undefined,
  expand: readonly ExpandItem[],
  o: WriteOptions,
): { [key: string]: Json } {
  const out: { [key: string]: Json } = { '@odata.type': typeAnnotation(record.type.qualifiedName) };
  const selected = select ? new Set(select.map((s) => s.property.name)) : undefined;
  for (const p of record.type.properties) {
    if (selected && !selected.has(p.name)) continue;
    out[p.name] = writeProperty(p, record.values[p.name], o);
  }
  for (const nav of record.type.navigationProperties) {
    if (nav.collection) continue;
    const ex = expand.find((e) => e.navigation.name === nav.name);
    if (!nav.inline && !ex) continue;
    if (selected && !selected.has(nav.name) && !ex) continue;
    if (!(nav.name in record.navigations)) continue;
    const target = record.navigations[nav.name];
    if (target === null || target === undefined) out[nav.name] = null;
    else if (ex && target.kind === 'record') out[nav.name] = writeEntity(target, ex.select, [], o);
    else out[nav.name] = target.kind === 'ref' ? writeRef(target) : writeRef({ kind: 'ref', type: target.type, id: target.values[target.type.key.name] as string });
  }
  return out;
}
