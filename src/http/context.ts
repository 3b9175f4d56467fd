/**
 * The per-request scope that handlers, templates and helpers can reach without passing
 * the request around, kept in an AsyncLocalStorage. Outside a request it is undefined.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

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
  /** Values templates see as globals for this request (flashed messages, the user…). */
  globals?: Record<string, unknown>;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being handled, or undefined outside a request. */
export function currentScope(): RequestScope | undefined {
  return requestScope.getStore();
}
