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
