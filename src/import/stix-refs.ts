/**
 * Relationship ends of a STIX bundle by source object, kept compact: a bundle of a million indicators has a million
 * `indicates` relationships, and pass 1 of the reader (readers/stix.ts) holds them all. A source id of the usual
 * form `<type>--<UUID>` is held as 17 one-byte characters (a marker and the UUID's 16 bytes, its type dropped when it
 * is `indicator`, else kept in front) instead of the 47-character text, and a source with one target holds that
 * target itself rather than a list; targets are few (profiles, locations) and shared. About 90 bytes per
 * relationship instead of about 250.
 */
const PACKED = '\u0000';
const RAW = '\u0001';
const INDICATOR = 'indicator--';
/** Offsets of the UUID's hyphens after `<type>--`. */
const HYPHENS = [8, 13, 18, 23];

const hexValue = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);

/** The key a STIX id is held under (distinct ids, distinct keys). Char codes, no regular expression: pass 1 calls it per relationship. */
export function compactStixId(id: string): string {
  const sep = id.indexOf('--');
  const start = sep + 2;
  if (sep <= 0 || id.length !== start + 36) return RAW + id;
  for (let i = 0; i < sep; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return RAW + id; // STIX types are [a-z0-9-]
  }
  const codes = new Array<number>(16);
  let j = 0;
  for (let i = 0; i < 36; ) {
    if (i === HYPHENS[0] || i === HYPHENS[1] || i === HYPHENS[2] || i === HYPHENS[3]) {
      if (id.charCodeAt(start + i) !== 45) return RAW + id;
      i++;
      continue;
    }
    const hi = hexValue(id.charCodeAt(start + i));
    const lo = hexValue(id.charCodeAt(start + i + 1));
    if (hi < 0 || lo < 0) return RAW + id;
    codes[j++] = hi * 16 + lo;
    i += 2;
  }
  const packed = PACKED + String.fromCharCode(...codes);
  return start === INDICATOR.length && id.startsWith(INDICATOR) ? packed : `${id.slice(0, sep)}${packed}`;
}

export class StixRefs {
  private readonly bySource = new Map<string, string | string[]>();
  private readonly targets = new Map<string, string>();

  add(source: string, target: string): void {
    let shared = this.targets.get(target);
    if (shared === undefined) this.targets.set(target, (shared = target));
    const key = compactStixId(source);
    const have = this.bySource.get(key);
    if (have === undefined) this.bySource.set(key, shared);
    else if (typeof have === 'string') this.bySource.set(key, [have, shared]);
    else have.push(shared);
  }

  /** The targets of `source`'s relationships, in the order read. */
  get(source: string): readonly string[] {
    const have = this.bySource.get(compactStixId(source));
    return have === undefined ? [] : typeof have === 'string' ? [have] : have;
  }
}
