/**
 * The `Location` of a redirect: checked against open redirects and written the way a
 * browser would read it. The app calls `redirectLocation` on every response that
 * `Response.redirect` built, before it is sent.
 *
 * - A target with a control character (U+0000–U+001F, U+007F) is refused: browsers
 *   strip tabs and newlines from URLs and trim the rest at the ends, so such a target
 *   can hide a scheme or a host from a check, and node cannot send it in a header.
 * - Spaces at the ends are dropped, as browsers drop them; spaces inside and characters
 *   outside ASCII are percent-encoded as UTF-8, as the WHATWG URL
 *   parser does for paths, queries and fragments (and, for a host, before its IDNA step,
 *   so the host stays the same): `/€` is sent as `/%E2%82%AC`. A lone surrogate becomes
 *   U+FFFD, as in the URL parser.
 * - The target is resolved as browsers resolve it (`\` is `/`, `//host` is another host)
 *   and refused unless it stays on the request's origin, or its host is listed.
 *
 * Refusals are `HTTP_OPEN_REDIRECT` (400). See docs/errors/HTTP_OPEN_REDIRECT.md.
 */
import { HttpError } from '../errors.js';

const CONTROL = /[\0-\x1f\x7f]/;
const TO_ENCODE = /[^\x21-\x7e]/;
const TO_ENCODE_ALL = /[^\x21-\x7e]+/g;

/** What a redirect is checked against. */
export interface RedirectPolicy {
  /** The app's own origin (`https://example.com`): the configured one, else the request's. */
  readonly origin: string;
  /** The path of the request, which a relative target is resolved against. */
  readonly path: string;
  /** Hosts this redirect may go to besides the origin's (its own `allowHosts` and the app's `redirectHosts`). */
  readonly allowHosts: readonly string[];
}

/**
 * The `Location` header value for a redirect to `target`: percent-encoded where a browser
 * would encode it. Throws `HTTP_OPEN_REDIRECT` when the target has a control character,
 * is not a URL, uses a scheme other than http(s), or leaves the origin for an unlisted host.
 */
export function redirectLocation(target: string, policy: RedirectPolicy): string {
  const control = CONTROL.exec(target);
  if (control !== null) {
    const cp = target.charCodeAt(control.index).toString(16).toUpperCase().padStart(4, '0');
    throw new HttpError(
      'HTTP_OPEN_REDIRECT',
      `The redirect target ${JSON.stringify(target.slice(0, 200))} contains a control character (U+${cp}), which browsers strip from URLs; it is refused.`,
    );
  }
  // Browsers trim spaces at the ends of a URL (and controls, refused above) before reading it.
  const location = encodeLocation(trimSpaces(target));
  let url: URL;
  try {
    url = new URL(location, policy.origin + policy.path);
  } catch {
    throw new HttpError('HTTP_OPEN_REDIRECT', `The redirect target ${JSON.stringify(target.slice(0, 200))} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError('HTTP_OPEN_REDIRECT', `The redirect target uses the scheme ${url.protocol}, which is refused.`);
  }
  if (url.origin === new URL(policy.origin).origin || policy.allowHosts.some((h) => h === url.host || asciiHost(h) === url.host)) return location;
  throw new HttpError(
    'HTTP_OPEN_REDIRECT',
    `Refused to redirect to ${url.host}, another host. If the target is trusted, list it in the app's \`redirectHosts\` setting or pass { allowHosts: [...] } to Response.redirect.`,
    { host: url.host },
  );
}

/** A listed host as the URL parser writes it (`bücher.example` is `xn--bcher-kva.example`). */
function asciiHost(h: string): string | undefined {
  try {
    return new URL(`http://${h}`).host;
  } catch {
    return undefined;
  }
}

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Percent-encodes spaces and characters outside ASCII as UTF-8; everything else is kept. */
export function encodeLocation(target: string): string {
  if (!TO_ENCODE.test(target)) return target;
  return target.replace(TO_ENCODE_ALL, (run) => {
    let out = '';
    for (const byte of Buffer.from(run, 'utf8')) out += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
    return out;
  });
}
