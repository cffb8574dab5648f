/**
 * CSV records over decoded lines (read-lines.ts, which rejects a line of invalid UTF-8 on its own). Fields are
 * split by `csv-parse` (RFC 4180: quoted fields with `""` escapes, embedded commas and line breaks; lenient about
 * stray quotes). This module only finds where a record ends — at the first line where the record's count of `"`
 * is even — so each line is scanned once and joined once: linear time, even for an unterminated quote. A record
 * still open after MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters is reported as an unterminated quoted
 * field at the line it starts on, and reading goes on with the next line.
 */
import { parse } from 'csv-parse/sync';
import type { Line } from './read-lines.js';

export type CsvRecord =
  | { readonly lineNo: number; readonly fields: string[] }
  | { readonly lineNo: number; readonly fields: undefined; readonly error: string };

export const MAX_RECORD_LINES = 1000;
export const MAX_RECORD_CHARS = 1 << 20;

const quotes = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
};

/** The fields of one complete record. */
export function parseCsvRecord(text: string): string[] {
  const rows = parse(text, { relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  return rows[0] ?? [''];
}

/** Records of a CSV stream; `lineNo` is the line the record starts on. Blank lines are skipped. */
export async function* readCsv(lines: AsyncIterable<Line>): AsyncGenerator<CsvRecord> {
  let pending: { lineNo: number; parts: string[]; chars: number; quotes: number } | undefined;
  const complete = (lineNo: number, text: string): CsvRecord => {
    try {
      return { lineNo, fields: parseCsvRecord(text) };
    } catch (e) {
      return { lineNo, fields: undefined, error: `malformed CSV record (${(e as Error).message.split(':')[0]})` };
    }
  };
  for await (const line of lines) {
    if (line.text === undefined) {
      yield { lineNo: pending?.lineNo ?? line.lineNo, fields: undefined, error: line.error };
      pending = undefined;
      continue;
    }
    if (!pending && line.text.trim() === '') continue;
    const q = quotes(line.text);
    if (!pending) {
      if (q % 2 === 0) {
        yield complete(line.lineNo, line.text);
        continue;
      }
      pending = { lineNo: line.lineNo, parts: [line.text], chars: line.text.length, quotes: q };
      continue;
    }
    pending.parts.push(line.text);
    pending.chars += line.text.length + 1;
    pending.quotes += q;
    if (pending.quotes % 2 === 0) {
      yield complete(pending.lineNo, pending.parts.join('\n'));
      pending = undefined;
    } else if (pending.parts.length >= MAX_RECORD_LINES || pending.chars >= MAX_RECORD_CHARS) {
      yield { lineNo: pending.lineNo, fields: undefined, error: `unterminated quoted field (still open after ${pending.parts.length} lines)` };
      pending = undefined;
    }
  }
  if (pending) yield { lineNo: pending.lineNo, fields: undefined, error: 'truncated: the input ends inside a quoted field' };
}
