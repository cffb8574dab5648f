/**
 * The shape of the resolved model: types, properties, navigations, entity sets, actions and the container, as
 * every stage reads them. `model.ts` builds a value of this shape from the declarations.
 */
import type { ActionDecl, CapabilityDecl, EnumMemberDecl, PrimitiveName } from './edm.js';

/** The member that marks an evolvable enum: members after it are served only to clients that ask for them. */
export const ENUM_SENTINEL = 'unknownFutureValue';

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
  /** Documented alternative member names (member → long name), when the docs spell them differently. */
  readonly documentedNames: Readonly<Record<string, string>> | undefined;
  readonly extension: boolean;
  memberByName(name: string): EnumMemberDecl | undefined;
  /** A member by its CSDL name or its documented alternative name, case-insensitively. */
  memberByAnyName(name: string): EnumMemberDecl | undefined;
  memberByValue(value: number): EnumMemberDecl | undefined;
}

export interface ComplexType {
  readonly kind: 'complex';
  readonly namespace: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly properties: readonly StructuralProperty[];
  /** Navigations declared inside the complex type; their values are references stored in the complex value. */
  readonly navigationProperties: readonly ComplexNavigation[];
  readonly extension: boolean;
  property(name: string): StructuralProperty | undefined;
  navigation(name: string): ComplexNavigation | undefined;
}

/** A navigation property of a complex type (whoisNameserver.host): single-valued, a reference to an entity. */
export interface ComplexNavigation {
  readonly kind: 'navigation';
  readonly name: string;
  readonly target: EntityType;
  readonly nullable: boolean;
  readonly declaredType: string;
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
  readonly extension: boolean;
  /** What `$search` looks in (declared for the type or a base type); empty when the type is not searchable. */
  readonly searchableProperties: readonly StructuralProperty[];
  /** The property whose slug is the id of a new entity written without one (a profile's title). */
  readonly idSource: StructuralProperty | undefined;
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
  /** In merge mode (imports), a stored value is replaced only by an earlier ('min') or later ('max') one. */
  readonly mergeRule: 'min' | 'max' | undefined;
  /** Free text: long, never indexed (PropertyDecl.freeText). */
  readonly freeText: boolean;
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
  /** tigraph serves `$expand` for it (declared in capabilities.ts). */
  readonly expandable: boolean;
  readonly extension: boolean;
  /** Written inline as a reference in the source entity (single-valued navigations but NOT_INLINED ones). */
  readonly inline: boolean;
  /** How a collection navigation finds its members (security-ti/navigation-links.ts); single navigations: 'reference'. */
  readonly link: NavigationLink;
}

export type NavigationLink =
  /** A single-valued navigation: the source holds the target's id. */
  | { readonly kind: 'reference' }
  /** Members hold their parent's id (a foreign key on the target). */
  | { readonly kind: 'foreignKey' }
  /** Members whose single-valued navigation(s) point at the parent. */
  | { readonly kind: 'inverse'; readonly of: readonly NavigationProperty[] }
  /** Members reached through entities of `via` whose `from` is the parent and whose `to` is the member. */
  | { readonly kind: 'through'; readonly via: EntityType; readonly from: NavigationProperty; readonly to: NavigationProperty }
  /** Members whose navigation `on` has the same target as the parent's. */
  | { readonly kind: 'shared'; readonly on: NavigationProperty; readonly parentOn: NavigationProperty };

/** A collection below the service root: a contained collection navigation of the root entity. */
export interface EntitySet {
  readonly name: string;
  readonly entityType: EntityType;
  readonly listable: boolean;
  readonly writable: boolean;
  readonly keyOrder: 'asc' | 'desc';
  readonly capabilities: CapabilityDecl;
}

/** A bound action of the root entity (`…/threatIntelligence/microsoft.graph.security.import`). */
export interface Action {
  readonly namespace: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly bindingType: EntityType;
  readonly returnType: EntityType;
  readonly body: ActionDecl['body'];
  readonly access: ActionDecl['access'];
  readonly queryParameters: readonly string[];
  readonly extension: boolean;
  readonly declaredBindingType: string;
  readonly declaredReturnType: string;
}

export interface Container {
  readonly name: string;
  readonly singletons: readonly { readonly name: string; readonly type: EntityType }[];
  /** Segments from the service root to the entity whose collections are served: ['security', 'threatIntelligence']. */
  readonly rootPath: readonly string[];
  /** The entity type at the end of rootPath (threatIntelligence). */
  readonly rootType: EntityType;
}

export interface Model {
  readonly namespaces: readonly string[];
  readonly types: readonly (EnumType | ComplexType | EntityType)[];
  readonly entitySets: readonly EntitySet[];
  readonly container: Container;
  /** rootPath joined with '/': 'security/threatIntelligence'. */
  readonly servicePath: string;
  readonly actions: readonly Action[];
  /** An action bound to the root entity, by qualified name or (as OData 4.01 allows) its local name; case-insensitive. */
  action(name: string): Action | undefined;
  type(qualifiedName: string): EnumType | ComplexType | EntityType | undefined;
  entityType(qualifiedName: string): EntityType;
  entitySet(name: string): EntitySet | undefined;
  /** The entity set whose element type is `type` or one of its base types. */
  entitySetOf(type: EntityType): EntitySet | undefined;
  /** A collection contained in a non-root entity whose type no set holds (vulnerability.components): its read-only set. */
  containedSet(navigation: NavigationProperty): EntitySet | undefined;
  /** `type` itself and all types derived from it, depth first. */
  subtypesOf(type: EntityType): readonly EntityType[];
  isAssignable(type: EntityType, to: EntityType): boolean;
  capabilitiesOf(type: EntityType): CapabilityDecl;
}
