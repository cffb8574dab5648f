/**
 * `$metadata` as CSDL XML (OData 4.0), derived from the resolved model.
 *
 * Layout (one document, two schemas, like the relevant parts of Graph's own $metadata):
 * - `microsoft.graph` (Alias "graph"): the types the model declares there (entity, physicalAddress, security)
 *   and the model's EntityContainer with its singletons;
 * - `microsoft.graph.security` (Alias "self"): enum, complex and entity types, then the capability
 *   `Annotations` (Org.OData.Capabilities.V1) with fully qualified targets, as Graph writes them.
 *
 * Within a schema, elements are grouped EnumType, ComplexType, EntityType (the order of the official CSDL) and
 * sorted case-insensitively by name; properties keep their declaration order. Type references are written as
 * declared (`declaredType`: `self.`/`graph.` aliases, exactly as the official CSDL spells them); base types are
 * written with the alias of their namespace. Like Graph's, the document has no edmx:Reference to the standard
 * vocabularies and no NavigationPropertyBinding (every binding in Graph's container targets a collection
 * tigraph does not serve).
 *
 * The output is a pure function of (model, options); the HTTP layer caches it per (version, spelling).
 */
import type { CapabilityDecl } from '../model/edm.js';
import type { ComplexType, EntityType, EnumType, Model, NavigationProperty, StructuralProperty } from '../model/model.js';
import type { Action } from '../model/model.js';
import { GRAPH_NAMESPACE, SECURITY_NAMESPACE } from '../model/declare.js';
import { XmlWriter } from './xml.js';

export interface CsdlOptions {
  /**
   * 'csdl': enum members as the official CSDL names them. 'documented': members listed in
   * DOCUMENTED_ENUM_SPELLINGS get their documented long names (same values).
   */
  readonly enumSpelling: 'csdl' | 'documented';
  /**
   * Whether tigraph's own additions (types, navigations and actions declared with `extension`, such as
   * importJob and the import action) are written. Default true: $metadata describes what is served. The
   * comparison with Microsoft's CSDL writes without them.
   */
  readonly includeExtensions?: boolean;
}

export const EDMX_NS = 'http://docs.oasis-open.org/odata/ns/edmx';
export const EDM_NS = 'http://docs.oasis-open.org/odata/ns/edm';
const CAPABILITIES_V1 = 'Org.OData.Capabilities.V1';

/** Schema namespaces in document order, with the aliases the official CSDL uses. */
export const SCHEMAS: readonly { readonly namespace: string; readonly alias: string }[] = [
  { namespace: GRAPH_NAMESPACE, alias: 'graph' },
  { namespace: SECURITY_NAMESPACE, alias: 'self' },
];

type SchemaType = EnumType | ComplexType | EntityType;

const KIND_ORDER: Readonly<Record<SchemaType['kind'], number>> = { enum: 0, complex: 1, entity: 2 };

const byName = (a: { name: string }, b: { name: string }): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

/** 'graph.entity' for microsoft.graph.entity, 'self.indicator' for microsoft.graph.security.indicator. */
function aliased(type: SchemaType): string {
  const schema = SCHEMAS.find((s) => s.namespace === type.namespace);
  return schema ? `${schema.alias}.${type.name}` : type.qualifiedName;
}

const nullableAttr = (nullable: boolean): string | undefined => (nullable ? undefined : 'false');

function writeEnum(w: XmlWriter, t: EnumType, options: CsdlOptions): void {
  const spelling = options.enumSpelling === 'documented' ? t.documentedNames : undefined;
  w.open('EnumType', [['Name', t.name]]);
  for (const m of t.members) w.empty('Member', [['Name', spelling?.[m.name] ?? m.name], ['Value', String(m.value)]]);
  w.close('EnumType');
}

function writeProperty(w: XmlWriter, p: StructuralProperty): void {
  w.empty('Property', [['Name', p.name], ['Type', p.declaredType], ['Nullable', nullableAttr(p.nullable)]]);
}

function writeNavigation(w: XmlWriter, n: NavigationProperty): void {
  w.empty('NavigationProperty', [
    ['Name', n.name],
    ['Type', n.declaredType],
    ['Nullable', nullableAttr(n.nullable)],
    ['ContainsTarget', n.containsTarget ? 'true' : undefined],
  ]);
}

function writeComplex(w: XmlWriter, t: ComplexType): void {
  if (t.properties.length === 0 && t.navigationProperties.length === 0) return void w.empty('ComplexType', [['Name', t.name]]);
  w.open('ComplexType', [['Name', t.name]]);
  for (const p of t.properties) writeProperty(w, p);
  for (const n of t.navigationProperties) w.empty('NavigationProperty', [['Name', n.name], ['Type', n.declaredType], ['Nullable', nullableAttr(n.nullable)]]);
  w.close('ComplexType');
}

function writeEntity(w: XmlWriter, t: EntityType, withExtensions: boolean): void {
  const attributes: [string, string | undefined][] = [
    ['Name', t.name],
    ['BaseType', t.baseType ? aliased(t.baseType) : undefined],
    ['Abstract', t.abstract ? 'true' : undefined],
  ];
  const isRoot = !t.baseType;
  if (!isRoot && t.ownProperties.length === 0 && !t.ownNavigationProperties.some((n) => withExtensions || !n.extension)) return void w.empty('EntityType', attributes);
  w.open('EntityType', attributes);
  if (isRoot) {
    w.open('Key');
    w.empty('PropertyRef', [['Name', t.key.name]]);
    w.close('Key');
  }
  for (const p of t.ownProperties) writeProperty(w, p);
  for (const n of t.ownNavigationProperties) if (withExtensions || !n.extension) writeNavigation(w, n);
  w.close('EntityType');
}

