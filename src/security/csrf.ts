/**
 * CSRF protection, on by default for every state-changing request (every method but
 * GET, HEAD and OPTIONS) of every route that is not explicitly exempt. Two independent
 * layers, both checked before hooks and the handler run:
 *
 * 1. Origin (csrf-origin.ts): `Sec-Fetch-Site`, else `Origin`, must say the request comes
 *    from the app's own pages, whatever the Content-Type.
 * 2. Token (csrf-token.ts): a signed, masked token bound to the session, read from the
 *    `X-CSRF-Token` header, else from the `csrf_token` field of a urlencoded or multipart
 *    form body. Any other body without the header has no token, and is refused.
 *
 * Templates get the token through the request scope (`csrf_token()`, `csrf_field()`, and
 * the hidden field added to same-origin POST forms); JavaScript sends it in the header.
 *
 * ```ts
 * app.post('/notes', handler);                          // protected
 * app.post('/hooks/stripe', webhook, { csrf: false });  // exempt, listed by `palisade check`
 * ```
 * See docs/forms-and-csrf.md.
 */
import { ConfigError, HttpError } from '../errors.js';
import { currentScope, type RequestScope } from '../http/context.js';
import { INTERNALS, SCOPE } from '../util/symbols.js';
import { serializeCookie } from '../http/cookies.js';
import type { Request } from '../http/request.js';
import { fieldBeforeFiles } from '../files/request-files.js'; // a multipart token, read as req.files() parses (once, shared with the handler)
import { Response } from '../http/response.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import { OriginCheck, type OriginRefusal } from './csrf-origin.js';
import { CsrfTokens } from './csrf-token.js';
import { CSRF_FIELD, CSRF_HEADER, CSRF_HEADER_KEY } from '../http/csrf-names.js';
import { sessionInternals } from './session.js';

/** The `csrf` section of `createApp` options. */
export interface CsrfOptions {
  /**
   * `false` switches CSRF protection off entirely, both layers. Only for an app that
   * serves no browser; `palisade check` reports it.
   */
  enabled?: boolean;
  /** `false` switches the token layer off and keeps the origin check. Reported by `palisade check`. */
  token?: boolean;
  /** Other origins whose pages may send state-changing requests, e.g. `['https://admin.example.com']`. */
  trustedOrigins?: readonly string[];
  /**
   * Exact routes exempt from both layers: route names (`'hooks.stripe'`) or a method and
   * the route's declared path (`'POST /hooks/stripe'`). Never patterns. Prefer the route
   * option `{ csrf: false }`.
   */
  exempt?: readonly string[];
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const KEYS = new Set(['enabled', 'token', 'trustedOrigins', 'exempt']);
/** Protections that can mint a token for the test client (see issueCsrfTokenForTestClient). */
const minters = new WeakMap<Protection, (req: Request) => string>();
/** A token check's outcome, kept so that the check runs once per request. */
type Verdict = 'passed' | Promise<void> | { error: unknown };

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /** `false` exempts this route from CSRF protection (webhooks). Listed by `palisade check`. See docs/forms-and-csrf.md#exempting-a-route. */
    csrf?: boolean;
  }
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** The token check of a state-changing request (see csrfTokenCheck). */
    csrfCheck?: (req: Request) => Promise<void> | undefined;
    csrfVerdict?: Verdict;
  }
}

/**
 * Internal, for forms (src/forms): the CSRF token check of this state-changing request —
 * the protection's own, memoised, so a token the protection already verified is not
 * verified twice — or undefined when the method is safe or CSRF protection is switched
 * off. The check throws or rejects with CSRF_TOKEN_MISSING or CSRF_TOKEN_INVALID.
 */
export function csrfTokenCheck(req: Request): (() => Promise<void> | undefined) | undefined {
  const check = req[INTERNALS].csrfCheck;
  return check === undefined ? undefined : () => check(req);
}

