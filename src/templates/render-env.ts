/**
 * The render environment: what a template reads besides the context it is given — the
 * CSP nonce it puts on every `<script>` and `<style>`, the CSRF token of its forms'
 * hidden field, `url_for()`, and the request's globals (`current_user`, flashed
 * messages). The app's `render()` passes the request's environment explicitly; code that
 * renders a template itself may pass one too:
 *
 * ```ts
 * templates.render('note.html', { note }, { nonce, urlFor })
 * ```
 *
 * A render is synchronous, so the environment of the render running now is kept here
 * for the runtime while it runs (an `{% include %}` or a macro reads the same), with the
 * two inserts the compiler adds from it (the nonce attribute, the CSRF field). A template
 * rendered without one while a request is handled uses that request's scope, which is
 * also what the `html` tag reads (src/http/context.ts). See docs/templates.md#the-render-environment.
 */
import { currentScope } from '../http/context.js';
import { escapeHTML } from '../escape/html.js';
import { CSRF_FIELD } from '../http/csrf-names.js';

/** What a render reads from its surroundings (see the module comment). Every field is optional. */
export interface RenderEnv {
  /** The CSP nonce of the response this page goes into. */
  readonly nonce?: string | undefined;
  /** Returns a masked CSRF token, for `csrf_token()`, `csrf_field()` and forms' hidden field. Called as a method. */
  readonly csrfToken?: (() => string) | undefined;
  /** Builds the URL of a named route, for `url_for()`. */
  readonly urlFor?: ((name: string, params?: Record<string, unknown>, query?: Record<string, unknown>) => string) | undefined;
  /** Names every template sees (after the built-ins and the loader's globals, before the render's context). */
  readonly globals?: Readonly<Record<string, unknown>> | undefined;
}

let active: RenderEnv | undefined;

/** Runs `fn` (a synchronous render) with `env` as the environment; nested renders without one of their own keep it. */
export function renderWith<T>(env: RenderEnv | undefined, fn: () => T): T {
  const prev = active;
  active = env ?? active ?? currentScope();
  try {
    return fn();
  } finally {
    active = prev;
  }
}

/** The environment of the render running now; outside a render, the request scope's (or undefined). */
export function renderEnv(): RenderEnv | undefined {
  return active ?? currentScope();
}

/** ` nonce="…"` for a `<script>`/`<style>` start tag when the environment has a nonce. */
export function nonceAttr(s: RenderEnv | undefined): string {
  const n = s?.nonce;
  return n ? ` nonce="${escapeHTML(n)}"` : '';
}

/** The hidden CSRF input, or nothing outside a request with CSRF protection. */
export function csrfFieldHTML(s: RenderEnv | undefined): string {
  return s?.csrfToken ? `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHTML(s.csrfToken())}">` : '';
}
