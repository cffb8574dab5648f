/**
 * Primitive type values used by bound nodes that do not come from a model property (literals, function
 * results), and small type predicates shared by the binders. Compare primitive types by `qualifiedName`.
 */
import type { PrimitiveName } from '../../model/edm.js';
import type { PrimitiveType } from '../../model/model.js';
import type { NodeType } from './semantic-tree.js';

const primitive = (qualifiedName: PrimitiveName): PrimitiveType => Object.freeze({ kind: 'primitive', qualifiedName });

export const EDM = Object.freeze({
  String: primitive('Edm.String'),
  Int32: primitive('Edm.Int32'),
  Int64: primitive('Edm.Int64'),
  Boolean: primitive('Edm.Boolean'),
  Double: primitive('Edm.Double'),
  DateTimeOffset: primitive('Edm.DateTimeOffset'),
  Guid: primitive('Edm.Guid'),
});

export const NULL_TYPE: NodeType = Object.freeze({ kind: 'null' });

const NUMERIC: ReadonlySet<string> = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Double']);

export function typeName(t: NodeType): string {
  return t.kind === 'null' ? 'null' : t.qualifiedName;
}

export const isPrimitive = (t: NodeType, name: PrimitiveName): boolean => t.kind === 'primitive' && t.qualifiedName === name;
export const isNumeric = (t: NodeType): boolean => t.kind === 'primitive' && NUMERIC.has(t.qualifiedName);

/** Whether values of the two types can be compared (eq/ne/gt/…, in). */
export function areComparable(a: NodeType, b: NodeType): boolean {
  if (a.kind === 'null' || b.kind === 'null') return true;
  if (a.kind === 'complex' || b.kind === 'complex') return false;
  if (isNumeric(a) && isNumeric(b)) return true;
  return a.kind === b.kind && a.qualifiedName === b.qualifiedName;
}
