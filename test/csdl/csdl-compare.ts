/**
 * Test helpers for $metadata: parse a CSDL XML document (or the schema-only extract of the official CSDL) into
 * a normalized form, check that a document is complete, and compare two documents type by type. Both checks
 * return a list of human-readable differences (empty = agreement) so tests can assert either way.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface CsdlProperty { readonly name: string; readonly type: string; readonly nullable: boolean }
export interface CsdlNavigation extends CsdlProperty { readonly containsTarget: boolean }
export interface CsdlType {
  readonly kind: 'EnumType' | 'ComplexType' | 'EntityType';
  readonly namespace: string;
  readonly name: string;
  readonly baseType: string | undefined;
  readonly abstract: boolean;
  readonly key: readonly string[] | undefined;
  readonly properties: readonly CsdlProperty[];
  readonly navigations: readonly CsdlNavigation[];
  readonly members: readonly { readonly name: string; readonly value: string }[];
}
export interface ParsedCsdl {
  /** alias → namespace */
  readonly aliases: ReadonlyMap<string, string>;
  /** qualified name → type */
  readonly types: ReadonlyMap<string, CsdlType>;
  /** target → term → canonical JSON of the annotation value */
  readonly annotations: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly containers: readonly { readonly name: string; readonly children: readonly { kind: string; name: string; type: string }[] }[];
}

