/**
 * Format detection, once for every way an import arrives (`tigraph import`, the import action): a pure function
 * of the input's name and its first bytes. JSON with a bundle/`objects` → stix; with `Event`/`Attribute` or a
 * galaxy's `values` → misp; `.csv` or a first line naming the IoC column → mstic-csv; anything else textual →
 * ioc-list. JSON that is none of these is undefined (the caller says to name a format).
 * Checked first: a PEM certificate block, or a `.pem`/`.crt`/`.cer`/`.der` name, or DER bytes (a SEQUENCE with a
 * long length) → x509; JSON with `cveMetadata` → cve; with `rdapConformance` or `objectClassName` → rdap; JSON
 * lines whose first object has `rrname` and `rrtype` → pdns-cof (passive DNS Common Output Format).
 */
import { extname } from 'node:path';

export const FORMATS = ['stix', 'misp', 'mstic-csv', 'ioc-list', 'cve', 'pdns-cof', 'rdap', 'x509'] as const;
export type ImportFormat = (typeof FORMATS)[number];

/** How many leading bytes detection reads. */
export const DETECTION_HEAD_BYTES = 65536;

export interface DetectionInput {
  /** The file name (only its extension is read). */
  readonly name: string;
  /** The input's first bytes as text (at most DETECTION_HEAD_BYTES). */
  readonly head: string;
}

export function detectFormat({ name, head }: DetectionInput): ImportFormat | undefined {
  const ext = extname(name).toLowerCase();
  const text = head.replace(/^\uFEFF/, '');
  if (/-----BEGIN (X509 |TRUSTED )?CERTIFICATE-----/.test(text) || ['.pem', '.crt', '.cer', '.der'].includes(ext) || /^0\uFFFD/.test(text)) return 'x509';
  // JSON starts an object with a member name, or an array with a value then `,` or `]`: `[2001:db8::1]:443` and
  // `{.}evil.example` are IOC-list lines.
  const json = /^(\{\s*["}]|\[\s*([{["\]]|(-?\d+(\.\d+)?|true|false|null)\s*[,\]]|$))/.test(text.trimStart());
  if (json || ext === '.json' || ext === '.jsonl') {
    if (/"cveMetadata"\s*:/.test(text)) return 'cve';
    if (/"rdapConformance"\s*:/.test(text) || /^\s*\{[^]*?"objectClassName"\s*:/.test(text.slice(0, 4096))) return 'rdap';
    const line = text.trimStart().split(/\r?\n/, 1)[0] ?? '';
    if (/"rrname"\s*:/.test(line) && /"rrtype"\s*:/.test(line)) return 'pdns-cof';
    if (/"type"\s*:\s*"bundle"/.test(text) || /"spec_version"\s*:/.test(text) || /"objects"\s*:\s*\[/.test(text)) return 'stix';
    if (/"Event"\s*:|"Attribute"\s*:/.test(text) || /^\s*\{\s*"response"\s*:\s*\[/.test(text)) return 'misp';
    if (/"values"\s*:\s*\[/.test(text)) return 'misp';
    return undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (ext === '.csv' || (/(^|,)\s*"?IoC"?\s*(,|$)/i.test(firstLine) && firstLine.includes(','))) return 'mstic-csv';
  return 'ioc-list';
}
