/**
 * The bound (typed) query: the output of binding and the input of planning and SQL compilation.
 * Nodes are immutable data tagged by `kind`; behaviour lives in visitors with exhaustive switches.
 *
 * Values of literals are already in storage form: enum members as their numeric value, DateTimeOffset as
 * epoch milliseconds, Int32/Int64/Double as numbers, Boolean as boolean, String/Guid as string.
 */
import type { EntityType, EnumType, NavigationProperty, PrimitiveType, StructuralProperty, ComplexType } from '../../model/model.js';

/** The type of a value-producing node. `null` literal has type 'null' until compared. */
export type NodeType = PrimitiveType | EnumType | ComplexType | { readonly kind: 'null' };

/** What a property path starts from: the entity being queried ($it) or a lambda variable. */
export type RangeVariable =
  | { readonly kind: 'It'; readonly type: EntityType }
  /** A lambda variable ranging over the entities of a collection navigation (e.g. `i` in indicators/any(i: …)). */
  | { readonly kind: 'LambdaEntity'; readonly name: string; readonly type: EntityType; readonly depth: number }
  /** A lambda variable ranging over the items of a primitive/enum/complex collection (e.g. `a` in aliases/any(a: …)). */
  | { readonly kind: 'LambdaItem'; readonly name: string; readonly type: PrimitiveType | EnumType | ComplexType; readonly depth: number };

/**
 * A path from a range variable to a single value. `navigation` holds single-valued navigations walked first
 * (e.g. `artifact` in `artifact/id`), `property` the structural property reached, `complexPath` any further
 * steps into complex values (e.g. `content` in `summary/content`).
 */
export interface PropertyAccessNode {
  readonly kind: 'PropertyAccess';
  readonly source: RangeVariable;
  readonly navigation: readonly NavigationProperty[];
  /** Undefined when the path is the lambda item itself (`a` in aliases/any(a: a eq 'x')). */
  readonly property: StructuralProperty | undefined;
  readonly complexPath: readonly StructuralProperty[];
  readonly type: NodeType;
}

export interface ConstantNode {
  readonly kind: 'Constant';
  readonly value: string | number | boolean | null;
  readonly type: NodeType;
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export interface ComparisonNode {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: ValueNode;
  readonly right: ValueNode;
}

export interface LogicalNode {
  readonly kind: 'Logical';
  readonly operator: 'and' | 'or';
  readonly left: BoolNode;
  readonly right: BoolNode;
}

export interface NotNode {
  readonly kind: 'Not';
  readonly operand: BoolNode;
}

export interface InNode {
  readonly kind: 'In';
  readonly left: ValueNode;
  readonly list: readonly ConstantNode[];
}

/** String functions returning boolean. */
export interface StringPredicateNode {
  readonly kind: 'StringPredicate';
  readonly fn: 'startswith' | 'endswith' | 'contains';
  readonly subject: ValueNode;
  readonly argument: ValueNode;
}

/** String functions returning a string: tolower(x), toupper(x), trim(x). */
export interface StringFunctionNode {
  readonly kind: 'StringFunction';
  readonly fn: 'tolower' | 'toupper' | 'trim';
  readonly argument: ValueNode;
  readonly type: PrimitiveType;
}

/** length(x): Edm.Int32. */
export interface LengthNode {
  readonly kind: 'Length';
  readonly argument: ValueNode;
  readonly type: PrimitiveType;
}

/** A boolean property or literal used as a predicate (`x eq true` is a Comparison instead). */
export interface BoolValueNode {
  readonly kind: 'BoolValue';
  readonly value: ValueNode;
}

/**
 * `collection/any(v: predicate)` or `collection/all(...)` (all is rejected by binding, as on Graph), or
 * `collection/any()` (predicate undefined: collection not empty).
 */
export interface AnyNode {
  readonly kind: 'Any';
  /** The collection: a collection-valued structural property or a collection navigation, reached from `source`. */
  readonly source: RangeVariable;
  readonly collection:
    | { readonly kind: 'property'; readonly property: StructuralProperty }
    | { readonly kind: 'navigation'; readonly navigation: NavigationProperty };
  readonly variable: RangeVariable | undefined;
  readonly predicate: BoolNode | undefined;
}

export type ValueNode = PropertyAccessNode | ConstantNode | StringFunctionNode | LengthNode;
/**
 * `isof(nav, Namespace.Type)`: the entity a single-valued navigation reaches (from $it or a lambda variable) is of
 * `type` or a type derived from it (`isof(artifact, microsoft.graph.security.host)`: a hostname or an ipAddress).
 */
export interface IsOfNode {
  readonly kind: 'IsOf';
  readonly source: RangeVariable;
  readonly navigation: NavigationProperty;
  readonly type: EntityType;
}

export type BoolNode = ComparisonNode | LogicalNode | NotNode | InNode | StringPredicateNode | AnyNode | BoolValueNode | IsOfNode;

export interface OrderByItem {
  readonly expression: PropertyAccessNode;
  readonly direction: 'asc' | 'desc';
}

/** $search: free-text terms combined with AND/OR/NOT (implicit AND between adjacent terms). */
export type SearchNode =
  | { readonly kind: 'SearchTerm'; readonly term: string }
  | { readonly kind: 'SearchAnd' | 'SearchOr'; readonly left: SearchNode; readonly right: SearchNode }
  | { readonly kind: 'SearchNot'; readonly operand: SearchNode };

export interface SelectItem {
  readonly property: StructuralProperty | NavigationProperty;
}

export interface ExpandItem {
  readonly navigation: NavigationProperty;
  /** Nested $select inside $expand=nav($select=…), if any. */
  readonly select: readonly SelectItem[] | undefined;
}

/** All system query options of a request, bound against the addressed entity type. */
export interface BoundQueryOptions {
  /** undefined = no $select (all declared properties); `*` binds to undefined too. */
  readonly select: readonly SelectItem[] | undefined;
  readonly expand: readonly ExpandItem[];
  readonly filter: BoolNode | undefined;
  readonly orderBy: readonly OrderByItem[];
  readonly top: number | undefined;
  readonly skip: number | undefined;
  readonly count: boolean;
  readonly search: SearchNode | undefined;
  /** Raw, still opaque; decoded by the planner against the query shape. */
  readonly skipToken: string | undefined;
}
