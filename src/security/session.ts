/**
 * Sessions: `req.session`, a small key-value map that follows one browser across
 * requests, signed so the browser cannot change it.
 *
 * By default the whole session lives in a signed cookie (HMAC-SHA256, key rotation, max
 * age). With a server-side store (memory, Redis) the cookie carries only a signed random
 * id. Either way the session is loaded lazily: a route that never touches `req.session`
 * pays nothing, and only a session that changed is written back.
 *
 * ```ts
 * app.post('/login', async (req) => {
 *   const user = await checkPassword(await req.form());
 *   await req.session.regenerate();          // new id at login (session fixation)
 *   await req.session.set('userId', user.id);
 *   return Response.redirect('/');
 * });
 * ```
 * See docs/sessions.md.
 */
import { randomBytes } from 'node:crypto';
import { HttpError, PalisadeError } from '../errors.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { SessionManager } from './session-manager.js';

declare module '../http/request.js' {
  interface Request {
    /** This request's session (see docs/sessions.md). */
    session: Session;
  }
}

/** Largest cookie a browser is guaranteed to keep (RFC 6265 §6.1), name and value together. */
export const MAX_COOKIE_SIZE = 4096;
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new random session id: 32 bytes, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Internal hooks used by the session protection and CSRF; not part of the public API. */
export let sessionInternals: {
  /** Completes the response; a promise only when a server-side store is written. */
  finish(s: Session, res: Response): Promise<void> | undefined;
  /** The id a CSRF token is bound to, creating the session if needed (sync). */
  bindingForRender(s: Session): string;
  /** The id of an existing, stored session, or undefined (loads it; sync for the cookie store). */
  bindingForCheck(s: Session): string | undefined | Promise<string | undefined>;
  /**
   * Reads a key for a protection that preloads (flashed messages for templates) without
   * marking the response as depending on the session: no `Vary: Cookie` unless
   * `touch` is called, or the handler uses the session itself. Synchronous when the data
   * is at hand (the cookie store, or already loaded).
   */
  peek(s: Session, key: string): unknown;
  /** Marks the response as depending on the session (the peeked value was used). */
  touch(s: Session): void;
};

/**
 * One request's view of its session. Values must be JSON-serializable; they are copied
 * in on `set`, so change an object and `set` it again to save the change.
 *
 * ```ts
 * const count = (await req.session.get<number>('visits')) ?? 0;
 * await req.session.set('visits', count + 1);
 * ```
 * See docs/sessions.md.
 */
export class Session {
  readonly #m: SessionManager;
  readonly #req: Request;
  /** The cookie has been looked at. */
  #parsed = false;
  #cookiePresent = false;
  /** Id from a valid cookie (server stores: not yet known to exist). */
  #cookieId: string | undefined;
  /** The current id; undefined until one is needed for a new session. */
  #id: string | undefined;
  #data: Record<string, unknown> | undefined;
  /** Cookie store: the verified, not yet decoded data (decoded on first use, so a check that needs only the id never parses JSON). */
  #rawData: string | undefined;
  #loading: Promise<void> | undefined;
  /** An existing session was found (valid cookie, and the record in the store). */
  #found = false;
  /** Seconds since the epoch of the last write of the found session. */
  #writtenAt = 0;
  #dirty = false;
  /** The id was used for a CSRF token: the session must exist after this response. */
  #pinned = false;
  #destroyed = false;
  /** Ids to delete from the store when the response is finished. */
  readonly #stale: string[] = [];
  /** Read or written: the response depends on the cookie. */
  #touched = false;

  constructor(manager: SessionManager, req: Request) {
    this.#m = manager;
    this.#req = req;
  }

  /** True until a saved session was found for this request (a first visit, an expired cookie). */
  async isNew(): Promise<boolean> {
    await this.load();
    return !this.#found;
  }

