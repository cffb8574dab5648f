/**
 * Relationship ends of a STIX bundle by source object, kept compact: a bundle of a million indicators has a million
 * `indicates` relationships, and pass 1 of the reader (readers/stix.ts) holds them all.
 *
 * - A source of the usual form `indicator--<UUID>` (lower-case hex) is held in an open-addressing table of typed
 *   arrays: the UUID's 128 bits exactly (four 32-bit words, so distinct ids never share a slot) and an int32 naming
 *   its target. About 40 bytes per relationship at most, outside the JavaScript heap, and no string is made to add
 *   or find one.
 * - Any other source (a campaign's `attributed-to`, a profile's `originates-from`, ids of other shapes) goes to a
 *   Map under compactStixId: 17 one-byte characters for `<type>--<UUID>`, the text itself otherwise.
 *
 * Targets are few (profiles, locations) and shared: each is held once and named by its index; a source with several
 * targets names a list. Hand-written: no maintained npm package offers a hash map keyed by 128-bit values in typed
 * arrays.
 */
const PACKED = '\u0000';
const RAW = '\u0001';
const INDICATOR = 'indicator--';
/** Offsets of the UUID's hyphens after `<type>--`. */
const HYPHENS = [8, 13, 18, 23];

const hexValue = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);

/**
 * Reads the UUID at `start` of `id` (36 characters, lower-case hex, hyphens at 8, 13, 18, 23) into `out` as four
 * 32-bit words; false when it is not one.
 */
function readUuid(id: string, start: number, out: Uint32Array): boolean {
  if (id.length !== start + 36) return false;
  let word = 0;
  let nibbles = 0;
  let w = 0;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(start + i);
    if (i === HYPHENS[0] || i === HYPHENS[1] || i === HYPHENS[2] || i === HYPHENS[3]) {
      if (c !== 45) return false;
      continue;
    }
    const v = hexValue(c);
    if (v < 0) return false;
    word = ((word << 4) | v) >>> 0;
    if (++nibbles === 8) {
      out[w++] = word;
      word = 0;
      nibbles = 0;
    }
  }
  return true;
}

/** The key a STIX id is held under in the Map (distinct ids, distinct keys). Char codes, no regular expression. */
export function compactStixId(id: string): string {
  const sep = id.indexOf('--');
  const start = sep + 2;
  if (sep <= 0 || id.length !== start + 36) return RAW + id;
  for (let i = 0; i < sep; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return RAW + id; // STIX types are [a-z0-9-]
  }
  const words = new Uint32Array(4);
  if (!readUuid(id, start, words)) return RAW + id;
  let packed = PACKED;
  for (const w of words) packed += String.fromCharCode(w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255);
  return start === INDICATOR.length && id.startsWith(INDICATOR) ? packed : `${id.slice(0, sep)}${packed}`;
}

/**
 * Indicator UUIDs → a target or a list of targets, in typed arrays (module comment). A key is found by one probe
 * whether it is read or written (slot, then valueAt / put), and growing moves the words without making an object
 * per key: in a million-relationship bundle the table's growth and the second probe of every add took about a
 * third of the adds' time.
 */
class UuidTable {
  /** Four words per slot. */
  private keys = new Uint32Array(4 << 12);
  /** Per slot: 0 empty; n > 0 the target n - 1; n < 0 the list -n - 1. */
  private values = new Int32Array(1 << 12);
  private count = 0;

  /** The slot holding the key (a, b, c, d), or the empty slot where it would go. */
  private probe(a: number, b: number, c: number, d: number): number {
    const { keys, values } = this;
    const mask = values.length - 1;
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35), 0x27d4eb2d);
    h ^= h >>> 15;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      if (values[i] === 0) return i;
      const o = i * 4;
      if (keys[o] === a && keys[o + 1] === b && keys[o + 2] === c && keys[o + 3] === d) return i;
    }
  }

  /** The slot of `k` (see probe); `forWrite` first grows the table when one more key could fill it too much. */
  slot(k: Uint32Array, forWrite: boolean): number {
    if (forWrite && (this.count + 1) * 10 > this.values.length * 7) this.grow();
    return this.probe(k[0]!, k[1]!, k[2]!, k[3]!);
  }

  valueAt(slot: number): number {
    return this.values[slot]!;
  }

  /** Sets `slot` (from slot(k, true), nothing written since) to `k` → `value` (non-zero). */
  put(slot: number, k: Uint32Array, value: number): void {
    if (this.values[slot] === 0) {
      this.count++;
      UuidTable.copyKey(k, 0, this.keys, slot * 4);
    }
    this.values[slot] = value;
  }

  /** Copies the four words of a key at `from[o]` to `to[n]` (no view per key). */
  private static copyKey(from: Uint32Array, o: number, to: Uint32Array, n: number): void {
    to[n] = from[o]!;
    to[n + 1] = from[o + 1]!;
    to[n + 2] = from[o + 2]!;
    to[n + 3] = from[o + 3]!;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 0) continue;
      const o = i * 4;
      const j = this.probe(keys[o]!, keys[o + 1]!, keys[o + 2]!, keys[o + 3]!);
      UuidTable.copyKey(keys, o, this.keys, j * 4);
      this.values[j] = values[i]!;
    }
  }
}

export class StixRefs {
  private readonly uuids = new UuidTable();
  private readonly bySource = new Map<string, string | string[]>();
  private readonly targets: string[] = [];
  private readonly targetIndex = new Map<string, number>();
  /** Lists of target indexes, for sources of the table with several targets. */
  private readonly lists: number[][] = [];
  private readonly scratch = new Uint32Array(4);
  private count = 0;

  /** How many relationships were added. */
  get size(): number {
    return this.count;
  }

  add(source: string, target: string): void {
    this.count++;
    let t = this.targetIndex.get(target);
    if (t === undefined) {
      t = this.targets.length;
      this.targets.push(target);
      this.targetIndex.set(target, t);
    }
    if (source.startsWith(INDICATOR) && readUuid(source, INDICATOR.length, this.scratch)) {
      const slot = this.uuids.slot(this.scratch, true);
      const have = this.uuids.valueAt(slot);
      if (have === 0) this.uuids.put(slot, this.scratch, t + 1);
      else if (have > 0) this.uuids.put(slot, this.scratch, -(this.lists.push([have - 1, t]) - 1) - 1);
      else this.lists[-have - 1]!.push(t);
      return;
    }
    const key = compactStixId(source);
    const shared = this.targets[t]!;
    const have = this.bySource.get(key);
    if (have === undefined) this.bySource.set(key, shared);
    else if (typeof have === 'string') this.bySource.set(key, [have, shared]);
    else have.push(shared);
  }

  /** The targets of `source`'s relationships, in the order read. */
  get(source: string): readonly string[] {
    if (source.startsWith(INDICATOR) && readUuid(source, INDICATOR.length, this.scratch)) {
      const have = this.uuids.valueAt(this.uuids.slot(this.scratch, false));
      if (have === 0) return [];
      if (have > 0) return [this.targets[have - 1]!];
      return this.lists[-have - 1]!.map((t) => this.targets[t]!);
    }
    const have = this.bySource.get(compactStixId(source));
    return have === undefined ? [] : typeof have === 'string' ? [have] : have;
  }
}
