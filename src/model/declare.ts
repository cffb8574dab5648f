/**
 * Declaration helpers for the model files: they build CSDL-shaped declarations while keeping every name's literal
 * type, so that `names.ts` can offer typed accessors (`PROFILE.p.title` has the type 'title').
 */
import type { ComplexTypeDecl, EntityTypeDecl, EnumTypeDecl, NavigationDecl, PropertyDecl } from './edm.js';

export const GRAPH_NAMESPACE = 'microsoft.graph';
export const SECURITY_NAMESPACE = 'microsoft.graph.security';

/** An enum declaration whose member names keep their literal types (for `names.ts`). */
export function enumType<const N extends string, const M extends readonly string[]>(name: N, members: M, extension = false) {
  return {
    kind: 'EnumType',
    namespace: SECURITY_NAMESPACE,
    name,
    members: members.map((m, value) => ({ name: m, value })) as readonly { readonly name: M[number]; readonly value: number }[],
    ...(extension ? { extension: true } : {}),
  } as const satisfies EnumTypeDecl;
}

/** A complex type declaration; `navigationProperties` for the CSDL's navigations inside complex types (whoisNameserver.host). */
export function complexType<const N extends string, const P extends readonly PropertyDecl[], const V extends readonly NavigationDecl[] = readonly []>(
  name: N,
  properties: P,
  namespace = SECURITY_NAMESPACE,
  extension = false,
  navigationProperties: V = [] as unknown as V,
) {
  return { kind: 'ComplexType', namespace, name, properties, navigationProperties, ...(extension ? { extension: true } : {}) } as const satisfies ComplexTypeDecl;
}

export function entityType<const N extends string, const P extends readonly PropertyDecl[], const V extends readonly NavigationDecl[] = readonly []>(
  name: N,
  baseType: string,
  properties: P,
  navigationProperties: V = [] as unknown as V,
  options: { abstract?: boolean; extension?: boolean } = {},
) {
  return {
    kind: 'EntityType',
    namespace: SECURITY_NAMESPACE,
    name,
    baseType,
    abstract: options.abstract ?? false,
    properties,
    navigationProperties,
    ...(options.extension ? { extension: true } : {}),
  } as const satisfies EntityTypeDecl;
}

