/**
 * Sessions: `req.session`, a small key-value map that follows one browser across
 * requests, signed so the browser cannot change it.
 *
 * By default the whole session lives in a signed cookie (HMAC-SHA256, key rotation, max
 * age). With a server-side store (memory, Redis) the cookie carries only a signed random
 * id. Either way the session is loaded lazily: a route that never touches `req.session`
 * pays nothing, and only a session that changed is written back.
 *
 * A login is kept apart from the data: `setUser(id, epoch)` records who logged in and the
 * user's session epoch at that moment (a value stored with the user). When a session
 * with a login is loaded, the `session.userEpoch(id)` setting is asked for the user's
 * epoch now; a different epoch, or none (the user is gone), ends the session. Changing
 * the epoch (at logout, a password change, an account deletion) therefore ends every
 * session of that user, cookie sessions included, wherever their copies are.
 *
 * A visitor without a session gets a CSRF binding that needs no stored state: a random id
 * in the signed cookie. A server-side store is written only once the session holds data.
 *
 * ```ts
 * app.post('/login', async (req) => {
 *   const user = await checkPassword(await req.form());
 *   await req.session.setUser(user.id, user.sessionEpoch); // a new id, and the login
 *   return Response.redirect('/');
 * });
 * ```
 * See docs/sessions.md.
 */
import { randomBytes } from 'node:crypto';
import { HttpError, PalisadeError } from '../errors.js';
import { decodeCookieData, decodeCookiePayload, decodeStoreRecord, encodeCookiePayload, encodeStoreRecord, type Login } from './session-codec.js';
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
/** Server stores: the suffix of a signed id that has no record (a visitor's CSRF binding). */
const BINDING_ONLY = '.b';

