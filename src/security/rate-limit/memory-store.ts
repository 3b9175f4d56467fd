/**
 * The memory rate limit store: counts in this process, for an app that runs as one
 * process. Bounded: it keeps at most `maxKeys` keys (100,000 by default, a few tens of
 * MB); past that the key used least recently is forgotten, and keys whose windows are over
 * are dropped as new ones arrive. No timers, so nothing keeps the process alive.
 *
 * ```ts
 * createApp({ rateLimit: { store: 'memory', maxKeys: 200_000 } });
 * ```
 * See docs/auth.md#rate-limits.
 */
import { allows, type RateLimitStore, type WindowCounts, type WindowQuery } from './window.js';

interface Entry {
  /** Index of the current window (now / windowMs, rounded down). */
  index: number;
  current: number;
  previous: number;
  /** When this entry no longer matters: the end of the window after its current one. */
  expires: number;
}

/** Keeps rate limit counts in this process's memory. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly name = 'memory';
  readonly maxKeys: number;
  /** In order of last use: the first entry is the least recently used. */
  readonly #map = new Map<string, Entry>();
  readonly #now: () => number;

  /** `now` is for tests that need to move time; it defaults to `Date.now`. */
  constructor(opts: { maxKeys?: number; now?: () => number } = {}) {
    const max = opts.maxKeys ?? 100_000;
    if (!Number.isInteger(max) || max <= 0) throw new TypeError(`MemoryRateLimitStore maxKeys must be a positive whole number, got ${String(max)}`);
    this.maxKeys = max;
    this.#now = opts.now ?? Date.now;
  }

  hit(key: string, q: WindowQuery): WindowCounts {
    const now = this.#now();
    const index = Math.floor(now / q.windowMs);
    let e = this.#map.get(key);
    if (e !== undefined) this.#map.delete(key);
    if (e === undefined || e.index < index - 1) e = { index, current: 0, previous: 0, expires: 0 };
    else if (e.index === index - 1) e = { index, current: 0, previous: e.current, expires: 0 };
    const previous = q.sliding ? e.previous : 0;
    const allowed = allows(q, previous, e.current, now - index * q.windowMs);
    if (allowed) e.current++;
    e.expires = (index + 2) * q.windowMs;
    this.#map.set(key, e); // now the most recently used
    this.#trim(now);
    return { allowed, current: e.current, previous, now };
  }

  /** Number of keys held, expired ones included until they are dropped. */
  get size(): number {
    return this.#map.size;
  }

  /** Drops expired keys from the least recently used end (a few per hit), then whatever is over the bound. */
  #trim(now: number): void {
    let n = 0;
    for (const [k, e] of this.#map) {
      if (e.expires > now || ++n > 8) break;
      this.#map.delete(k);
    }
    for (const k of this.#map.keys()) {
      if (this.#map.size <= this.maxKeys) break;
      this.#map.delete(k);
    }
  }
}
