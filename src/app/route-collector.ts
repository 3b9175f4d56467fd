/**
 * Route declarations shared by App and Blueprint: the handler types, per-route options,
 * and the path-parameter types inferred from a path string.
 * See docs/routing.md.
 */
import { ConfigError } from '../errors.js';
import type { Markup } from '../escape/markup.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { WebSocketHandler } from '../realtime/ws-hub.js';
import { HttpError } from '../errors.js';
import { DECLARATIONS, DECLARED, FIX_SETUP } from '../util/symbols.js';
import type { ResponseValue, RouteSchema, Valid } from '../validation/types.js';
import { withSchema } from '../validation/route.js';

/** What a handler may return; anything else is a 500 with a clear message. */
export type HandlerResult = Response | Markup | string | Uint8Array | Record<string, unknown> | readonly unknown[] | globalThis.Response;

/** Names of `:params` in a path, e.g. `'/notes/:id/files/:name'` → `'id' | 'name'`. */
export type ParamNames<P extends string> = P extends `${string}:${infer Rest}`
  ? Rest extends `${infer Seg}/${infer Tail}`
    ? ParamName<Seg> | ParamNames<`/${Tail}`>
    : ParamName<Rest>
  : P extends `${string}*`
    ? '*'
    : never;
type ParamName<S extends string> = S extends `${infer N}(${string}` ? N : S;

/** A request whose `params` has the path's parameter names. */
export type RequestFor<P extends string> = Request<ParamNames<P>>;

/**
 * A route's handler. With a `schema` route option, `req.valid` holds the validated inputs,
 * typed from the schemas, and a response schema limits what it may return as JSON.
 */
export type Handler<P extends string = string, S = {}> = (req: RequestFor<P> & ValidPart<S>) => ResultFor<S> | Promise<ResultFor<S>>;
type ValidPart<S> = [S] extends [never] ? unknown : keyof S extends never ? unknown : { readonly valid: Valid<S> };
type ResultFor<S> = S extends { readonly response: infer R } ? Response | globalThis.Response | ResponseValue<R> : HandlerResult;

/**
 * Per-route settings. Only declared options compile: each feature module declares its own
 * by declaration merging (`csrf` in security/csrf.ts, `uploads` in files/multipart.ts,
 * `allowTopLevelArray` in json/jsonify.ts, `cors`, `crossSiteLoad`, `jsonMaxDepth`…), so a
 * typo such as `{ crsf: false }` is a compile error. An app adds options of its own the
 * same way. At run time (JavaScript, or options passed through a variable) a key one or
 * two letters away from a Palisade option is refused as the typo it is (CONFIG_ROUTE).
 * See docs/routing.md#route-options.
 */
export interface RouteOptions {
  /** Name for `urlFor`; inside a blueprint it is prefixed with the blueprint's name. */
  name?: string;
  /** Body size limit for this route, in bytes (overrides the app's `maxBodySize`). */
  maxBodySize?: number;
}

declare module '../http/request.js' {
  /** `req.route.options`: the matched route's options. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the merge is the point
  interface RouteInfoOptions extends RouteOptions {}
}

/** Palisade's own route options (test/app/route-options.test.ts checks it against the declarations in src/). */
export const ROUTE_OPTION_KEYS = [
  'name',
  'maxBodySize',
  'csrf',
  'uploads',
  'allowTopLevelArray',
  'jsonMaxDepth',
  'cors',
  'crossSiteLoad',
  'xssiPrefix',
  'loginRequired',
  'rateLimit',
  'compress',
  'schema',
  'summary',
  'description',
  'tags',
  'deprecated',
  'operationId',
] as const satisfies readonly (keyof RouteOptions)[];
const KNOWN_ROUTE_OPTIONS: ReadonlySet<string> = new Set(ROUTE_OPTION_KEYS);

/** Throws CONFIG_ROUTE for route options that are not an object, or that misspell one of Palisade's. */
export function checkRouteOptions(options: unknown, where: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('CONFIG_ROUTE', `The options of ${where} must be an object; got ${JSON.stringify(options)}.`);
  }
  for (const k of Object.keys(options)) {
    if (KNOWN_ROUTE_OPTIONS.has(k)) continue;
    const meant = misspelt(k);
    if (meant === undefined) continue; // an option of the app's own (declared by merging)
    throw new ConfigError(
      'CONFIG_ROUTE',
      `${where} has an unknown option "${k}" (did you mean "${meant}"?). Palisade's route options: ${ROUTE_OPTION_KEYS.join(', ')}.`,
      { option: k, meant },
    );
  }
}

/** The option `k` is a misspelling of: the same but for case, or one edit away (two for longer names). */
function misspelt(k: string): string | undefined {
  const lower = k.toLowerCase();
  for (const n of ROUTE_OPTION_KEYS) {
    const cap = n.length <= 4 ? 2 : 3;
    if (n.toLowerCase() === lower || editDistance(lower, n.toLowerCase(), cap) < cap) return n;
  }
  return undefined;
}

/** Levenshtein distance with adjacent swaps counted as one edit, giving up at `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    [prev2, prev] = [prev, cur];
  }
  return prev[b.length]!;
}

/** Runs before the handler; returning a value answers the request instead. */
export type BeforeHook = (req: Request) => void | HandlerResult | Promise<void | HandlerResult>;
/** Runs after the handler on its response; may change it or return a replacement. */
export type AfterHook = (req: Request, res: Response) => void | Response | Promise<void | Response>;
/** Turns an error into a response. */
export type ErrorHandler = (err: unknown, req: Request) => HandlerResult | Promise<HandlerResult>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => unknown;

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** A route as declared, before mounting. */
export interface RouteDecl {
  readonly method: Method;
  readonly path: string;
  readonly handler: Handler;
  readonly options: RouteOptions;
  /** Set for a WebSocket route (`ws()`); `handler` then answers plain requests with a 426. */
  readonly websocket?: WebSocketHandler;
}