/** A new random session id: 32 bytes, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Internal hooks used by the session protection and CSRF; not part of the public API. */
export let sessionInternals: {
  /** Completes the response; a promise only when a server-side store is written. */
  finish(s: Session, res: Response): Promise<void> | undefined;
  /**
   * The id a CSRF token is bound to, made if there is none (sync). The response then sets
   * a cookie that holds it: for a visitor without a session, a signed random id and no
   * stored state.
   */
  bindingForRender(s: Session): string;
  /**
   * The id a token of this request must be bound to: the valid cookie's id, unless the
   * session it names was ended (destroyed, revoked). Synchronous unless that must be read
   * (a server-side record, a login to compare with the user's epoch).
   */
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
  /**
   * The logged-in user's id as far as it is known without waiting: the login once it was
   * checked against the user's epoch, else undefined (never a login that may be ended).
   */
  loginId(s: Session): string | number | undefined;
  /** The id named by a valid session cookie, or undefined (sync; reads nothing from a store). */
  cookieId(s: Session): string | undefined;
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
  /** Id from a valid cookie (server stores: its record may not exist; it is then a CSRF binding only). */
  #cookieId: string | undefined;
  /** When the valid cookie was signed (seconds since the epoch). */
  #cookieSignedAt = 0;
  /** Server stores: the cookie says a record was written for its id (else it is a CSRF binding only). */
  #cookieStored = false;
  /** The current id; undefined until one is needed for a new session. */
  #id: string | undefined;
  #data: Record<string, unknown> | undefined;
  /** Cookie store: the verified, not yet decoded data (decoded on first use, so a check that needs only the id never parses JSON). */
  #rawData: string | undefined;
  #loading: Promise<void> | undefined;
  /** Who logged in, and the user's session epoch then (see setUser). */
  #login: Login | undefined;
  /** The login was compared with the user's epoch now, or there is none to compare. */
  #loginChecked = true;
  #checking: Promise<void> | undefined;
  /** The login was found out of date: the session was ended. */
  #revoked = false;
  /** The id was changed by regenerate() or setUser() during this request. */
  #rotated = false;
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
    if (!this.#loginChecked) await (this.#checking ??= this.#checkLogin());
    return this;
  }

  /**
   * The id of the logged-in user (see `setUser`), or undefined: nobody logged in, or the
   * login was ended since (the user's session epoch changed, or the user is gone).
   */
  async user<T extends string | number = string | number>(): Promise<T | undefined> {
    await this.load();
    return this.#login?.u as T | undefined;
  }

  /**
   * Logs `userId` in: gives the session a new id (unless `regenerate()` already did in
   * this request) and records the user with their session epoch, a value stored with the
   * user that the app changes to end the user's sessions. The `session.userEpoch` setting
   * must be there to read it back. Data in the session is kept.
   *
   * ```ts
   * await req.session.setUser(user.id, user.sessionEpoch);
   * ```
   * See docs/sessions.md#a-login.
   */
  async setUser(userId: string | number, epoch: string | number): Promise<void> {
    for (const [what, v] of [
      ['user id', userId],
      ['epoch', epoch],
    ] as const) {
      if (!(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new PalisadeError('SESSION_VALUE_INVALID', `setUser(): the ${what} must be a string or a finite number; got ${typeof v}.`, { key: what });
      }
    }
    if (this.#m.userEpoch === undefined) {
      throw new PalisadeError(
        'SESSION_REVOCATION_MISSING',
        "setUser() needs the session.userEpoch setting, which reads a user's session epoch back so that a logout, a password change or a deleted account can end the user's sessions: createApp({ session: { userEpoch: (id) => db.user(id)?.sessionEpoch } }).",
      );
    }
    await this.load();
    if (!this.#rotated) this.#rotate();
    this.#login = { u: userId, e: epoch };
    this.#loginChecked = true;
    this.#revoked = false;
    this.#changed();
  }

  /**
   * Logs the user out and ends this session: its data is dropped, its record deleted from
   * a server-side store, and the browser told to delete the cookie. With the cookie store
   * a copy of the cookie would still be valid, so the `session.endUserSessions` setting is
   * called to change the user's session epoch, which ends every session of the user,
   * copies included. With a server-side store deleting the record is enough; pass
   * `{ everywhere: true }` to end the user's other sessions too.
   *
   * ```ts
   * app.post('/logout', async (req) => { await req.session.logout(); return Response.redirect('/'); });
   * ```
   * See docs/auth.md#logging-in-and-out.
   */
  async logout(opts: { everywhere?: boolean } = {}): Promise<void> {
    await this.load();
    const login = this.#login;
    const m = this.#m;
    if (login !== undefined && (m.store === null || opts.everywhere === true)) {
      if (m.endUserSessions === undefined) {
        throw new PalisadeError(
          'SESSION_REVOCATION_MISSING',
          m.store === null
            ? 'logout() with cookie sessions needs the session.endUserSessions setting: the cookie holds the whole session, so only a new session epoch for the user ends the copies of it. createApp({ session: { endUserSessions: (id) => db.newSessionEpoch(id) } }).'
            : "logout({ everywhere: true }) needs the session.endUserSessions setting, which changes the user's session epoch: createApp({ session: { endUserSessions: (id) => db.newSessionEpoch(id) } }).",
        );
      }
      await m.endUserSessions(login.u);
    }
    await this.destroy();
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

  /** Removes every key and the login (see `setUser`), but keeps the session id. */
  async clear(): Promise<void> {
    await this.load();
    if (Object.keys(this.#data!).length === 0 && this.#login === undefined) return;
    this.#data = Object.create(null);
    this.#login = undefined;
    this.#changed();
  }

  /** A copy of every key and value. */
  async toObject(): Promise<Record<string, unknown>> {
    await this.load();
    return JSON.parse(JSON.stringify(this.#data)) as Record<string, unknown>;
  }

  /**
   * Gives the session a new id, keeping its data (and login) unless `{ keepData: false }`.
   * A login does it (`setUser` calls it when it was not called before): an id someone
   * planted in the browser (session fixation) is worthless afterwards. With a server-side
   * store the old record is deleted. CSRF tokens issued for the old id are refused from
   * now on; pages rendered afterwards carry tokens for the new one.
   */
  async regenerate(opts: { keepData?: boolean } = {}): Promise<void> {
    await this.load();
    this.#rotate();
    if (opts.keepData === false) {
      this.#data = Object.create(null);
      this.#login = undefined;
    }
  }

  #rotate(): void {
    const m = this.#m;
    if (m.store !== null && this.#found && this.#id !== undefined && this.#id === this.#cookieId) this.#stale.push(this.#id);
    if (m.store === null && m.userEpoch === undefined) m.warnUnrevocableLogin();
    this.#id = newSessionId();
    this.#destroyed = false;
    this.#rotated = true;
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
    // A record exists only for a cookie that says so (ids rotated in this request have none).
    const id = this.#id ?? this.#cookieId;
    if (this.#m.store !== null && id !== undefined && id === this.#cookieId && this.#cookieStored) this.#stale.push(id);
    this.#id = undefined;
    this.#data = Object.create(null);
    this.#rawData = undefined;
    this.#loading = undefined;
    this.#login = undefined;
    this.#loginChecked = true;
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
      const r = m.cookieSigner.unsign(raw, { maxAge: m.maxAge });
      if (!r.ok) return;
      const p = decodeCookiePayload(r.value);
      if (p === undefined || !ID_PATTERN.test(p.id)) return;
      this.#cookieId = this.#id = p.id;
      this.#rawData = p.data;
      this.#setLogin(p.login);
      this.#found = true;
      this.#writtenAt = this.#cookieSignedAt = r.signedAt;
    } else {
      // The signed payload is the id, or `<id>.b` for an id with no record (a binding only).
      const r = m.idSigner.unsign(raw, { maxAge: m.maxAge });
      if (!r.ok) return;
      const bindingOnly = r.value.length === 45 && r.value.endsWith(BINDING_ONLY);
      const id = bindingOnly ? r.value.slice(0, 43) : r.value;
      if (!ID_PATTERN.test(id)) return;
      this.#cookieId = this.#id = id;
      this.#cookieStored = !bindingOnly;
      this.#cookieSignedAt = r.signedAt;
    }
  }

  #setLogin(login: Login | undefined): void {
    this.#login = login;
    // Without userEpoch there is nothing to compare with (setUser() needs it, so such a
    // login was made before the setting was removed); it is taken as it is.
    this.#loginChecked = login === undefined || this.#m.userEpoch === undefined;
  }

  /** Ends the session when its login is out of date: the user's epoch changed, or the user is gone. */
  async #checkLogin(): Promise<void> {
    const login = this.#login;
    const userEpoch = this.#m.userEpoch;
    if (login === undefined || userEpoch === undefined) {
      this.#loginChecked = true;
      return;
    }
    const now = await userEpoch(login.u);
    this.#loginChecked = true;
    if (this.#login !== login) return; // changed meanwhile (setUser, destroy)
    if (now !== undefined && now !== null && now === login.e) return;
    // Revoked: nothing of the session is used, its record is deleted, and its id is never
    // used again, so tokens bound to it are refused (a page that got one in this very
    // response gets a new id, and its forms need a reload).
    if (this.#m.store !== null && this.#found && this.#id !== undefined) this.#stale.push(this.#id);
    this.#data = Object.create(null);
    this.#rawData = undefined;
    this.#login = undefined;
    this.#found = false;
    this.#revoked = true;
    this.#id = undefined;
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
    // No valid cookie, an ended session, or an id that never had a record: nothing to read.
    if (m.store === null || id === undefined || this.#destroyed || !this.#cookieStored) {
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
      this.#setLogin(rec.l);
      this.#found = true;
      return;
    }
    // The record is gone: the session was ended (a logout elsewhere) or expired. Its id is
    // never adopted again, so tokens bound to it stay refused; a write starts a new one.
    this.#data = Object.create(null);
    if (this.#id === id) this.#id = undefined;
  }

  /**
   * Completes the response: writes what changed, sets `Vary: Cookie`. Synchronous for the
   * cookie store, so that most responses make no promise here.
   */
  #finish(res: Response): Promise<void> | undefined {
    markPrivate(res);
    if (this.#m.store !== null) return this.#finishStored(res);
    const name = this.#m.cookieName(this.#req);
    if (this.#dirty || (this.#pinned && !this.#found) || this.#halfLived(this.#writtenAt)) this.#writeCookie(res, name);
    else this.#dropStaleCookie(res, name);
    return undefined;
  }

  async #finishStored(res: Response): Promise<void> {
    const m = this.#m;
    const store = m.store!;
    for (const id of this.#stale) {
      try {
        await store.delete(id);
      } catch (err) {
        throw storeUnavailable(store.name, err);
      }
    }
    // A token was issued for the cookie's id without reading its record: is it still live?
    if (this.#pinned && this.#cookieStored && this.#data === undefined) await this.load();
    const name = m.cookieName(this.#req);
    let emptied = false;
    if (this.#dirty || this.#halfLived(this.#writtenAt)) {
      const data = this.#data ?? Object.create(null);
      if (Object.keys(data).length > 0 || this.#login !== undefined) {
        const id = (this.#id ??= newSessionId());
        try {
          await store.set(id, encodeStoreRecord(data, this.#login), m.maxAge);
        } catch (err) {
          throw storeUnavailable(store.name, err);
        }
        res.setCookie(name, m.idSigner.sign(id), this.#cookieOptions());
        return;
      }
      // Nothing left to keep: the store holds sessions with data only. The id stays the
      // visitor's CSRF binding.
      if (this.#found && this.#id !== undefined && this.#id === this.#cookieId) {
        try {
          await store.delete(this.#id);
        } catch (err) {
          throw storeUnavailable(store.name, err);
        }
        emptied = true;
      }
    }
    // A token was issued for this id: the browser must hold it, signed, without a record.
    if (this.#pinned) this.#id ??= newSessionId();
    const id = this.#id;
    const rebind = this.#pinned && (id !== this.#cookieId || (!this.#cookieStored && this.#halfLived(this.#cookieSignedAt)));
    if (id !== undefined && (emptied || rebind)) {
      res.setCookie(name, m.idSigner.sign(id + BINDING_ONLY), this.#cookieOptions());
      return;
    }
    this.#dropStaleCookie(res, name);
  }

  /** True when something signed at `at` has lived more than half of maxAge. */
  #halfLived(at: number): boolean {
    return at > 0 && Date.now() / 1000 - at > this.#m.maxAge / 2;
  }

  /**
   * Deletes a cookie that names no live session: invalid (tampered, expired, another key),
   * destroyed, revoked, or replaced by an id that was not written.
   */
  #dropStaleCookie(res: Response, name: string): void {
    if (this.#cookiePresent && (this.#cookieId === undefined || this.#id !== this.#cookieId)) res.deleteCookie(name);
  }

  /** Cookie store: the whole session, signed, in the cookie. */
  #writeCookie(res: Response, name: string): void {
    const m = this.#m;
    const id = (this.#id ??= newSessionId());
    this.#decodeRaw(); // a refresh of a session nobody read still keeps its data
    const data = this.#data ?? Object.create(null);
    const value = m.cookieSigner.sign(encodeCookiePayload(id, data, this.#login));
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
        if (s.#data !== undefined && s.#loginChecked) return read();
        return s.load().then(read);
      },
      touch(s) {
        s.#touched = true;
      },
      loginId(s) {
        return s.#loginChecked ? s.#login?.u : undefined;
      },
      cookieId(s) {
        s.#parse();
        return s.#cookieId;
      },
      bindingForCheck(s) {
        s.#touched = true;
        s.#parse();
        const id = s.#cookieId;
        if (s.#m.store === null) {
          // The id is known once the signature is checked; the data stays undecoded.
          if (id === undefined) s.#data ??= Object.create(null);
          if (id === undefined) return undefined;
          if (s.#loginChecked) return s.#revoked ? undefined : id;
          return s.load().then(() => (s.#revoked ? undefined : id));
        }
        // An id without a record is a binding as it is; a stored session must still exist.
        if (id === undefined || !s.#cookieStored) return id;
        return s.load().then(() => (s.#found ? id : undefined));
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
    const rest = cc
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s.toLowerCase() !== 'public');
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
