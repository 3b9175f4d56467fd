/**
 * Route declarations shared by App and Blueprint: the handler types, per-route options,
 * and the path-parameter types inferred from a path string.
 * See docs/routing.md.
 */
import type { Markup } from '../escape/markup.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';

/** What a handler may return; anything else is a 500 with a clear message. */
export type HandlerResult =
  | Response
  | Markup
  | string
  | Uint8Array
  | Record<string, unknown>
  | readonly unknown[]
  | globalThis.Response;

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

export type Handler<P extends string = string> = (req: RequestFor<P>) => HandlerResult | Promise<HandlerResult>;

/** Per-route settings. Feature modules read their own keys (`csrf`, `json`…). */
export interface RouteOptions {
  /** Name for `urlFor`; inside a blueprint it is prefixed with the blueprint's name. */
  name?: string;
  /** Body size limit for this route, in bytes (overrides the app's `maxBodySize`). */
  maxBodySize?: number;
  /**
   * This route takes file uploads: its multipart bodies may be as large as
   * `uploads.maxTotalSize` (20 MiB by default). Every other route holds a multipart body to
   * `maxBodySize`, like any body. See docs/files.md#uploads.
   */
  uploads?: boolean;
  /** Let this route answer with a top-level JSON array (see docs/json.md). */
  allowTopLevelArray?: boolean;
  /** `false` exempts this route from CSRF protection (webhooks). Listed by `palisade check`. */
  csrf?: boolean;
  /**
   * Only a logged-in user may use this route: a page is redirected to the login route
   * (with `next`), a JSON request gets a 401. On a blueprint's `routeDefaults` it covers
   * every route of it; `false` on one route lifts it. See docs/auth.md#routes-that-need-a-login.
   */
  loginRequired?: boolean;
  /**
   * Rate limits for this route: one rule or several, each counted on its own; `false`
   * lifts a blueprint's. See docs/auth.md#rate-limits.
   */
  rateLimit?: import('../security/rate-limit/options.js').RateLimitRule | readonly import('../security/rate-limit/options.js').RateLimitRule[] | false;
  [feature: string]: unknown;
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
}

/** Collects routes, hooks and error handlers; App and Blueprint both are one. */
export abstract class RouteCollector {
  readonly routeDecls: RouteDecl[] = [];
  readonly beforeHooks: BeforeHook[] = [];
  readonly afterHooks: AfterHook[] = [];
  readonly errorHandlers: { match: number | ErrorClass; handler: ErrorHandler }[] = [];

  /** Declares a route for one method. */
  route<P extends string>(method: Method, path: P, handler: Handler<P>, options: RouteOptions = {}): this {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TypeError(`route path must start with "/": ${JSON.stringify(path)}`);
    }
    if (typeof handler !== 'function') throw new TypeError(`handler for ${method} ${path} is not a function`);
    this.routeDecls.push({ method, path, handler: handler as Handler, options });
    return this;
  }
  get<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('GET', path, handler, options);
  }
  post<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('POST', path, handler, options);
  }
  put<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('PUT', path, handler, options);
  }
  patch<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('PATCH', path, handler, options);
  }
  delete<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('DELETE', path, handler, options);
  }
  options<P extends string>(path: P, handler: Handler<P>, options?: RouteOptions): this {
    return this.route('OPTIONS', path, handler, options);
  }
  /** Runs `hook` before every handler of this app or blueprint. */
  before(hook: BeforeHook): this {
    this.beforeHooks.push(hook);
    return this;
  }
  /** Runs `hook` on every response of this app or blueprint. */
  after(hook: AfterHook): this {
    this.afterHooks.push(hook);
    return this;
  }
  /** Handles errors of a status (`404`) or a class (`NotFoundError`). */
  onError(match: number | ErrorClass, handler: ErrorHandler): this {
    this.errorHandlers.push({ match, handler });
    return this;
  }
}