/** What an app or blueprint declared, in order (RouteCollector[DECLARED]). */
export interface Declared {
  readonly routes: RouteDecl[];
  readonly beforeHooks: BeforeHook[];
  readonly afterHooks: AfterHook[];
  readonly errorHandlers: { match: number | ErrorClass; handler: ErrorHandler }[];
}

/** The HTTP answer of a WebSocket route to a request that does not ask to upgrade. */
function upgradeRequired(): never {
  throw new HttpError('WS_UPGRADE_REQUIRED', 'This URL is a WebSocket endpoint: open it with new WebSocket(url), not as a page or with fetch().');
}

/**
 * Collects routes, hooks and error handlers; App and Blueprint both are one. Its setup is
 * fixed once the app that holds it handles its first request or starts to listen: a
 * declaration after that is a ConfigError (CONFIG_SETUP_FINISHED) that says so, as Flask's
 * setup methods do, instead of a route table rebuilt under requests already running.
 */
export abstract class RouteCollector {
  /** Internal (mounting): what was declared, in order. */
  readonly [DECLARED]: Declared = { routes: [], beforeHooks: [], afterHooks: [], errorHandlers: [] };
  /** What fixed the setup (`the app handled its first request`), once something has. */
  #fixedBy: string | undefined;
  /** How many declarations were made, so an app can tell whether its draft route table is stale. */
  #declarations = 0;

  /** How messages name this collector: `app` or `blueprint "notes"`. */
  protected abstract readonly setupName: string;

  /** Every declaring method calls this first: refuses a declaration once the setup is fixed. */
  protected declare(call: string): void {
    if (this.#fixedBy !== undefined) {
      throw new ConfigError(
        'CONFIG_SETUP_FINISHED',
        `${this.setupName}.${call} was called after ${this.#fixedBy}: routes, hooks, error handlers and blueprints are fixed from then on. Declare them all before the first request and before app.listen(), at the top level of the module that builds the app.`,
        { call, fixedBy: this.#fixedBy },
      );
    }
    this.#declarations++;
  }

  /** Internal (the app): fixes the setup; `why` ends the message of a later declaration. */
  [FIX_SETUP](why: string): void {
    this.#fixedBy ??= why;
  }

  /** Internal (the app): the number of declarations made so far. */
  get [DECLARATIONS](): number {
    return this.#declarations;
  }

  /** Declares a route for one method. */
  route<P extends string, S extends RouteSchema = {}>(
    method: Method,
    path: P,
    handler: Handler<P, S>,
    options: RouteOptions & { readonly schema?: S } = {},
  ): this {
    return this.#route(`${method.toLowerCase()}(${JSON.stringify(path)})`, method, path, handler as unknown as Handler, options, undefined);
  }

  #route(
    call: string,
    method: Method,
    path: string,
    handler: Handler,
    options: RouteOptions & { readonly schema?: RouteSchema },
    websocket: WebSocketHandler | undefined,
  ): this {
    this.declare(call);
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError(`route path must start with "/": ${JSON.stringify(path)}`);
    }
    if (typeof handler !== 'function') throw new TypeError(`handler for ${method} ${path} is not a function`);
    checkRouteOptions(options, `${method} ${path}`);
    const checked = withSchema(handler, options.schema, `${method} ${path}`);
    this[DECLARED].routes.push(websocket === undefined ? { method, path, handler: checked, options } : { method, path, handler: checked, options, websocket });
    return this;
  }
  get<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('GET', path, handler, options);
  }
  post<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('POST', path, handler, options);
  }
  put<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('PUT', path, handler, options);
  }
  patch<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('PATCH', path, handler, options);
  }
  delete<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('DELETE', path, handler, options);
  }
  options<P extends string, S extends RouteSchema = {}>(path: P, handler: Handler<P, S>, options?: RouteOptions & { readonly schema?: S }): this {
    return this.route('OPTIONS', path, handler, options);
  }
  /**
   * Declares a WebSocket route on the same server and port. The handshake passes the
   * same gate as a state-changing request: host validation, then an `Origin` that must be
   * the app's own or in `csrf.trustedOrigins` (`{ csrf: false }` switches that off for the
   * route, and `palisade check` lists it); then the `before` hooks. The handler gets the
   * connection and the handshake request (its session is read-only).
   *
   * ```ts
   * app.ws('/echo', async (socket) => {
   *   for await (const message of socket) await socket.send(`echo: ${message}`);
   * });
   * ```
   * See docs/realtime.md#websockets.
   */
  ws<P extends string>(path: P, handler: WebSocketHandler<RequestFor<P>>, options: RouteOptions = {}): this {
    if (typeof handler !== 'function') throw new TypeError(`WebSocket handler for ${path} is not a function`);
    return this.#route(`ws(${JSON.stringify(path)})`, 'GET', path, upgradeRequired, options, handler as WebSocketHandler);
  }
  /** Runs `hook` before every handler of this app or blueprint. */
  before(hook: BeforeHook): this {
    this.declare('before()');
    this[DECLARED].beforeHooks.push(hook);
    return this;
  }
  /** Runs `hook` on every response of this app or blueprint. */
  after(hook: AfterHook): this {
    this.declare('after()');
    this[DECLARED].afterHooks.push(hook);
    return this;
  }
  /** Handles errors of a status (`404`) or a class (`NotFoundError`). */
  onError(match: number | ErrorClass, handler: ErrorHandler): this {
    this.declare(`onError(${typeof match === 'number' ? match : match.name})`);
    this[DECLARED].errorHandlers.push({ match, handler });
    return this;
  }
}