  /** Loads the session (it is loaded by the first `get`/`set` anyway). */
  async load(): Promise<this> {
    this.#touched = true;
    if (this.#data === undefined) {
      this.#parse();
      this.#decodeRaw();
      if (this.#data === undefined) await (this.#loading ??= this.#loadFromStore());
    }
    return this;
  }

  /** The value saved under `key`, or undefined. */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    await this.load();
    return Object.hasOwn(this.#data!, key) ? (this.#data![key] as T) : undefined;
  }

  /** True when a value is saved under `key`. */
  async has(key: string): Promise<boolean> {
    await this.load();
    return Object.hasOwn(this.#data!, key);
  }

  /**
   * Saves a JSON-serializable value under `key` (a copy is kept); `undefined` deletes.
   * Values that JSON cannot hold (functions, BigInt, cycles) are a `SESSION_VALUE_INVALID` error.
   */
  async set(key: string, value: unknown): Promise<void> {
    if (value === undefined) return this.delete(key);
    await this.load();
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw new PalisadeError('SESSION_VALUE_INVALID', `The session value for "${key}" cannot be saved as JSON: ${(err as Error).message}`, { key });
    }
    if (text === undefined) {
      throw new PalisadeError('SESSION_VALUE_INVALID', `The session value for "${key}" cannot be saved as JSON (it is a ${typeof value}).`, { key });
    }
    const d = this.#data!;
    if (Object.hasOwn(d, key) && JSON.stringify(d[key]) === text) return; // unchanged: no write
    d[key] = JSON.parse(text);
    this.#changed();
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    await this.load();
    if (!Object.hasOwn(this.#data!, key)) return;
    delete this.#data![key];
    this.#changed();
  }

  /** Removes every key but keeps the session (and its id). */
  async clear(): Promise<void> {
    await this.load();
    if (Object.keys(this.#data!).length === 0) return;
    this.#data = Object.create(null);
    this.#changed();
  }

  /** A copy of every key and value. */
  async toObject(): Promise<Record<string, unknown>> {
    await this.load();
    return JSON.parse(JSON.stringify(this.#data)) as Record<string, unknown>;
  }

  /**
   * Gives the session a new id, keeping its data unless `{ keepData: false }`. Call it when
   * the user logs in (against session fixation). With a server-side store the old id is
   * deleted. CSRF tokens issued before are no longer valid (they are bound to the id).
   */
  async regenerate(opts: { keepData?: boolean } = {}): Promise<void> {
    await this.load();
    if (this.#m.store !== null && this.#id !== undefined) this.#stale.push(this.#id);
    this.#id = newSessionId();
    if (opts.keepData === false) this.#data = Object.create(null);
    this.#destroyed = false;
    this.#dirty = true;
  }

  /**
   * Ends the session: the data is dropped, the record deleted from a server-side store,
   * and the browser told to delete the cookie. Setting a value afterwards starts a new
   * session with a new id.
   */
  async destroy(): Promise<void> {
    this.#touched = true;
    this.#parse();
    const id = this.#id ?? this.#cookieId;
    if (this.#m.store !== null && id !== undefined) this.#stale.push(id);
    this.#id = undefined;
    this.#data = Object.create(null);
    this.#rawData = undefined;
    this.#loading = undefined;
    this.#found = false;
    this.#dirty = false;
    this.#pinned = false;
    this.#destroyed = true;
  }

  #changed(): void {
    this.#dirty = true;
    this.#id ??= newSessionId();
  }

  /** Reads the cookie (once). For the cookie store this loads the data too. Never throws. */
  #parse(): void {
    if (this.#parsed) return;
    this.#parsed = true;
    const m = this.#m;
    const raw = this.#req.cookies[m.cookieName(this.#req)];
    if (raw === undefined) return;
    this.#cookiePresent = true;
    if (raw.length > MAX_COOKIE_SIZE) return; // oversized: ignored, a fresh session
    if (m.store === null) {
      // The signed payload is `<id>.<base64url JSON data>`.
      const r = m.cookieSigner.unsign(raw, { maxAge: m.maxAge });
      if (!r.ok || r.value.charCodeAt(43) !== 46 /* . */) return;
      const id = r.value.slice(0, 43);
      if (!ID_PATTERN.test(id)) return;
      this.#cookieId = this.#id = id;
      this.#rawData = r.value.slice(44);
      this.#found = true;
      this.#writtenAt = r.signedAt;
    } else {
      const r = m.idSigner.unsign(raw, { maxAge: m.maxAge });
      if (!r.ok || !ID_PATTERN.test(r.value)) return;
      this.#cookieId = this.#id = r.value;
    }
  }

  #decodeRaw(): void {
    if (this.#rawData === undefined) return;
    // Signed by us, so it decodes; if it ever does not, the data is dropped, not trusted.
    this.#data = this.#data ?? decodeCookieData(this.#rawData) ?? Object.create(null);
    this.#rawData = undefined;
  }

  async #loadFromStore(): Promise<void> {
    const m = this.#m;
    const id = this.#cookieId;
    if (m.store === null || id === undefined || this.#destroyed) {
      this.#data = Object.create(null);
      return;
    }
    let text: string | undefined;
    try {
      text = await m.store.get(id);
    } catch (err) {
      throw storeUnavailable(m.store.name, err);
    }
    const rec = text === undefined ? undefined : decodeStoreRecord(text);
    if (rec !== undefined) {
      this.#data = rec.d;
      this.#writtenAt = rec.t;
      this.#found = true;
      return;
    }
    this.#data = Object.create(null);
    if (this.#pinned) this.#dirty = true; // a token was issued for this id: keep it, saved empty
    else if (this.#id === id) this.#id = undefined; // never adopt an id we do not hold
  }

  /**
   * Completes the response: writes what changed, sets `Vary: Cookie`. Synchronous for the
   * cookie store, so that most responses make no promise here.
   */
  #finish(res: Response): Promise<void> | undefined {
    markPrivate(res);
    if (this.#m.store !== null) return this.#finishStored(res);
    const name = this.#m.cookieName(this.#req);
    if (this.#mustWrite()) this.#writeCookie(res, name);
    else this.#dropStaleCookie(res, name);
    return undefined;
  }

  async #finishStored(res: Response): Promise<void> {
    const store = this.#m.store!;
    for (const id of this.#stale) {
      try {
        await store.delete(id);
      } catch (err) {
        throw storeUnavailable(store.name, err);
      }
    }
    // A token was issued for an id we have not checked against the store: check now.
    if (this.#pinned && this.#data === undefined) await this.load();
    const name = this.#m.cookieName(this.#req);
    if (!this.#mustWrite()) return this.#dropStaleCookie(res, name);
    const id = (this.#id ??= newSessionId());
    this.#decodeRaw();
    const data = this.#data ?? Object.create(null);
    try {
      await store.set(id, JSON.stringify({ d: data, t: Math.floor(Date.now() / 1000) }), this.#m.maxAge);
    } catch (err) {
      throw storeUnavailable(store.name, err);
    }
    res.setCookie(name, this.#m.idSigner.sign(id), this.#cookieOptions());
  }

  /** The session must be saved: it changed, a token was issued for a new one, or it is half-way to expiry. */
  #mustWrite(): boolean {
    const refresh = this.#found && Date.now() / 1000 - this.#writtenAt > this.#m.maxAge / 2;
    return this.#dirty || (this.#pinned && !this.#found) || refresh;
  }

  /** Deletes a cookie that names no live session: destroyed, or stale, tampered or expired. */
  #dropStaleCookie(res: Response, name: string): void {
    if (this.#cookiePresent && (this.#destroyed || (this.#data !== undefined && !this.#found))) res.deleteCookie(name);
  }

  /** Cookie store: the whole session, signed, in the cookie. */
  #writeCookie(res: Response, name: string): void {
    const m = this.#m;
    const id = (this.#id ??= newSessionId());
    this.#decodeRaw(); // a refresh of a session nobody read still keeps its data
    const data = this.#data ?? Object.create(null);
    const value = m.cookieSigner.sign(`${id}.${Buffer.from(JSON.stringify(data)).toString('base64url')}`);
    if (name.length + 1 + value.length > MAX_COOKIE_SIZE) {
      throw new PalisadeError(
        'SESSION_COOKIE_TOO_LARGE',
        `The session cookie would be ${name.length + 1 + value.length} bytes; browsers keep at most ${MAX_COOKIE_SIZE}. Keep less in the session (an id, not a record), or use a server-side store: createApp({ session: { store: 'memory' } }) or { redis: url }.`,
        { size: name.length + 1 + value.length },
      );
    }
    res.setCookie(name, value, this.#cookieOptions());
  }

  #cookieOptions() {
    return { maxAge: this.#m.maxAge, httpOnly: true, sameSite: 'lax', path: '/' } as const;
  }

  static {
    sessionInternals = {
      // Untouched sessions finish synchronously: no promise on requests that never used one.
      finish: (s, res) => (s.#touched ? s.#finish(res) : undefined),
      bindingForRender(s) {
        s.#touched = true;
        s.#parse();
        s.#pinned = true;
        if (s.#id === undefined) {
          s.#id = newSessionId();
          s.#destroyed = false;
          s.#data ??= Object.create(null);
        }
        return s.#id;
      },
      peek(s, key) {
        const touched = s.#touched;
        s.#parse();
        s.#decodeRaw();
        if (s.#m.store === null) s.#data ??= Object.create(null); // no valid cookie: an empty session, as load() makes
        const read = (): unknown => {
          s.#touched = touched;
          return Object.hasOwn(s.#data!, key) ? s.#data![key] : undefined;
        };
        if (s.#data !== undefined) return read();
        return s.load().then(read);
      },
      touch(s) {
        s.#touched = true;
      },
      bindingForCheck(s) {
        if (s.#m.store === null) {
          // Cookie store: the id is known once the signature is checked; the data stays undecoded.
          s.#touched = true;
          s.#parse();
          if (!s.#found) s.#data ??= Object.create(null);
          return s.#found ? s.#id : undefined;
        }
        return s.load().then(() => (s.#found ? s.#id : undefined));
      },
    };
  }
}

/** `Vary: Cookie` and `Cache-Control: private` on a response that depends on the session. */
function markPrivate(res: Response): void {
  res.appendHeader('vary', 'Cookie');
  const cc = res.getHeader('cache-control');
  if (cc === undefined) res.setHeader('cache-control', 'private');
  else if (!/(^|,)\s*(private|no-store)\s*(,|$)/i.test(cc)) {
    const rest = cc.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'public');
    res.setHeader('cache-control', ['private', ...rest].join(', '));
  }
}

function storeUnavailable(store: string, err: unknown): HttpError {
  return new HttpError(
    'SESSION_STORE_UNAVAILABLE',
    `The session store (${store}) is not answering, so this request, which needs the session, cannot be served. Check that the store is running and reachable; Palisade reconnects by itself.`,
    { store, cause: err instanceof Error ? err.message : String(err) },
  );
}

function decodeCookieData(b64: string): Record<string, unknown> | undefined {
  try {
    const d: unknown = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    return isObject(d) ? nullProto(d) : undefined;
  } catch {
    return undefined;
  }
}

function decodeStoreRecord(text: string): { d: Record<string, unknown>; t: number } | undefined {
  try {
    const rec: unknown = JSON.parse(text);
    if (!isObject(rec) || !isObject(rec.d) || typeof rec.t !== 'number') return undefined;
    return { d: nullProto(rec.d), t: rec.t };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nullProto(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(o)) out[k] = o[k];
  return out;
}
