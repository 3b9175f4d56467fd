/**
 * The request scope: what code deep inside a request can reach without being handed the
 * request — `render()`, `csrfToken()`, flashed messages, the `html` tag's CSP nonce.
 *
 * It is one `AsyncLocalStorage`, entered once per request by the adapter (the node server,
 * `app.fetch`, the test client) around the whole request, writing the response included.
 * Everything the request starts carries it: code after an `await`, timers,
 * `queueMicrotask`, `process.nextTick`, event listeners called from them, and a streamed
 * body read by the server after the handler returned. Apps that use AsyncLocalStorage
 * themselves (tracing, APM agents) see one context system with one set of rules.
 *
 * Pass context explicitly where you can — `req.csrfToken()`, `req.urlFor()`, `req.nonce`,
 * and templates rendered with a render environment (src/templates/render-env.ts); the
 * ambient scope is for helpers called from deep code. See docs/routing.md#the-request-scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { getRenderedFor, isMarkup, setRenderedFor, type Markup } from '../escape/markup.js';

/**
 * What code running for a request can reach. Protections add their fields as they run.
 * It is also the request's render environment (`RenderEnv` in src/templates/render-env.ts):
 * `nonce`, `csrfToken`, `urlFor` and `globals` are what templates read.
 */
export interface RequestScope {
  /** The request being handled (typed loosely: this module is below the Request class). */
  readonly request: unknown;
  /** The CSP nonce of this response, when the app sends a CSP with nonces. */
  nonce?: string;
  /** Returns a masked CSRF token for this scope's session (set by the CSRF protection). Call it as a method. */
  csrfToken?: (this: RequestScope) => string;
  /** Builds a URL for a named route (set by the app). */
  urlFor?: (name: string, params?: Record<string, unknown>, query?: Record<string, unknown>) => string;
  /** The app's template loader, for `render()` (set by the app when it has templates). */
  templates?: {
    render(name: string, context: Record<string, unknown> | undefined, env: RequestScope): import('../escape/markup.js').Markup;
  };
  /** The app's logger (set by the app), for helpers that log on its behalf, such as the CSP report endpoint. */
  logger?: () => import('pino').Logger;
  /** Values templates see as globals for this request (flashed messages, the user…). */
  globals?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn(...args)` with `scope` current, and everything it starts. Adapters call it once
 * per request; passing the arguments (instead of a closure) spares one allocation.
 */
export function runInScope<A extends unknown[], T>(scope: RequestScope, fn: (...args: A) => T, ...args: A): T {
  return storage.run(scope, fn, ...args);
}

/** The scope of the request being handled, or undefined outside a request. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** True for a request's scope, as opposed to a render environment built by hand. */
export function isRequestScope(env: unknown): env is RequestScope {
  return typeof env === 'object' && env !== null && (env as RequestScope).request !== undefined;
}

/**
 * Which request's environment HTML was rendered with. A render reads the request's CSRF
 * token, nonce and user; when it runs in another request's scope (a listener called by
 * whichever request emitted, a callback of a pool made during another request, a page
 * memoized across requests), its HTML holds that request's secrets. Templates and the
 * `html` tag record it below, and the HTML guard (src/security/html-guard.ts)
 * refuses a response whose HTML was rendered for another request.
 *
 * Records that `html` was rendered with `scope`'s environment, on the Markup itself.
 */
export function markRenderedFor(html: Markup, scope: RequestScope): void {
  setRenderedFor(html, scope);
}

/** The request scope whose environment `html` was rendered with, if any. */
export function renderedFor(html: object): RequestScope | undefined {
  return isMarkup(html) ? (getRenderedFor(html) as RequestScope | undefined) : undefined;
}

/**
 * The scope a render made in `env` out of `parts` is for: a part rendered for another
 * request carries that request into the whole (so the whole is refused where the part would
 * be); otherwise `env` when it is a request's scope. Arrays are looked into a few levels.
 */
export function scopeOfRender(env: unknown, parts: Iterable<unknown>, depth = 0): RequestScope | undefined {
  const own = isRequestScope(env) ? env : undefined;
  for (const p of parts) {
    if (typeof p !== 'object' || p === null) continue;
    const s = Array.isArray(p) ? (depth < 4 ? scopeOfRender(env, p, depth + 1) : undefined) : renderedFor(p);
    if (s !== undefined && s !== own) return s;
  }
  return own;
}
