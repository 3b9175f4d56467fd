/**
 * Logins for routes and templates: the `login` settings section, the `loginRequired`
 * route option, `req.currentUser()` and the `current_user` template global.
 *
 * The login itself is the session's (`req.session.setUser(id, epoch)` records it,
 * `req.session.logout()` ends it; see src/security/session.ts). This module maps the
 * session's user id to the app's user with the `login.loadUser` setting, once per request,
 * and turns away requests to routes that need a user: a page is redirected to the login
 * route with a `next` that is always a path on this site, a JSON request gets a 401.
 *
 * ```ts
 * const app = createApp({ session: { userEpoch, endUserSessions }, login: { loadUser: (id) => db.user(Number(id)) } });
 * app.get('/notes', async (req) => render('notes.html', { notes: db.notes((await req.currentUser<User>())!.id) }), { loginRequired: true });
 * ```
 * See docs/auth.md.
 */
import { ConfigError, HttpError, PalisadeError } from '../errors.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import { wantsJSON } from '../http/error-page.js';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { sessionInternals } from '../security/session.js';
import { INTERNALS } from '../util/symbols.js';

/** The `login` section of `createApp` options. */
export interface LoginOptions {
  /**
   * Maps the logged-in user's id (what `setUser` recorded) to your user object, or
   * `undefined`/`null` when there is none. Called at most once per request, and only for
   * requests that carry a session cookie or ask for a user. Its result is
   * `await req.currentUser()` in handlers and `current_user` in templates.
   */
  loadUser?: LoadUser;
  /** The name of the login route, where `loginRequired` sends visitors. Default `'login'`. */
  route?: string;
}

/** The `login.loadUser` setting. */
export type LoadUser = (userId: string | number) => unknown;

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /**
     * Only a logged-in user may use this route: a page is redirected to the login route
     * (with `next`), a JSON request gets a 401. On a blueprint's `routeDefaults` it covers
     * every route of it; `false` on one route lifts it. See docs/auth.md#routes-that-need-a-login.
     */
    loginRequired?: boolean;
  }
}

declare module '../http/request.js' {
  interface Request {
    /**
     * The logged-in user as `login.loadUser` returns it, or undefined when nobody is
     * logged in (or the login was ended). Loaded once per request.
     *
     * ```ts
     * const user = await req.currentUser<User>();
     * ```
     * See docs/auth.md#the-current-user.
     */
    currentUser<T = unknown>(): Promise<T | undefined>;
  }
  interface RequestInternals {
    /** The app's loadUser, for currentUser(). */
    loadUser?: LoadUser;
    /** The user loaded for the session's login id (see currentUser). */
    user?: { readonly id: string | number; readonly value: unknown };
  }
}

const KEYS = new Set(['loadUser', 'route']);

