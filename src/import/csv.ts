/**
 * CSV records over decoded lines (read-lines.ts, which rejects a line of invalid UTF-8 on its own). Fields are
 * split by `csv-parse` (RFC 4180: quoted fields with `""` escapes, embedded commas and line breaks; lenient about
 * stray quotes). This module only finds where a record ends — at the first line that does not end inside a quoted
 * field (endsQuoted) — so each line is scanned once and joined once. A record still open after MAX_RECORD_LINES
 * lines or MAX_RECORD_CHARS characters, or at the end, is reported as an unterminated quoted field at the line it
 * starts on, and its later lines are read again (at most MAX_RECORD_LINES lines twice per such error).
 */
import { parse } from 'csv-parse/sync';
import type { Line } from './read-lines.js';

export type CsvRecord =
  | { readonly lineNo: number; readonly fields: string[] }
  | { readonly lineNo: number; readonly fields: undefined; readonly error: string };

export const MAX_RECORD_LINES = 1000;
export const MAX_RECORD_CHARS = 1 << 20;

/**
 * Whether a record is still inside a quoted field at the end of `text`, having entered it inside one (`quoted`).
 * A `"` opens a quoted field only where a field starts (RFC 4180); one inside an unquoted field (`a 5" screen`)
 * is a literal character, as csv-parse's relax_quotes reads it, and does not carry the record over to the next line.
 */
export function endsQuoted(text: string, quoted: boolean): boolean {
  let inQuotes = quoted;
  let fieldStart = !quoted;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x22) {
        if (text.charCodeAt(i + 1) === 0x22) i++; // "" inside a quoted field
        else inQuotes = false;
      }
    } else if (c === 0x2c) fieldStart = true;
    else {
      if (c === 0x22 && fieldStart) inQuotes = true;
      fieldStart = false;
    }
  }
  return inQuotes;
}

/** The fields of one complete record. */
export function parseCsvRecord(text: string): string[] {
  const rows = parse(text, { relax_quotes: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  // readCsv joins lines only inside a quoted field, so one record: never keep the first of several silently.
  if (rows.length > 1) throw new Error(`the lines hold ${rows.length} records: a quoted field closes mid-line`);
  return rows[0] ?? [''];
}

/**
 * Records of a CSV stream; `lineNo` is the line the record starts on. Blank lines are skipped. A quoted field that
 * never closes (within MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters, or before the end) is one error at
 * the line it opens on, and the lines after that line are read again as records of their own: one stray quote
 * costs its own record, not the rest of the file.
 */
export async function* readCsv(lines: AsyncIterable<Line>): AsyncGenerator<CsvRecord> {
  let pending: { lines: { lineNo: number; text: string }[]; chars: number } | undefined;
  const replay: Line[] = [];
  const complete = (lineNo: number, text: string): CsvRecord => {
    try {
      return { lineNo, fields: parseCsvRecord(text) };
    } catch (e) {
      return { lineNo, fields: undefined, error: `malformed CSV record (${(e as Error).message.split(':')[0]})` };
    }
  };
  /** The pending record as an error; its lines after the first are read again. */
  const giveUp = (error: string): CsvRecord => {
    const p = pending!;
    pending = undefined;
    replay.unshift(...p.lines.slice(1));
    return { lineNo: p.lines[0]!.lineNo, fields: undefined, error };
  };
  const source = lines[Symbol.asyncIterator]();
  for (;;) {
    let line = replay.shift();
    if (!line) {
      const next = await source.next();
      if (next.done) {
        if (!pending) return;
        yield giveUp('truncated: the input ends inside a quoted field');
        continue;
      }
      line = next.value;
    }
    if (line.text === undefined) {
      yield { lineNo: pending?.lines[0]!.lineNo ?? line.lineNo, fields: undefined, error: line.error };
      pending = undefined;
      continue;
    }
    if (!pending) {
      if (line.text.trim() === '') continue;
      if (!endsQuoted(line.text, false)) {
        yield complete(line.lineNo, line.text);
        continue;
      }
      pending = { lines: [line], chars: line.text.length };
      continue;
    }
    pending.lines.push(line);
    pending.chars += line.text.length + 1;
    if (!endsQuoted(line.text, true)) {
      const p = pending;
      pending = undefined;
      yield complete(p.lines[0]!.lineNo, p.lines.map((l) => l.text).join('\n'));
    } else if (pending.lines.length >= MAX_RECORD_LINES || pending.chars >= MAX_RECORD_CHARS) {
      yield giveUp(`unterminated quoted field (still open after ${pending.lines.length} lines)`);
    }
  }
}
