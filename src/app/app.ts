/**
 * App: routes, hooks, error handlers and the default protections, and the dispatch that
 * runs them for each request. It never touches a socket: adapters build a Request, call
 * `handle`, and write the Response.
 *
 * ```ts
 * const app = createApp();
 * app.get('/hello/:name', (req) => `Hello, ${req.params.name}!`);
 * await app.listen({ port: 8000 });
 * ```
 * See docs/quickstart.md and docs/routing.md.
 */
import type { Logger } from 'pino';
import { Readable } from 'node:stream';
import { levelEnables, planLogger, type LoggerPlan } from './logger.js';
import { listenNode, type ListenOptions, type RunningServer } from '../adapters/node.js';
import { fetchAdapter } from '../adapters/fetch.js';
import { HttpError, PalisadeError } from '../errors.js';
import { iterateInScope, runInScope, type RequestScope } from '../http/context.js';
import { serializeCookie } from '../http/cookies.js';
import { Request, type RequestInit, type RequestSettings } from '../http/request.js';
import { encodeLocation, redirectLocation } from '../http/redirect.js';
import { isHTMLContentType, Response } from '../http/response.js';
import { TestClient, type TestClientOptions } from '../testing/client.js';
import { Blueprint, normalizePrefix } from './blueprint.js';
import { resolveSettings, type AppOptions, type Settings } from './config.js';
import { describeError, errorResponse, recordFailure } from './error-page.js';
import type { Protection } from './protection.js';
import { buildProtections } from './protections.js';
import { resolveTemplates, type AppTemplatesOption } from './render.js';
import { toResponse } from './result.js';
import type { Markup } from '../escape/markup.js';
import type { Templates } from '../templates/loader.js';
import { buildPath, Router, type MountedRoute } from './router.js';
import { RouteCollector, type ErrorHandler, type ErrorClass, type RouteOptions } from './routes.js';
import type { WebSocketHandler } from '../realtime/ws-hub.js';
import { buildOpenAPI } from '../openapi/document.js';
import type { OpenAPIOptions } from '../openapi/options.js';

export class App extends RouteCollector {
  readonly settings: Settings;
  #logger: Logger | undefined;
  readonly #logPlan: LoggerPlan;
  readonly #options: Readonly<Record<string, unknown>>;
  readonly #blueprints: { bp: Blueprint; prefix: string }[] = [];
  readonly #protections: Protection[];
  readonly #beginners: Protection[];
  readonly #checks: Protection[];
  readonly #finishers: Protection[];
  readonly #requestSettings: RequestSettings;
  readonly #logRequests: boolean;
  readonly #dev: boolean;
  /** The template loader from the `templates` setting, or null. */
  readonly templates: Templates | null;
  readonly #templatesForScope: Templates | undefined;
  #router = new Router();
  #mountedCount = -1;