function readOptions(raw: unknown): { loadUser: LoadUser | undefined; route: string } {
  if (raw === undefined) return { loadUser: undefined, route: 'login' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('login', 'an object', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "login.${k}" (known: ${[...KEYS].join(', ')}).`, { key: `login.${k}` });
  }
  if (o.loadUser !== undefined && typeof o.loadUser !== 'function') throw invalid('login.loadUser', 'a function (userId) => user', o.loadUser);
  if (o.route !== undefined && (typeof o.route !== 'string' || o.route === '')) throw invalid('login.route', 'a route name', o.route);
  return { loadUser: o.loadUser as LoadUser | undefined, route: (o.route as string | undefined) ?? 'login' };
}

function invalid(key: string, expected: string, got: unknown): ConfigError {
  return new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${typeof got === 'function' ? 'a function' : JSON.stringify(got)}.`, {
    key,
  });
}

/** `req.currentUser()`: one function shared by every request. */
async function currentUser<T>(this: Request): Promise<T | undefined> {
  const load = this[INTERNALS].loadUser;
  if (load === undefined) {
    throw new PalisadeError(
      'CONFIG_INVALID',
      "req.currentUser() needs the login.loadUser setting, which maps the session's user id to a user: createApp({ login: { loadUser: (id) => db.user(Number(id)) } }).",
    );
  }
  const id = await this.session.user();
  if (id === undefined) return undefined;
  const cached = this[INTERNALS].user;
  if (cached !== undefined && cached.id === id) return cached.value as T | undefined;
  const value = (await load(id)) ?? undefined;
  this[INTERNALS].user = { id, value };
  return value as T | undefined;
}

/**
 * `current_user` for templates, which render synchronously: the user loaded for the
 * session's login as it stands, else undefined. After `setUser()` or `logout()` in the same
 * request it is undefined until `await req.currentUser()` loads the new one; it never shows
 * a user whose login is over.
 */
function templateUser(req: Request): unknown {
  const cached = req[INTERNALS].user;
  if (cached === undefined) return undefined;
  return sessionInternals.loginId(req.session) === cached.id ? cached.value : undefined;
}

/**
 * A path on this site to come back to after the login: the request's own path and query,
 * with a leading run of slashes and backslashes made one slash, so that `//evil.example`
 * (which a browser reads as another host) comes back as `/evil.example`.
 */
function nextPath(url: string): string {
  let i = 0;
  while (i < url.length && (url[i] === '/' || url[i] === '\\')) i++;
  return `/${url.slice(i)}`;
}

/**
 * True when the visitor is a person asking for a page, who should be sent to the login
 * page; false for a script or an API client, who gets a 401. A script's request says so:
 * it prefers JSON (`Accept`, the rule error pages use), or a browser marks it as not a
 * navigation (`Sec-Fetch-Mode: cors`, `same-origin`, `no-cors`: fetch and XHR).
 */
function wantsPage(req: Request): boolean {
  if (wantsJSON(req)) return false;
  const mode = req.header('sec-fetch-mode');
  return mode === undefined || mode === 'navigate';
}

/** The login protection: its check runs in the `auth` phase, after CSRF and after forms, whose template globals it extends. */
export function loginProtection(ctx: ProtectionContext): Protection {
  const { loadUser, route: loginRoute } = readOptions(ctx.options.login);

  const refuse = (req: Request, scope: RequestScope): Response => {
    if (!wantsPage(req)) {
      throw new HttpError('AUTH_LOGIN_REQUIRED', 'Log in first: this URL needs a logged-in user.');
    }
    const urlFor = scope.urlFor;
    let target: string;
    try {
      // Only a page that can be asked for again (GET) is worth coming back to.
      const safe = req.method === 'GET' || req.method === 'HEAD';
      target = urlFor!(loginRoute, {}, safe ? { next: nextPath(req.url) } : {});
    } catch {
      throw new ConfigError(
        'CONFIG_INVALID',
        `loginRequired sends visitors to the route named "${loginRoute}", and there is none. Name your login route: app.get('/login', page, { name: '${loginRoute}' }), or set login.route.`,
        { key: 'login.route' },
      );
    }
    return Response.redirect(target, { status: 303 });
  };

  const decide = async (req: Request, scope: RequestScope): Promise<Response | undefined> => {
    const user = loadUser === undefined ? await req.session.user() : await req.currentUser();
    return user === undefined ? refuse(req, scope) : undefined;
  };

  /**
   * Loads the user for templates on a route that does not need one, the way flashed
   * messages are preloaded: without marking the response as depending on the session
   * until a template reads `current_user`, and without failing the request when the
   * session store is down (a route that needs the session finds out itself).
   */
  const preload = async (req: Request): Promise<void> => {
    try {
      // A peek at any key loads the session and checks its login, leaving it untouched.
      const peeked = sessionInternals.peek(req.session, '');
      if (peeked instanceof Promise) await peeked;
    } catch {
      return;
    }
    const id = sessionInternals.loginId(req.session);
    if (id === undefined || loadUser === undefined) return;
    req[INTERNALS].user = { id, value: (await loadUser(id)) ?? undefined };
  };

  return {
    name: 'login',
    phases: { check: 'auth' },
    check(req, route: MountedRoute | null, scope) {
      req.currentUser = currentUser;
      if (loadUser !== undefined) req[INTERNALS].loadUser = loadUser;
      if (route === null) return;
      const required = route.options.loginRequired === true;
      if (loadUser !== undefined) {
        const globals = Object.assign(Object.create(null) as Record<string, unknown>, scope.globals);
        // Reading it makes the response depend on the session (Vary: Cookie, private).
        const get = (): unknown => {
          sessionInternals.touch(req.session);
          return templateUser(req);
        };
        Object.defineProperty(globals, 'current_user', { get, enumerable: true });
        scope.globals = globals;
        // Templates render synchronously: load the user now when there may be one.
        if (required) return decide(req, scope);
        if (sessionInternals.cookieId(req.session) !== undefined) return preload(req);
        return;
      }
      if (required) return decide(req, scope);
    },
    audit(routes) {
      if (!routes.some((r) => r.options.loginRequired === true)) return [];
      if (routes.some((r) => r.name === loginRoute)) return [];
      return [
        `login: routes need a login (loginRequired) but no route is named "${loginRoute}"; visitors would get a 500. Name the login route or set login.route.`,
      ];
    },
  };
}