/**
 * A masked CSRF token for the current request's session, for code that is not a
 * template (a JSON endpoint handing the token to a single-page app, for instance).
 *
 * ```ts
 * app.get('/api/csrf', () => ({ token: csrfToken() }));
 * ```
 * See docs/forms-and-csrf.md#fetch-and-javascript.
 */
export function csrfToken(): string {
  const scope = currentScope();
  if (scope?.csrfToken === undefined) throw new TypeError('csrfToken() is called outside a request, or CSRF protection is switched off');
  return scope.csrfToken();
}

/**
 * True when a route is exempt from CSRF protection: `{ csrf: false }`, or listed in the
 * `csrf.exempt` setting by name or as `METHOD /path`. The one rule, for the check and for
 * the API description.
 */
export function csrfExempt(route: Pick<MountedRoute, 'options' | 'name' | 'method' | 'path'>, exempt: ReadonlySet<string>): boolean {
  return route.options.csrf === false || (route.name !== undefined && exempt.has(route.name)) || exempt.has(`${route.method} ${route.path}`);
}

/** The routes the CSRF check covers: unsafe methods and WebSocket handshakes, unless exempt. */
export function csrfCovers(route: MountedRoute, exempt: ReadonlySet<string>): boolean {
  return (!SAFE.has(route.method) || route.websocket !== undefined) && !csrfExempt(route, exempt);
}

