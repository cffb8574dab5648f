/**
 * Query limits: the caps every request's system query options are held to (on by default, as in
 * AspNetCoreOData's ODataValidationSettings). Exceeding one is a 400 from `errors.limitExceeded`.
 *
 * The parser enforces the nesting depth itself (it must, to stay stack-safe on hostile input); the checks
 * here run on whole option values and on the finished syntax tree.
 */
import { errors } from '../../errors/catalog.js';
import type { ExpressionToken } from '../uri/syntax-tree.js';

export interface QueryLimits {
  maxTop: number;
  maxSkip: number;
  /** Syntax nodes in one $filter (IN-list items are counted by maxInListItems instead). */
  maxFilterNodes: number;
  /** Syntactic nesting in $filter: parentheses, not, function arguments, lambdas. */
  maxFilterDepth: number;
  /**
   * any()/all() nested inside one another in $filter. Each level is a correlated subquery over a collection, so
   * the cost grows with the product of the collections' sizes: the default 2 (a lambda inside a lambda) keeps the
   * worst case bounded, like AspNetCoreOData's small default depths.
   */
  maxLambdaDepth?: number;
  maxExpandDepth: number;
  maxInListItems: number;
  /** Characters in one string (or other) literal. */
  maxLiteralLength: number;
  maxSearchTerms: number;
  maxOrderByItems: number;
  maxSelectItems: number;
  /** Characters in one decoded query option value; DEFAULT_LIMITS.maxOptionLength applies when unset. */
  maxOptionLength?: number;
}

export const DEFAULT_LIMITS: QueryLimits = Object.freeze({
  maxTop: 999,
  maxSkip: 100_000,
  maxFilterNodes: 200,
  maxFilterDepth: 32,
  maxLambdaDepth: 2,
  maxExpandDepth: 1,
  maxInListItems: 100,
  maxLiteralLength: 4096,
  maxSearchTerms: 32,
  maxOrderByItems: 8,
  maxSelectItems: 64,
  maxOptionLength: 16_384,
});

/** 400 when `actual` is above `limit`. */
export function enforceLimit(what: string, limit: number, actual: number): void {
  if (actual > limit) throw errors.limitExceeded(what, limit, actual);
}

/** The length of a decoded option value, checked before any parsing work. */
export function enforceOptionLength(option: string, value: string, limits: QueryLimits): void {
  enforceLimit(`the length of ${option}`, limits.maxOptionLength ?? DEFAULT_LIMITS.maxOptionLength!, value.length);
}

/** The syntax nodes of a $filter tree and its deepest nesting of lambdas, without recursion. */
export function measureExpression(root: ExpressionToken): { nodes: number; lambdaDepth: number } {
  let count = 0;
  let deepest = 0;
  const stack: { t: ExpressionToken; lambdas: number }[] = [{ t: root, lambdas: 0 }];
  while (stack.length > 0) {
    const { t, lambdas } = stack.pop()!;
    count++;
    const push = (...ts: ExpressionToken[]): void => {
      for (const c of ts) stack.push({ t: c, lambdas });
    };
    switch (t.kind) {
      case 'BinaryToken':
        push(t.left, t.right);
        break;
      case 'NotToken':
        push(t.operand);
        break;
      case 'InToken':
        push(t.left);
        break;
      case 'FunctionCallToken':
        push(...t.args);
        break;
      case 'LambdaToken':
        deepest = Math.max(deepest, lambdas + 1);
        if (t.body) stack.push({ t: t.body, lambdas: lambdas + 1 });
        break;
      case 'LiteralToken':
      case 'PathToken':
        break;
      default: {
        const never: never = t;
        throw new Error(`unreachable: ${(never as { kind: string }).kind}`);
      }
    }
  }
  return { nodes: count, lambdaDepth: deepest };
}

/** Counts the syntax nodes of a $filter tree without recursion. */
export const countExpressionNodes = (root: ExpressionToken): number => measureExpression(root).nodes;

export function enforceFilterLimits(root: ExpressionToken, limits: QueryLimits): void {
  const { nodes, lambdaDepth } = measureExpression(root);
  enforceLimit('the number of nodes in $filter', limits.maxFilterNodes, nodes);
  enforceLimit('the nesting depth of any()/all() in $filter', limits.maxLambdaDepth ?? DEFAULT_LIMITS.maxLambdaDepth!, lambdaDepth);
}
