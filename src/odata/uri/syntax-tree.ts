/**
 * The untyped syntax trees of system query options: what the parsers produce and the binders consume.
 * Tokens carry the 0-based position (in the decoded option value) where they start, for error messages.
 * Nothing here knows the model; names are kept as written.
 */

/** A literal as written, with its value already decoded (no type yet: binding decides). */
export type LiteralValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  /** value: epoch milliseconds. */
  | { readonly type: 'dateTimeOffset'; readonly value: number }
  /** value: epoch milliseconds of midnight UTC. */
  | { readonly type: 'date'; readonly value: number }
  | { readonly type: 'guid'; readonly value: string }
  /** `Namespace.EnumType'member'` (member may be a name or a numeric value). */
  | { readonly type: 'enum'; readonly typeName: string; readonly member: string };

export interface LiteralToken {
  readonly kind: 'LiteralToken';
  readonly literal: LiteralValue;
  /** The literal exactly as written (for messages and S-expressions). */
  readonly text: string;
  readonly position: number;
}

export interface PathSegment {
  readonly name: string;
  readonly position: number;
}

/** `a`, `artifact/id`, `i/source`: identifiers separated by '/'. Whether the first names a lambda variable is decided in binding. */
export interface PathToken {
  readonly kind: 'PathToken';
  readonly segments: readonly PathSegment[];
  readonly position: number;
}

export type BinaryOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'and' | 'or' | 'has';

export interface BinaryToken {
  readonly kind: 'BinaryToken';
  readonly operator: BinaryOperator;
  readonly left: ExpressionToken;
  readonly right: ExpressionToken;
  /** Position of the operator. */
  readonly position: number;
}

export interface NotToken {
  readonly kind: 'NotToken';
  readonly operand: ExpressionToken;
  readonly position: number;
}

export interface InToken {
  readonly kind: 'InToken';
  readonly left: ExpressionToken;
  readonly list: readonly LiteralToken[];
  readonly position: number;
}

/** `isof(path, Namespace.Type)` keeps its type name as a string literal token (its second argument). */
export type FunctionName = 'startswith' | 'endswith' | 'contains' | 'tolower' | 'toupper' | 'trim' | 'length' | 'isof';

export interface FunctionCallToken {
  readonly kind: 'FunctionCallToken';
  readonly name: FunctionName;
  readonly args: readonly ExpressionToken[];
  readonly position: number;
}

/** `path/any(v: body)`, `path/any()`, `path/all(v: body)`. */
export interface LambdaToken {
  readonly kind: 'LambdaToken';
  readonly operator: 'any' | 'all';
  readonly collection: PathToken;
  readonly variable: PathSegment | undefined;
  readonly body: ExpressionToken | undefined;
  /** Position of `any`/`all`. */
  readonly position: number;
}

export type ExpressionToken = LiteralToken | PathToken | BinaryToken | NotToken | InToken | FunctionCallToken | LambdaToken;

/** $orderby item. */
export interface OrderByToken {
  readonly path: PathToken;
  readonly direction: 'asc' | 'desc';
}

/** $select item: a path, or `*`. */
export type SelectToken = { readonly kind: 'SelectPath'; readonly path: PathToken } | { readonly kind: 'SelectAll'; readonly position: number };

/** $expand item: `nav`, `nav(options)`, or `*`. Nested options are kept raw with their value's position. */
export interface ExpandToken {
  readonly path: PathToken | '*';
  readonly position: number;
  readonly options: readonly { readonly name: string; readonly value: string; readonly position: number; readonly valuePosition: number }[];
}

/** $search: terms and phrases with AND / OR / NOT (implicit AND between adjacent terms). */
export type SearchToken =
  | { readonly kind: 'SearchTermToken'; readonly term: string; readonly phrase: boolean; readonly position: number }
  | { readonly kind: 'SearchBinaryToken'; readonly operator: 'AND' | 'OR'; readonly left: SearchToken; readonly right: SearchToken }
  | { readonly kind: 'SearchNotToken'; readonly operand: SearchToken; readonly position: number };

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function pathText(p: PathToken): string {
  return p.segments.map((s) => s.name).join('/');
}

/** S-expression of an expression tree, e.g. `(and (eq source 'osint') (startswith title 'J'))`. */
export function expressionToString(t: ExpressionToken): string {
  switch (t.kind) {
    case 'LiteralToken':
      return t.literal.type === 'string' ? quote(t.literal.value) : t.text;
    case 'PathToken':
      return pathText(t);
    case 'BinaryToken':
      return `(${t.operator} ${expressionToString(t.left)} ${expressionToString(t.right)})`;
    case 'NotToken':
      return `(not ${expressionToString(t.operand)})`;
    case 'InToken':
      return `(in ${expressionToString(t.left)} (${t.list.map(expressionToString).join(' ')}))`;
    case 'FunctionCallToken':
      return `(${t.name} ${t.args.map(expressionToString).join(' ')})`;
    case 'LambdaToken':
      return t.body && t.variable
        ? `(${t.operator} ${pathText(t.collection)} ${t.variable.name} ${expressionToString(t.body)})`
        : `(${t.operator} ${pathText(t.collection)})`;
    default: {
      const never: never = t;
      throw new Error(`unreachable: ${(never as { kind: string }).kind}`);
    }
  }
}

export function searchToString(t: SearchToken): string {
  switch (t.kind) {
    case 'SearchTermToken':
      return t.phrase ? JSON.stringify(t.term) : t.term;
    case 'SearchBinaryToken':
      return `(${t.operator} ${searchToString(t.left)} ${searchToString(t.right)})`;
    case 'SearchNotToken':
      return `(NOT ${searchToString(t.operand)})`;
    default: {
      const never: never = t;
      throw new Error(`unreachable: ${(never as { kind: string }).kind}`);
    }
  }
}
