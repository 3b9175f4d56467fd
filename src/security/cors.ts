/**
 * CORS: off unless configured. With no `cors` setting the app sends no
 * `Access-Control-Allow-*` header at all, so the browser keeps every response of this app
 * away from other origins' scripts.
 *
 * Configured (`createApp({ cors: { origins: ['https://app.example.com'] } })`), it answers
 * preflights (OPTIONS with `Access-Control-Request-Method`) with 204 before routing, even
 * where no OPTIONS route exists, and adds `Access-Control-Allow-Origin` to responses for
 * listed origins. Rules (Fetch Standard §3.2 "CORS protocol"):
 * - Origins are an explicit list of exact origins, or `'*'`. `'*'` never goes with
 *   credentials (a ConfigError), and the `null` origin (sandboxed frames, `file:`) is never
 *   allowed, since any page can put itself in a sandbox.
 * - The allowed origin is echoed (not `*`) whenever a list is used, with `Vary: Origin`.
 * - A preflight for an origin, method or header outside the lists is answered 403
 *   (`JSON_CORS_REFUSED`) naming what was refused, so the browser blocks the request and
 *   the developer sees why.
 * A route's own `cors` option replaces the app's (`false` switches CORS off for it).
 * See docs/json.md#cors.
 */
import { ConfigError, HttpError } from '../errors.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';

/** CORS settings: the app's `cors` option or a route's. See docs/json.md#cors. */
export interface CORSOptions {
  /** Exact origins allowed to read responses, e.g. `['https://app.example.com']`, or `'*'`. */
  origins: readonly string[] | '*';
  /** Let listed origins send cookies and read the answers (`Access-Control-Allow-Credentials`). Default false. */
  credentials?: boolean;
  /** Methods allowed by a preflight. Default `['GET', 'HEAD', 'POST']`. */
  methods?: readonly string[];
  /** Request headers allowed by a preflight. Default `['Content-Type']`. */
  headers?: readonly string[];
  /** Response headers scripts of other origins may read (`Access-Control-Expose-Headers`). */
  exposeHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer, in seconds. Default 600. */
  maxAge?: number;
}

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /** CORS for this route, replacing the app's `cors` setting; false switches it off. See docs/json.md#cors. */
    cors?: CORSOptions | false;
  }
}

/** A checked CORS policy, with its header values built once. */
interface Policy {
  readonly any: boolean;
  readonly origins: ReadonlySet<string>;
  readonly credentials: boolean;
  readonly methods: ReadonlySet<string>;
  readonly methodsHeader: string;
  readonly headers: ReadonlySet<string>;
  readonly headersHeader: string;
  readonly expose: string | undefined;
  readonly maxAge: string;
}

const KEYS = new Set(['origins', 'credentials', 'methods', 'headers', 'exposeHeaders', 'maxAge']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function bad(where: string, message: string): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${where}": ${message}`, { key: where });
}

function tokenList(where: string, v: unknown, fallback: readonly string[]): string[] {
  if (v === undefined) return [...fallback];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !TOKEN.test(x))) {
    bad(where, `must be a list of names like ["Content-Type"]; got ${JSON.stringify(v)}.`);
  }
  if (v.includes('*')) bad(where, 'a wildcard "*" is not accepted; list the names.');
  return v as string[];
}

/** Checks a `cors` section and builds its policy; throws ConfigError naming what is wrong. */
export function compileCORS(raw: unknown, where = 'cors'): Policy {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    bad(where, `must be false or an object like { origins: ['https://app.example.com'] }; got ${JSON.stringify(raw)}.`);
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) bad(`${where}.${k}`, `unknown; known: ${[...KEYS].join(', ')}.`);
  const credentials = o.credentials ?? false;
  if (typeof credentials !== 'boolean') bad(`${where}.credentials`, `must be true or false; got ${JSON.stringify(credentials)}.`);
  let any = false;
  const origins = new Set<string>();
  if (o.origins === '*') {
    any = true;
    if (credentials) {
      bad(
        where,
        "origins \"*\" cannot go with credentials: true. Any site could then read your users' data with their cookies. List the origins that may, e.g. { origins: ['https://app.example.com'], credentials: true }.",
      );
    }
  } else if (Array.isArray(o.origins) && o.origins.length > 0) {
    for (const x of o.origins) origins.add(checkOrigin(`${where}.origins`, x));
  } else {
    bad(`${where}.origins`, `must be a non-empty list of origins like ['https://app.example.com'], or '*'; got ${JSON.stringify(o.origins)}.`);
  }
  const methods = tokenList(`${where}.methods`, o.methods, ['GET', 'HEAD', 'POST']).map((m) => m.toUpperCase());
  const headers = tokenList(`${where}.headers`, o.headers, ['Content-Type']);
  const expose = o.exposeHeaders === undefined ? undefined : tokenList(`${where}.exposeHeaders`, o.exposeHeaders, []);
  const maxAge = o.maxAge ?? 600;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0) {
    bad(`${where}.maxAge`, `must be a whole number of seconds; got ${JSON.stringify(maxAge)}.`);
  }
  return {
    any,
    origins,
    credentials,
    methods: new Set(methods),
    methodsHeader: methods.join(', '),
    headers: new Set(headers.map((h) => h.toLowerCase())),
    headersHeader: headers.join(', '),
    expose: expose && expose.length > 0 ? expose.join(', ') : undefined,
    maxAge: String(maxAge),
  };
}

