/**
 * The plain-string HTML guard, as a protection that cannot be switched off: a response
 * whose Content-Type is HTML must have a body Palisade built as HTML — Markup from a
 * template or the `html` tag, or `Response.unsafeHTML()` for HTML written by hand. A plain
 * string sent as `text/html` would put whatever it holds on the page unescaped, so it is
 * refused (HTTP_UNSAFE_HTML_RESPONSE, 500) before anything else finishes the response.
 * See docs/errors/HTTP_UNSAFE_HTML_RESPONSE.md.
 *
 * Markup rendered with another request's environment (its CSRF token, nonce and user; see
 * src/http/context.ts) is refused the same way (HTTP_HTML_FOR_OTHER_REQUEST, 500): see
 * docs/errors/HTTP_HTML_FOR_OTHER_REQUEST.md.
 */
import type { Protection } from '../app/protection.js';
import { PalisadeError } from '../errors.js';
import { isHTMLContentType } from '../http/response.js';

export function htmlGuardProtection(): Protection {
  return {
    name: 'html-guard',
    phases: { finish: 'guard' },
    always: true,
    finish(req, res, scope) {
      if (!res.htmlTrusted && isHTMLContentType(res.getHeader('content-type'))) {
        throw new PalisadeError(
          'HTTP_UNSAFE_HTML_RESPONSE',
          'This response has an HTML content type but its body is a plain string. Return Markup from a template or the html tag, or use Response.unsafeHTML() for HTML you wrote yourself.',
        );
      }
      const renderedFor = res.htmlRenderedFor;
      if (renderedFor !== undefined && renderedFor !== scope) {
        const other = renderedFor.request as { method?: string; path?: string } | undefined;
        throw new PalisadeError(
          'HTTP_HTML_FOR_OTHER_REQUEST',
          `The HTML of this response (${req.method} ${req.path}) was rendered while another request was handled` +
            `${other?.path !== undefined ? ` (${String(other.method)} ${other.path})` : ''}, so it holds that request's CSRF token, CSP nonce and user. ` +
            'A template or html`...` ran in a callback that runs for whoever triggered it (an event listener, a pool or driver callback), or rendered HTML was kept between requests. ' +
            "Await the callback's data and render in the handler; render HTML you keep between requests outside a request or with an explicit environment (templates.render(name, context, {})). " +
            'See docs/errors/HTTP_HTML_FOR_OTHER_REQUEST.md.',
        );
      }
    },
  };
}
