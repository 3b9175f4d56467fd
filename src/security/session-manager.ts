/**
 * The session protection: reads the `session` section of the app's options once, builds
 * the signers and the store, gives every request a lazy `req.session`, and writes what
 * changed when the response is finished.
 *
 * ```ts
 * createApp({ session: { store: { redis: 'redis://127.0.0.1:6379' }, maxAge: 7 * 86400 } });
 * ```
 * See docs/sessions.md#configuration.
 */
import { ConfigError } from '../errors.js';
import type { Request } from '../http/request.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import { Session, sessionInternals } from './session.js';
import { makeSessionReadOnly } from './session-read-only.js';
import { MemoryStore, type SessionStore } from './session-store.js';
import type { RedisConnectionOptions } from './redis-options.js';
import { RedisStore } from './session-redis.js';
import { Signer } from './signing.js';

/** The `session` section of `createApp` options. */
export interface SessionOptions {
  /**
   * Where session data lives. `'cookie'` (default): all of it in a signed cookie (4 KB at
   * most; a login in it is ended through `userEpoch`). `'memory'`: in this process, the
   * cookie holds a signed id. `{ redis: url | connection settings }`: in Redis, shared by every
   * process. Or any object implementing `SessionStore`.
   */
  store?: 'cookie' | 'memory' | { redis: string | RedisConnectionOptions; prefix?: string } | SessionStore;
  /** Lifetime in seconds since the last write (cookie Max-Age and store TTL). Default 14 days. */
  maxAge?: number;
  /** Cookie name. Default `session`; over HTTPS it gets the `__Host-` prefix. */
  cookieName?: string;
  /**
   * Reads a user's session epoch: a value stored with the user (a random string) that
   * the app changes to end every session of that user — at logout, on a password change,
   * when the account is deleted. A session whose login (`session.setUser(id, epoch)`)
   * holds another epoch, or whose user has none (`undefined` or `null`: gone), is ended
   * when it is loaded. Needed by `setUser`. See docs/sessions.md#a-login.
   *
   * ```ts
   * createApp({ session: { userEpoch: (id) => db.user(Number(id))?.sessionEpoch } });
   * ```
   */
  userEpoch?: UserEpoch;
  /**
   * Ends every session of a user: gives the user a new session epoch (the value
   * `userEpoch` reads back). Called by `req.session.logout()`, which needs it with the
   * cookie store. See docs/auth.md#logging-in-and-out.
   *
   * ```ts
   * createApp({ session: { endUserSessions: (id) => db.setSessionEpoch(Number(id), randomBytes(16).toString('base64url')) } });
   * ```
   */
  endUserSessions?: EndUserSessions;
}

/** The `session.endUserSessions` setting: changes the user's session epoch. */
export type EndUserSessions = (userId: string | number) => void | Promise<void>;

/** The `session.userEpoch` setting: the user's session epoch now, or undefined/null when the user is gone. */
export type UserEpoch = (userId: string | number) => string | number | null | undefined | Promise<string | number | null | undefined>;

const DEFAULT_MAX_AGE = 14 * 24 * 3600;
const KEYS = new Set(['store', 'maxAge', 'cookieName', 'userEpoch', 'endUserSessions']);

/** What sessions need, resolved once per app. Internal. */
export class SessionManager {
  readonly store: SessionStore | null;
  readonly maxAge: number;
  readonly cookieSigner: Signer;
  readonly idSigner: Signer;
  readonly userEpoch: UserEpoch | undefined;
  readonly endUserSessions: EndUserSessions | undefined;
  readonly #name: string;
  readonly #hostName: string;
  readonly #warn: (message: string) => void;
  #warned = false;

  constructor(
    secretKeys: readonly string[],
    opts: { store: SessionStore | null; maxAge: number; cookieName: string; userEpoch?: UserEpoch | undefined; endUserSessions?: EndUserSessions | undefined },
    warn: (message: string) => void = () => {},
  ) {
    this.store = opts.store;
    this.maxAge = opts.maxAge;
    this.userEpoch = opts.userEpoch;
    this.endUserSessions = opts.endUserSessions;
    this.#warn = warn;
    // The same cookie comes back on every request of a user: remember the ones verified.
    this.cookieSigner = new Signer(secretKeys, { purpose: 'palisade.session.cookie', cacheSize: 1024 });
    this.idSigner = new Signer(secretKeys, { purpose: 'palisade.session.id', cacheSize: 4096 });
    this.#name = opts.cookieName;
    this.#hostName = /^__(Host|Secure)-/.test(opts.cookieName) ? opts.cookieName : `__Host-${opts.cookieName}`;
  }

  /** Said once, the first time a cookie session's id is rotated (a login) with nothing to revoke it. */
  warnUnrevocableLogin(): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#warn(UNREVOCABLE);
  }

  /** `session`, or `__Host-session` over HTTPS (Secure, Path=/, no Domain: the browser enforces it). */
  cookieName(req: Request): string {
    return req.secure ? this.#hostName : this.#name;
  }
}

const UNREVOCABLE =
  'A login (session.regenerate() or setUser()) in a cookie session, with no session.userEpoch setting: a copied cookie stays logged in for maxAge after logout, and nothing can end it. Fix: store a session epoch with each user, log in with setUser(id, epoch) and set session.userEpoch (docs/sessions.md#a-login).';

