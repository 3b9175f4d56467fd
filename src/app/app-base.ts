/**
 * The core of an app: its settings, routes, hooks, error handlers and default protections,
 * and the entry points adapters call. It never touches a socket and imports no adapter:
 * the node server (src/adapters/node.ts), the fetch adapter and the test client build a
 * Request with `app[CREATE_REQUEST]`, enter its scope, call `app[RESPOND]`, and write the
 * Response (the keys are in src/util/symbols.ts).
 * The App applications use (src/create-app.ts) adds `listen()`, `fetch()` and `test()` on
 * top of it. See docs/architecture.md.
 *
 * The work is split by step: mount.ts builds the route table and fixes the setup,
 * dispatch.ts runs a request through protections, hooks and the handler, finish.ts
 * completes the answer and turns errors into pages.
 */
import type { Logger } from 'pino';
import { levelEnables, planLogger, type LoggerPlan } from '../util/logger.js';
import { Request, type RequestInit, type RequestSettings } from '../http/request.js';
import type { Response } from '../http/response.js';
import type { Markup } from '../escape/markup.js';
import type { Templates } from '../templates/loader.js';
import type { RenderEnv } from '../templates/render-env.js';
import { type Blueprint, normalizePrefix } from './blueprint.js';
import { resolveSettings, type AppOptions, type Settings } from './config.js';
import { buildProtections } from './default-protections.js';
import { Dispatcher, type Upgrade } from './dispatch.js';
import { Finisher } from './finish.js';
import { Mounting } from './mount.js';
import type { Protection } from './protection.js';
import type { ProtectionOrder } from './phase-order.js';
import { resolveTemplates, type AppTemplatesOption } from './render.js';
import { buildPath, type MountedRoute } from './route-table.js';
import { RouteCollector } from './route-collector.js';
import { buildOpenAPI } from '../openapi/document.js';
import type { OpenAPIOptions } from '../openapi/options.js';
import { CREATE_REQUEST, DECLARED, FIX_SETUP, PROTECTIONS, RESPOND, UPGRADE } from '../util/symbols.js';

export class AppBase extends RouteCollector {
  readonly settings: Settings;
  /** The template loader from the `templates` setting, or null. */
  readonly templates: Templates | null;
  protected readonly setupName = 'app';
  #logger: Logger | undefined;
  readonly #logPlan: LoggerPlan;
  readonly #protections: ProtectionOrder;
  readonly #options: AppOptions;
  readonly #requestSettings: RequestSettings;
  readonly #mounting = new Mounting(this);
  /** Made when the setup is fixed, from the final route table. */
  #dispatcher: Dispatcher | undefined;

  constructor(options: AppOptions = {}) {
    super();
    const s = (this.settings = resolveSettings(options));
    this.#options = options;
    this.#logPlan = planLogger(s.logger, s.env);
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
      urlFor: (name, params, query) => this.urlFor(name, params, query),
    };
    this.templates = resolveTemplates((options as { templates?: AppTemplatesOption }).templates, s.env);
    if (this.templates !== null) this.#requestSettings.templates = this.templates;
    const app = this;
    this.#protections = buildProtections({
      settings: s,
      options: options as Record<string, unknown>,
      get logger() {
        return app.logger;
      },
      findRoute: (method, path) => this.#mounting.table().find(method, path)?.route ?? null,
    });
  }

  /** The app's pino logger (created on first use). */
  get logger(): Logger {
    return (this.#logger ??= this.#logPlan.make());
  }

  /** True when the logger writes messages of `level`; asks without creating the logger when it can. */
  isLogging(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'): boolean {
    return levelEnables(this.#logPlan.level, level) ?? this.logger.isLevelEnabled(level);
  }

  /**
   * Internal: the protections this app runs, in the order of their checks, then of their
   * finishes, then of their begins (for the CLI's `routes` and `check`, the test client).
   */
  get [PROTECTIONS](): readonly Protection[] {
    return this.#protections.all;
  }

  /**
   * Renders one of the app's templates (see the `templates` setting), in the render
   * environment `env` when given (RenderEnv: nonce, CSRF token, url_for, globals). Inside a
   * handler, `render(name, context)` does the same with the request's environment.
   */
  render(name: string, context?: Record<string, unknown>, env?: RenderEnv): Markup {
    if (this.templates === null) throw new TypeError('This app has no templates: pass createApp({ templates: { dir } }).');
    return this.templates.render(name, context, env);
  }

  /** Mounts a blueprint, optionally under an extra prefix. */
  register(bp: Blueprint, opts: { prefix?: string } = {}): this {
    this.declare(`register(blueprint ${JSON.stringify(bp.name)})`);
    this.#mounting.add(bp, normalizePrefix(opts.prefix ?? ''));
    return this;
  }

  /** Every mounted route (after blueprints), e.g. for `palisade routes`. */
  get routes(): readonly MountedRoute[] {
    return this.#mounting.table().routes;
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
    const route = this.#mounting.table().byName(name);
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
    return buildOpenAPI(
      this.routes,
      {
        csrf: this.#protections.all.some((p) => p.name === 'csrf'),
        csrfExempt: new Set(csrf.exempt ?? []),
        sessionCookie: this.settings.https && !/^__(Host|Secure)-/.test(cookie) ? `__Host-${cookie}` : cookie,
      },
      opts,
    );
  }

  /** Internal, for adapters: a Request for this app from what the adapter knows. */
  [CREATE_REQUEST](init: RequestInit): Request {
    return new Request(init, this.#requestSettings);
  }

  /**
   * Internal, for adapters: handles one request — routing, protections, hooks, handler, errors — and
   * never throws. It answers synchronously when nothing on the way returned a promise,
   * which spares the common request every promise and microtask. Adapters call it inside
   * the request's scope (`runInScope(req[SCOPE], …)`) and write the response in it too.
   * The first call fixes the setup.
   */
  [RESPOND](req: Request): Response | Promise<Response> {
    return (this.#dispatcher ?? this.#start('the app handled its first request')).respond(req);
  }

  /**
   * Internal, for adapters: a WebSocket handshake through the gate every state-changing request
   * passes, resolved to the route's handler and scope or to the refusal to write instead of
   * the `101` (see Dispatcher.upgrade). The first call fixes the setup.
   */
  [UPGRADE](req: Request): Promise<Upgrade | Response> {
    return (this.#dispatcher ?? this.#start('the app handled its first request')).upgrade(req);
  }

  /**
   * Fixes the setup (see mount.ts): routes, hooks, error handlers and blueprints declared
   * after this are a ConfigError. The adapters call it when the app starts to listen; the
   * first request does it by itself.
   */
  override [FIX_SETUP](why: string): void {
    if (this.#dispatcher === undefined) this.#start(why);
  }

  #start(why: string): Dispatcher {
    const router = this.#mounting.fix(why);
    super[FIX_SETUP](why);
    const s = this.settings;
    const opts = { dev: s.env === 'development', logRequests: this.isLogging('info') };
    const finisher = new Finisher(this.#protections, this[DECLARED].errorHandlers, () => this.logger, opts);
    return (this.#dispatcher = new Dispatcher(router, this.#protections, finisher, opts));
  }

  /** Releases what protections hold (store connections). Called on shutdown. */
  async close(): Promise<void> {
    for (const p of this.#protections.all) await p.close?.();
  }
}
