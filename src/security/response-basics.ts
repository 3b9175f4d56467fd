/**
 * What every response gets last, as a protection that cannot be switched off:
 * `X-Content-Type-Options: nosniff` (no browser reads a text or JSON answer as HTML or
 * script), the request's id in `X-Request-Id`, and the cookies the handler and the
 * protections set, written as `Set-Cookie` lines with `Secure` on HTTPS. Its `finish` runs
 * after every other protection's, since some of them set cookies; `finishBasics` is also
 * what an error page gets when finishing it failed (src/app/finish.ts).
 */
import type { Protection } from '../app/protection.js';
import { serializeCookie } from '../http/cookies.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';

/** Adds nosniff, the request id and the Set-Cookie lines to `res`. */
export function finishBasics(req: Request, res: Response): void {
  res.headers['x-content-type-options'] = 'nosniff';
  res.headers['x-request-id'] ??= req.id;
  if (res.hasCookies) {
    const secure = req.secure;
    const prev = res.headers['set-cookie'];
    const lines = prev === undefined ? [] : Array.isArray(prev) ? prev : [prev];
    for (const c of res.cookies) lines.push(serializeCookie(c, secure));
    res.headers['set-cookie'] = lines;
    res.cookies.length = 0;
  }
}

export function responseBasicsProtection(): Protection {
  return { name: 'response-basics', always: true, phases: { finish: 'basics' }, finish: finishBasics };
}
