/**
 * Lexer for $filter / $orderby / $select / $expand values (already percent-decoded). One pass, no
 * recursion, every token with its 0-based start position. Whitespace separates tokens and is dropped.
 */
import { errors } from '../../errors/catalog.js';
import { decodeDate, decodeDateTimeOffset, decodeDecimal, decodeInteger, type Decoded } from './parse-literal.js';
import type { SyntaxErrorFactory } from './syntax-error.js';
import type { LiteralValue } from './syntax-tree.js';

export type LexKind = 'identifier' | 'literal' | '(' | ')' | ',' | '/' | ':' | ';' | '=' | '*' | 'end';

export interface LexToken {
  readonly kind: LexKind;
  /** Source text of the token. */
  readonly text: string;
  readonly position: number;
  /** For kind 'literal'. */
  readonly literal?: LiteralValue;
}

export interface LexOptions {
  readonly syntaxError: SyntaxErrorFactory;
  readonly maxLiteralLength: number;
}

const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const DATE_TIME = /\d{4}-\d{2}-\d{2}T[0-9:.]*(?:[Zz]|[+\- ]\d{2}:\d{2})?/y;
const DATE = /\d{4}-\d{2}-\d{2}/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
/** Characters that may not directly follow a literal (they would make it a different, malformed token). */
const LITERAL_TAIL = /[A-Za-z0-9_.:\-+$']/;
const PUNCTUATION: ReadonlySet<string> = new Set(['(', ')', ',', '/', ':', ';', '=', '*']);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

export function tokenize(text: string, options: LexOptions): LexToken[] {
  const { syntaxError } = options;
  const tokens: LexToken[] = [];
  let i = 0;

  const checkLength = (length: number): void => {
    if (length > options.maxLiteralLength) throw errors.limitExceeded('the length of a literal', options.maxLiteralLength, length);
  };
  /** Reads a single-quoted string starting at `start` (the quote); returns its value and the index after it. */
  const readString = (start: number): { value: string; end: number } => {
    let j = start + 1;
    let value = '';
    for (;;) {
      const close = text.indexOf("'", j);
      if (close < 0) throw syntaxError(`unterminated string literal: expected "'" but found end of input`, text.length);
      value += text.slice(j, close);
      checkLength(value.length);
      if (text[close + 1] === "'") {
        value += "'";
        j = close + 2;
      } else return { value, end: close + 1 };
    }
  };
  const literal = (kind: string, start: number, raw: string, decoded: Decoded, make: (v: number) => LiteralValue): void => {
    const end = start + raw.length;
    if (end < text.length && LITERAL_TAIL.test(text[end]!)) {
      throw syntaxError(`'${raw}${text[end]}' is not a valid literal`, start);
    }
    if (!decoded.ok) throw syntaxError(`'${raw}' is not a valid ${kind} literal: ${decoded.reason}`, start);
    checkLength(raw.length);
    tokens.push({ kind: 'literal', text: raw, position: start, literal: make(decoded.value) });
    i = end;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      const { value, end } = readString(i);
      tokens.push({ kind: 'literal', text: text.slice(i, end), position: i, literal: { type: 'string', value } });
      i = end;
      continue;
    }
    if (PUNCTUATION.has(c)) {
      tokens.push({ kind: c as LexKind, text: c, position: i });
      i++;
      continue;
    }
    const guid = /[0-9A-Fa-f]/.test(c) ? matchAt(GUID, text, i) : undefined;
    if (guid) {
      literal('Guid', i, guid, { ok: true, value: 0 }, () => ({ type: 'guid', value: guid }));
      continue;
    }
    if (/[0-9-]/.test(c)) {
      const dateTime = matchAt(DATE_TIME, text, i);
      if (dateTime) {
        literal('DateTimeOffset', i, dateTime, decodeDateTimeOffset(dateTime), (value) => ({ type: 'dateTimeOffset', value }));
        continue;
      }
      const date = matchAt(DATE, text, i);
      if (date) {
        literal('Date', i, date, decodeDate(date), (value) => ({ type: 'date', value }));
        continue;
      }
      const num = matchAt(NUMBER, text, i);
      if (num) {
        const isInt = !/[.eE]/.test(num);
        literal(isInt ? 'integer' : 'decimal', i, num, isInt ? decodeInteger(num) : decodeDecimal(num), (value) =>
          isInt ? { type: 'int', value } : { type: 'decimal', value },
        );
        continue;
      }
      throw syntaxError(`unexpected character '${c}'`, i);
    }
    const ident = matchAt(IDENTIFIER, text, i);
    if (ident) {
      const start = i;
      i += ident.length;
      if (text[i] === "'") {
        // Typed literal: Namespace.EnumType'member' (enum) or a prefix such as duration'…' (not supported).
        const { value, end } = readString(i);
        if (!ident.includes('.')) throw syntaxError(`typed literal ${ident}'…' is not supported`, start);
        tokens.push({ kind: 'literal', text: text.slice(start, end), position: start, literal: { type: 'enum', typeName: ident, member: value } });
        i = end;
        continue;
      }
      const lower = ident.toLowerCase();
      if (lower === 'true' || lower === 'false') tokens.push({ kind: 'literal', text: ident, position: start, literal: { type: 'boolean', value: lower === 'true' } });
      else if (lower === 'null') tokens.push({ kind: 'literal', text: ident, position: start, literal: { type: 'null' } });
      else tokens.push({ kind: 'identifier', text: ident, position: start });
      continue;
    }
    throw syntaxError(`unexpected character '${c}'`, i);
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

/** How a token is named in "expected X but found Y". */
export function describeToken(t: LexToken): string {
  if (t.kind === 'end') return 'end of input';
  return `'${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}'`;
}
