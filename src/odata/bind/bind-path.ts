/**
 * Resolves a syntactic path (`title`, `artifact/id`, `summary/content`, `i/source`, `a`) against the model,
 * starting from $it or a lambda variable in scope. Single-valued navigations are walked first, then one
 * structural property, then steps into complex values. Names are matched as the model does (exact, then a
 * unique case-insensitive match).
 */
import { errors } from '../../errors/catalog.js';
import type { ComplexType, EntityType, NavigationProperty, StructuralProperty } from '../../model/model.js';
import type { PathSegment, PathToken } from '../uri/syntax-tree.js';
import type { PropertyAccessNode, RangeVariable } from './semantic-tree.js';

export interface ScopeVariable {
  readonly name: string;
  readonly variable: RangeVariable;
}

export interface PathContext {
  /** The type of $it. */
  readonly type: EntityType;
  /** Option name for messages ('filter', '$orderby'). */
  readonly option: string;
  /** Lambda variables in scope, innermost last. */
  readonly scope: readonly ScopeVariable[];
  /** Told about every property or navigation reached directly from $it (strict-mode capability checks). */
  readonly onRootMember?: (name: string, position: number) => void;
}

export type CollectionTarget =
  | { readonly kind: 'property'; readonly property: StructuralProperty }
  | { readonly kind: 'navigation'; readonly navigation: NavigationProperty };

export type BoundPath =
  | { readonly kind: 'value'; readonly node: PropertyAccessNode }
  | { readonly kind: 'collection'; readonly source: RangeVariable; readonly collection: CollectionTarget; readonly navigation: readonly NavigationProperty[]; readonly complexPath: readonly StructuralProperty[] }
  /** A single identifier that names nothing in scope (maybe a bare enum member; the caller decides). */
  | { readonly kind: 'unresolved'; readonly segment: PathSegment };

export const pathText = (path: PathToken): string => path.segments.map((s) => s.name).join('/');

export function bindPath(path: PathToken, ctx: PathContext): BoundPath {
  const segs = path.segments;
  const first = segs[0]!;
  const variable = findVariable(ctx.scope, first.name);
  const source: RangeVariable = variable ?? { kind: 'It', type: ctx.type };
  const invalid = (detail: string, position: number) => errors.invalidQuery(ctx.option, detail, position);

  let entity: EntityType | undefined = source.kind === 'LambdaItem' ? undefined : source.type;
  let complex: ComplexType | undefined = source.kind === 'LambdaItem' && source.type.kind === 'complex' ? source.type : undefined;
  const navigation: NavigationProperty[] = [];
  let property: StructuralProperty | undefined;
  const complexPath: StructuralProperty[] = [];
  const start = variable ? 1 : 0;

  if (source.kind === 'LambdaItem' && segs.length === 1) {
    return { kind: 'value', node: { kind: 'PropertyAccess', source, navigation, property: undefined, complexPath, type: source.type } };
  }
  if (source.kind === 'LambdaEntity' && segs.length === 1) {
    throw invalid(`the lambda variable '${first.name}' is an entity; compare one of its properties, e.g. ${first.name}/id`, first.position);
  }
  if (source.kind === 'LambdaItem' && !complex) {
    throw invalid(`'${first.name}' is a value of type '${source.type.qualifiedName}' and has no property '${segs[1]!.name}'`, segs[1]!.position);
  }

  for (let i = start; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const atRoot = source.kind === 'It' && navigation.length === 0 && property === undefined;
    if (entity && property === undefined) {
      const p = entity.property(seg.name);
      const n = p ? undefined : entity.navigation(seg.name);
      if (!p && !n) {
        if (segs.length === 1) return { kind: 'unresolved', segment: seg };
        throw errors.unknownProperty(ctx.option, seg.name, entity.qualifiedName, seg.position);
      }
      if (atRoot) ctx.onRootMember?.((p ?? n)!.name, seg.position);
      if (n) {
        if (n.collection) {
          if (last) return { kind: 'collection', source, collection: { kind: 'navigation', navigation: n }, navigation, complexPath };
          throw invalid(`'${n.name}' is a collection-valued navigation property; use ${n.name}/any(…)`, seg.position);
        }
        navigation.push(n);
        entity = n.target;
        continue;
      }
      property = p!;
    } else if (complex) {
      const p = complex.property(seg.name);
      if (!p) throw errors.unknownProperty(ctx.option, seg.name, complex.qualifiedName, seg.position);
      if (property === undefined) property = p;
      else complexPath.push(p);
    } else {
      const prev = segs[i - 1]!;
      const prevType = (complexPath.at(-1) ?? property)!.type.qualifiedName;
      throw invalid(`'${prev.name}' is of type '${prevType}' and has no property '${seg.name}'`, seg.position);
    }
    const reached = complexPath.at(-1) ?? property!;
    if (reached.collection) {
      if (last) return { kind: 'collection', source, collection: { kind: 'property', property: reached }, navigation, complexPath };
      throw invalid(`'${reached.name}' is a collection; use ${reached.name}/any(…)`, seg.position);
    }
    complex = reached.type.kind === 'complex' ? reached.type : undefined;
    entity = undefined;
  }

  if (property === undefined) {
    const nav = navigation.at(-1)!;
    throw invalid(`'${nav.name}' is a navigation property, not a value; use a property of it, e.g. ${nav.name}/id`, segs.at(-1)!.position);
  }
  const reached = complexPath.at(-1) ?? property;
  return { kind: 'value', node: { kind: 'PropertyAccess', source, navigation, property, complexPath, type: reached.type } };
}

function findVariable(scope: readonly ScopeVariable[], name: string): RangeVariable | undefined {
  for (let i = scope.length - 1; i >= 0; i--) if (scope[i]!.name === name) return scope[i]!.variable;
  return undefined;
}
