/**
 * EDM meta-types: the vocabulary in which the served model is written (a small subset of OData CSDL).
 *
 * Types are declared with CSDL-style qualified type references ("Edm.String", "self.indicatorSource",
 * "Collection(self.intelligenceProfileCountryOrRegionOfOrigin)"); `model.ts` resolves them once at load time.
 */

export type PrimitiveName =
  | 'Edm.String'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Boolean'
  | 'Edm.Double'
  | 'Edm.DateTimeOffset'
  | 'Edm.Guid';

/** A declared structural property, as in CSDL. */
export interface PropertyDecl {
  readonly name: string;
  /** CSDL type reference, e.g. 'Edm.String', 'self.contentFormat', 'Collection(Edm.String)'. */
  readonly type: string;
  /** CSDL semantics: omitted means nullable. For collections it applies to the items. */
  readonly nullable?: boolean;
}

export interface NavigationDecl {
  readonly name: string;
  readonly type: string;
  readonly nullable?: boolean;
  readonly containsTarget?: boolean;
}

export interface EntityTypeDecl {
  readonly kind: 'EntityType';
  readonly namespace: string;
  readonly name: string;
  readonly baseType?: string;
  readonly abstract?: boolean;
  /** Only on the root type of a hierarchy (graph.entity). */
  readonly key?: readonly string[];
  readonly properties: readonly PropertyDecl[];
  readonly navigationProperties: readonly NavigationDecl[];
}

export interface ComplexTypeDecl {
  readonly kind: 'ComplexType';
  readonly namespace: string;
  readonly name: string;
  readonly properties: readonly PropertyDecl[];
}

export interface EnumMemberDecl {
  readonly name: string;
  readonly value: number;
}

export interface EnumTypeDecl {
  readonly kind: 'EnumType';
  readonly namespace: string;
  readonly name: string;
  readonly members: readonly EnumMemberDecl[];
}

export type TypeDecl = EntityTypeDecl | ComplexTypeDecl | EnumTypeDecl;

/** Capability annotations (Org.OData.Capabilities.V1) as declared by the official CSDL for a type. */
export interface CapabilityDecl {
  readonly target: string;
  readonly countable?: boolean;
  readonly expandable?: boolean;
  readonly filterable?: boolean;
  readonly nonFilterableProperties?: readonly string[];
  readonly searchable?: boolean;
  readonly selectSupported?: boolean;
  readonly skipSupported?: boolean;
  readonly sortable?: boolean;
  readonly nonSortableProperties?: readonly string[];
  readonly topSupported?: boolean;
}

/**
 * A collection served below /security/threatIntelligence: a contained navigation property of the
 * threatIntelligence singleton entity, in CSDL terms.
 */
export interface EntitySetDecl {
  /** The navigation property name on threatIntelligence, e.g. 'intelProfiles'. */
  readonly name: string;
  /** Qualified element type, e.g. 'microsoft.graph.security.intelligenceProfile'. */
  readonly entityType: string;
  /** Whether GET on the collection itself is served (hosts/{id} is, the hosts list is not). */
  readonly listable: boolean;
}
