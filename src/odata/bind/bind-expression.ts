/**
 * Binds a $filter syntax tree to the model: resolves paths, types literals against what they are compared
 * with, checks operand types, and produces the BoolNode of semantic-tree.ts. Type errors name the
 * property, the literal and the position. `all`, `has` and functions on non-strings are rejected here.
 */
import { errors } from '../../errors/catalog.js';
import type { EntityType, EnumType } from '../../model/model.js';
import type { ExpressionToken, FunctionCallToken, LambdaToken, LiteralToken, PathSegment } from '../uri/syntax-tree.js';
import { bindBareMember, bindLiteral, naturalType, type LiteralContext } from './bind-literal.js';
import { bindPath, pathText, type ScopeVariable } from './bind-path.js';
import { EDM, areComparable, isPrimitive, typeName } from './primitive-types.js';
import type { AnyNode, BoolNode, ComparisonOperator, ConstantNode, RangeVariable, ValueNode } from './semantic-tree.js';

export interface FilterBindContext {
  /** The type of $it. */
  readonly type: EntityType;
  readonly includeUnknownEnumMembers: boolean;
  readonly enumType: (qualifiedName: string) => EnumType | undefined;
  /** Told about every property or navigation referenced directly from $it. */
  readonly onRootMember?: (name: string, position: number) => void;
}

const OPTION = 'filter';

/** An operand before it is typed: a bound value, a literal waiting for a type, or a bare identifier. */
type Operand =
  | { readonly kind: 'node'; readonly node: ValueNode; readonly describe: string; readonly position: number }
  | { readonly kind: 'literal'; readonly token: LiteralToken }
  | { readonly kind: 'bare'; readonly segment: PathSegment };

export function bindFilter(token: ExpressionToken, ctx: FilterBindContext): BoolNode {
  return new FilterBinder(ctx).bindBool(token, []);
}

class FilterBinder {
  private readonly literalCtx: LiteralContext;

  constructor(private readonly ctx: FilterBindContext) {
    this.literalCtx = { option: OPTION, includeUnknownEnumMembers: ctx.includeUnknownEnumMembers, enumType: ctx.enumType };
  }

  bindBool(token: ExpressionToken, scope: readonly ScopeVariable[]): BoolNode {
    switch (token.kind) {
      case 'BinaryToken':
        switch (token.operator) {
          case 'and':
          case 'or':
            return this.bindLogical(token, scope);
          case 'has':
            throw errors.invalidFilter("the 'has' operator is not supported", token.position);
          default:
            return this.bindComparison(token.operator, token.left, token.right, scope);
        }
      case 'NotToken':
        return { kind: 'Not', operand: this.bindBool(token.operand, scope) };
      case 'InToken':
        return this.bindIn(token.left, token.list, scope);
      case 'FunctionCallToken':
        return this.bindPredicateCall(token, scope);
      case 'LambdaToken':
        return this.bindLambda(token, scope);
      case 'LiteralToken':
        if (token.literal.type === 'boolean') return { kind: 'BoolValue', value: { kind: 'Constant', value: token.literal.value, type: EDM.Boolean } };
        throw errors.typeMismatch(OPTION, `expected a boolean expression but found the literal ${token.text}`, token.position);
      case 'PathToken': {
        const operand = this.bindOperand(token, scope);
        if (operand.kind === 'node' && isPrimitive(operand.node.type, 'Edm.Boolean')) return { kind: 'BoolValue', value: operand.node };
        if (operand.kind === 'bare') throw this.unknown(operand.segment);
        const t = operand.kind === 'node' ? typeName(operand.node.type) : '';
        throw errors.typeMismatch(OPTION, `expected a boolean expression but found ${pathText(token)} of type '${t}'`, token.position);
      }
      default: {
        const never: never = token;
        throw new Error(`unreachable: ${(never as { kind: string }).kind}`);
      }
    }
  }

  /** and/or chains are left-deep; walk the left spine with a loop so long chains do not recurse. */
  private bindLogical(token: ExpressionToken & { kind: 'BinaryToken' }, scope: readonly ScopeVariable[]): BoolNode {
    const spine: (ExpressionToken & { kind: 'BinaryToken' })[] = [];
    let t: ExpressionToken = token;
    while (t.kind === 'BinaryToken' && (t.operator === 'and' || t.operator === 'or')) {
      spine.push(t);
      t = t.left;
    }
    let node = this.bindBool(t, scope);
    for (let i = spine.length - 1; i >= 0; i--) {
      const s = spine[i]!;
      node = { kind: 'Logical', operator: s.operator as 'and' | 'or', left: node, right: this.bindBool(s.right, scope) };
    }
    return node;
  }

