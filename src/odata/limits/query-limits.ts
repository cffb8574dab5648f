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

/** Counts the syntax nodes of a $filter tree without recursion. */
export function countExpressionNodes(root: ExpressionToken): number {
  let count = 0;
  const stack: ExpressionToken[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    count++;
    switch (t.kind) {
      case 'BinaryToken':
        stack.push(t.left, t.right);
        break;
      case 'NotToken':
        stack.push(t.operand);
        break;
      case 'InToken':
        stack.push(t.left);
        break;
      case 'FunctionCallToken':
        stack.push(...t.args);
        break;
      case 'LambdaToken':
        if (t.body) stack.push(t.body);
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
  return count;
}

export function enforceFilterLimits(root: ExpressionToken, limits: QueryLimits): void {
  enforceLimit('the number of nodes in $filter', limits.maxFilterNodes, countExpressionNodes(root));
}