function writeAction(w: XmlWriter, a: Action): void {
  w.open('Action', [['Name', a.name], ['IsBound', 'true']]);
  w.empty('Parameter', [['Name', 'bindingParameter'], ['Type', a.declaredBindingType]]);
  w.empty('ReturnType', [['Type', a.declaredReturnType]]);
  w.close('Action');
}

const boolAttr = (b: boolean): string => (b ? 'true' : 'false');

function writeRecordAnnotation(w: XmlWriter, term: string, values: readonly (readonly [string, boolean | readonly string[]])[]): void {
  w.open('Annotation', [['Term', `${CAPABILITIES_V1}.${term}`]]);
  w.open('Record');
  for (const [property, value] of values) {
    if (typeof value === 'boolean') {
      w.empty('PropertyValue', [['Property', property], ['Bool', boolAttr(value)]]);
      continue;
    }
    w.open('PropertyValue', [['Property', property]]);
    w.open('Collection');
    for (const path of value) w.text('PropertyPath', path);
    w.close('Collection');
    w.close('PropertyValue');
  }
  w.close('Record');
  w.close('Annotation');
}

/** The capability annotations of one target, in the term and record order of the official CSDL. */
function writeCapabilities(w: XmlWriter, c: CapabilityDecl): void {
  w.open('Annotations', [['Target', c.target]]);
  if (c.countable !== undefined) writeRecordAnnotation(w, 'CountRestrictions', [['Countable', c.countable]]);
  if (c.expandable !== undefined) writeRecordAnnotation(w, 'ExpandRestrictions', [['Expandable', c.expandable]]);
  if (c.filterable !== undefined || c.nonFilterableProperties) {
    const values: [string, boolean | readonly string[]][] = [];
    if (c.filterable !== undefined) values.push(['Filterable', c.filterable]);
    if (c.nonFilterableProperties) values.push(['NonFilterableProperties', c.nonFilterableProperties]);
    writeRecordAnnotation(w, 'FilterRestrictions', values);
  }
  if (c.searchable !== undefined) writeRecordAnnotation(w, 'SearchRestrictions', [['Searchable', c.searchable]]);
  if (c.selectSupported !== undefined) writeRecordAnnotation(w, 'SelectSupport', [['Supported', c.selectSupported]]);
  if (c.skipSupported !== undefined) w.empty('Annotation', [['Term', `${CAPABILITIES_V1}.SkipSupported`], ['Bool', boolAttr(c.skipSupported)]]);
  if (c.sortable !== undefined || c.nonSortableProperties) {
    // Graph writes NonSortableProperties before Sortable (unlike the filter record).
    const values: [string, boolean | readonly string[]][] = [];
    if (c.nonSortableProperties) values.push(['NonSortableProperties', c.nonSortableProperties]);
    if (c.sortable !== undefined) values.push(['Sortable', c.sortable]);
    writeRecordAnnotation(w, 'SortRestrictions', values);
  }
  if (c.topSupported !== undefined) w.empty('Annotation', [['Term', `${CAPABILITIES_V1}.TopSupported`], ['Bool', boolAttr(c.topSupported)]]);
  w.close('Annotations');
}

/** Capability declarations whose target is the type itself (not inherited from a base type), by target. */
function capabilityAnnotations(model: Model): CapabilityDecl[] {
  return model.types
    .filter((t): t is EntityType => t.kind === 'entity')
    .map((t) => model.capabilitiesOf(t))
    .filter((c, i, all) => model.type(c.target) !== undefined && Object.keys(c).length > 1 && all.findIndex((x) => x.target === c.target) === i)
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

export function writeCsdlXml(model: Model, options: CsdlOptions): string {
  const withExtensions = options.includeExtensions ?? true;
  for (const t of model.types) {
    if (!SCHEMAS.some((s) => s.namespace === t.namespace)) throw new Error(`csdl: type ${t.qualifiedName} is in no written schema`);
  }
  const w = new XmlWriter();
  w.raw('<?xml version="1.0" encoding="utf-8"?>');
  w.open('edmx:Edmx', [['Version', '4.0'], ['xmlns:edmx', EDMX_NS]]);
  w.open('edmx:DataServices');
  for (const schema of SCHEMAS) {
    w.open('Schema', [['Namespace', schema.namespace], ['Alias', schema.alias], ['xmlns', EDM_NS]]);
    const types = model.types
      .filter((t) => t.namespace === schema.namespace && (withExtensions || !t.extension))
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || byName(a, b));
    for (const t of types) {
      if (t.kind === 'enum') writeEnum(w, t, options);
      else if (t.kind === 'complex') writeComplex(w, t);
      else writeEntity(w, t, withExtensions);
    }
    for (const a of model.actions) if (a.namespace === schema.namespace && (withExtensions || !a.extension)) writeAction(w, a);
    if (schema.namespace === GRAPH_NAMESPACE) {
      w.open('EntityContainer', [['Name', model.container.name]]);
      for (const s of model.container.singletons) w.empty('Singleton', [['Name', s.name], ['Type', s.type.qualifiedName]]);
      w.close('EntityContainer');
    }
    if (schema.namespace === SECURITY_NAMESPACE) for (const c of capabilityAnnotations(model)) writeCapabilities(w, c);
    w.close('Schema');
  }
  w.close('edmx:DataServices');
  w.close('edmx:Edmx');
  return w.toString();
}
