/**
 * The part of the STIX 2.1 patterning language (cti-stix2-json-schemas pattern_grammar/STIXPattern.g4) that
 * maps onto Graph artifacts: single comparisons `[type:value = 'x']` and OR chains of them (inside one
 * observation, `[a OR b]`, or across observations, `[a] OR [b]`), which fan out to one value each.
 *
 * Everything else is valid STIX that Graph cannot represent as an artifact and is reported as skipped with a
 * reason: AND, FOLLOWEDBY, qualifiers (WITHIN/REPEATS/START…STOP), NOT/EXISTS, operators other than `=`
 * (MATCHES, LIKE, IN, <, …), hashes and objects other than domain-name/hostname/ipv4-addr/ipv6-addr/url.
 * Text that does not tokenize or balance is rejected ('unparseable pattern').
 */
import type { ValueHint } from './canonicalize.js';

type Token =
  | { readonly t: 'punct'; readonly v: '[' | ']' | '(' | ')' }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'path'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'literal'; readonly v: string };

export type PatternResult =
  | { readonly kind: 'values'; readonly values: readonly { readonly hint: ValueHint; readonly value: string; readonly path: string }[]; readonly skipped: readonly string[] }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'WITHIN', 'SECONDS', 'REPEATS', 'TIMES', 'START', 'STOP', 'MATCHES', 'LIKE', 'IN', 'ISSUBSET', 'ISSUPERSET', 'EXISTS']);

