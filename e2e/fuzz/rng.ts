/**
 * The fuzzer's source of randomness: a small seeded generator (mulberry32), so that a
 * seed replays a run exactly, with the picking helpers the generators use.
 */

export class Rng {
  #s: number;

  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    // mulberry32 (public domain, Tommy Ettinger)
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of xs) total += w;
    let r = this.next() * total;
    for (const [w, x] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1]![1];
  }

  /** A fresh 32-bit seed for a sub-generator (so one case can be regenerated alone). */
  seed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/** A seed for a run that was not given one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0 || 1;
}
