/**
 * A small RFC 4180 CSV reader over decoded lines (read-lines.ts): comma-separated fields, double-quoted fields
 * with `""` escapes and embedded commas and line breaks, CRLF or LF. Hand-written because no CSV library is
 * installed (csv-parse is not in node_modules and nothing can be installed offline); the format is small
 * enough that a 60-line reader is simpler than a dependency.
 */
import type { Line } from './read-lines.js';

export type CsvRecord =
  | { readonly lineNo: number; readonly fields: string[] }
  | { readonly lineNo: number; readonly fields: undefined; readonly error: string };

/** Splits one complete record; returns undefined when a quoted field is still open at the end of `text`. */
export function parseCsvRecord(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Lenient: characters between the closing quote and the next comma are kept.
      const comma = text.indexOf(',', i);
      value += comma < 0 ? text.slice(i) : text.slice(i, comma);
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(comma < 0 ? text.slice(i) : text.slice(i, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** Records of a CSV stream; `lineNo` is the line the record starts on. Blank lines are skipped. */
export async function* readCsv(lines: AsyncIterable<Line>): AsyncGenerator<CsvRecord> {
  let pending: { lineNo: number; text: string } | undefined;
  for await (const line of lines) {
    if (line.text === undefined) {
      yield { lineNo: pending?.lineNo ?? line.lineNo, fields: undefined, error: line.error };
      pending = undefined;
      continue;
    }
    const text = pending ? `${pending.text}\n${line.text}` : line.text;
    const lineNo = pending?.lineNo ?? line.lineNo;
    if (!pending && text.trim() === '') continue;
    const fields = parseCsvRecord(text);
    if (fields === undefined) {
      pending = { lineNo, text };
      continue;
    }
    pending = undefined;
    yield { lineNo, fields };
  }
  if (pending) yield { lineNo: pending.lineNo, fields: undefined, error: 'truncated: the input ends inside a quoted field' };
}
