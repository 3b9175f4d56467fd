/**
 * The forms protection: flashed messages for templates. Its check, in the `forms` phase
 * (after the session and CSRF), gives templates `get_flashed_messages()`, loading the
 * messages when the request carries a session cookie, since templates render
 * synchronously. Its finish, in the `flash` phase (before the session is written),
 * removes the messages a template read, so the session is saved without them.
 *
 * See docs/forms-and-csrf.md#flashed-messages. (The app's `forms` limits are applied by the
 * parsers themselves: src/http/form-limits.ts.)
 */
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { Request } from '../http/request.js';
import { finishFlashes, get_flashed_messages, preloadFlashes } from './flash.js';

const GLOBALS: Readonly<Record<string, unknown>> = Object.freeze({ get_flashed_messages });

/** Builds the forms protection from the app's `session.cookieName` option. */
export function formsProtection(ctx: ProtectionContext): Protection {
  // The session cookie's names (see SessionManager.cookieName): only a request that
  // carries one can have messages waiting.
  const s = ctx.options.session as { cookieName?: unknown } | undefined;
  const name = typeof s?.cookieName === 'string' ? s.cookieName : 'session';
  const hostName = /^__(Host|Secure)-/.test(name) ? name : `__Host-${name}`;
  const hasSessionCookie = (req: Request): boolean => {
    const c = req.cookies;
    return c[name] !== undefined || c[hostName] !== undefined;
  };
  return {
    name: 'forms',
    phases: { check: 'forms', finish: 'flash' },
    check(req, route, scope) {
      scope.globals = scope.globals === undefined ? GLOBALS : { ...scope.globals, ...GLOBALS };
      if (route !== null && req.session !== undefined && hasSessionCookie(req)) return preloadFlashes(req);
    },
    // Templates render synchronously, so the removal they start when they read the
    // messages cannot be awaited there; it is awaited here.
    finish(req) {
      return finishFlashes(req);
    },
  };
}
