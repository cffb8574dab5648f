/** TAXII timestamps ↔ the store's ingestion stamps (µs since the epoch): RFC 3339 UTC with six fractional digits. */
import { errors } from '../errors/catalog.js';

export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // …T..:..:..mmmZ
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

export function parseMicros(name: string, text: string): number {
  const m = TIMESTAMP.exec(text);
  const ms = m ? Date.parse(`${m[1]}Z`) : NaN;
  if (!m || Number.isNaN(ms)) throw errors.taxiiBadParameter(name, `'${text}' is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z)`);
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(frac);
}
