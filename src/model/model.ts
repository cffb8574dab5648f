/**
 * Resolves the declarations of `security-ti.ts` into a frozen, cross-linked model with fast lookups.
 * Every other stage (binding, SQL schema, serialization, $metadata) reads types from here.
 */
import type { ActionDecl, CapabilityDecl, EntityTypeDecl, PrimitiveName, PropertyDecl, NavigationDecl, TypeDecl } from './edm.js';
import { ACTIONS, DOCUMENTED_ENUM_SPELLINGS, ENTITY_CONTAINER, ENTITY_SET_BEHAVIOUR, GRAPH_NAMESPACE, ID_RULES, MERGE_RULES, SECURITY_NAMESPACE, TYPES } from './security-ti.js';
import { CAPABILITIES, EXPANDABLE_NAVIGATIONS, SEARCHABLE_PROPERTIES } from './capabilities.js';
import { NAVIGATION_LINKS, NOT_INLINED } from './security-ti/navigation-links.js';

export * from './model-types.js';
import { ENUM_SENTINEL, type Action, type ComplexNavigation, type ComplexType, type EntitySet, type EntityType, type EnumType, type Model, type NavigationLink, type NavigationProperty, type StructuralProperty, type ValueType } from './model-types.js';


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

export function buildModel(decls: readonly TypeDecl[] = TYPES, actionDecls: readonly ActionDecl[] = ACTIONS): Model {
  const byName = new Map<string, EnumType | ComplexType | EntityType>();
  const complexProps = new Map<string, StructuralProperty[]>();
  const complexNavs = new Map<string, ComplexNavigation[]>();
  const entityState = new Map<
    string,
    { own: StructuralProperty[]; ownNav: NavigationProperty[]; derived: EntityType[]; base?: EntityType; all?: StructuralProperty[]; allNav?: NavigationProperty[] }
  >();

  for (const d of decls) {
    const qualifiedName = `${d.namespace}.${d.name}`;
    if (byName.has(qualifiedName)) throw new Error(`model: duplicate type ${qualifiedName}`);
    if (d.kind === 'EnumType') {
      const members = d.members;
      const sentinel = members.find((m) => m.name === ENUM_SENTINEL);
      byName.set(qualifiedName, {
        kind: 'enum',
        namespace: d.namespace,
        name: d.name,
        qualifiedName,
        members,
        sentinelValue: sentinel?.value,
        documentedNames: DOCUMENTED_ENUM_SPELLINGS[qualifiedName],
        extension: d.extension ?? false,
        memberByName: (n) => lookup(members, n),
        memberByAnyName: (n) => {
          const direct = lookup(members, n);
          if (direct) return direct;
          const alt = DOCUMENTED_ENUM_SPELLINGS[qualifiedName];
          const lower = n.toLowerCase();
          const csdlName = alt ? Object.keys(alt).find((k) => alt[k]!.toLowerCase() === lower) : undefined;
          return csdlName === undefined ? undefined : lookup(members, csdlName);
        },
        memberByValue: (v) => members.find((m) => m.value === v),
      });
    } else if (d.kind === 'ComplexType') {
      const props: StructuralProperty[] = [];
      const navs: ComplexNavigation[] = [];
      complexProps.set(qualifiedName, props);
      complexNavs.set(qualifiedName, navs);
      byName.set(qualifiedName, {
        kind: 'complex',
        namespace: d.namespace,
        name: d.name,
        qualifiedName,
        properties: props,
        navigationProperties: navs,
        extension: d.extension ?? false,
        property: (n) => lookup(props, n),
        navigation: (n) => lookup(navs, n),
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
          return lookup(entityState.get(qualifiedName)!.all!, keyName(qualifiedName))!;
        },
        extension: d.extension ?? false,
        get searchableProperties() {
          return searchable(entity);
        },
        get idSource() {
          const rule = ID_RULES.find((r) => r.type === qualifiedName);
          return rule ? entity.property(rule.property) : undefined;
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
    const merge = MERGE_RULES.find((r) => r.type === where && r.property === p.name);
    return { kind: 'property', name: p.name, type, collection, nullable: p.nullable ?? true, declaredType: p.type, mergeRule: merge?.rule, freeText: p.freeText ?? false };
  };
  /** The key property name of an entity type: declared on the root of its hierarchy. */
  const keyName = (qn: string): string => {
    for (let d = declByName.get(qn); d; d = d.baseType ? declByName.get(qualify(d.baseType)) : undefined) if (d.key) return d.key[0]!;
    throw new Error(`model: ${qn} has no key`);
  };
  const declByName = new Map(decls.filter((d): d is EntityTypeDecl => d.kind === 'EntityType').map((d) => [`${d.namespace}.${d.name}`, d]));
  const searchable = (type: EntityType): StructuralProperty[] => {
    for (let t: EntityType | undefined = type; t; t = t.baseType) {
      const names = SEARCHABLE_PROPERTIES[t.qualifiedName];
      if (names) return names.map((n) => type.property(n) ?? fail(`model: searchable property ${n} is not on ${t!.qualifiedName}`));
    }
    return [];
  };

  for (const d of decls) {
    const qn = `${d.namespace}.${d.name}`;
    if (d.kind === 'ComplexType') {
      complexProps.get(qn)!.push(...d.properties.map((p) => toProperty(p, qn)));
      for (const n of d.navigationProperties ?? []) {
        const { collection, name } = parseTypeRef(n.type);
        const target = byName.get(name);
        if (collection || !target || target.kind !== 'entity') throw new Error(`model: ${qn}.${n.name} must target one entity type, not ${n.type}`);
        complexNavs.get(qn)!.push({ kind: 'navigation', name: n.name, target, nullable: n.nullable ?? true, declaredType: n.type });
      }
    }
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
          expandable: EXPANDABLE_NAVIGATIONS.some((e) => e.declaringType === qn && e.navigation === n.name),
          extension: n.extension ?? false,
          inline: !collection && !NOT_INLINED.some((x) => x.type === qn && x.navigation === n.name),
          get link() {
            return linkOf(self, n.name, collection, target);
          },
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

  const links = new Map<string, NavigationLink>();
  /** Resolves (once) how a navigation finds its members, from NAVIGATION_LINKS. */
  function linkOf(declaring: EntityType, name: string, collection: boolean, target: EntityType): NavigationLink {
    const id = `${declaring.qualifiedName}/${name}`;
    const known = links.get(id);
    if (known) return known;
    const single = (t: EntityType, n: string): NavigationProperty => {
      const nav = t.navigation(n) ?? t.derivedTypes.map((d) => d.navigation(n)).find(Boolean);
      if (!nav || nav.collection) throw new Error(`model: navigation link ${id}: ${t.qualifiedName} has no single-valued navigation ${n}`);
      return nav;
    };
    const decl = NAVIGATION_LINKS.find((l) => l.type === declaring.qualifiedName && l.navigation === name);
    let link: NavigationLink;
    if (!collection) link = { kind: 'reference' };
    else if (!decl) link = { kind: 'foreignKey' };
    else if (decl.inverse) link = { kind: 'inverse', of: decl.inverse.map((n) => single(target, n)) };
    else if (decl.through) {
      const via = byName.get(qualify(decl.through.type));
      if (!via || via.kind !== 'entity') throw new Error(`model: navigation link ${id}: unknown type ${decl.through.type}`);
      link = { kind: 'through', via, from: single(via, decl.through.from), to: single(via, decl.through.to) };
    } else if (decl.shared) link = { kind: 'shared', on: single(target, decl.shared), parentOn: single(declaring, decl.shared) };
    else throw new Error(`model: navigation link ${id} declares no relation`);
    links.set(id, link);
    return link;
  }
  for (const l of NAVIGATION_LINKS) {
    const t = byName.get(l.type);
    if (!t || t.kind !== 'entity' || !t.navigation(l.navigation)) throw new Error(`model: navigation link for unknown ${l.type}/${l.navigation}`);
  }

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
  const singletons = ENTITY_CONTAINER.singletons.map((x) => ({ name: x.name, type: entityType(x.type) }));
  const rootSingleton = singletons.find((x) => x.name === ENTITY_CONTAINER.serviceRoot.singleton);
  if (!rootSingleton) throw new Error(`model: no singleton ${ENTITY_CONTAINER.serviceRoot.singleton}`);
  let rootType = rootSingleton.type;
  for (const name of ENTITY_CONTAINER.serviceRoot.navigations) {
    const nav = rootType.navigation(name);
    if (!nav || nav.collection || !nav.containsTarget) throw new Error(`model: ${rootType.qualifiedName}.${name} is not a contained single-valued navigation`);
    rootType = nav.target;
  }
  const rootPath = [rootSingleton.name, ...ENTITY_CONTAINER.serviceRoot.navigations];
  const entitySets: EntitySet[] = rootType.navigationProperties
    .filter((n) => n.collection && n.containsTarget)
    .map((n) => {
      const behaviour = ENTITY_SET_BEHAVIOUR[n.name] ?? {};
      const listable = behaviour.listable ?? true;
      return { name: n.name, entityType: n.target, listable, writable: behaviour.writable ?? listable, keyOrder: behaviour.keyOrder ?? 'asc', capabilities: capabilitiesOf(n.target) };
    });
  // Collections contained in an entity whose type no set of the root holds (a vulnerability's components): served
  // only under their container, as a read-only set named after the navigation.
  const containedSets = new Map<NavigationProperty, EntitySet>();
  for (const t of types) {
    if (t.kind !== 'entity' || t === rootType) continue;
    for (const n of t.navigationProperties) {
      if (!n.collection || !n.containsTarget || entitySets.some((s) => isAssignable(n.target, s.entityType))) continue;
      containedSets.set(n, { name: n.name, entityType: n.target, listable: true, writable: false, keyOrder: 'asc', capabilities: capabilitiesOf(n.target) });
    }
  }
  const actions: Action[] = actionDecls.map((a) => {
    const bindingType = entityType(parseTypeRef(a.bindingType).name);
    if (bindingType !== rootType) throw new Error(`model: action ${a.name} is bound to ${bindingType.qualifiedName}; only actions bound to ${rootType.qualifiedName} are served`);
    return {
      namespace: a.namespace,
      name: a.name,
      qualifiedName: `${a.namespace}.${a.name}`,
      bindingType,
      returnType: entityType(parseTypeRef(a.returnType).name),
      body: a.body,
      access: a.access,
      queryParameters: a.queryParameters,
      extension: a.extension ?? false,
      declaredBindingType: a.bindingType,
      declaredReturnType: a.returnType,
    };
  });
  const action = (name: string): Action | undefined => {
    const lower = name.toLowerCase();
    return actions.find((a) => a.qualifiedName.toLowerCase() === lower) ?? actions.find((a) => a.name.toLowerCase() === lower);
  };

  return Object.freeze({
    namespaces: [GRAPH_NAMESPACE, SECURITY_NAMESPACE],
    types,
    entitySets,
    container: { name: ENTITY_CONTAINER.name, singletons, rootPath, rootType },
    servicePath: rootPath.join('/'),
    actions,
    action,
    type: (qn: string) => byName.get(qualify(qn)),
    entityType,
    entitySet: (name: string) => lookup(entitySets, name),
    entitySetOf: (type: EntityType) => entitySets.find((s) => isAssignable(type, s.entityType)),
    containedSet: (navigation: NavigationProperty) => containedSets.get(navigation),
    subtypesOf,
    isAssignable,
    capabilitiesOf,
  });
}

function fail(message: string): never {
  throw new Error(message);
}

/** The model tigraph serves. */
export const MODEL: Model = buildModel();