function checkOrigin(where: string, x: unknown): string {
  if (x === 'null') bad(where, 'the "null" origin cannot be allowed: any page can get it by sandboxing itself.');
  if (x === '*') bad(where, "write origins: '*' (not inside a list) to allow every origin.");
  let u: URL | undefined;
  try {
    u = typeof x === 'string' ? new URL(x) : undefined;
  } catch {
    u = undefined;
  }
  if (u === undefined || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== x) {
    bad(where, `${JSON.stringify(x)} is not an origin; write scheme, host and port only, in lower case, e.g. "https://app.example.com".`);
  }
  return x as string;
}

/** The allowed value for `Access-Control-Allow-Origin`, or undefined when not allowed. */
function allowOrigin(p: Policy, origin: string): string | undefined {
  if (p.any) return '*';
  return p.origins.has(origin) ? origin : undefined;
}

/**
 * Builds the CORS protection from the app's `cors` option; present even when that is off,
 * so that routes can switch CORS on for themselves.
 *
 * ```ts
 * createApp({ cors: { origins: ['https://app.example.com'], credentials: true, methods: ['GET', 'POST', 'PUT'] } });
 * ```
 * See docs/json.md#cors.
 */
export function corsProtection(ctx: ProtectionContext): Protection {
  const raw = ctx.options.cors;
  const appPolicy = raw === undefined || raw === false ? null : compileCORS(raw);
  const cache = new WeakMap<object, Policy>();
  const policyFor = (route: MountedRoute | null): Policy | null => {
    const own = route?.options.cors;
    if (own === undefined) return appPolicy;
    if (own === false) return null;
    let p = cache.get(own);
    if (p === undefined) {
      p = compileCORS(own, `cors option of ${route!.method} ${route!.path}`);
      cache.set(own, p);
    }
    return p;
  };
  const preflights = new WeakSet<Response>();

  return {
    name: 'cors',
    phases: { check: 'preflight', finish: 'route-headers' },
    check(req: Request, route: MountedRoute | null): Response | undefined {
      if (req.method !== 'OPTIONS') return undefined;
      const origin = req.header('origin');
      const asked = req.header('access-control-request-method');
      if (origin === undefined || asked === undefined) return undefined;
      const target = ctx.findRoute(asked, req.path) ?? route;
      const p = policyFor(target);
      if (p === null) return undefined; // no CORS here: the preflight gets what routing gives
      const allowed = allowOrigin(p, origin);
      if (allowed === undefined) {
        throw new HttpError('JSON_CORS_REFUSED', `The origin ${origin} is not in this app's CORS origins, so it may not call ${req.path}.`, { origin });
      }
      if (!p.methods.has(asked.toUpperCase())) {
        throw new HttpError('JSON_CORS_REFUSED', `CORS does not allow the method ${asked} here; allowed: ${p.methodsHeader}.`, { method: asked });
      }
      const wanted = (req.header('access-control-request-headers') ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const refused = wanted.filter((h) => !p.headers.has(h));
      if (refused.length > 0) {
        throw new HttpError('JSON_CORS_REFUSED', `CORS does not allow the request header(s) ${refused.join(', ')}; allowed: ${p.headersHeader}.`, {
          headers: refused.join(', '),
        });
      }
      const res = new Response(null, { status: 204 });
      res.headers['access-control-allow-origin'] = allowed;
      if (p.credentials) res.headers['access-control-allow-credentials'] = 'true';
      res.headers['access-control-allow-methods'] = p.methodsHeader;
      if (p.headersHeader !== '') res.headers['access-control-allow-headers'] = p.headersHeader;
      res.headers['access-control-max-age'] = p.maxAge;
      res.headers['vary'] = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
      preflights.add(res);
      return res;
    },
    finish(req: Request, res: Response): void {
      if (preflights.has(res)) return;
      const p = policyFor(req.route as MountedRoute | null);
      if (p === null) return;
      if (!p.any) res.appendHeader('vary', 'Origin');
      const origin = req.header('origin');
      if (origin === undefined) return;
      const allowed = allowOrigin(p, origin);
      if (allowed === undefined) return;
      res.headers['access-control-allow-origin'] = allowed;
      if (p.credentials) res.headers['access-control-allow-credentials'] = 'true';
      if (p.expose !== undefined) res.headers['access-control-expose-headers'] = p.expose;
    },
    audit(routes: readonly MountedRoute[]): string[] {
      const out: string[] = [];
      const describe = (p: Policy) => (p.any ? 'every origin (*)' : [...p.origins].join(', ')) + (p.credentials ? ', with credentials' : '');
      const fix = 'Fix: keep the list to the origins of your own front ends.';
      if (appPolicy !== null) out.push(`cors: CORS lets ${describe(appPolicy)} read this app's responses. ${fix}`);
      for (const r of routes) {
        if (r.implicitHead || r.options.cors === undefined || r.options.cors === false) continue;
        out.push(`cors: ${r.method} ${r.path} lets ${describe(policyFor(r)!)} read its responses. ${fix}`);
      }
      return out;
    },
  };
}
