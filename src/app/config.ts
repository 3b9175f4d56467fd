/**
 * The options of `createApp`: the app's own settings (CoreOptions, resolved in settings.ts)
 * and the sections each feature reads and checks itself when the app builds its
 * protections. See docs/deployment.md.
 */
import type { CoreOptions } from './settings.js';

export { resolveSettings, type CoreOptions, type Env, type LoggerSettings, type PinoLogger, type ServerOptions, type Settings } from './settings.js';

/** Options for `createApp`. Every field is optional; see docs/deployment.md. */
export interface AppOptions extends CoreOptions {
  /** CORS for other origins' scripts; off by default. See docs/json.md#cors. */
  cors?: import('../security/cors.js').CORSOptions | false;
  /** JSON response hardening: resource isolation, CORP, XSSI prefix. See docs/json.md. */
  json?: import('../security/resource-isolation.js').JSONOptions;
  /** Sessions: cookie (default), memory or Redis store, lifetime, cookie name. See docs/sessions.md. */
  session?: import('../security/session-manager.js').SessionOptions;
  /** Logins: `loadUser` (the current user for handlers and templates), the login route's name. See docs/auth.md. */
  login?: import('../auth/login.js').LoginOptions;
  /** Where rate limits count (memory or Redis) and how many keys memory keeps. See docs/auth.md#rate-limits. */
  rateLimit?: import('../security/rate-limit/options.js').RateLimitSettings;
  /** Route schemas: whether responses are checked (default: not in production). See docs/validation.md. */
  validation?: import('../validation/validation-protection.js').ValidationOptions;
  /** CSRF protection (on by default): trusted origins, exempt routes. See docs/forms-and-csrf.md. */
  csrf?: import('../security/csrf.js').CsrfOptions;
  /** Multipart upload limits and temporary storage. See docs/files.md#limits. */
  uploads?: import('../files/options.js').UploadOptions;
  /** The static folder (default `static/` at `/static` when it exists), or false. See docs/files.md#the-static-folder. */
  static?: import('../files/options.js').StaticOptions | false;
  /** Security headers and the CSP (all on by default), or false for none. See docs/headers.md. */
  headers?: import('../security/headers.js').HeadersOptions | false;
  /** The templates folder (`{ dir }`), a loader, or false. Default: `templates/` if it exists. See docs/templates.md. */
  templates?: import('./render.js').AppTemplatesOption;
  /**
   * Development and test: trusting text that contains a value from the current request
   * (`Markup.unsafeTrust`, `|safe`…) throws ESCAPE_TRUSTED_REQUEST_DATA. Default true (never
   * on in production); false switches it off. See docs/templates.md#trusting-html.
   */
  trustGuard?: boolean;
}
