/**
 * The plain-string HTML guard, as a protection that cannot be switched off: a response
 * whose Content-Type is HTML must have a body Palisade built as HTML — Markup from a
 * template or the `html` tag, or `Response.unsafeHTML()` for HTML written by hand. A plain
 * string sent as `text/html` would put whatever it holds on the page unescaped, so it is
 * refused (HTTP_UNSAFE_HTML_RESPONSE, 500) before anything else finishes the response.
 * See docs/errors/HTTP_UNSAFE_HTML_RESPONSE.md.
 */
import type { Protection } from '../app/protection.js';
import { PalisadeError } from '../errors.js';
import { isHTMLContentType } from '../http/response.js';

export function htmlGuardProtection(): Protection {
  return {
    name: 'html-guard',
    phases: { finish: 'guard' },
    always: true,
    finish(_req, res) {
      if (!res.htmlTrusted && isHTMLContentType(res.getHeader('content-type'))) {
        throw new PalisadeError(
          'HTTP_UNSAFE_HTML_RESPONSE',
          'This response has an HTML content type but its body is a plain string. Return Markup from a template or the html tag, or use Response.unsafeHTML() for HTML you wrote yourself.',
        );
      }
    },
  };
}
