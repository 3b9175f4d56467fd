/**
 * The open-redirect check, as a protection that cannot be switched off: every response
 * built by `Response.redirect` gets its `Location` here, resolved against the request and
 * refused (HTTP_OPEN_REDIRECT, 400) when it would send the browser to a host that is
 * neither the app's own nor listed (the route's `allowHosts`, the app's `redirectHosts`),
 * or when it is not a URL a browser reads one way (src/http/redirect.ts). A redirect with
 * a `fallback` goes there instead of being refused.
 *
 * Its `finish` runs first, so a refused redirect becomes an error page before any other
 * protection adds to it. See docs/errors/HTTP_OPEN_REDIRECT.md.
 */
import type { Protection, ProtectionContext } from '../app/protection.js';
import { encodeLocation, redirectLocation } from '../http/redirect.js';

export function openRedirectProtection(ctx: ProtectionContext): Protection {
  const s = ctx.settings;
  return {
    name: 'open-redirect',
    phases: { finish: 'guard' },
    always: true,
    finish(req, res) {
      const target = res.redirectTarget;
      if (target === undefined) return;
      const allowHosts = target.allowHosts.length === 0 ? s.redirectHosts : [...target.allowHosts, ...s.redirectHosts];
      try {
        res.headers['location'] = redirectLocation(target.location, { origin: s.origin ?? req.origin, path: req.path, allowHosts });
      } catch (err) {
        if (target.fallback === undefined) throw err;
        res.headers['location'] = encodeLocation(target.fallback);
      }
    },
  };
}
