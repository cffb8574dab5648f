/**
 * $search parser (OData 4.01 searchExpr, as Graph uses it): bare words, "quoted phrases" (with \" and \\
 * escapes), AND / OR / NOT keywords (upper case; a lone keyword is a word), parentheses, implicit AND between
 * adjacent terms. Precedence NOT > AND > OR. Nesting is depth-guarded like $filter.
 */
import { errors } from '../../errors/catalog.js';
import { syntaxErrorFor } from './syntax-error.js';
import type { SearchToken } from './syntax-tree.js';

export interface SearchParseOptions {
  readonly maxDepth: number;
  readonly maxTerms: number;
}

type Lexeme = { kind: 'word' | 'phrase'; text: string; position: number } | { kind: '(' | ')' | 'end'; text: string; position: number };

const syntaxError = syntaxErrorFor('$search');

function lexSearch(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ kind: c, text: c, position: i++ });
    } else if (c === '"') {
      const start = i++;
      let phrase = '';
      for (;;) {
        if (i >= text.length) throw syntaxError(`unterminated phrase: expected '"' but found end of input`, text.length);
        const d = text[i]!;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          phrase += text[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          phrase += d;
          i++;
        }
      }
      if (phrase.trim() === '') throw syntaxError('a phrase must not be empty', start);
      if (i < text.length && !/[\s)]/.test(text[i]!)) throw syntaxError(`expected whitespace or ')' after the phrase but found '${text[i]}'`, i);
      out.push({ kind: 'phrase', text: phrase, position: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s()"]/.test(text[i]!)) i++;
      if (text[i] === '"') throw syntaxError(`unexpected '"' inside the word '${text.slice(start, i)}'`, i);
      out.push({ kind: 'word', text: text.slice(start, i), position: start });
    }
  }
  out.push({ kind: 'end', text: '', position: text.length });
  return out;
}

export function parseSearch(text: string, options: SearchParseOptions): SearchToken {
  const lexemes = lexSearch(text);
  let index = 0;
  let depth = 0;
  let terms = 0;
  const peek = (offset = 0): Lexeme => lexemes[Math.min(index + offset, lexemes.length - 1)]!;
  const describe = (l: Lexeme): string => (l.kind === 'end' ? 'end of input' : `'${l.text}'`);
  const isKeyword = (l: Lexeme, k: string): boolean => l.kind === 'word' && l.text === k;
  const startsOperand = (l: Lexeme): boolean => l.kind === 'phrase' || l.kind === '(' || (l.kind === 'word' && l.text !== 'AND' && l.text !== 'OR');
  const enter = (position: number): void => {
    if (++depth > options.maxDepth) throw errors.limitExceeded(`the nesting depth of $search (at position ${position})`, options.maxDepth, depth);
  };

  const parseOr = (): SearchToken => {
    let left = parseAnd();
    while (isKeyword(peek(), 'OR')) {
      index++;
      if (!startsOperand(peek())) throw syntaxError(`expected a search term after 'OR' but found ${describe(peek())}`, peek().position);
      left = { kind: 'SearchBinaryToken', operator: 'OR', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): SearchToken => {
    let left = parseNot();
    for (;;) {
      if (isKeyword(peek(), 'AND')) {
        index++;
        if (!startsOperand(peek())) throw syntaxError(`expected a search term after 'AND' but found ${describe(peek())}`, peek().position);
      } else if (!startsOperand(peek())) break;
      left = { kind: 'SearchBinaryToken', operator: 'AND', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): SearchToken => {
    const t = peek();
    if (isKeyword(t, 'NOT') && startsOperand(peek(1))) {
      index++;
      enter(t.position);
      const operand = parseNot();
      depth--;
      return { kind: 'SearchNotToken', operand, position: t.position };
    }
    return parsePrimary();
  };
  const parsePrimary = (): SearchToken => {
    const t = peek();
    if (t.kind === '(') {
      index++;
      enter(t.position);
      const inner = parseOr();
      if (peek().kind !== ')') throw syntaxError(`expected ')' but found ${describe(peek())}`, peek().position);
      index++;
      depth--;
      return inner;
    }
    if (t.kind === 'word' || t.kind === 'phrase') {
      index++;
      if (++terms > options.maxTerms) throw errors.limitExceeded('the number of $search terms', options.maxTerms, terms);
      return { kind: 'SearchTermToken', term: t.text, phrase: t.kind === 'phrase', position: t.position };
    }
    throw syntaxError(`expected a search term but found ${describe(t)}`, t.position);
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw syntaxError(`expected a search term, AND, OR or end of input but found ${describe(rest)}`, rest.position);
  return tree;
}