  private bindOperand(token: ExpressionToken, scope: readonly ScopeVariable[]): Operand {
    switch (token.kind) {
      case 'LiteralToken':
        return { kind: 'literal', token };
      case 'PathToken': {
        const bound = bindPath(token, { type: this.ctx.type, option: OPTION, scope, onRootMember: this.ctx.onRootMember });
        if (bound.kind === 'unresolved') return { kind: 'bare', segment: bound.segment };
        if (bound.kind === 'collection') {
          throw errors.invalidQuery(OPTION, `'${pathText(token)}' is a collection; use ${pathText(token)}/any(…)`, token.position);
        }
        return { kind: 'node', node: bound.node, describe: `the property '${pathText(token)}'`, position: token.position };
      }
      case 'FunctionCallToken': {
        if (token.name === 'startswith' || token.name === 'endswith' || token.name === 'contains' || token.name === 'isof') break;
        const arg = this.bindStringArgument(token, 0, scope);
        const node: ValueNode =
          token.name === 'length'
            ? { kind: 'Length', argument: arg, type: EDM.Int32 }
            : { kind: 'StringFunction', fn: token.name, argument: arg, type: EDM.String };
        return { kind: 'node', node, describe: `${token.name}(…)`, position: token.position };
      }
      case 'NotToken':
        throw errors.typeMismatch(OPTION, "expected a value but found 'not …' ('not' applies to the operand right after it; to negate a comparison write not (a eq b))", token.position);
      default:
        break;
    }
    throw errors.typeMismatch(OPTION, 'expected a value but found a boolean expression', startOf(token));
  }

  /** Types both operands against each other. */
  private resolvePair(left: Operand, right: Operand): [ValueNode, ValueNode] {
    if (left.kind === 'node' && right.kind === 'node') {
      if (!areComparable(left.node.type, right.node.type)) {
        throw errors.typeMismatch(
          OPTION,
          `cannot compare ${left.describe} of type '${typeName(left.node.type)}' with ${right.describe} of type '${typeName(right.node.type)}'`,
          right.position,
        );
      }
      this.checkNotComplex(left);
      return [left.node, right.node];
    }
    if (left.kind === 'node') return [this.checkNotComplex(left), this.typeAgainst(right, left)];
    if (right.kind === 'node') return [this.typeAgainst(left, right), this.checkNotComplex(right)];
    if (left.kind === 'bare') throw this.unknown(left.segment);
    if (right.kind === 'bare') throw this.unknown(right.segment);
    const lt = naturalType(left.token, this.literalCtx);
    const l = bindLiteral(left.token, lt, `the literal ${left.token.text}`, this.literalCtx);
    return [l, bindLiteral(right.token, lt, `the literal ${left.token.text}`, this.literalCtx)];
  }

  private checkNotComplex(o: Operand & { kind: 'node' }): ValueNode {
    if (o.node.type.kind === 'complex') {
      throw errors.typeMismatch(OPTION, `${o.describe} is of complex type '${o.node.type.qualifiedName}' and cannot be compared; compare one of its properties`, o.position);
    }
    return o.node;
  }

  private typeAgainst(operand: Operand, other: Operand & { kind: 'node' }): ConstantNode {
    if (operand.kind === 'literal') return bindLiteral(operand.token, other.node.type, other.describe, this.literalCtx);
    if (operand.kind === 'bare') {
      const member = bindBareMember(operand.segment.name, operand.segment.position, other.node.type, this.literalCtx);
      if (member) return member;
      throw this.unknown(operand.segment);
    }
    throw new Error('unreachable: typeAgainst on a node');
  }

  private unknown(segment: PathSegment) {
    return errors.unknownProperty(OPTION, segment.name, this.ctx.type.qualifiedName, segment.position);
  }

  private bindComparison(operator: ComparisonOperator, l: ExpressionToken, r: ExpressionToken, scope: readonly ScopeVariable[]): BoolNode {
    const [left, right] = this.resolvePair(this.bindOperand(l, scope), this.bindOperand(r, scope));
    return { kind: 'Comparison', operator, left, right };
  }

  private bindIn(leftToken: ExpressionToken, list: readonly LiteralToken[], scope: readonly ScopeVariable[]): BoolNode {
    const operand = this.bindOperand(leftToken, scope);
    if (operand.kind === 'bare') throw this.unknown(operand.segment);
    if (operand.kind === 'literal') {
      const type = naturalType(operand.token, this.literalCtx);
      const left = bindLiteral(operand.token, type, `the literal ${operand.token.text}`, this.literalCtx);
      return { kind: 'In', left, list: list.map((item) => bindLiteral(item, type, `the literal ${operand.token.text}`, this.literalCtx)) };
    }
    const left = this.checkNotComplex(operand);
    return { kind: 'In', left, list: list.map((item) => bindLiteral(item, left.type, operand.describe, this.literalCtx)) };
  }

