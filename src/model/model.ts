/**
 * Resolves the declarations of `security-ti.ts` into a frozen, cross-linked model with fast lookups.
 * Every other stage (binding, SQL schema, serialization, $metadata) reads types from here.
 */
import type { CapabilityDecl, EnumMemberDecl, PrimitiveName, PropertyDecl, NavigationDecl, TypeDecl } from './edm.js';
import { ENTITY_SETS, GRAPH_NAMESPACE, SECURITY_NAMESPACE, TYPES } from './security-ti.js';
import { CAPABILITIES } from './capabilities.js';

export interface PrimitiveType {
  readonly kind: 'primitive';
  readonly qualifiedName: PrimitiveName;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly namespace: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly members: readonly EnumMemberDecl[];
  /** Value of the `unknownFutureValue` sentinel, if the enum is evolvable. */
  readonly sentinelValue: number | undefined;
  memberByName(name: string): EnumMemberDecl | undefined;
  memberByValue(value: number): EnumMemberDecl | undefined;
}

export interface ComplexType {
  readonly kind: 'complex';
  readonly namespace: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly properties: readonly StructuralProperty[];
  property(name: string): StructuralProperty | undefined;
}

export interface EntityType {
  readonly kind: 'entity';
  readonly namespace: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly abstract: boolean;
  readonly baseType: EntityType | undefined;
  /** Direct subtypes. */
  readonly derivedTypes: readonly EntityType[];
  /** All structural properties, inherited first (base → derived), as a serializer emits them. */
  readonly properties: readonly StructuralProperty[];
  readonly navigationProperties: readonly NavigationProperty[];
  readonly ownProperties: readonly StructuralProperty[];
  readonly ownNavigationProperties: readonly NavigationProperty[];
  readonly key: StructuralProperty;
  property(name: string): StructuralProperty | undefined;
  navigation(name: string): NavigationProperty | undefined;
}

export type ValueType = PrimitiveType | EnumType | ComplexType;
export type AnyType = ValueType | EntityType;

export interface StructuralProperty {
  readonly kind: 'property';
  readonly name: string;
  readonly type: ValueType;
  readonly collection: boolean;
  readonly nullable: boolean;
  /** The CSDL type reference as declared (for $metadata). */
  readonly declaredType: string;
}

export interface NavigationProperty {
  readonly kind: 'navigation';
  readonly name: string;
  readonly target: EntityType;
  readonly collection: boolean;
  readonly nullable: boolean;
  readonly containsTarget: boolean;
  readonly declaredType: string;
  readonly declaringType: EntityType;
}

export interface EntitySet {
  readonly name: string;
  readonly entityType: EntityType;
  readonly listable: boolean;
  readonly capabilities: CapabilityDecl;
}

export interface Model {
  readonly namespaces: readonly string[];
  readonly types: readonly (EnumType | ComplexType | EntityType)[];
  readonly entitySets: readonly EntitySet[];
  type(qualifiedName: string): EnumType | ComplexType | EntityType | undefined;
  entityType(qualifiedName: string): EntityType;
  entitySet(name: string): EntitySet | undefined;
  /** The entity set whose element type is `type` or one of its base types. */
  entitySetOf(type: EntityType): EntitySet | undefined;
  /** `type` itself and all types derived from it, depth first. */
  subtypesOf(type: EntityType): readonly EntityType[];
  isAssignable(type: EntityType, to: EntityType): boolean;
  capabilitiesOf(type: EntityType): CapabilityDecl;
}

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveName>([
  'Edm.String',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Boolean',
  'Edm.Double',
  'Edm.DateTimeOffset',
  'Edm.Guid',
]);

const ALIASES: Readonly<Record<string, string>> = { self: SECURITY_NAMESPACE, graph: GRAPH_NAMESPACE };

/** 'self.indicatorSource' → 'microsoft.graph.security.indicatorSource'; Edm names are unchanged. */
export function qualify(ref: string): string {
  const dot = ref.indexOf('.');
  const alias = ALIASES[ref.slice(0, dot)];
  return alias ? `${alias}${ref.slice(dot)}` : ref;
}

function parseTypeRef(ref: string): { collection: boolean; name: string } {
  const m = /^Collection\((.+)\)$/.exec(ref);
  return m ? { collection: true, name: qualify(m[1]!) } : { collection: false, name: qualify(ref) };
}

/** Case-sensitive lookup first, then a unique case-insensitive match (Graph treats names case-insensitively). */
function lookup<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  const exact = items.find((i) => i.name === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const loose = items.filter((i) => i.name.toLowerCase() === lower);
  return loose.length === 1 ? loose[0] : undefined;
}

