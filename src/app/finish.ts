/**
 * The last step of every answer: error handlers and error pages, then every protection's
 * `finish` phase by phase (the guards first: the open-redirect check and the HTML guard;
 * flashed messages, the session, the route's headers, the security headers, compression,
 * and last the response basics; see FINISH_PHASES), then the log line.
 *
 * A response refused at that step (a redirect to another host, a plain string sent as
 * HTML) becomes an error page that still gets every protection's `finish`; should that
 * fail too, the bare page goes out with only the response basics.
 */
import type { Logger } from 'pino';
import { PalisadeError } from '../errors.js';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { finishBasics } from '../security/response-basics.js';
import { describeError, errorResponse, recordFailure } from '../http/error-page.js';
import type { ProtectionOrder } from './phase-order.js';
import type { Protection } from './protection.js';
import { toResponse } from './result.js';
import type { MountedRoute } from './route-table.js';
import type { ErrorClass, ErrorHandler } from './route-collector.js';

type ErrorHandlers = readonly { match: number | ErrorClass; handler: ErrorHandler }[];

export class Finisher {
  readonly #finishers: readonly Protection[];
  /** The app's own error handlers, for requests no route matched. */
  readonly #errorHandlers: ErrorHandlers;
  readonly #logger: () => Logger;
  readonly #dev: boolean;
  readonly #logRequests: boolean;

  constructor(protections: ProtectionOrder, errorHandlers: ErrorHandlers, logger: () => Logger, opts: { dev: boolean; logRequests: boolean }) {
    this.#finishers = protections.finish;
    this.#errorHandlers = errorHandlers;
    this.#logger = logger;
    this.#dev = opts.dev;
    this.#logRequests = opts.logRequests;
  }

  /** Finishes the response (protections, cookies) and logs it; a promise only when a finish made one. */
  complete(req: Request, res: Response, scope: RequestScope, started: number): Response | Promise<Response> {
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

  /** The answer to an error: the matching error handler's (the route's, else the app's), else the error page. */
  async handleError(err: unknown, req: Request, route: MountedRoute | null, scope: RequestScope): Promise<Response> {
    const status = err instanceof PalisadeError ? err.status : 500;
    if (status >= 500) req.log.error({ err, method: req.method, path: req.path }, 'request failed');
    const handler = pickErrorHandler(route?.errorHandlers ?? this.#errorHandlers, err, status);
    if (handler !== undefined) {
      try {
        const res = toResponse(await handler(err, req), route, this.#dev);
        if (res.status === 200 && status !== 200) res.status = status;
        return recordFailure(res, err);
      } catch (inner) {
        req.log.error({ err: inner }, 'error handler failed');
        return this.#errorPage(inner, req, scope);
      }
    }
    return this.#errorPage(err, req, scope);
  }

  /** Logs a WebSocket handshake that was let through (status 101). */
  logUpgrade(req: Request, started: number): void {
    if (this.#logRequests) this.#logger().info({ method: 'WS', path: req.path, status: 101, ms: +(performance.now() - started).toFixed(2) });
  }

  async #finishFailed(err: unknown, req: Request, scope: RequestScope, started: number): Promise<Response> {
    if (err instanceof PalisadeError && err.status >= 500) req.log.error({ err, method: req.method, path: req.path }, 'response refused');
    let res = this.#errorPage(err, req, scope);
    try {
      await this.#finish(req, res, scope);
    } catch (again) {
      req.log.error({ err: again }, 'finishing the error page failed');
      res = this.#errorPage(again, req, scope);
      finishBasics(req, res);
    }
    return this.#logged(req, res, started);
  }

  #logged(req: Request, res: Response, started: number): Response {
    if (this.#logRequests) {
      this.#logger().info({ method: req.method, path: req.path, status: res.status, ms: +(performance.now() - started).toFixed(2), reqId: req.id });
    }
    return res;
  }

  /** The error page for `err`; the response remembers the error (for the test client). */
  #errorPage(err: unknown, req: Request, scope: RequestScope): Response {
    const info = describeError(err, this.#dev);
    const stack = this.#dev && info.status >= 500 && err instanceof Error ? err.stack : undefined;
    const res = errorResponse(info, req, { stack, nonce: scope.nonce });
    if (err instanceof PalisadeError && err.code === 'HTTP_METHOD_NOT_ALLOWED') res.headers['allow'] = String(err.details.allow);
    if (err instanceof PalisadeError && err.code === 'WS_UPGRADE_REQUIRED') res.headers['upgrade'] = 'websocket'; // RFC 9110 §15.5.22
    return recordFailure(res, err);
  }

  /**
   * Runs every protection's `finish` in the order of their phases. Synchronous unless one returns a promise (a
   * session store write), so most responses create none.
   */
  #finish(req: Request, res: Response, scope: RequestScope): void | Promise<void> {
    const finishers = this.#finishers;
    for (let i = 0; i < finishers.length; i++) {
      const r = finishers[i]!.finish!(req, res, scope);
      if (r !== undefined) return this.#finishRest(req, res, scope, i + 1, r);
    }
  }

  async #finishRest(req: Request, res: Response, scope: RequestScope, from: number, pending: Promise<void>): Promise<void> {
    await pending;
    const finishers = this.#finishers;
    for (let i = from; i < finishers.length; i++) {
      const r = finishers[i]!.finish!(req, res, scope);
      if (r !== undefined) await r;
    }
  }
}

function pickErrorHandler(handlers: ErrorHandlers, err: unknown, status: number): ErrorHandler | undefined {
  for (const h of handlers) if (typeof h.match === 'function' && err instanceof h.match) return h.handler;
  for (const h of handlers) if (h.match === status) return h.handler;
  return undefined;
}
