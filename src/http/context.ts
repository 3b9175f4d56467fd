/**
 * The per-request scope that handlers, templates and helpers can reach without passing
 * the request around (`render()`, `csrfToken()`, flashed messages, the CSP nonce).
 *
 * It follows the code a handler runs: its synchronous part, and every continuation of a
 * promise made while it ran (code after an `await`, `.then` callbacks). It is carried by
 * V8's promise hooks, not by an AsyncLocalStorage: on Node 20 an AsyncLocalStorage makes
 * node run an async hook for every socket write, tick and timer of every request, which
 * cost ~15% of the throughput of a small route (bench/README.md). The price is that a
 * callback scheduled with a timer, `process.nextTick` or an event emitter does not carry
 * the scope by itself: wrap it with `bindScope(fn)`.
 */
import { promiseHooks } from 'node:v8';

/** What code running for a request can reach. Protections add their fields as they run. */
export interface RequestScope {
  /** The request being handled (typed loosely here to keep http/ free of app/). */
  readonly request: unknown;
  /** The CSP nonce of this response, when the app sends a CSP with nonces. */
  nonce?: string;
  /** Returns a masked CSRF token for this scope's session (set by the CSRF protection): `scope.csrfToken(scope)`. */
  csrfToken?: (scope: RequestScope) => string;
  /** Builds a URL for a named route (set by the app). */
  urlFor?: (name: string, params?: Record<string, unknown>, query?: Record<string, unknown>) => string;
  /** The app's template loader, for `render()` (set by the app when it has templates). */
  templates?: { render(name: string, context?: Record<string, unknown>): import('../escape/markup.js').Markup };
  /** The app's logger (set by the app), for helpers that log on its behalf, such as the CSP report endpoint. */
  logger?: () => import('pino').Logger;
  /** Values templates see as globals for this request (flashed messages, the user…). */
  globals?: Record<string, unknown>;
}

const SCOPE = Symbol('palisade.scope');
type Tagged = { [SCOPE]?: RequestScope };

/** The scope of the code running now. */
let current: RequestScope | undefined;
/** The scopes to return to when the promise reactions running now finish (they nest). */
const outer: (RequestScope | undefined)[] = [];
let hooked = false;

// A promise made while a scope is current remembers it; when one of its reactions runs
// (an `await` continuation, a `.then` callback), that scope is current again.
function installHooks(): void {
  hooked = true;
  promiseHooks.createHook({
    init(promise) {
      if (current !== undefined) (promise as Tagged)[SCOPE] = current;
    },
    before(promise) {
      outer.push(current);
      current = (promise as Tagged)[SCOPE];
    },
    after() {
      current = outer.pop();
    },
  });
}

/** Runs `fn` with `scope` current (and every promise it makes). */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  if (!hooked) installHooks();
  const prev = current;
  current = scope;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** The scope of the request being handled, or undefined outside a request. */
export function currentScope(): RequestScope | undefined {
  return current;
}

/**
 * Returns `fn` bound to the current request's scope, for a callback that runs later
 * outside the promise chain (a timer, `process.nextTick`, an event listener, a
 * callback-style API). Outside a request it returns `fn` itself.
 *
 * ```ts
 * app.get('/later', () => new Promise((resolve) => {
 *   setTimeout(bindScope(() => resolve(render('later.html'))), 10);
 * }));
 * ```
 */
export function bindScope<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const scope = current;
  if (scope === undefined) return fn;
  return function (this: unknown, ...args: A): R {
    return runInScope(scope, () => fn.apply(this, args));
  };
}

/**
 * `src`, iterated in `scope`. A streamed response body (an async generator) is read by the
 * server after the handler returned, outside any promise the handler made; each step of it
 * runs here in the request's scope, so the generator can render templates or read the CSRF
 * token. A node Readable is read by node itself and is not covered.
 */
export function iterateInScope<T>(src: AsyncIterable<T>, scope: RequestScope): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const it = runInScope(scope, () => src[Symbol.asyncIterator]());
      const scoped: AsyncIterator<T> = { next: (...a: [] | [unknown]) => runInScope(scope, () => it.next(...a)) };
      if (it.return !== undefined) scoped.return = (v?: unknown) => runInScope(scope, () => it.return!(v));
      if (it.throw !== undefined) scoped.throw = (e?: unknown) => runInScope(scope, () => it.throw!(e));
      return scoped;
    },
  };
}