  constructor(options: AppOptions = {}) {
    super();
    this.settings = resolveSettings(options);
    this.#options = options as Record<string, unknown>;
    this.#dev = this.settings.env === 'development';
    const s = this.settings;
    this.#logPlan = planLogger(s.logger, s.env);
    this.#logRequests = this.isLogging('info');
    if (s.secretGenerated && s.env === 'development') {
      this.logger.warn('No secret key set: using a random one for this process. Sessions will not survive a restart. Set PALISADE_SECRET_KEY.');
    }
    this.#requestSettings = {
      trustProxy: s.trustProxy,
      maxBodySize: s.maxBodySize,
      jsonMaxDepth: s.jsonMaxDepth,
      https: s.https,
      formLimits: s.forms,
      logger: () => this.logger,
    };
    this.templates = resolveTemplates((options as { templates?: AppTemplatesOption }).templates, s.env);
    this.#templatesForScope = this.templates ?? undefined;
    const app = this;
    this.#protections = buildProtections({
      settings: s,
      options: this.#options,
      get logger() {
        return app.logger;
      },
      findRoute: (method, path) => {
        this.#mount();
        return this.#router.find(method, path)?.route ?? null;
      },
    });
    this.#beginners = this.#protections.filter((p) => p.begin !== undefined);
    this.#checks = this.#protections.filter((p) => p.check !== undefined);
    this.#finishers = this.#protections.filter((p) => p.finish !== undefined);
  }

  /** The app's pino logger (created on first use). */
  get logger(): Logger {
    return (this.#logger ??= this.#logPlan.make());
  }

  /** True when the logger writes messages of `level`; asks without creating the logger when it can. */
  isLogging(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'): boolean {
    return levelEnables(this.#logPlan.level, level) ?? this.logger.isLevelEnabled(level);
  }

  /** The protections this app runs, in order (for the CLI's `routes` and `check`). */
  get protections(): readonly Protection[] {
    return this.#protections;
  }

  /**
   * Renders one of the app's templates (see the `templates` setting). Inside a handler,
   * `render(name, context)` does the same without reaching for the app.
   */
  render(name: string, context?: Record<string, unknown>): Markup {
    if (this.templates === null) throw new TypeError('This app has no templates: pass createApp({ templates: { dir } }).');
    return this.templates.render(name, context);
  }

  /** Mounts a blueprint, optionally under an extra prefix. */
  register(bp: Blueprint, opts: { prefix?: string } = {}): this {
    this.#blueprints.push({ bp, prefix: normalizePrefix(opts.prefix ?? '') });
    return this;
  }

  /** Every mounted route (after blueprints), e.g. for `palisade routes`. */
  get routes(): readonly MountedRoute[] {
    this.#mount();
    return this.#router.routes;
  }

  /**
   * Builds the URL path of a named route; values are percent-encoded, params the route
   * does not use go to the query string.
   *
   * ```ts
   * app.urlFor('notes.show', { id: 3 }, { tab: 'files' }) // '/notes/3?tab=files'
   * ```
   */
  urlFor(name: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
    this.#mount();
    const route = this.#router.byName(name);
    if (route === undefined) throw new TypeError(`urlFor: no route is named "${name}"`);
    return buildPath(route.path, params, query);
  }

  /**
   * The app's API as an OpenAPI 3.1 document, built from its routes and their `schema`,
   * `summary`, `description`, `tags`, `deprecated` and `operationId` options, with the
   * session and CSRF requirements of each route.
   *
   * ```ts
   * app.get('/openapi.json', () => app.openapi({ info: { title: 'Notes', version: '1.0.0' } }));
   * ```
   * See docs/validation.md#openapi.
   */
  openapi(opts: OpenAPIOptions): Record<string, unknown> {
    const csrf = (this.#options.csrf ?? {}) as { exempt?: readonly string[] };
    const cookie = (this.#options.session as { cookieName?: string } | undefined)?.cookieName ?? 'session';
    return buildOpenAPI(this.routes, {
      csrf: this.#protections.some((p) => p.name === 'csrf'),
      csrfExempt: new Set(csrf.exempt ?? []),
      sessionCookie: this.settings.https && !/^__(Host|Secure)-/.test(cookie) ? `__Host-${cookie}` : cookie,
    }, opts);
  }

  readonly #loggerForScope = (): Logger => this.logger;
  readonly #urlFor = (name: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string =>
    this.urlFor(name, params, query);

  /** Creates a Request for this app from what an adapter knows. */
  createRequest(init: RequestInit): Request {
    return new Request(init, this.#requestSettings);
  }

  /** Handles one request: routing, protections, hooks, handler, errors. Never throws. */
  handle(req: Request): Promise<Response> {
    const out = this.respond(req);
    return out instanceof Response ? Promise.resolve(out) : out;
  }

  /**
   * Like `handle`, but answers synchronously when nothing on the way (protections, hooks,
   * the handler) returned a promise, which spares the common request every promise and
   * microtask. For adapters.
   */
  respond(req: Request): Response | Promise<Response> {
    if (this.#mountedCount !== this.#declCount()) this.#mount();
    const scope: RequestScope = { request: req, urlFor: this.#urlFor, templates: this.#templatesForScope, logger: this.#loggerForScope };
    return runInScope(scope, () => this.#dispatch(req, scope));
  }

  /**
   * For adapters: runs a WebSocket handshake through the gate every state-changing request
   * passes — the protections' checks (host validation, the CSRF origin check, which
   * applies to WebSocket routes as to unsafe methods), then the route's `before` hooks.
   * Resolves to the route's handler and the request scope to run it in, or to the refusal
   * (an error page, finished like any response) to write instead of the `101`.
   * See docs/realtime.md#the-handshake.
   */
  upgrade(req: Request): Promise<{ handler: WebSocketHandler; scope: RequestScope } | Response> {
    if (this.#mountedCount !== this.#declCount()) this.#mount();
    const scope: RequestScope = { request: req, urlFor: this.#urlFor, templates: this.#templatesForScope, logger: this.#loggerForScope };
    return runInScope(scope, () => this.#upgrade(req, scope));
  }

  async #upgrade(req: Request, scope: RequestScope): Promise<{ handler: WebSocketHandler; scope: RequestScope } | Response> {
    const started = this.#logRequests ? performance.now() : 0;
    let route: MountedRoute | null = null;
    let res: Response;
    for (const p of this.#beginners) p.begin!(req, scope);
    try {
      const match = req.method === 'GET' ? this.#router.find('GET', req.path) : null;
      if (match === null || match.route.websocket === undefined) {
        throw new HttpError('HTTP_NOT_FOUND', req.method === 'GET' ? 'No WebSocket route is at this URL.' : `A WebSocket handshake is a GET, not a ${req.method}.`);
      }
      route = match.route;
      req.params = match.params;
      req.route = route;
      let refused: Response | undefined;
      for (const p of this.#checks) {
        let r = p.check!(req, route, scope);
        if (isThenable(r)) r = await r;
        if (r instanceof Response) {
          refused = r;
          break;
        }
      }
      if (refused === undefined) {
        for (const hook of route.before) {
          const r = await hook(req);
          if (r !== undefined) {
            refused = toResponse(r, route, this.#dev);
            break;
          }
        }
      }
      if (refused === undefined) {
        if (this.#logRequests) this.logger.info({ method: 'WS', path: req.path, status: 101, ms: +(performance.now() - started).toFixed(2) });
        return { handler: route.websocket!, scope };
      }
      res = refused;
    } catch (err) {
      res = await this.#handleError(err, req, route, scope);
    }
    return this.#complete(req, res, scope, started);
  }

  /** Handles a fetch-API Request, for fetch-style runtimes and tests. */
  fetch(request: globalThis.Request): Promise<globalThis.Response> {
    return fetchAdapter(this, request);
  }

  /** Serves the app on node:http. Binds 127.0.0.1 unless told otherwise. */
  listen(opts: ListenOptions = {}): Promise<RunningServer> {
    this.#mount();
    return listenNode(this, opts);
  }

  /** An in-process test client with a cookie jar (no sockets). */
  test(opts?: TestClientOptions): TestClient {
    return new TestClient(this, opts);
  }

  /** Releases what protections hold (store connections). Called on shutdown. */
  async close(): Promise<void> {
    for (const p of this.#protections) await p.close?.();
  }

  // Dispatch runs synchronously until something returns a promise, then continues in
  // one of the async tails below; each tail ends in #complete, like the synchronous path.
  #dispatch(req: Request, scope: RequestScope): Response | Promise<Response> {
    const started = this.#logRequests ? performance.now() : 0;
    let route: MountedRoute | null = null;
    let res: Response | undefined;
    for (const p of this.#beginners) p.begin!(req, scope);
    try {
      const match = this.#router.find(req.method, req.path);
      if (match !== null) {
        route = match.route;
        req.params = match.params;
        req.route = route;
        const limit = route.options.maxBodySize;
        if (typeof limit === 'number') req.maxBodySize = limit;
      }
      const checks = this.#checks;
      for (let i = 0; i < checks.length; i++) {
        const r = checks[i]!.check!(req, route, scope);
        if (isThenable(r)) return this.#checksThenRoute(req, scope, route, i, r, started);
        if (r instanceof Response) {
          res = r;
          break;
        }
      }
      if (res === undefined) {
        if (route === null) throw this.#notFound(req);
        if (route.before.length !== 0 || route.after.length !== 0) return this.#routeThenComplete(req, scope, route, started);
        const value: unknown = route.handler(req as never);
        if (isThenable(value)) return this.#valueThenComplete(req, scope, route, value, started);
        res = toResponse(value, route, this.#dev);
      }
    } catch (err) {
      return this.#errorThenComplete(err, req, route, scope, started);
    }
    return this.#complete(req, res, scope, started);
  }

  async #checksThenRoute(
    req: Request,
    scope: RequestScope,
    route: MountedRoute | null,
    from: number,
    pending: PromiseLike<unknown>,
    started: number,
  ): Promise<Response> {
    let res: Response | undefined;
    try {
      let r = await pending;
      const checks = this.#checks;
      for (let i = from + 1; !(r instanceof Response) && i < checks.length; i++) {
        r = checks[i]!.check!(req, route, scope);
        if (isThenable(r)) r = await r;
      }
      if (r instanceof Response) res = r;
      else if (route === null) throw this.#notFound(req);
      else res = await this.#runRoute(route, req);
    } catch (err) {
      res = await this.#handleError(err, req, route, scope);
    }
    return this.#complete(req, res, scope, started);
  }

  async #routeThenComplete(req: Request, scope: RequestScope, route: MountedRoute, started: number): Promise<Response> {
    let res: Response;
    try {
      res = await this.#runRoute(route, req);
    } catch (err) {
      res = await this.#handleError(err, req, route, scope);
    }
    return this.#complete(req, res, scope, started);
  }

  async #valueThenComplete(req: Request, scope: RequestScope, route: MountedRoute, value: PromiseLike<unknown>, started: number): Promise<Response> {
    let res: Response;
    try {
      res = toResponse(await value, route, this.#dev);
    } catch (err) {
      res = await this.#handleError(err, req, route, scope);
    }
    return this.#complete(req, res, scope, started);
  }

  async #errorThenComplete(err: unknown, req: Request, route: MountedRoute | null, scope: RequestScope, started: number): Promise<Response> {
    return this.#complete(req, await this.#handleError(err, req, route, scope), scope, started);
  }

  /** Finishes the response (checks, protections, cookies) and logs it. */
  #complete(req: Request, res: Response, scope: RequestScope, started: number): Response | Promise<Response> {
    try {
      const pending = this.#finish(req, res, scope);
      if (pending !== undefined) {
        return pending.then(
          () => this.#logged(req, res, started),
          (err: unknown) => this.#finishFailed(err, req, scope, started),
        );
      }
    } catch (err) {
      return this.#finishFailed(err, req, scope, started);
    }
    return this.#logged(req, res, started);
  }

  /**
   * A response refused at the last step (open redirect, untrusted HTML) becomes an error
   * page that still gets every protection's headers; should that fail too, the bare page
   * goes out with only the basics.
   */
  async #finishFailed(err: unknown, req: Request, scope: RequestScope, started: number): Promise<Response> {
    if (err instanceof PalisadeError && err.status >= 500) req.log.error({ err, method: req.method, path: req.path }, 'response refused');
    let res = this.#defaultErrorPage(err, req, scope);
    try {
      await this.#finish(req, res, scope);
    } catch (again) {
      req.log.error({ err: again }, 'finishing the error page failed');
      res = this.#defaultErrorPage(again, req, scope);
      this.#finishBasic(req, res);
    }
    return this.#logged(req, res, started);
  }

  #logged(req: Request, res: Response, started: number): Response {
    if (this.#logRequests) {
      this.logger.info({ method: req.method, path: req.path, status: res.status, ms: +(performance.now() - started).toFixed(2), reqId: req.id });
    }
    return res;
  }

  async #runRoute(route: MountedRoute, req: Request): Promise<Response> {
    for (const hook of route.before) {
      const r = await hook(req);
      if (r !== undefined) return toResponse(r, route, this.#dev);
    }
    let value: unknown = route.handler(req as never);
    if (isThenable(value)) value = await value;
    let res = toResponse(value, route, this.#dev);
    for (const hook of route.after) {
      const r = await hook(req, res);
      if (r instanceof Response) res = r;
    }
    return res;
  }

  #notFound(req: Request): HttpError {
    const allowed = this.#router.allowed(req.path);
    if (allowed.length > 0) {
      return new HttpError('HTTP_METHOD_NOT_ALLOWED', `${req.method} is not allowed here; this URL accepts ${allowed.join(', ')}.`, {
        allow: allowed.join(', '),
      });
    }
    return new HttpError('HTTP_NOT_FOUND', 'Nothing is at this URL.');
  }

  async #handleError(err: unknown, req: Request, route: MountedRoute | null, scope: RequestScope): Promise<Response> {
    const status = err instanceof PalisadeError ? err.status : 500;
    if (status >= 500) req.log.error({ err, method: req.method, path: req.path }, 'request failed');
    const handlers = route?.errorHandlers ?? this.errorHandlers;
    const handler = pickErrorHandler(handlers, err, status);
    if (handler !== undefined) {
      try {
        const res = toResponse(await handler(err, req), route, this.#dev);
        if (res.status === 200 && status !== 200) res.status = status;
        return recordFailure(res, err);
      } catch (inner) {
        req.log.error({ err: inner }, 'error handler failed');
        return this.#defaultErrorPage(inner, req, scope);
      }
    }
    return this.#defaultErrorPage(err, req, scope);
  }

  /** The error page for `err`; the response remembers the error (for the test client). */
  #defaultErrorPage(err: unknown, req: Request, scope: RequestScope): Response {
    const info = describeError(err, this.#dev);
    const stack = this.#dev && info.status >= 500 && err instanceof Error ? err.stack : undefined;
    const res = errorResponse(info, req, { stack, nonce: scope.nonce });
    if (err instanceof PalisadeError && err.code === 'HTTP_METHOD_NOT_ALLOWED') res.headers['allow'] = String(err.details.allow);
    if (err instanceof PalisadeError && err.code === 'WS_UPGRADE_REQUIRED') res.headers['upgrade'] = 'websocket'; // RFC 9110 §15.5.22
    return recordFailure(res, err);
  }

  /**
   * Checks and completes a response before it is sent. Synchronous unless a protection's
   * finish returns a promise (a session store write), so most responses create none.
   */
  #finish(req: Request, res: Response, scope: RequestScope): void | Promise<void> {
    const body = res.body;
    if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array) && !(body instanceof Readable) && Symbol.asyncIterator in body) {
      res.body = iterateInScope(body, scope);
    }
    const target = res.redirectTarget;
    if (target !== undefined) {
      const s = this.settings;
      const allowHosts = target.allowHosts.length === 0 ? s.redirectHosts : [...target.allowHosts, ...s.redirectHosts];
      try {
        res.headers['location'] = redirectLocation(target.location, { origin: s.origin ?? req.origin, path: req.path, allowHosts });
      } catch (err) {
        if (target.fallback === undefined) throw err;
        res.headers['location'] = encodeLocation(target.fallback);
      }
    }
    if (!res.htmlTrusted && isHTMLContentType(res.getHeader('content-type'))) {
      throw new PalisadeError(
        'HTTP_UNSAFE_HTML_RESPONSE',
        'This response has an HTML content type but its body is a plain string. Return Markup from a template or the html tag, or use Response.unsafeHTML() for HTML you wrote yourself.',
      );
    }
    const finishers = this.#finishers;
    for (let i = 0; i < finishers.length; i++) {
      const r = finishers[i]!.finish!(req, res, scope);
      if (r !== undefined) return this.#finishRest(req, res, scope, i + 1, r);
    }
    this.#finishBasic(req, res);
  }

  async #finishRest(req: Request, res: Response, scope: RequestScope, from: number, pending: Promise<void>): Promise<void> {
    await pending;
    const finishers = this.#finishers;
    for (let i = from; i < finishers.length; i++) {
      const r = finishers[i]!.finish!(req, res, scope);
      if (r !== undefined) await r;
    }
    this.#finishBasic(req, res);
  }

  /** What every response gets, even an error page written after a failed finish. */
  #finishBasic(req: Request, res: Response): void {
    res.headers['x-content-type-options'] = 'nosniff';
    res.headers['x-request-id'] ??= req.id;
    if (res.hasCookies) {
      const secure = req.secure;
      const prev = res.headers['set-cookie'];
      const lines = prev === undefined ? [] : Array.isArray(prev) ? prev : [prev];
      for (const c of res.cookies) lines.push(serializeCookie(c, secure));
      res.headers['set-cookie'] = lines;
      res.cookies.length = 0;
    }
  }

  #declCount(): number {
    let n = this.routeDecls.length + this.beforeHooks.length + this.afterHooks.length + this.errorHandlers.length;
    for (const { bp } of this.#blueprints) {
      n += bp.routeDecls.length + bp.beforeHooks.length + bp.afterHooks.length + bp.errorHandlers.length + 1;
    }
    return n;
  }

  /** (Re)builds the route table from the app's and blueprints' declarations. */
  #mount(): void {
    const count = this.#declCount();
    if (count === this.#mountedCount) return;
    const router = new Router();
    const add = (
      decls: RouteCollector['routeDecls'],
      prefix: string,
      namePrefix: string,
      defaults: RouteOptions,
      before: RouteCollector['beforeHooks'],
      after: RouteCollector['afterHooks'],
      errorHandlers: RouteCollector['errorHandlers'],
    ) => {
      const explicitHead = new Set(decls.filter((d) => d.method === 'HEAD').map((d) => prefix + d.path));
      for (const d of decls) {
        const options = { ...defaults, ...d.options };
        const path = prefix + d.path === '' ? '/' : prefix + d.path;
        const name = options.name === undefined ? undefined : namePrefix + options.name;
        const route = { method: d.method, path, name, handler: d.handler, options, before, after, errorHandlers, implicitHead: false, websocket: d.websocket };
        router.add(route);
        if (d.method === 'GET' && d.websocket === undefined && !explicitHead.has(path)) router.add({ ...route, method: 'HEAD', implicitHead: true });
      }
    };
    add(this.routeDecls, '', '', {}, this.beforeHooks, this.afterHooks, this.errorHandlers);
    for (const { bp, prefix } of this.#blueprints) {
      add(
        bp.routeDecls,
        prefix + bp.prefix,
        `${bp.name}.`,
        bp.routeDefaults,
        [...this.beforeHooks, ...bp.beforeHooks],
        [...bp.afterHooks, ...this.afterHooks],
        [...bp.errorHandlers, ...this.errorHandlers],
      );
    }
    this.#router = router;
    this.#mountedCount = count;
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}

function pickErrorHandler(
  handlers: readonly { match: number | ErrorClass; handler: ErrorHandler }[],
  err: unknown,
  status: number,
): ErrorHandler | undefined {
  for (const h of handlers) if (typeof h.match === 'function' && err instanceof h.match) return h.handler;
  for (const h of handlers) if (h.match === status) return h.handler;
  return undefined;
}

/** Creates an app. See docs/quickstart.md. */
export function createApp(options: AppOptions = {}): App {
  return new App(options);
}
