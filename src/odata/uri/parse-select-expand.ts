/**
 * $select, $expand and $orderby syntax: comma lists of paths (`a`, `a/b`) with their per-item extras
 * (`*`; `nav(opt=value;…)`; `asc`/`desc`). No model knowledge here.
 */
import { describeToken, tokenize, type LexToken } from './lexer.js';
import { splitTopLevel } from './split-top-level.js';
import { syntaxErrorFor, type SyntaxErrorFactory } from './syntax-error.js';
import type { ExpandToken, OrderByToken, PathSegment, PathToken, SelectToken } from './syntax-tree.js';

export interface ListParseOptions {
  readonly maxLiteralLength: number;
}

/** Reads `ident ('/' ident)*` from tokens[index]; returns the path and the next index. */
function readPath(tokens: readonly LexToken[], index: number, syntaxError: SyntaxErrorFactory): { path: PathToken; index: number } {
  const segments: PathSegment[] = [];
  for (;;) {
    const t = tokens[index]!;
    if (t.kind !== 'identifier') throw syntaxError(`expected a property name but found ${describeToken(t)}`, t.position);
    if (t.text.startsWith('$')) throw syntaxError(`'${t.text}' is not supported here`, t.position);
    if (t.text.includes('.')) throw syntaxError(`type-cast or qualified segment '${t.text}' is not supported`, t.position);
    segments.push({ name: t.text, position: t.position });
    index++;
    if (tokens[index]!.kind !== '/') break;
    index++;
  }
  return { path: { kind: 'PathToken', segments, position: segments[0]!.position }, index };
}

function lexList(text: string, option: string, options: ListParseOptions, base = 0): { tokens: LexToken[]; syntaxError: SyntaxErrorFactory } {
  const syntaxError = syntaxErrorFor(option);
  if (text.trim() === '') throw syntaxError('expected at least one item but found end of input', base);
  return { tokens: tokenize(text, { syntaxError: (d, p) => syntaxError(d, p + base), maxLiteralLength: options.maxLiteralLength }), syntaxError };
}

/** `id,source`, `*`. `base` offsets positions when the text is nested inside another option. */
export function parseSelect(text: string, options: ListParseOptions, base = 0, option = '$select'): SelectToken[] {
  const { tokens, syntaxError } = lexList(text, option, options, base);
  const items: SelectToken[] = [];
  let i = 0;
  for (;;) {
    const t = tokens[i]!;
    if (t.kind === '*') {
      items.push({ kind: 'SelectAll', position: t.position + base });
      i++;
    } else {
      const r = readPath(tokens, i, (d, p) => syntaxError(d, p + base));
      items.push({ kind: 'SelectPath', path: shift(r.path, base) });
      i = r.index;
    }
    const sep = tokens[i]!;
    if (sep.kind === 'end') return items;
    if (sep.kind === '(') throw syntaxError('nested query options inside $select are not supported', sep.position + base);
    if (sep.kind !== ',') throw syntaxError(`expected ',' or end of input but found ${describeToken(sep)}`, sep.position + base);
    i++;
  }
}

/** `name asc,a/b desc`. */
export function parseOrderBy(text: string, options: ListParseOptions): OrderByToken[] {
  const { tokens, syntaxError } = lexList(text, '$orderby', options);
  const items: OrderByToken[] = [];
  let i = 0;
  for (;;) {
    const r = readPath(tokens, i, syntaxError);
    i = r.index;
    let direction: 'asc' | 'desc' = 'asc';
    const d = tokens[i]!;
    if (d.kind === 'identifier') {
      const lower = d.text.toLowerCase();
      if (lower !== 'asc' && lower !== 'desc') throw syntaxError(`expected 'asc', 'desc', ',' or end of input but found ${describeToken(d)}`, d.position);
      direction = lower;
      i++;
    }
    items.push({ path: r.path, direction });
    const sep = tokens[i]!;
    if (sep.kind === 'end') return items;
    if (sep.kind !== ',') throw syntaxError(`expected ',' or end of input but found ${describeToken(sep)}`, sep.position);
    i++;
  }
}

/** `artifact`, `artifact($select=id;$expand=…)`, `*`. Nested option values are kept raw with positions. */
export function parseExpand(text: string, options: ListParseOptions, base = 0): ExpandToken[] {
  const syntaxError = syntaxErrorFor('$expand');
  if (text.trim() === '') throw syntaxError('expected at least one item but found end of input', base);
  return splitTopLevel(text, ',', base, syntaxError).map((part) => parseExpandItem(part.text, part.position, options, syntaxError));
}

function parseExpandItem(text: string, base: number, options: ListParseOptions, syntaxError: SyntaxErrorFactory): ExpandToken {
  const open = text.indexOf('(');
  const head = open < 0 ? text : text.slice(0, open);
  const headTokens = tokenize(head, { syntaxError: (d, p) => syntaxError(d, p + base), maxLiteralLength: options.maxLiteralLength });
  const first = headTokens[0]!;
  let path: PathToken | '*';
  let position: number;
  if (first.kind === '*' && headTokens[1]!.kind === 'end') {
    path = '*';
    position = first.position + base;
  } else {
    const r = readPath(headTokens, 0, (d, p) => syntaxError(d, p + base));
    const rest = headTokens[r.index]!;
    if (rest.kind !== 'end') throw syntaxError(`expected '(', ',' or end of input but found ${describeToken(rest)}`, rest.position + base);
    path = shift(r.path, base);
    position = path.position;
  }
  if (open < 0) return { path, position, options: [] };
  const close = text.lastIndexOf(')');
  if (close !== text.trimEnd().length - 1) throw syntaxError(`unexpected text after ')'`, base + close + 1);
  const inner = text.slice(open + 1, close);
  const innerBase = base + open + 1;
  if (inner.trim() === '') throw syntaxError('expected a nested query option but found \')\'', innerBase);
  const nested = splitTopLevel(inner, ';', innerBase, syntaxError).map((part) => {
    const eq = part.text.indexOf('=');
    if (eq < 0) throw syntaxError(`expected '=' in the nested query option '${part.text.trim()}'`, part.position);
    const rawName = part.text.slice(0, eq);
    const name = rawName.trim();
    return { name, value: part.text.slice(eq + 1), position: part.position + (rawName.length - rawName.trimStart().length), valuePosition: part.position + eq + 1 };
  });
  return { path, position, options: nested };
}

function shift(path: PathToken, base: number): PathToken {
  if (base === 0) return path;
  return { kind: 'PathToken', position: path.position + base, segments: path.segments.map((s) => ({ name: s.name, position: s.position + base })) };
}
