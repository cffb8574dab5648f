/**
 * Splits text at a separator that is outside parentheses and single-quoted strings, keeping each part's
 * offset, e.g. `artifact($select=id,source),x` at ',' → ['artifact($select=id,source)', 'x'].
 */
import type { SyntaxErrorFactory } from './syntax-error.js';

export interface TextPart {
  readonly text: string;
  readonly position: number;
}

export function splitTopLevel(text: string, separator: string, base: number, syntaxError: SyntaxErrorFactory): TextPart[] {
  const parts: TextPart[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "'") inString = false; // a doubled '' re-enters on the next character
    } else if (c === "'") inString = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) throw syntaxError("found ')' without a matching '('", base + i);
    } else if (c === separator && depth === 0) {
      parts.push({ text: text.slice(start, i), position: base + start });
      start = i + 1;
    }
  }
  if (inString) throw syntaxError(`unterminated string literal: expected "'" but found end of input`, base + text.length);
  if (depth > 0) throw syntaxError("expected ')' but found end of input", base + text.length);
  parts.push({ text: text.slice(start), position: base + start });
  return parts;
}
