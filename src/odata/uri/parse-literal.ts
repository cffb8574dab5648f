/**
 * Decoding of unquoted literal forms (DateTimeOffset, date, numbers). Each returns the value or a reason,
 * and the lexer turns a reason into a positioned syntax error.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(?:([Zz])|([+\- ])(\d{2}):(\d{2}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Decoded = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: string };

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const daysInMonth = (year: number, month: number): number => [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function checkDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} is out of range`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${day} is out of range for month ${month}`;
  return undefined;
}

/** `2022-05-02T23:09:20.123+02:00` → epoch ms. A space before the offset is read as '+' (an unencoded '+' in a URL). */
export function decodeDateTimeOffset(text: string): Decoded {
  const m = DATE_TIME.exec(text);
  if (!m) return { ok: false, reason: 'expected yyyy-mm-ddThh:mm[:ss[.fff]] followed by Z or ±hh:mm' };
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const dateProblem = checkDate(year, month, day);
  if (dateProblem) return { ok: false, reason: dateProblem };
  if (hour > 23) return { ok: false, reason: `hour ${hour} is out of range` };
  if (minute > 59) return { ok: false, reason: `minute ${minute} is out of range` };
  if (second > 59) return { ok: false, reason: `second ${second} is out of range` };
  if (m[8] === undefined && m[9] === undefined) return { ok: false, reason: 'a time zone is required (Z or ±hh:mm)' };
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return { ok: false, reason: `time zone offset ${m[10]}:${m[11]} is out of range` };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return { ok: true, value: utc(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000 };
}

/** `2017-04-01` → epoch ms of midnight UTC. */
export function decodeDate(text: string): Decoded {
  const m = DATE.exec(text);
  if (!m) return { ok: false, reason: 'expected yyyy-mm-dd' };
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  const problem = checkDate(year, month, day);
  return problem ? { ok: false, reason: problem } : { ok: true, value: utc(year, month, day) };
}

/** Integers beyond ±2^53 cannot be represented exactly and are rejected. */
export function decodeInteger(text: string): Decoded {
  const value = Number(text);
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, reason: 'integer is out of range' };
}

export function decodeDecimal(text: string): Decoded {
  const value = Number(text);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'number is out of range' };
}
