/**
 * EDM meta-types: the vocabulary in which the served model is written (a small subset of OData CSDL).
 *
 * Types are declared with CSDL-style qualified type references ("Edm.String", "self.indicatorSource",
 * "Collection(self.intelligenceProfileCountryOrRegionOfOrigin)"); `model.ts` resolves them once at load time.
 * Declarations keep their literal names (see `names.ts`), so code elsewhere refers to a property as
 * `PROFILE.p.title`, never as the string 'title'.
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
  /**
   * tigraph's own: free text (raw whois, URLs of any length) — stored up to MAX_TEXT_STRING_BYTES and never
   * indexed, where other single strings are indexed and bounded by MAX_INDEXED_STRING_BYTES (string-limits.ts).
   * Not written to $metadata.
   */
  readonly freeText?: boolean;
}

export interface NavigationDecl {
  readonly name: string;
  readonly type: string;
  readonly nullable?: boolean;
  readonly containsTarget?: boolean;
  /** tigraph's own addition to a Graph type (not in Microsoft's CSDL); written to $metadata all the same. */
  readonly extension?: boolean;
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
  /** A type of tigraph's own (not in Microsoft's CSDL). */
  readonly extension?: boolean;
}

export interface ComplexTypeDecl {
  readonly kind: 'ComplexType';
  readonly namespace: string;
  readonly name: string;
  readonly properties: readonly PropertyDecl[];
  /**
   * Navigation properties of the complex type (CSDL allows them; Graph declares whoisNameserver.host and
   * hostPortComponent.component). Stored inside the complex value as a reference to the target entity.
   */
  readonly navigationProperties?: readonly NavigationDecl[];
  readonly extension?: boolean;
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
  readonly extension?: boolean;
}

export type TypeDecl = EntityTypeDecl | ComplexTypeDecl | EnumTypeDecl;

/**
 * A bound action (OData 4.0 §12.1), e.g. `POST …/threatIntelligence/microsoft.graph.security.import`. Besides the
 * CSDL (binding parameter, return type), it declares what the HTTP layer needs to route it: how its request body
 * is read and which access it needs.
 */
export interface ActionDecl {
  readonly namespace: string;
  readonly name: string;
  /** Qualified type reference of the binding parameter, e.g. 'self.threatIntelligence'. */
  readonly bindingType: string;
  readonly returnType: string;
  /** 'bytes': the body is passed on unparsed with its media type; 'json': a JSON body. */
  readonly body: 'bytes' | 'json';
  readonly access: 'read' | 'write';
  /** Query parameters the action reads (tigraph passes action parameters in the query: the body is the payload). */
  readonly queryParameters: readonly string[];
  readonly extension?: boolean;
}

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
 * How tigraph serves one collection below the service root (a contained navigation property of the root
 * entity, `threatIntelligence`), beyond what the CSDL says.
 */
export interface EntitySetBehaviour {
  /** GET on the collection itself (hosts/{id} is served, the hosts list is not). Default true. */
  readonly listable?: boolean;
  /** POST/PATCH/DELETE. Default: the same as listable. */
  readonly writable?: boolean;
  /** Direction of the key when no $orderby is given (time-ordered keys listed newest first). Default 'asc'. */
  readonly keyOrder?: 'asc' | 'desc';
}

/** Where a new entity's id comes from when a write omits it: a slug of this property (profiles: their title). */
export interface IdRuleDecl {
  readonly type: string;
  readonly property: string;
}

/** How a property merges when an entity that already exists is written again in merge mode (imports). */
export interface MergeRuleDecl {
  readonly type: string;
  readonly property: string;
  readonly rule: 'min' | 'max';
}

/** How the members of a collection navigation are found (see security-ti/navigation-links.ts). */
export interface NavigationLinkDecl {
  /** Qualified name of the declaring type. */
  readonly type: string;
  readonly navigation: string;
  /** Single-valued navigations of the target type that point back at the parent (any of them). */
  readonly inverse?: readonly string[];
  /** An entity type linking parent and members: its `from` navigation is the parent, its `to` navigation a member. */
  readonly through?: { readonly type: string; readonly from: string; readonly to: string };
  /** A single-valued navigation of both parent and members: members have the parent's target. */
  readonly shared?: string;
}
