/**
 * A set of 52-bit id digests (write-batch.ts `digest`: integers in [0, 2^52)) in one Float64Array with open addressing (linear probing,
 * grown ×2 at 70% full): about 23 bytes per id at worst, 11 at best, where a `Set<number>` of such numbers costs about 50 (each
 * digest above 2^31 is a heap number of its own). Holds the ids a million-indicator import has written.
 * Hand-written: no npm package offers a typed-array hash set of doubles that is maintained.
 */
export class DigestSet {
  private slots = new Float64Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(d: number): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    const v = d + 1; // 0 marks an empty slot
    for (let i = this.slot(v, mask); ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === v) return true;
      if (s === 0) return false;
    }
  }

  add(d: number): void {
    if ((this.count + 1) * 10 > this.slots.length * 7) this.grow();
    if (this.insert(this.slots, d + 1)) this.count++;
  }

  private slot(v: number, mask: number): number {
    // The digest's bits are already well mixed: its low 32 bits and the rest, folded.
    return ((v % 4294967296) ^ Math.floor(v / 4294967296)) & mask;
  }

  private insert(slots: Float64Array, v: number): boolean {
    const mask = slots.length - 1;
    for (let i = this.slot(v, mask); ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === v) return false;
      if (s === 0) {
        slots[i] = v;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const next = new Float64Array(old.length * 2);
    for (const v of old) if (v !== 0) this.insert(next, v);
    this.slots = next;
  }
}