/** Builds the CSRF protection from the app's `csrf` options (src/app/default-protections.ts builds it; its check runs in the `csrf` phase). */
export function csrfProtection(ctx: ProtectionContext): Protection | null {
  const o = readOptions(ctx.options.csrf);
  // Switched off: no protection at all; `palisade check` reports its absence (csrf-off).
  if (o.enabled === false) return null;
  const origins = new OriginCheck(ctx.settings.origin, o.trustedOrigins ?? []);
  const tokens = new CsrfTokens(ctx.settings.secretKeys);
  const tokenLayer = o.token !== false;
  const exemptList = new Set(o.exempt ?? []);
  const exemptCache = new WeakMap<MountedRoute, boolean>();
  const isExempt = (route: MountedRoute): boolean => {
    let v = exemptCache.get(route);
    if (v === undefined) {
      v = csrfExempt(route, exemptList);
      exemptCache.set(route, v);
    }
    return v;
  };
  const mint = (req: Request): string => {
    if (req.session === undefined) throw new TypeError('CSRF tokens need the session protection');
    return tokens.mint(sessionInternals.bindingForRender(req.session));
  };

  // One function for every request's scope (no closure per request), called as its method.
  const mintForScope = function (this: RequestScope): string {
    return mint(this.request as Request);
  };

  const refuse = (req: Request, err: HttpError): never => {
    req.log.warn(
      { code: err.code, method: req.method, path: req.path, origin: req.header('origin'), secFetchSite: req.header('sec-fetch-site') },
      'CSRF check refused a request',
    );
    throw err;
  };

  // Finds the token (a header, else a form field of the body) and checks it against the
  // session. Synchronous when the token is in the header and the session is in its cookie;
  // a form body is waited for once (req.form() and req.files() cache what they parse).
  const verifyToken = (req: Request): Promise<void> | undefined => {
    const header = req.header(CSRF_HEADER_KEY);
    if (header !== undefined) return checkToken(req, header, `the ${CSRF_HEADER} header`);
    const type = req.mediaType?.essence;
    const where = `the ${CSRF_FIELD} form field`;
    if (type === 'application/x-www-form-urlencoded') return req.form().then((f) => checkToken(req, f.get(CSRF_FIELD), where));
    // Read as the body streams: the check runs as soon as the field has arrived (or a file
    // part has, without it), so a refused upload is neither read to its end nor written.
    if (type === 'multipart/form-data') return fieldBeforeFiles(req, CSRF_FIELD, (token) => checkToken(req, token, where));
    return checkToken(req, undefined, where);
  };

  const checkToken = (req: Request, token: string | undefined, where: string): Promise<void> | undefined => {
    if (token === undefined || token === '') {
      refuse(req, new HttpError('CSRF_TOKEN_MISSING', missingMessage(req), { method: req.method, path: req.path }));
    }
    const binding = sessionInternals.bindingForCheck(req.session);
    if (binding instanceof Promise) return binding.then((b) => matchToken(req, token!, b, where));
    matchToken(req, token!, binding, where);
    return undefined;
  };

  const matchToken = (req: Request, token: string, binding: string | undefined, where: string): void => {
    if (binding === undefined) {
      refuse(
        req,
        new HttpError(
          'CSRF_TOKEN_INVALID',
          `CSRF check failed: this ${req.method} carries a CSRF token in ${where} but no live session (the session cookie is missing, expired, or its session was ended: a logout, or a login ended elsewhere). Reload the page that sent it to get a fresh token; if it keeps happening, check that the session cookie is sent (same site, HTTPS settings).`,
          { reason: 'no-session' },
        ),
      );
    }
    if (!tokens.verify(token, binding!)) {
      refuse(
        req,
        new HttpError(
          'CSRF_TOKEN_INVALID',
          `CSRF check failed: the token in ${where} does not belong to this session (it is altered, from another session, or from before the user logged in). Render the form again so it carries {{ csrf_token() }} from this session; scripts should read it from the page, not store it.`,
          { reason: 'mismatch' },
        ),
      );
    }
  };

  // The check, run at most once per request: a later call (a form on an exempt route)
  // gets the same verdict, thrown again or the same promise.
  const verifyOnce = (req: Request): Promise<void> | undefined => {
    const prev = req[INTERNALS].csrfVerdict;
    if (prev === 'passed') return undefined;
    if (prev instanceof Promise) return prev;
    if (prev !== undefined) throw prev.error;
    try {
      const pending = verifyToken(req);
      req[INTERNALS].csrfVerdict = pending ?? 'passed';
      return pending;
    } catch (err) {
      req[INTERNALS].csrfVerdict = { error: err };
      throw err;
    }
  };

  const protection: Protection = {
    name: 'csrf',
    phases: { check: 'csrf' },
    check(req: Request, route: MountedRoute | null, scope: RequestScope) {
      scope.csrfToken = mintForScope;
      if (route === null) return;
      // A WebSocket handshake is a GET, but what follows it acts with the user's cookies:
      // it passes the origin check like an unsafe method. It carries no token (the
      // browser's WebSocket API cannot add one); browsers always send Origin on it, which
      // a page cannot forge (RFC 6455 §10.2), so layer 1 decides alone.
      if (route.websocket !== undefined) {
        if (isExempt(route)) return;
        const refusal = origins.check(req);
        if (refusal !== undefined) refuse(req, new HttpError('CSRF_ORIGIN_MISMATCH', originMessage(req, refusal), { ...refusal }));
        return;
      }
      if (SAFE.has(req.method)) return;
      // One token check per request, shared with forms (src/forms), which check the token
      // themselves on exempt routes and with the token layer off.
      req[INTERNALS].csrfCheck = verifyOnce;
      if (isExempt(route)) return;
      const refusal = origins.check(req);
      if (refusal !== undefined) refuse(req, new HttpError('CSRF_ORIGIN_MISMATCH', originMessage(req, refusal), { ...refusal }));
      if (tokenLayer) return verifyOnce(req);
    },
    audit(routes) {
      const out: string[] = [];
      if (!tokenLayer) out.push('csrf: the token layer is switched off (csrf: { token: false }); only the origin check protects forms.');
      for (const r of routes) {
        if (r.websocket !== undefined) {
          if (isExempt(r))
            out.push(
              `csrf: the WebSocket route ${r.path}${r.name ? ` (${r.name})` : ''} accepts handshakes from any origin ({ csrf: false }): another site's page can open it with the user's cookies.`,
            );
          continue;
        }
        if (SAFE.has(r.method) || !isExempt(r)) continue;
        out.push(`csrf: ${r.method} ${r.path}${r.name ? ` (${r.name})` : ''} is exempt from CSRF protection.`);
      }
      for (const e of exemptList) {
        if (!routes.some((r) => r.name === e || `${r.method} ${r.path}` === e)) {
          out.push(`csrf: csrf.exempt lists "${e}", which names no route.`);
        }
      }
      return out;
    },
  };
  minters.set(protection, mint);
  return protection;
}

