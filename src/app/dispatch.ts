/**
 * The dispatch pipeline: what happens to one request between the adapter that made it and
 * the adapter that writes the answer. Every protection's `begin`, then route matching,
 * then every protection's `check`, the route's `before` hooks, the handler and the `after`
 * hooks; any error becomes the error handler's answer or Palisade's error page; the answer
 * is completed by finish.ts.
 *
 * It runs synchronously until something returns a promise, then continues in one of the
 * async tails below, each ending where the synchronous path does: the common request (a
 * handler that returns a value, protections with their data at hand) makes no promise and
 * no microtask. The bench measures this path (bench/README.md); keep its allocations and
 * promise hops as they are.
 */
import { HttpError } from '../errors.js';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import type { WebSocketHandler } from '../realtime/ws-hub.js';
import { SCOPE } from '../util/symbols.js';
import type { Finisher } from './finish.js';
import type { ProtectionOrder } from './phase-order.js';
import type { Protection } from './protection.js';
import { toResponse } from './result.js';
import type { MountedRoute, Router } from './route-table.js';

/** What a WebSocket handshake that passed the gate leads to. */
export interface Upgrade {
  readonly handler: WebSocketHandler;
  readonly scope: RequestScope;
}

export class Dispatcher {
  readonly #router: Router;
  readonly #beginners: readonly Protection[];
  readonly #checks: readonly Protection[];
  readonly #finisher: Finisher;
  readonly #dev: boolean;
  readonly #logRequests: boolean;

  /** `router` is the app's fixed route table; `protections` run in the order of their phases. */
  constructor(router: Router, protections: ProtectionOrder, finisher: Finisher, opts: { dev: boolean; logRequests: boolean }) {
    this.#router = router;
    this.#beginners = protections.begin;
    this.#checks = protections.check;
    this.#finisher = finisher;
    this.#dev = opts.dev;
    this.#logRequests = opts.logRequests;
  }

  /** Answers `req`; a Response when nothing on the way returned a promise. Never throws. */
  respond(req: Request): Response | Promise<Response> {
    const scope = req[SCOPE];
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
    return this.#finisher.complete(req, res, scope, started);
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
      res = await this.#finisher.handleError(err, req, route, scope);
    }
    return this.#finisher.complete(req, res, scope, started);
  }

  async #routeThenComplete(req: Request, scope: RequestScope, route: MountedRoute, started: number): Promise<Response> {
    let res: Response;
    try {
      res = await this.#runRoute(route, req);
    } catch (err) {
      res = await this.#finisher.handleError(err, req, route, scope);
    }
    return this.#finisher.complete(req, res, scope, started);
  }

  async #valueThenComplete(req: Request, scope: RequestScope, route: MountedRoute, value: PromiseLike<unknown>, started: number): Promise<Response> {
    let res: Response;
    try {
      res = toResponse(await value, route, this.#dev);
    } catch (err) {
      res = await this.#finisher.handleError(err, req, route, scope);
    }
    return this.#finisher.complete(req, res, scope, started);
  }

  async #errorThenComplete(err: unknown, req: Request, route: MountedRoute | null, scope: RequestScope, started: number): Promise<Response> {
    return this.#finisher.complete(req, await this.#finisher.handleError(err, req, route, scope), scope, started);
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

  /**
   * A WebSocket handshake, through the gate every state-changing request passes: the
   * protections' checks (host validation, the CSRF origin check), then the route's `before`
   * hooks. Resolves to the route's handler and the request scope to run it in, or to the
   * refusal (an error page, finished like any response) to write instead of the `101`.
   * See docs/realtime.md#the-handshake.
   */
  async upgrade(req: Request): Promise<Upgrade | Response> {
    const scope = req[SCOPE];
    const started = this.#logRequests ? performance.now() : 0;
    let route: MountedRoute | null = null;
    let res: Response;
    for (const p of this.#beginners) p.begin!(req, scope);
    try {
      const match = req.method === 'GET' ? this.#router.find('GET', req.path) : null;
      if (match === null || match.route.websocket === undefined) {
        throw new HttpError(
          'HTTP_NOT_FOUND',
          req.method === 'GET' ? 'No WebSocket route is at this URL.' : `A WebSocket handshake is a GET, not a ${req.method}.`,
        );
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
        this.#finisher.logUpgrade(req, started);
        return { handler: route.websocket!, scope };
      }
      res = refused;
    } catch (err) {
      res = await this.#finisher.handleError(err, req, route, scope);
    }
    return this.#finisher.complete(req, res, scope, started);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}
