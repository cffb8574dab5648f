/**
 * $filter parser: a hand-written precedence ladder over the lexer's tokens (graph-protocol §3.4):
 *   ( ) > not > in/has > gt ge lt le > eq ne > and > or
 * written as parseOr → parseAnd → parseEquality → parseRelational → parseUnary → parseInHas → parsePrimary.
 * Binary chains are loops; only parentheses, `not`, function arguments and lambdas recurse, and each of those
 * passes `enter()`, which stops at `maxDepth` with a 400, so hostile nesting can never overflow the stack.
 */
import { errors } from '../../errors/catalog.js';
import { describeToken, tokenize, type LexToken } from './lexer.js';
import { syntaxErrorFor, type SyntaxErrorFactory } from './syntax-error.js';
import type {
  BinaryOperator,
  ExpressionToken,
  FunctionName,
  LambdaToken,
  LiteralToken,
  PathSegment,
  PathToken,
} from './syntax-tree.js';

export interface ExpressionParseOptions {
  /** Option name for messages: '$filter' (default). */
  readonly option?: string;
  readonly maxDepth: number;
  readonly maxLiteralLength: number;
  readonly maxInListItems: number;
}

const FUNCTION_ARITY: Readonly<Record<FunctionName, number>> = {
  startswith: 2,
  endswith: 2,
  contains: 2,
  tolower: 1,
  toupper: 1,
  trim: 1,
  length: 1,
  isof: 2,
};

/** OData functions that exist but that tigraph does not implement (for a clearer message than "unknown"). */
const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'concat', 'indexof', 'substring', 'matchespattern', 'hassubset', 'hassubsequence', 'year', 'month', 'day', 'hour',
  'minute', 'second', 'fractionalseconds', 'totalseconds', 'date', 'time', 'totaloffsetminutes', 'now', 'mindatetime',
  'maxdatetime', 'round', 'floor', 'ceiling', 'cast', 'geo.distance', 'geo.intersects', 'geo.length', 'case',
]);

const ARITHMETIC: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'divby', 'mod']);
const EQUALITY: ReadonlySet<string> = new Set(['eq', 'ne']);
const RELATIONAL: ReadonlySet<string> = new Set(['gt', 'ge', 'lt', 'le']);

/** Parses a whole $filter value into an untyped tree. */
export function parseExpression(text: string, options: ExpressionParseOptions): ExpressionToken {
  const syntaxError = syntaxErrorFor(options.option ?? '$filter');
  const tokens = tokenize(text, { syntaxError, maxLiteralLength: options.maxLiteralLength });
  const parser = new ExpressionParser(tokens, syntaxError, options);
  return parser.parseWhole();
}

class ExpressionParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly LexToken[],
    private readonly syntaxError: SyntaxErrorFactory,
    private readonly options: ExpressionParseOptions,
  ) {}

  parseWhole(): ExpressionToken {
    if (this.peek().kind === 'end') throw this.syntaxError('expected an expression but found end of input', 0);
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (next.kind === ')') throw this.syntaxError("found ')' without a matching '('", next.position);
      throw this.syntaxError(`expected an operator or end of input but found ${describeToken(next)}`, next.position);
    }
    return expr;
  }

  // ---- token helpers

  private peek(offset = 0): LexToken {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): LexToken {
    const t = this.peek();
    if (t.kind !== 'end') this.index++;
    return t;
  }

  private expect(kind: LexToken['kind'], what = `'${kind}'`): LexToken {
    const t = this.peek();
    if (t.kind !== kind) throw this.syntaxError(`expected ${what} but found ${describeToken(t)}`, t.position);
    return this.next();
  }

  /** The keyword operator at the current token, if it is one of `allowed` (case-insensitive). */
  private operator(allowed: ReadonlySet<string>): string | undefined {
    const t = this.peek();
    if (t.kind !== 'identifier') return undefined;
    const lower = t.text.toLowerCase();
    if (ARITHMETIC.has(lower)) throw this.syntaxError(`the arithmetic operator '${t.text}' is not supported`, t.position);
    return allowed.has(lower) ? lower : undefined;
  }

  private enter(position: number): void {
    this.depth++;
    if (this.depth > this.options.maxDepth) {
      throw errors.limitExceeded(`the nesting depth of ${this.options.option ?? '$filter'} (at position ${position})`, this.options.maxDepth, this.depth);
    }
  }

  private leave(): void {
    this.depth--;
  }

  // ---- precedence ladder

  private parseOr(): ExpressionToken {
    return this.parseBinaryChain(new Set(['or']), () => this.parseAnd());
  }

  private parseAnd(): ExpressionToken {
    return this.parseBinaryChain(new Set(['and']), () => this.parseEquality());
  }

  private parseEquality(): ExpressionToken {
    return this.parseBinaryChain(EQUALITY, () => this.parseRelational());
  }

  private parseRelational(): ExpressionToken {
    return this.parseBinaryChain(RELATIONAL, () => this.parseUnary());
  }

  private parseBinaryChain(operators: ReadonlySet<string>, operand: () => ExpressionToken): ExpressionToken {
    let left = operand();
    for (let op = this.operator(operators); op !== undefined; op = this.operator(operators)) {
      const position = this.next().position;
      const right = this.parseOperand(op, operand);
      left = { kind: 'BinaryToken', operator: op as BinaryOperator, left, right, position };
    }
    return left;
  }

  private parseOperand(op: string, operand: () => ExpressionToken): ExpressionToken {
    if (this.peek().kind === 'end') throw this.syntaxError(`expected an expression after '${op}' but found end of input`, this.peek().position);
    return operand();
  }

  private parseUnary(): ExpressionToken {
    const t = this.peek();
    if (t.kind === 'identifier' && t.text.toLowerCase() === 'not' && this.peek(1).kind !== '/') {
      this.next();
      this.enter(t.position);
      if (this.peek().kind === 'end') throw this.syntaxError("expected an expression after 'not' but found end of input", this.peek().position);
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'NotToken', operand, position: t.position };
    }
    return this.parseInHas();
  }

  private parseInHas(): ExpressionToken {
    let left = this.parsePrimary();
    for (let op = this.operator(new Set(['in', 'has'])); op !== undefined; op = this.operator(new Set(['in', 'has']))) {
      const position = this.next().position;
      if (op === 'has') {
        const right = this.parseOperand(op, () => this.parsePrimary());
        left = { kind: 'BinaryToken', operator: 'has', left, right, position };
      } else {
        left = { kind: 'InToken', left, list: this.parseInList(), position };
      }
    }
    return left;
  }

  private parseInList(): LiteralToken[] {
    const open = this.expect('(', "'(' to start the list of the 'in' operator");
    const list: LiteralToken[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'literal') throw this.syntaxError(`expected a literal in the list of the 'in' operator but found ${describeToken(t)}`, t.position);
      list.push(this.literalToken(this.next()));
      if (list.length > this.options.maxInListItems) {
        throw errors.limitExceeded(`the number of items in the 'in' list at position ${open.position}`, this.options.maxInListItems, list.length);
      }
      const sep = this.peek();
      if (sep.kind === ')') break;
      if (sep.kind !== ',') throw this.syntaxError(`expected ',' or ')' in the list of the 'in' operator but found ${describeToken(sep)}`, sep.position);
      this.next();
    }
    this.next();
    return list;
  }

  /** isof's type: a qualified name (microsoft.graph.security.hostname) or the same as a string literal. */
  private typeNameArgument(): LiteralToken {
    const t = this.next();
    const value = t.kind === 'identifier' ? t.text : t.kind === 'literal' && t.literal?.type === 'string' ? t.literal.value : undefined;
    if (value === undefined || !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(value)) {
      throw this.syntaxError(`isof() needs a qualified type name (Namespace.Type) but found ${describeToken(t)}`, t.position);
    }
    return { kind: 'LiteralToken', literal: { type: 'string', value }, text: t.text, position: t.position };
  }

  private literalToken(t: LexToken): LiteralToken {
    return { kind: 'LiteralToken', literal: t.literal!, text: t.text, position: t.position };
  }

  private parsePrimary(): ExpressionToken {
    const t = this.peek();
    switch (t.kind) {
      case '(': {
        this.next();
        this.enter(t.position);
        if (this.peek().kind === ')') throw this.syntaxError(`expected an expression but found ')'`, this.peek().position);
        const inner = this.parseOr();
        this.expect(')');
        this.leave();
        return inner;
      }
      case 'literal':
        this.next();
        return this.literalToken(t);
      case 'identifier':
        return this.parseIdentifierExpression();
      default:
        throw this.syntaxError(`expected an expression but found ${describeToken(t)}`, t.position);
    }
  }

  /** A function call `name(args)` or a path `a/b/c`, possibly ending in a lambda `…/any(v: …)`. */
  private parseIdentifierExpression(): ExpressionToken {
    const first = this.next();
    const lower = first.text.toLowerCase();
    if (this.peek().kind === '(') {
      if (lower === 'any' || lower === 'all') {
        throw this.syntaxError(`'${first.text}' must follow a collection path, as in aliases/${lower}(a: a eq 'x')`, this.peek().position);
      }
      return this.parseFunctionCall(first);
    }
    if (RELATIONAL.has(lower) || EQUALITY.has(lower) || ['and', 'or', 'in', 'has'].includes(lower) || ARITHMETIC.has(lower)) {
      throw this.syntaxError(`expected an expression but found the operator '${first.text}'`, first.position);
    }
    const segments: PathSegment[] = [this.segment(first)];
    while (this.peek().kind === '/') {
      this.next();
      const seg = this.expect('identifier', 'a property name after \'/\'');
      const segLower = seg.text.toLowerCase();
      if ((segLower === 'any' || segLower === 'all') && this.peek().kind === '(') {
        const collection: PathToken = { kind: 'PathToken', segments, position: first.position };
        return this.parseLambda(collection, seg, segLower);
      }
      segments.push(this.segment(seg));
    }
    if (this.peek().kind === '(') {
      throw this.syntaxError(`key, function or type segments in paths are not supported ('${segments.map((s) => s.name).join('/')}(')`, this.peek().position);
    }
    return { kind: 'PathToken', segments, position: first.position };
  }

  private segment(t: LexToken): PathSegment {
    if (t.text.startsWith('$')) throw this.syntaxError(`'${t.text}' is not supported in paths`, t.position);
    if (t.text.includes('.')) throw this.syntaxError(`type-cast segment '${t.text}' is not supported`, t.position);
    return { name: t.text, position: t.position };
  }

  private parseFunctionCall(nameToken: LexToken): ExpressionToken {
    const lower = nameToken.text.toLowerCase();
    if (!(lower in FUNCTION_ARITY)) {
      const why = UNSUPPORTED_FUNCTIONS.has(lower) ? `the function '${nameToken.text}' is not supported` : `unknown function '${nameToken.text}'`;
      throw this.syntaxError(why, nameToken.position);
    }
    const name = lower as FunctionName;
    const open = this.next();
    this.enter(open.position);
    const args: ExpressionToken[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(name === 'isof' && args.length === 1 ? this.typeNameArgument() : this.parseOr());
        if (this.peek().kind !== ',') break;
        this.next();
      }
    }
    this.expect(')', `',' or ')'`);
    this.leave();
    const arity = FUNCTION_ARITY[name];
    if (args.length !== arity) {
      throw this.syntaxError(`the function '${nameToken.text}' takes ${arity} argument${arity === 1 ? '' : 's'} but was given ${args.length}`, nameToken.position);
    }
    return { kind: 'FunctionCallToken', name, args, position: nameToken.position };
  }

  private parseLambda(collection: PathToken, opToken: LexToken, op: string): LambdaToken {
    const open = this.next();
    this.enter(open.position);
    const operator = op as 'any' | 'all';
    if (this.peek().kind === ')') {
      if (operator === 'all') throw this.syntaxError("all() requires a lambda expression such as all(v: v eq 'x')", this.peek().position);
      this.next();
      this.leave();
      return { kind: 'LambdaToken', operator, collection, variable: undefined, body: undefined, position: opToken.position };
    }
    const variableToken = this.expect('identifier', 'a lambda variable name');
    if (variableToken.text.includes('.') || variableToken.text.startsWith('$')) {
      throw this.syntaxError(`'${variableToken.text}' is not a valid lambda variable name`, variableToken.position);
    }
    this.expect(':', `':' after the lambda variable '${variableToken.text}'`);
    const body = this.parseOr();
    this.expect(')');
    this.leave();
    return { kind: 'LambdaToken', operator, collection, variable: { name: variableToken.text, position: variableToken.position }, body, position: opToken.position };
  }
}
