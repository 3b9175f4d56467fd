/**
 * Cookie parsing and `Set-Cookie` building with secure defaults.
 *
 * Syntax is the `cookie` package's (RFC 6265); the defaults are ours: `HttpOnly`,
 * `SameSite=Lax`, `Path=/`, and `Secure` whenever the request came over HTTPS or the
 * app is configured as HTTPS. See docs/sessions.md.
 */
import { parseCookie, stringifySetCookie } from 'cookie';

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

/** Checks a cookie name; throws TypeError for names that cannot be sent. */
export function assertCookieName(name: string): void {
  if (!COOKIE_NAME.test(name)) throw new TypeError(`invalid cookie name: ${JSON.stringify(name)}`);
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