const ARRAYS = new Set([
  'Schema', 'EnumType', 'ComplexType', 'EntityType', 'Member', 'Property', 'NavigationProperty', 'PropertyRef', 'Annotations',
  'Annotation', 'PropertyValue', 'PropertyPath', 'EntityContainer', 'Singleton', 'EntitySet', 'NavigationPropertyBinding',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAYS.has(name),
});

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);
const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@_${name}`];
  return v === undefined ? undefined : String(v);
};

/** Canonical form of one Annotation: a Bool, or a Record of Bool / PropertyPath collection values (sets, sorted). */
function canonicalAnnotation(a: Node): string {
  const bool = attr(a, 'Bool');
  if (bool !== undefined) return JSON.stringify({ Bool: bool });
  const record = list([a['Record']].flat().filter(Boolean))[0];
  if (!record) return JSON.stringify({ unsupported: Object.keys(a) });
  const values: Record<string, unknown> = {};
  for (const pv of list(record['PropertyValue'])) {
    const prop = attr(pv, 'Property') ?? '?';
    const b = attr(pv, 'Bool');
    if (b !== undefined) values[prop] = b;
    else {
      const coll = [pv['Collection']].flat()[0] as Node | undefined;
      values[prop] = coll ? list(coll['PropertyPath']).map(String).sort() : null;
    }
  }
  return JSON.stringify(Object.fromEntries(Object.entries(values).sort(([x], [y]) => (x < y ? -1 : 1))));
}

/**
 * Parses a full edmx document or a bare <Schema> fragment. `defaultAliases` supplies aliases declared
 * elsewhere (the official extract lacks the `graph` schema).
 */
export function parseCsdl(xml: string, defaultAliases: Readonly<Record<string, string>> = {}): ParsedCsdl {
  const doc = parser.parse(xml) as Node;
  const edmx = doc['Edmx'] as Node | undefined;
  const schemas = edmx ? list((edmx['DataServices'] as Node | undefined)?.['Schema']) : list(doc['Schema']);
  if (schemas.length === 0) throw new Error('parseCsdl: no Schema element');
  const aliases = new Map(Object.entries(defaultAliases));
  const types = new Map<string, CsdlType>();
  const annotations = new Map<string, Map<string, string>>();
  const containers: { name: string; children: { kind: string; name: string; type: string }[] }[] = [];
  for (const s of schemas) {
    const namespace = attr(s, 'Namespace')!;
    const alias = attr(s, 'Alias');
    if (alias) aliases.set(alias, namespace);
    for (const kind of ['EnumType', 'ComplexType', 'EntityType'] as const) {
      for (const t of list(s[kind])) {
        const name = attr(t, 'Name')!;
        const keyNode = [t['Key']].flat()[0] as Node | undefined;
        types.set(`${namespace}.${name}`, {
          kind,
          namespace,
          name,
          baseType: attr(t, 'BaseType'),
          abstract: attr(t, 'Abstract') === 'true',
          key: keyNode ? list(keyNode['PropertyRef']).map((r) => attr(r, 'Name')!) : undefined,
          properties: list(t['Property']).map((p) => ({ name: attr(p, 'Name')!, type: attr(p, 'Type')!, nullable: attr(p, 'Nullable') !== 'false' })),
          navigations: list(t['NavigationProperty']).map((p) => ({
            name: attr(p, 'Name')!,
            type: attr(p, 'Type')!,
            nullable: attr(p, 'Nullable') !== 'false',
            containsTarget: attr(p, 'ContainsTarget') === 'true',
          })),
          members: list(t['Member']).map((m) => ({ name: attr(m, 'Name')!, value: attr(m, 'Value')! })),
        });
      }
    }
    for (const a of list(s['Annotations'])) {
      const target = attr(a, 'Target')!;
      const terms = annotations.get(target) ?? new Map<string, string>();
      for (const an of list(a['Annotation'])) terms.set(attr(an, 'Term')!, canonicalAnnotation(an));
      annotations.set(target, terms);
    }
    for (const c of list(s['EntityContainer'])) {
      containers.push({
        name: attr(c, 'Name')!,
        children: [
          ...list(c['Singleton']).map((x) => ({ kind: 'Singleton', name: attr(x, 'Name')!, type: attr(x, 'Type')! })),
          ...list(c['EntitySet']).map((x) => ({ kind: 'EntitySet', name: attr(x, 'Name')!, type: attr(x, 'EntityType')! })),
        ],
      });
    }
  }
  return { aliases, types, annotations, containers };
}

const EDM_PRIMITIVES = new Set([
  'Edm.Binary', 'Edm.Boolean', 'Edm.Byte', 'Edm.Date', 'Edm.DateTimeOffset', 'Edm.Decimal', 'Edm.Double', 'Edm.Duration',
  'Edm.Guid', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.SByte', 'Edm.Single', 'Edm.Stream', 'Edm.String', 'Edm.TimeOfDay',
]);

export function resolveRef(doc: ParsedCsdl, ref: string): { collection: boolean; name: string } {
  const m = /^Collection\((.+)\)$/.exec(ref);
  const inner = m ? m[1]! : ref;
  const dot = inner.indexOf('.');
  const ns = doc.aliases.get(inner.slice(0, dot));
  return { collection: !!m, name: ns ? `${ns}${inner.slice(dot)}` : inner };
}

/** Problems that make the document incomplete or inconsistent; empty when every reference resolves. */
export function checkComplete(doc: ParsedCsdl): string[] {
  const problems: string[] = [];
  const kindOf = (ref: string): string | undefined => {
    const { name } = resolveRef(doc, ref);
    return EDM_PRIMITIVES.has(name) ? 'primitive' : doc.types.get(name)?.kind;
  };
  const chain = (qn: string): CsdlType[] => {
    const out: CsdlType[] = [];
    for (let t = doc.types.get(qn); t && out.length < 50; t = t.baseType ? doc.types.get(resolveRef(doc, t.baseType).name) : undefined) out.push(t);
    return out;
  };
  for (const [qn, t] of doc.types) {
    if (t.baseType !== undefined && kindOf(t.baseType) !== t.kind) problems.push(`${qn}: BaseType ${t.baseType} is not a declared ${t.kind}`);
    const all = chain(qn);
    if (t.kind === 'EntityType') {
      const keys = all.filter((x) => x.key).map((x) => x.key!);
      if (keys.length !== 1) problems.push(`${qn}: ${keys.length} keys along the base-type chain (expected 1)`);
      const names = new Set(all.flatMap((x) => x.properties.map((p) => p.name)));
      for (const k of keys.flat()) if (!names.has(k)) problems.push(`${qn}: key property ${k} is not declared`);
    }
    for (const p of t.properties) {
      const k = kindOf(p.type);
      if (k === undefined || k === 'EntityType') problems.push(`${qn}.${p.name}: type ${p.type} does not resolve to a primitive, enum or complex type`);
    }
    for (const n of t.navigations) if (kindOf(n.type) !== 'EntityType') problems.push(`${qn}.${n.name}: type ${n.type} does not resolve to an entity type`);
  }
  for (const c of doc.containers) {
    for (const x of c.children) if (kindOf(x.type) !== 'EntityType') problems.push(`${c.name}/${x.name}: type ${x.type} does not resolve to an entity type`);
  }
  for (const [target, terms] of doc.annotations) {
    const t = doc.types.get(target);
    if (!t) {
      problems.push(`Annotations target ${target} does not resolve`);
      continue;
    }
    const members = new Set(chain(target).flatMap((x) => [...x.properties, ...x.navigations].map((p) => p.name)));
    for (const [term, value] of terms) {
      for (const v of Object.values(JSON.parse(value) as Record<string, unknown>)) {
        if (Array.isArray(v)) for (const p of v as string[]) if (!members.has(p)) problems.push(`${target} ${term}: property path ${p} does not resolve`);
      }
    }
  }
  return problems;
}

export interface Omission { readonly type: string; readonly name: string }

const localName = (qn: string): string => qn.slice(qn.lastIndexOf('.') + 1);

/**
 * Differences of `ours` from `official` for the given qualified type names: kind, BaseType, Abstract, properties
 * (name, type as written, nullability), navigation properties (same + ContainsTarget), enum members, and the
 * capability annotations targeting those types. Official navigations missing from ours must be exactly the
 * `omitted` entries of that type (by local type name), so an accidental omission and a stale entry both show.
 */
export function compareCsdl(ours: ParsedCsdl, official: ParsedCsdl, typeNames: readonly string[], omitted: readonly Omission[]): string[] {
  const diffs: string[] = [];
  for (const qn of typeNames) {
    const a = ours.types.get(qn);
    const b = official.types.get(qn);
    if (!b) {
      diffs.push(`${qn}: not in the official CSDL`);
      continue;
    }
    if (!a) {
      diffs.push(`${qn}: missing from ours`);
      continue;
    }
    if (a.kind !== b.kind) diffs.push(`${qn}: kind ${a.kind} ≠ official ${b.kind}`);
    if (a.baseType !== b.baseType) diffs.push(`${qn}: BaseType ${a.baseType ?? '(none)'} ≠ official ${b.baseType ?? '(none)'}`);
    if (a.abstract !== b.abstract) diffs.push(`${qn}: Abstract ${a.abstract} ≠ official ${b.abstract}`);

    const props = (x: readonly CsdlProperty[]) => new Map(x.map((p) => [p.name, p]));
    const pa = props(a.properties);
    const pb = props(b.properties);
    for (const [name, p] of pb) {
      const q = pa.get(name);
      if (!q) diffs.push(`${qn}.${name}: property missing from ours`);
      else {
        if (q.type !== p.type) diffs.push(`${qn}.${name}: Type ${q.type} ≠ official ${p.type}`);
        if (q.nullable !== p.nullable) diffs.push(`${qn}.${name}: Nullable ${q.nullable} ≠ official ${p.nullable}`);
      }
    }
    for (const name of pa.keys()) if (!pb.has(name)) diffs.push(`${qn}.${name}: property not in the official CSDL`);

    const na = new Map(a.navigations.map((n) => [n.name, n]));
    const nb = new Map(b.navigations.map((n) => [n.name, n]));
    const omittedHere = new Set(omitted.filter((o) => o.type === localName(qn)).map((o) => o.name));
    for (const [name, n] of nb) {
      const m = na.get(name);
      if (!m) {
        if (!omittedHere.has(name)) diffs.push(`${qn}.${name}: navigation property missing from ours and not listed as omitted`);
        continue;
      }
      if (omittedHere.has(name)) diffs.push(`${qn}.${name}: listed as omitted but present in ours`);
      if (m.type !== n.type) diffs.push(`${qn}.${name}: Type ${m.type} ≠ official ${n.type}`);
      if (m.nullable !== n.nullable) diffs.push(`${qn}.${name}: Nullable ${m.nullable} ≠ official ${n.nullable}`);
      if (m.containsTarget !== n.containsTarget) diffs.push(`${qn}.${name}: ContainsTarget ${m.containsTarget} ≠ official ${n.containsTarget}`);
    }
    for (const name of na.keys()) if (!nb.has(name)) diffs.push(`${qn}.${name}: navigation property not in the official CSDL`);
    for (const name of omittedHere) if (!nb.has(name)) diffs.push(`${qn}.${name}: listed as omitted but not in the official CSDL (stale entry)`);

    const members = (x: CsdlType) => x.members.map((m) => `${m.name}=${m.value}`).join(', ');
    if (members(a) !== members(b)) diffs.push(`${qn}: members [${members(a)}] ≠ official [${members(b)}]`);

    const ta = ours.annotations.get(qn) ?? new Map<string, string>();
    const tb = official.annotations.get(qn) ?? new Map<string, string>();
    for (const [term, v] of tb) {
      const w = ta.get(term);
      if (w === undefined) diffs.push(`${qn}: annotation ${term} missing from ours`);
      else if (w !== v) diffs.push(`${qn}: annotation ${term} ${w} ≠ official ${v}`);
    }
    for (const term of ta.keys()) if (!tb.has(term)) diffs.push(`${qn}: annotation ${term} not in the official CSDL`);
  }
  return diffs;
}

/** The folder of the official extracts, or undefined when ../shared/datasets is not checked out beside the repo. */
export function officialCsdlDir(): string | undefined {
  const dir = path.resolve(process.cwd(), '../shared/datasets/graph-csdl');
  const files = ['security-ti-v1.0.xml', 'security-ti-beta.xml', 'security-ti-all-v1.0.xml', 'security-ti-all-beta.xml'];
  return files.every((f) => existsSync(path.join(dir, f))) ? dir : undefined;
}

/** The official extract of every type reachable from threatIntelligence (`security-ti-all-<version>.xml`). */
export function officialFile(dir: string, version: 'v1.0' | 'beta'): string {
  return path.join(dir, `security-ti-all-${version}.xml`);
}

export function readOfficial(dir: string, version: 'v1.0' | 'beta'): ParsedCsdl {
  return parseCsdl(readFileSync(officialFile(dir, version), 'utf8'), { graph: 'microsoft.graph' });
}