function originMessage(req: Request, r: OriginRefusal): string {
  const fix =
    `If the request comes from your own site behind a proxy that rewrites Host, set the app's \`origin\` setting (PALISADE_ORIGIN) to the public origin, now taken to be ${r.expected}. ` +
    `If another site of yours must post here, list it in csrf.trustedOrigins; for a webhook that no browser sends, exempt the route with { csrf: false }.`;
  if (r.secFetchSite !== undefined) {
    return `CSRF check failed: this ${req.method} was sent by a page on another site (Sec-Fetch-Site: ${r.secFetchSite}${r.origin ? `, Origin: ${r.origin}` : ''}), so it was refused. ${fix}`;
  }
  return `CSRF check failed: this ${req.method} came from the origin ${r.origin}, not ${r.expected}, so it was refused. ${fix}`;
}

function missingMessage(req: Request): string {
  const type = req.mediaType?.essence;
  const hint =
    type === 'multipart/form-data'
      ? `The form has no ${CSRF_FIELD} field before its first file: render it from a template (forms that post to your own site get the field automatically, first) or add {{ csrf_field() }} inside the form, before the file inputs.`
      : type === 'application/x-www-form-urlencoded'
        ? `The form has no ${CSRF_FIELD} field: render it from a template (forms that post to your own site get the field automatically) or add {{ csrf_field() }} inside the form.`
        : `Send the token in the ${CSRF_HEADER} header: read it from <meta name="csrf-token" content="{{ csrf_token() }}"> in the page (see docs/forms-and-csrf.md#fetch-and-javascript).`;
  return `CSRF check failed: this ${req.method} carries no CSRF token. ${hint} For a webhook that no browser sends, exempt the route with { csrf: false }.`;
}

function readOptions(raw: unknown): CsrfOptions {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('csrf', 'an object', raw);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "csrf.${k}" (known: ${[...KEYS].join(', ')}).`, { key: `csrf.${k}` });
  }
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') invalid('csrf.enabled', 'a boolean', o.enabled);
  if (o.token !== undefined && typeof o.token !== 'boolean') invalid('csrf.token', 'a boolean', o.token);
  for (const k of ['trustedOrigins', 'exempt'] as const) {
    const v = o[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))) invalid(`csrf.${k}`, 'a list of strings', v);
  }
  for (const e of (o.exempt as string[] | undefined) ?? []) {
    if (/[*?]/.test(e) || (e.includes(' ') && !/^(POST|PUT|PATCH|DELETE) \/\S*$/.test(e))) {
      invalid('csrf.exempt', 'route names or "METHOD /declared/path" entries (exact routes, never patterns)', e);
    }
  }
  return o as CsrfOptions;
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}

/**
 * For the test client only: a token for the session in `req`'s cookies, as a browser on
 * the app's own page would hold, and the Set-Cookie lines that create the session when
 * there was none. Undefined when the app has no CSRF protection.
 */
export async function issueCsrfTokenForTestClient(
  protections: readonly Protection[],
  req: Request,
): Promise<{ token: string; setCookie: string[] } | undefined> {
  const csrf = protections.find((p) => minters.has(p));
  if (csrf === undefined) return undefined;
  const session = protections.find((p) => p.name === 'session');
  const scope = req[SCOPE];
  await session?.check?.(req, null, scope);
  const token = minters.get(csrf)!(req);
  const res = new Response(null);
  await session?.finish?.(req, res, scope);
  return { token, setCookie: res.cookies.map((c) => serializeCookie(c, req.secure)) };
}
