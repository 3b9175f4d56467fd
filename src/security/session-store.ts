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
 * lost on restart and not shared between processes; use Redis for that. Expired entries
 * are swept as new ones are written (no timers, so nothing keeps the process alive).
 *
 * ```ts
 * createApp({ session: { store: 'memory' } });
 * ```
 * See docs/sessions.md#server-side-sessions.
 */
export class MemoryStore implements SessionStore {
  readonly name = 'memory';
  readonly #map = new Map<string, Entry>();
  #writes = 0;
  readonly #now: () => number;

  /** `now` is for tests that need to move time; it defaults to `Date.now`. */
  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now;
  }

  get(id: string): Promise<string | undefined> {
    const e = this.#map.get(id);
    if (e === undefined) return Promise.resolve(undefined);
    if (e.expires <= this.#now()) {
      this.#map.delete(id);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(e.value);
  }

  set(id: string, value: string, ttlSeconds: number): Promise<void> {
    this.#map.set(id, { value, expires: this.#now() + ttlSeconds * 1000 });
    if (++this.#writes % 1000 === 0) this.#sweep();
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
