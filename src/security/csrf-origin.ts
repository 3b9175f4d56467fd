/**
 * Layer 1 of the CSRF protection: where did the request come from?
 *
 * For every unsafe method, whatever its Content-Type or its lack of one, a browser
 * request is refused when `Sec-Fetch-Site` says `cross-site` or `same-site` (or anything
 * but `same-origin` and `none`), or, for browsers that do not send `Sec-Fetch-Site`, when
 * `Origin` is not the app's origin. `Origin: null` (sandboxed frames, some redirects)
 * counts as another origin. A request with neither header is not from a browser page
 * (curl, a server) and passes to layer 2. Origins listed in `trustedOrigins` pass.
 * This follows Go 1.25's `net/http.CrossOriginProtection`.
 *
 * See docs/forms-and-csrf.md#what-is-protected.
 */
import { ConfigError } from '../errors.js';
import type { Request } from '../http/request.js';

/** Why layer 1 refused a request, for the error message and the log; undefined when it passed. */
export interface OriginRefusal {
  readonly secFetchSite: string | undefined;
  readonly origin: string | undefined;
  readonly expected: string;
}

/** Normalises an origin the way browsers serialise it: lower-case, no default port. */
export function normalizeOrigin(o: string): string | undefined {
  let u: URL;
  try {
    u = new URL(o);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return u.origin;
}

/** Checks the origin of requests; built once per app. */
export class OriginCheck {
  readonly #configured: string | undefined;
  readonly #trusted: ReadonlySet<string>;

  constructor(configuredOrigin: string | undefined, trustedOrigins: readonly string[]) {
    this.#configured = configuredOrigin === undefined ? undefined : normalizeOrigin(configuredOrigin);
    const trusted = new Set<string>();
    for (const t of trustedOrigins) {
      const n = typeof t === 'string' ? normalizeOrigin(t) : undefined;
      if (n === undefined || n !== t.replace(/\/$/, '').toLowerCase()) {
        throw new ConfigError(
          'CONFIG_INVALID',
          `Setting "csrf.trustedOrigins" must list origins like "https://app.example.com" (scheme, host, optional port; no path); got ${JSON.stringify(t)}.`,
          {
            key: 'csrf.trustedOrigins',
          },
        );
      }
      trusted.add(n);
    }
    this.#trusted = trusted;
  }

  /** The origin this app expects for a request: the configured one, else the request's own. */
  expected(req: Request): string {
    return this.#configured ?? normalizeOrigin(req.origin) ?? req.origin;
  }

  /** Undefined when the request may proceed; otherwise what was wrong. */
  check(req: Request): OriginRefusal | undefined {
    const sfs = req.header('sec-fetch-site');
    const origin = req.header('origin');
    if (sfs !== undefined) {
      if (sfs === 'same-origin' || sfs === 'none') return undefined;
      if (origin !== undefined && this.#trusted.has(origin)) return undefined;
      return { secFetchSite: sfs, origin, expected: this.expected(req) };
    }
    if (origin === undefined) return undefined; // not sent by a browser page
    const expected = this.expected(req);
    if (origin === expected || this.#trusted.has(origin)) return undefined;
    return { secFetchSite: undefined, origin, expected };
  }
}
