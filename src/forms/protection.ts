/**
 * The forms protection: before each handler it gives templates `get_flashed_messages()`
 * (loading the messages when the request carries a session cookie, since templates render
 * synchronously). Registered in
 * src/app/default-protections.ts after the session and CSRF protections; flashFinishProtection,
 * registered before the session protection, completes what templates read.
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
    check(req, route, scope) {
      scope.globals = scope.globals === undefined ? GLOBALS : { ...scope.globals, ...GLOBALS };
      if (route !== null && req.session !== undefined && hasSessionCookie(req)) return preloadFlashes(req);
    },
  };
}

/**
 * The other half of flashed messages: messages a template read are removed from the
 * session when the response is finished. Registered before the session protection, whose
 * finish then writes the session without them. (Templates render synchronously, so the
 * removal they start cannot be awaited where they read the messages.)
 */
export function flashFinishProtection(): Protection {
  return {
    name: 'flash',
    finish(req) {
      return finishFlashes(req);
    },
  };
}
