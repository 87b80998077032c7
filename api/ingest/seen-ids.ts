// Which external ids a batch has already brought, kept as 64-bit hashes in typed arrays (8 bytes a
// slot, the table at most half full: 16–32 bytes an id, whatever the ids' length) so that a batch
// of millions of rows is checked for repeats without keeping its ids. A repeat found here is only a candidate: the batch's duplicate
// check then compares the rows themselves, so a hash collision costs that check, never a wrong
// answer. No repeat found means there is none.

const EMPTY = 0;

export class SeenIds {
  private lo = new Uint32Array(1 << 16);
  private hi = new Uint32Array(1 << 16);
  private size = 0;

  /** Adds `id`; answers false when it (or an id with the same hash) was added before. */
  add(id: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    // Slot 0 in `hi` means empty: a hash whose high half is 0 is stored as 1.
    const h = b >>> 0 === EMPTY ? 1 : b >>> 0;
    const l = a >>> 0;
    if ((this.size + 1) * 2 > this.lo.length) this.grow();
    return this.put(l, h);
  }

  private put(l: number, h: number): boolean {
    const mask = this.lo.length - 1;
    for (let slot = (l ^ h) & mask; ; slot = (slot + 1) & mask) {
      if (this.hi[slot] === EMPTY) {
        this.lo[slot] = l;
        this.hi[slot] = h;
        this.size++;
        return true;
      }
      if (this.lo[slot] === l && this.hi[slot] === h) return false;
    }
  }

  private grow() {
    const { lo, hi } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(hi.length * 2);
    this.size = 0;
    for (let i = 0; i < lo.length; i++) if (hi[i] !== EMPTY) this.put(lo[i]!, hi[i]!);
  }
}