function tokenize(pattern: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  const s = pattern;
  const readQuoted = (): string | undefined => {
    // s[i] === "'"
    let out = '';
    i++;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\') {
        const n = s[i + 1];
        if (n !== "'" && n !== '\\') return undefined;
        out += n;
        i += 2;
        continue;
      }
      if (c === "'") {
        i++;
        return out;
      }
      out += c;
      i++;
    }
    return undefined;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[' || c === ']' || c === '(' || c === ')') {
      tokens.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    if (c === "'") {
      const v = readQuoted();
      if (v === undefined) return 'unterminated string';
      tokens.push({ t: 'string', v });
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(s.slice(i));
    if (op) {
      tokens.push({ t: 'op', v: op[1]! });
      i += op[1]!.length;
      continue;
    }
    // typed literals: t'…' (timestamp), h'…' (hex), b'…' (binary)
    if (/^[thb]'/.test(s.slice(i, i + 2))) {
      i++;
      const v = readQuoted();
      if (v === undefined) return 'unterminated literal';
      tokens.push({ t: 'literal', v });
      continue;
    }
    const path = /^[a-z0-9][a-z0-9_-]*:/i.exec(s.slice(i));
    if (path) {
      // object path: type:prop(.prop | .'quoted' | [n] | [*])*
      let v = path[0];
      i += v.length;
      for (;;) {
        const m = /^([a-z0-9_-]+|\.|\[(?:\d+|\*)\])/i.exec(s.slice(i));
        if (m) {
          v += m[0];
          i += m[0].length;
          continue;
        }
        if (s[i] === "'" && v.endsWith('.')) {
          const q = readQuoted();
          if (q === undefined) return 'unterminated object path';
          v += `'${q}'`;
          continue;
        }
        break;
      }
      if (v.endsWith(':')) return 'empty object path';
      tokens.push({ t: 'path', v });
      continue;
    }
    const word = /^[a-z0-9_.+-]+/i.exec(s.slice(i));
    if (word) {
      tokens.push({ t: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    return `unexpected character '${c}'`;
  }
  return tokens;
}

const HINTS: Readonly<Record<string, ValueHint>> = {
  'domain-name:value': 'hostname',
  'hostname:value': 'hostname',
  'ipv4-addr:value': 'ipv4',
  'ipv6-addr:value': 'ipv6',
  'url:value': 'url',
};

/** The common case, `[type:property = 'text']` with no quote or backslash in the text. */
const SINGLE_COMPARISON = /^\s*\[\s*([a-z0-9][a-z0-9_-]*):([a-z0-9_-]+)\s*=\s*'([^'\\]*)'\s*\]\s*$/i;

/**
 * A pattern's values. A single comparison on a mapped object is matched by one regular expression (most
 * indicators of a bulk feed: tokenizing costs a tenth of such an import's reading); anything else goes through
 * the general parser, which gives the same answer for that case too.
 */
export function parseStixPattern(pattern: string): PatternResult {
  const m = SINGLE_COMPARISON.exec(pattern);
  if (m) {
    const hint = HINTS[`${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`];
    if (hint) return { kind: 'values', values: [{ hint, value: m[3]!, path: `${m[1]}:${m[2]}` }], skipped: [] };
  }
  return parseStixPatternGeneral(pattern);
}

/** The general parser: tokens, balance, keywords, then the OR-separated comparisons. */
export function parseStixPatternGeneral(pattern: string): PatternResult {
  const tokens = tokenize(pattern);
  if (typeof tokens === 'string') return { kind: 'reject', reason: `unparseable pattern: ${tokens}` };
  if (tokens.length === 0) return { kind: 'reject', reason: 'unparseable pattern: empty' };
  // Balance brackets and parentheses; observations must be bracketed.
  const stack: string[] = [];
  for (const tok of tokens) {
    if (tok.t !== 'punct') continue;
    if (tok.v === '[' || tok.v === '(') stack.push(tok.v);
    else if (stack.pop() !== (tok.v === ']' ? '[' : '(')) return { kind: 'reject', reason: 'unparseable pattern: unbalanced brackets' };
  }
  if (stack.length) return { kind: 'reject', reason: 'unparseable pattern: unbalanced brackets' };
  if (!tokens.some((t) => t.t === 'punct' && t.v === '[')) return { kind: 'reject', reason: 'unparseable pattern: no observation expression' };
  for (const tok of tokens) {
    if (tok.t !== 'word') continue;
    const w = tok.v.toUpperCase();
    if (!KEYWORDS.has(w)) continue;
    if (w === 'AND') return { kind: 'skip', reason: 'pattern with AND' };
    if (w === 'FOLLOWEDBY') return { kind: 'skip', reason: 'pattern with FOLLOWEDBY' };
    if (['WITHIN', 'REPEATS', 'START', 'STOP'].includes(w)) return { kind: 'skip', reason: 'pattern with a qualifier' };
    if (w === 'NOT' || w === 'EXISTS') return { kind: 'skip', reason: `pattern with ${w}` };
  }
  // Now only OR, comparisons, brackets and parentheses are left: split on OR.
  const groups: Token[][] = [[]];
  for (const tok of tokens) {
    if (tok.t === 'punct') continue;
    if (tok.t === 'word' && tok.v.toUpperCase() === 'OR') groups.push([]);
    else groups[groups.length - 1]!.push(tok);
  }
  const values: { hint: ValueHint; value: string; path: string }[] = [];
  const skipped: string[] = [];
  for (const g of groups) {
    const [path, op, value] = g;
    if (g.length !== 3 || path?.t !== 'path' || !op || !value) return { kind: 'reject', reason: 'unparseable pattern: expected <object-path> <operator> <value>' };
    const opName = op.t === 'op' ? op.v : op.t === 'word' ? op.v.toUpperCase() : '';
    if (op.t !== 'op' && !(op.t === 'word' && KEYWORDS.has(opName))) return { kind: 'reject', reason: 'unparseable pattern: expected a comparison operator' };
    if (opName !== '=') {
      skipped.push(`pattern with ${opName}`);
      continue;
    }
    const objectType = path.v.slice(0, path.v.indexOf(':')).toLowerCase();
    const property = path.v.slice(path.v.indexOf(':') + 1);
    if (/^hashes\./i.test(property) || /\.hashes\./i.test(property)) {
      skipped.push('hash pattern');
      continue;
    }
    const hint = HINTS[`${objectType}:${property.toLowerCase()}`];
    if (!hint) {
      skipped.push(`pattern on ${objectType}:${property}`);
      continue;
    }
    if (value.t !== 'string') return { kind: 'reject', reason: `unparseable pattern: ${path.v} needs a string value` };
    values.push({ hint, value: value.v, path: path.v });
  }
  if (values.length === 0 && skipped.length > 0) return { kind: 'skip', reason: skipped[0]! };
  return { kind: 'values', values, skipped };
}