  private bindStringArgument(call: FunctionCallToken, index: number, scope: readonly ScopeVariable[]): ValueNode {
    const token = call.args[index]!;
    const operand = this.bindOperand(token, scope);
    const subject = `the argument ${index + 1} of ${call.name}`;
    if (operand.kind === 'bare') throw this.unknown(operand.segment);
    if (operand.kind === 'literal') {
      if (operand.token.literal.type !== 'string') {
        throw errors.typeMismatch(OPTION, `${subject} must be a string but the literal ${operand.token.text} is of type '${typeName(naturalType(operand.token, this.literalCtx))}'`, operand.token.position);
      }
      return bindLiteral(operand.token, EDM.String, subject, this.literalCtx);
    }
    if (!isPrimitive(operand.node.type, 'Edm.String')) {
      throw errors.typeMismatch(OPTION, `${subject} must be a string but ${operand.describe} is of type '${typeName(operand.node.type)}'`, operand.position);
    }
    return operand.node;
  }

  private bindPredicateCall(call: FunctionCallToken, scope: readonly ScopeVariable[]): BoolNode {
    if (call.name === 'isof') return this.bindIsOf(call, scope);
    if (call.name !== 'startswith' && call.name !== 'endswith' && call.name !== 'contains') {
      throw errors.typeMismatch(OPTION, `expected a boolean expression but ${call.name}(…) returns '${call.name === 'length' ? 'Edm.Int32' : 'Edm.String'}'`, call.position);
    }
    return { kind: 'StringPredicate', fn: call.name, subject: this.bindStringArgument(call, 0, scope), argument: this.bindStringArgument(call, 1, scope) };
  }

  /** isof(nav, Namespace.Type) over one single-valued navigation of $it or of a lambda variable. */
  private bindIsOf(call: FunctionCallToken, scope: readonly ScopeVariable[]): BoolNode {
    const [path, typeToken] = call.args as [ExpressionToken, LiteralToken];
    const needs = "isof() is supported as isof(navigation, Namespace.Type) on a single-valued navigation such as 'artifact'";
    if (path.kind !== 'PathToken') throw errors.invalidFilter(needs, startOf(path));
    const segs = path.segments;
    const variable = segs.length === 2 ? scope.find((v) => v.name === segs[0]!.name)?.variable : undefined;
    if (segs.length > 2 || (segs.length === 2 && !variable)) throw errors.invalidFilter(needs, path.position);
    if (variable?.kind === 'LambdaItem') throw errors.invalidFilter(needs, path.position);
    const source: RangeVariable = variable ?? { kind: 'It', type: this.ctx.type };
    const seg = segs[segs.length - 1]!;
    const navigation = source.type.navigation(seg.name);
    if (!navigation || navigation.collection) throw errors.invalidFilter(needs, seg.position);
    if (!variable) this.ctx.onRootMember?.(navigation.name, seg.position);
    const wanted = (typeToken.literal as { value: string }).value;
    const type = typesFrom(navigation.target).find((t) => t.qualifiedName === wanted);
    if (!type) {
      throw errors.invalidFilter(`'${wanted}' is not '${navigation.target.qualifiedName}' or a type derived from it`, typeToken.position);
    }
    return { kind: 'IsOf', source, navigation, type };
  }

  private bindLambda(token: LambdaToken, scope: readonly ScopeVariable[]): AnyNode {
    if (token.operator === 'all') {
      throw errors.invalidFilter("the lambda operator 'all' is not supported (Microsoft Graph does not support it); use not(…/any(v: not …))", token.position);
    }
    const bound = bindPath(token.collection, { type: this.ctx.type, option: OPTION, scope, onRootMember: this.ctx.onRootMember });
    if (bound.kind !== 'collection') {
      throw errors.invalidQuery(OPTION, `any() needs a collection but '${pathText(token.collection)}' is not one`, token.collection.position);
    }
    if (bound.navigation.length > 0 || bound.complexPath.length > 0) {
      throw errors.invalidQuery(OPTION, `any() is only supported on a collection reached directly from the entity or a lambda variable ('${pathText(token.collection)}')`, token.collection.position);
    }
    if (!token.variable || !token.body) return { kind: 'Any', source: bound.source, collection: bound.collection, variable: undefined, predicate: undefined };
    const name = token.variable.name;
    if (scope.some((v) => v.name === name)) {
      throw errors.invalidQuery(OPTION, `the lambda variable '${name}' is already defined by an enclosing any()`, token.variable.position);
    }
    const depth = scope.length + 1;
    const variable: RangeVariable =
      bound.collection.kind === 'navigation'
        ? { kind: 'LambdaEntity', name, type: bound.collection.navigation.target, depth }
        : { kind: 'LambdaItem', name, type: bound.collection.property.type, depth };
    const predicate = this.bindBool(token.body, [...scope, { name, variable }]);
    return { kind: 'Any', source: bound.source, collection: bound.collection, variable, predicate };
  }
}

/** `type` and every type derived from it. */
function typesFrom(type: EntityType): EntityType[] {
  return [type, ...type.derivedTypes.flatMap(typesFrom)];
}

/** Where an expression starts in the text (binary tokens record their operator's position). */
function startOf(token: ExpressionToken): number {
  let t = token;
  while (t.kind === 'BinaryToken' || t.kind === 'InToken') t = t.left;
  return t.kind === 'LambdaToken' ? t.collection.position : t.position;
}
