/**
 * Cookie parsing and `Set-Cookie` building with secure defaults.
 *
 * Syntax is the `cookie` package's (RFC 6265); the defaults are ours: `HttpOnly`,
 * `SameSite=Lax`, `Path=/`, and `Secure` whenever the request came over HTTPS or the
 * app is configured as HTTPS. See docs/sessions.md.
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import { PalisadeError } from '../errors.js';

/**
 * The attributes of a cookie set with `res.setCookie(name, value, options)`. Palisade
 * adds `HttpOnly`, `SameSite=Lax`, `Path=/` and (over HTTPS) `Secure` unless told otherwise
 * (docs/routing.md#responses).
 */
export interface CookieOptions {
  maxAge?: number;
  expires?: Date;
  domain?: string;
  path?: string;
  /** Default true. */
  httpOnly?: boolean;
  /** Default 'auto': Secure when the request is HTTPS or the app is configured HTTPS. */
  secure?: boolean | 'auto';
  /** Default 'lax'. `'none'` forces Secure, as browsers require. */
  sameSite?: 'lax' | 'strict' | 'none';
  partitioned?: boolean;
}

/** A cookie waiting to be written with the response. */
export interface PendingCookie {
  readonly name: string;
  readonly value: string;
  readonly options: CookieOptions;
}

// Cookie names are RFC 9110 tokens; reject anything else early with a clear error.
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks a cookie when it is set, so that one that cannot be written fails where it was
 * made: the name must be a token, and the value and options must serialise (the value is
 * percent-encoded, so only text with a lone surrogate fails; a path or domain with `;` or
 * a control character, a maxAge that is not a whole number or an invalid date fails).
 * Throws `HTTP_INVALID_HEADER` naming the cookie.
 */
export function assertCookie(name: string, value: string, options: CookieOptions): void {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new PalisadeError(
      'HTTP_INVALID_HEADER',
      `invalid cookie name ${JSON.stringify(String(name).slice(0, 100))}: a cookie name is letters, digits and !#$%&'*+-.^_\`|~ only.`,
      {
        header: 'set-cookie',
      },
    );
  }
  try {
    serializeCookie({ name, value, options }, false);
  } catch (err) {
    throw new PalisadeError('HTTP_INVALID_HEADER', `The cookie ${name} cannot be written in a Set-Cookie header: ${(err as Error).message}.`, {
      header: 'set-cookie',
      cookie: name,
    });
  }
}

/**
 * Parses a Cookie header into a null-prototype object. Malformed pairs are skipped and
 * undecodable values are kept as sent; nothing here throws.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!header) return out;
  const parsed = parseCookie(header);
  for (const k of Object.keys(parsed)) {
    const v = parsed[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Builds the Set-Cookie value, resolving `secure: 'auto'` with `secureRequest`. */
export function serializeCookie(c: PendingCookie, secureRequest: boolean): string {
  const o = c.options;
  const sameSite = o.sameSite ?? 'lax';
  let secure = o.secure === undefined || o.secure === 'auto' ? secureRequest : o.secure;
  if (sameSite === 'none') secure = true;
  return stringifySetCookie({
    name: c.name,
    value: c.value,
    maxAge: o.maxAge,
    expires: o.expires,
    domain: o.domain,
    path: o.path ?? '/',
    httpOnly: o.httpOnly ?? true,
    secure,
    sameSite,
    partitioned: o.partitioned,
  });
}
