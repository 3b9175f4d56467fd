/**
 * The route table: find-my-way does the matching; this file keeps what Palisade needs
 * around it (route records, 405 with Allow, HEAD for every GET, URL building by name).
 */
import { ConfigError, PalisadeError } from '../errors.js';
import { lazyRequire } from '../util/lazy-require.js';
import type { WebSocketHandler } from '../realtime/ws-hub.js';
import type { AfterHook, BeforeHook, ErrorClass, ErrorHandler, Handler, Method, RouteOptions } from './route-collector.js';

// Required, not imported: importing a CommonJS package from ESM makes node scan its source
// for export names first, which costs start-up time.
const findMyWay = lazyRequire<typeof import('find-my-way')>('find-my-way');

/** A mounted route with everything dispatch needs, resolved once at registration. */
export interface MountedRoute {
  readonly method: Method;
  readonly path: string;
  readonly name: string | undefined;
  readonly handler: Handler;
  readonly options: RouteOptions;
  readonly before: readonly BeforeHook[];
  readonly after: readonly AfterHook[];
  readonly errorHandlers: readonly { match: number | ErrorClass; handler: ErrorHandler }[];
  /** True for the HEAD twin of a GET route. */
  readonly implicitHead: boolean;
  /** The handler of a WebSocket route (`app.ws`), else undefined. */
  readonly websocket?: WebSocketHandler | undefined;
}

export interface Match {
  readonly route: MountedRoute;
  readonly params: Record<string, string>;
}

export class Router {
  readonly #fmw = findMyWay()({ ignoreTrailingSlash: false, caseSensitive: true, maxParamLength: 500 });
  readonly #byName = new Map<string, MountedRoute>();
  readonly #methods = new Set<Method>();
  readonly routes: MountedRoute[] = [];

  add(route: MountedRoute): void {
    if (route.name !== undefined && !route.implicitHead) {
      if (this.#byName.has(route.name)) {
        throw new ConfigError('CONFIG_ROUTE', `Two routes are named "${route.name}"; route names must be unique.`, { name: route.name });
      }
      this.#byName.set(route.name, route);
    }
    try {
      this.#fmw.on(route.method, route.path, noop, route);
    } catch (err) {
      throw new ConfigError('CONFIG_ROUTE', `Cannot add route ${route.method} ${route.path}: ${(err as Error).message}`, {
        path: route.path,
      });
    }
    this.#methods.add(route.method);
    this.routes.push(route);
  }

  /** Finds the route for a method and path (the path without query). */
  find(method: string, path: string): Match | null {
    const found = this.#fmw.find(method as Method, path);
    if (found === null) return null;
    return { route: found.store as MountedRoute, params: toParams(found.params) };
  }

  /** The methods allowed for a path, for a 405's `Allow` header; empty when none. */
  allowed(path: string): Method[] {
    const out: Method[] = [];
    for (const m of this.#methods) if (this.#fmw.find(m, path) !== null) out.push(m);
    return out;
  }

  byName(name: string): MountedRoute | undefined {
    return this.#byName.get(name);
  }
}

function noop(): void {}

// Routes without parameters share one frozen empty object instead of a copy each.
const NO_PARAMS: Record<string, string> = Object.freeze(Object.create(null));

function toParams(p: Record<string, string | undefined>): Record<string, string> {
  let any = false;
  for (const _ in p) {
    any = true;
    break;
  }
  if (!any) return NO_PARAMS;
  const out: Record<string, string> = Object.create(null);
  for (const k of Object.keys(p)) {
    const v = p[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Refuses a built path whose segments a browser would not keep as they are: an empty
 * segment (`//host` at the start is another site; `a//b` a path no route matches) or a
 * dot segment (`..` climbs out of the route, `%2e` included, since percent-encoding does not
 * stop a browser from removing it). Values cannot make either once this holds.
 */
function checkSegments(path: string, pattern: string): void {
  const segs = path.split('/');
  for (let i = 1; i < segs.length; i++) {
    const seg = segs[i]!;
    const empty = seg === '' && i < segs.length - 1;
    const dots = /^(?:\.|%2e){1,2}$/i.test(seg);
    if (!empty && !dots) continue;
    const why = empty
      ? i === 1
        ? 'it would start with //, which a browser reads as another host'
        : 'it would have an empty segment (//)'
      : `it would have a "${seg}" segment, which a browser removes, climbing out of the route`;
    throw new PalisadeError('HTTP_URL_FOR_VALUE', `urlFor: the values given for ${pattern} build ${JSON.stringify(path)}, and ${why}.`, { pattern, path });
  }
}

/**
 * Builds a path from a route pattern: each `:param` is replaced by its value,
 * percent-encoded as one path segment; `*` takes a value whose `/` are kept. Params the
 * pattern does not name go to the query string, as in Flask's `url_for`. A path whose
 * values would make an empty or dot segment is refused (HTTP_URL_FOR_VALUE).
 */
export function buildPath(pattern: string, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const used = new Set<string>();
  let path = pattern.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === null || v === '') {
      throw new TypeError(`urlFor: missing value for :${name} in ${pattern}`);
    }
    used.add(name);
    return encodeURIComponent(String(v));
  });
  if (path.endsWith('*')) {
    const v = params['*'];
    used.add('*');
    path = path.slice(0, -1) + (v === undefined ? '' : String(v).split('/').map(encodeURIComponent).join('/'));
  }
  checkSegments(path, pattern);
  const qs = new URLSearchParams();
  const addAll = (src: Record<string, unknown>, skipUsed: boolean) => {
    for (const k of Object.keys(src)) {
      if (skipUsed && used.has(k)) continue;
      const v = src[k];
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const x of v) qs.append(k, String(x));
      else qs.append(k, String(v));
    }
  };
  addAll(params, true);
  addAll(query, false);
  const q = qs.toString();
  return q === '' ? path : `${path}?${q}`;
}