/** Reads and checks the `session` options; throws ConfigError naming the setting. */
export function resolveSessionOptions(
  raw: unknown,
  log: (err: Error) => void,
): { store: SessionStore | null; maxAge: number; cookieName: string; userEpoch: UserEpoch | undefined; endUserSessions: EndUserSessions | undefined } {
  if (raw === undefined) raw = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('session', 'an object', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "session.${k}" (known: ${[...KEYS].join(', ')}).`, { key: `session.${k}` });
  }
  const maxAge = o.maxAge ?? DEFAULT_MAX_AGE;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge <= 0) invalid('session.maxAge', 'a positive whole number of seconds', maxAge);
  const cookieName = o.cookieName ?? 'session';
  if (typeof cookieName !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(cookieName)) {
    invalid('session.cookieName', 'a cookie name (letters, digits, - and _)', cookieName);
  }
  let store: SessionStore | null;
  const s = o.store ?? 'cookie';
  if (s === 'cookie') store = null;
  else if (s === 'memory') store = new MemoryStore();
  else if (typeof s === 'object' && s !== null && 'redis' in s) {
    const r = (s as { redis: unknown }).redis;
    if (typeof r !== 'string' && (typeof r !== 'object' || r === null)) invalid('session.store.redis', 'a redis:// URL or connection settings', r);
    if (typeof r === 'string' && !/^rediss?:\/\//.test(r)) invalid('session.store.redis', 'a redis:// or rediss:// URL', r);
    const prefix = (s as { prefix?: unknown }).prefix;
    if (prefix !== undefined && typeof prefix !== 'string') invalid('session.store.prefix', 'a string', prefix);
    store = new RedisStore({ redis: r as string | RedisConnectionOptions, prefix, onError: log });
  } else if (isStore(s)) store = s;
  else invalid('session.store', `'cookie', 'memory', { redis: url } or a SessionStore`, s);
  const userEpoch = o.userEpoch;
  if (userEpoch !== undefined && typeof userEpoch !== 'function') invalid('session.userEpoch', 'a function (userId) => epoch', userEpoch);
  const endUserSessions = o.endUserSessions;
  if (endUserSessions !== undefined && typeof endUserSessions !== 'function')
    invalid('session.endUserSessions', 'a function (userId) => void', endUserSessions);
  if (endUserSessions !== undefined && userEpoch === undefined) {
    throw new ConfigError(
      'CONFIG_INVALID',
      'Setting "session.endUserSessions" needs "session.userEpoch" too: it changes the epoch that userEpoch reads back, and without userEpoch nothing would compare it, so no session would end.',
      { key: 'session.endUserSessions' },
    );
  }
  return { store, maxAge, cookieName, userEpoch: userEpoch as UserEpoch | undefined, endUserSessions: endUserSessions as EndUserSessions | undefined };
}

/**
 * True when a route's handler or hooks visibly log a user in: their source calls
 * `regenerate(` or `setUser(` on a session. A login hidden in a helper function is not
 * seen here; it is reported at run time instead (warnUnrevocableLogin).
 */
function logsIn(route: { handler: unknown; before: readonly unknown[] }): boolean {
  return [route.handler, ...route.before].some((f) => typeof f === 'function' && /\.(regenerate|setUser)\s*\(/.test(Function.prototype.toString.call(f)));
}

function isStore(s: unknown): s is SessionStore {
  const o = s as Partial<SessionStore> | null;
  return typeof o === 'object' && o !== null && typeof o.get === 'function' && typeof o.set === 'function' && typeof o.delete === 'function';
}

function invalid(key: string, expected: string, got: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${shown}.`, { key });
}

/**
 * The session protection factory: its check runs in the `session` phase, before
 * CSRF, which binds its tokens to the session.
 */
export function sessionProtection(ctx: ProtectionContext): Protection {
  let lastLog = 0;
  const log = (err: Error): void => {
    // ioredis reports every failed reconnect; one line every 10 s is enough.
    const now = Date.now();
    if (now - lastLog < 10_000) return;
    lastLog = now;
    ctx.logger.warn({ err: err.message }, 'session store unavailable');
  };
  const resolved = resolveSessionOptions(ctx.options.session, log);
  const manager = new SessionManager(ctx.settings.secretKeys, resolved, (message) => ctx.logger.warn(message));
  return {
    name: 'session',
    phases: { check: 'session', finish: 'session' },
    // Read by `palisade check --workers N`: state that each worker keeps for itself.
    ...(manager.store instanceof MemoryStore ? { processLocal: 'the memory session store' } : {}),
    check(req, route) {
      req.session = new Session(manager, req);
      // A WebSocket handshake is answered without a session cookie: its hooks and handler
      // may read the session, never change it (session-read-only.ts).
      if (route?.websocket !== undefined) makeSessionReadOnly(req.session);
    },
    finish(req, res) {
      const s = req.session as Session | undefined;
      if (s !== undefined) return sessionInternals.finish(s, res);
    },
    audit(routes) {
      const out: string[] = [];
      if (ctx.settings.env === 'production' && manager.store instanceof MemoryStore) {
        out.push(
          'session: the memory store keeps sessions in one process; they are lost on restart and not shared between workers. Use { redis: url } with several workers.',
        );
      }
      if (manager.store === null && manager.userEpoch === undefined) {
        const logins = routes.filter((r) => !r.implicitHead && logsIn(r));
        if (logins.length > 0) {
          const where = logins.map((r) => `${r.method} ${r.path}`).join(', ');
          out.push(
            `session-revocation: cookie sessions carry a login (the session id is rotated by ${where}) but nothing can end one: a copied cookie stays logged in for ${manager.maxAge} s after logout. ` +
              'Fix: store a session epoch with each user, log in with req.session.setUser(id, epoch), set session.userEpoch, and change the epoch at logout (docs/sessions.md#a-login).',
          );
        }
      }
      return out;
    },
    async close() {
      await manager.store?.close?.();
    },
  };
}
