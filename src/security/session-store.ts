/**
 * Server-side session stores: where session data lives when the cookie carries only a
 * signed id. One small interface, so the in-memory store (the default server-side store,
 * for one process) and Redis (for several processes) are interchangeable, and an app can
 * bring its own.
 *
 * Stores keep strings (the session record as JSON), so what a handler reads is always a
 * copy of what was saved. A store that fails (a connection down, a timeout) throws; the
 * session layer turns that into a 503 `SESSION_STORE_UNAVAILABLE` for the requests that
 * need the session, and never for the others.
 *
 * See docs/sessions.md#server-side-sessions.
 */

/**
 * The interface every server-side session store implements.
 *
 * ```ts
 * const store: SessionStore = {
 *   name: 'sqlite',
 *   async get(id) { return db.get(id) },
 *   async set(id, value, ttl) { db.put(id, value, Date.now() + ttl * 1000) },
 *   async delete(id) { db.delete(id) },
 * };
 * createApp({ session: { store } });
 * ```
 * See docs/sessions.md#server-side-sessions.
 */
export interface SessionStore {
  /** Shown by `palisade check` and in logs. */
  readonly name: string;
  /** The saved record, or undefined when there is none (never saved, expired, deleted). */
  get(id: string): Promise<string | undefined>;
  /** Saves a record for `ttlSeconds`, replacing any earlier one. */
  set(id: string, value: string, ttlSeconds: number): Promise<void>;
  /** Deletes a record; deleting a missing record is not an error. */
  delete(id: string): Promise<void>;
  /** Releases connections when the app shuts down. */
  close?(): Promise<void>;
}

interface Entry {
  value: string;
  expires: number;
}

/**
 * Keeps sessions in this process's memory: the default server-side store. Sessions are
 * lost on restart and not shared between processes; use Redis for that. It holds at most
 * `maxEntries` sessions (10,000 by default): past that, the one used least recently is
 * dropped, so no stream of visitors can grow it without bound. Expired entries are swept
 * as new ones are written (no timers, so nothing keeps the process alive).
 *
 * ```ts
 * createApp({ session: { store: 'memory' } });
 * createApp({ session: { store: new MemoryStore({ maxEntries: 50_000 }) } });
 * ```
 * See docs/sessions.md#server-side-sessions.
 */
export class MemoryStore implements SessionStore {
  readonly name = 'memory';
  /** Most sessions held at once. */
  readonly maxEntries: number;
  /** In order of last use: the first entry is the least recently used. */
  readonly #map = new Map<string, Entry>();
  #writes = 0;
  readonly #now: () => number;

  /** `now` is for tests that need to move time; it defaults to `Date.now`. */
  constructor(opts: { maxEntries?: number; now?: () => number } = {}) {
    const max = opts.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max <= 0) throw new TypeError(`MemoryStore maxEntries must be a positive whole number, got ${String(max)}`);
    this.maxEntries = max;
    this.#now = opts.now ?? Date.now;
  }

  get(id: string): Promise<string | undefined> {
    const e = this.#map.get(id);
    if (e === undefined) return Promise.resolve(undefined);
    this.#map.delete(id);
    if (e.expires <= this.#now()) return Promise.resolve(undefined);
    this.#map.set(id, e); // now the most recently used
    return Promise.resolve(e.value);
  }

  set(id: string, value: string, ttlSeconds: number): Promise<void> {
    this.#map.delete(id);
    this.#map.set(id, { value, expires: this.#now() + ttlSeconds * 1000 });
    if (++this.#writes % 1000 === 0) this.#sweep();
    // Still full of live sessions: drop the least recently used.
    for (const k of this.#map.keys()) {
      if (this.#map.size <= this.maxEntries) break;
      this.#map.delete(k);
    }
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.#map.delete(id);
    return Promise.resolve();
  }

  /** Number of sessions held, expired ones included until the next sweep. */
  get size(): number {
    return this.#map.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [k, e] of this.#map) if (e.expires <= now) this.#map.delete(k);
  }
}