export function buildModel(decls: readonly TypeDecl[] = TYPES): Model {
  const byName = new Map<string, EnumType | ComplexType | EntityType>();
  const complexProps = new Map<string, StructuralProperty[]>();
  const entityState = new Map<
    string,
    { own: StructuralProperty[]; ownNav: NavigationProperty[]; derived: EntityType[]; base?: EntityType; all?: StructuralProperty[]; allNav?: NavigationProperty[] }
  >();

  for (const d of decls) {
    const qualifiedName = `${d.namespace}.${d.name}`;
    if (byName.has(qualifiedName)) throw new Error(`model: duplicate type ${qualifiedName}`);
    if (d.kind === 'EnumType') {
      const members = d.members;
      const sentinel = members.find((m) => m.name === 'unknownFutureValue');
      byName.set(qualifiedName, {
        kind: 'enum',
        namespace: d.namespace,
        name: d.name,
        qualifiedName,
        members,
        sentinelValue: sentinel?.value,
        memberByName: (n) => lookup(members, n),
        memberByValue: (v) => members.find((m) => m.value === v),
      });
    } else if (d.kind === 'ComplexType') {
      const props: StructuralProperty[] = [];
      complexProps.set(qualifiedName, props);
      byName.set(qualifiedName, {
        kind: 'complex',
        namespace: d.namespace,
        name: d.name,
        qualifiedName,
        properties: props,
        property: (n) => lookup(props, n),
      });
    } else {
      const state: { own: StructuralProperty[]; ownNav: NavigationProperty[]; derived: EntityType[]; base?: EntityType } = { own: [], ownNav: [], derived: [] };
      entityState.set(qualifiedName, state);
      const entity: EntityType = {
        kind: 'entity',
        namespace: d.namespace,
        name: d.name,
        qualifiedName,
        abstract: d.abstract ?? false,
        get baseType() {
          return state.base;
        },
        derivedTypes: state.derived,
        get properties() {
          return entityState.get(qualifiedName)!.all!;
        },
        get navigationProperties() {
          return entityState.get(qualifiedName)!.allNav!;
        },
        ownProperties: state.own,
        ownNavigationProperties: state.ownNav,
        get key() {
          return lookup(entityState.get(qualifiedName)!.all!, 'id')!;
        },
        property: (n) => lookup(entityState.get(qualifiedName)!.all!, n),
        navigation: (n) => lookup(entityState.get(qualifiedName)!.allNav!, n),
      };
      byName.set(qualifiedName, entity);
    }
  }

  const resolveValueType = (ref: string, where: string): { type: ValueType; collection: boolean } => {
    const { collection, name } = parseTypeRef(ref);
    if (PRIMITIVES.has(name)) return { type: { kind: 'primitive', qualifiedName: name as PrimitiveName }, collection };
    const t = byName.get(name);
    if (!t || t.kind === 'entity') throw new Error(`model: ${where} has unknown value type ${ref}`);
    return { type: t, collection };
  };
  const toProperty = (p: PropertyDecl, where: string): StructuralProperty => {
    const { type, collection } = resolveValueType(p.type, `${where}.${p.name}`);
    return { kind: 'property', name: p.name, type, collection, nullable: p.nullable ?? true, declaredType: p.type };
  };

  for (const d of decls) {
    const qn = `${d.namespace}.${d.name}`;
    if (d.kind === 'ComplexType') complexProps.get(qn)!.push(...d.properties.map((p) => toProperty(p, qn)));
    if (d.kind !== 'EntityType') continue;
    const state = entityState.get(qn)!;
    const self = byName.get(qn) as EntityType;
    if (d.baseType) {
      const base = byName.get(qualify(d.baseType));
      if (!base || base.kind !== 'entity') throw new Error(`model: ${qn} has unknown base type ${d.baseType}`);
      state.base = base;
      entityState.get(base.qualifiedName)!.derived.push(self);
    }
    state.own.push(...d.properties.map((p) => toProperty(p, qn)));
    state.ownNav.push(
      ...d.navigationProperties.map((n: NavigationDecl): NavigationProperty => {
        const { collection, name } = parseTypeRef(n.type);
        const target = byName.get(name);
        if (!target || target.kind !== 'entity') throw new Error(`model: ${qn}.${n.name} targets unknown entity type ${n.type}`);
        return {
          kind: 'navigation',
          name: n.name,
          target,
          collection,
          nullable: n.nullable ?? true,
          containsTarget: n.containsTarget ?? false,
          declaredType: n.type,
          declaringType: self,
        };
      }),
    );
  }
  const finish = (qn: string): void => {
    const state = entityState.get(qn)!;
    if (state.all) return;
    if (state.base) finish(state.base.qualifiedName);
    const baseState = state.base ? entityState.get(state.base.qualifiedName)! : undefined;
    state.all = [...(baseState?.all ?? []), ...state.own];
    state.allNav = [...(baseState?.allNav ?? []), ...state.ownNav];
  };
  for (const qn of entityState.keys()) finish(qn);

  const types = [...byName.values()];
  const entityType = (qn: string): EntityType => {
    const t = byName.get(qualify(qn));
    if (!t || t.kind !== 'entity') throw new Error(`model: no entity type ${qn}`);
    return t;
  };
  const isAssignable = (type: EntityType, to: EntityType): boolean => {
    for (let t: EntityType | undefined = type; t; t = t.baseType) if (t === to) return true;
    return false;
  };
  const subtypesOf = (type: EntityType): EntityType[] => [type, ...type.derivedTypes.flatMap(subtypesOf)];
  const capabilitiesOf = (type: EntityType): CapabilityDecl => {
    for (let t: EntityType | undefined = type; t; t = t.baseType) {
      const c = CAPABILITIES.find((x) => x.target === t!.qualifiedName);
      if (c) return c;
    }
    return { target: type.qualifiedName };
  };
  const entitySets: EntitySet[] = ENTITY_SETS.map((s) => {
    const et = entityType(s.entityType);
    return { name: s.name, entityType: et, listable: s.listable, capabilities: capabilitiesOf(et) };
  });

  return Object.freeze({
    namespaces: [GRAPH_NAMESPACE, SECURITY_NAMESPACE],
    types,
    entitySets,
    type: (qn: string) => byName.get(qualify(qn)),
    entityType,
    entitySet: (name: string) => lookup(entitySets, name),
    entitySetOf: (type: EntityType) => entitySets.find((s) => isAssignable(type, s.entityType)),
    subtypesOf,
    isAssignable,
    capabilitiesOf,
  });
}

/** The model tigraph serves. */
export const MODEL: Model = buildModel();
