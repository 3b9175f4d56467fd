/**
 * Host header validation: the app answers only for the hosts in `allowedHosts`; any
 * other `Host` (or trusted `X-Forwarded-Host`) is a 400 `HTTP_BAD_HOST`, and a request
 * with more than one `Host` line (which adapters join with ", ") is a 400
 * `HTTP_BAD_REQUEST` even when any host is allowed (RFC 9112 §3.2).
 *
 * The host a request names ends up in absolute URLs, redirects and password-reset links
 * (`req.origin`). Without this check, anyone can send `Host: evil.example` and have the
 * app write links to evil.example into an email ("host header poisoning").
 *
 * Patterns (case-insensitive; a trailing dot on the request's host is ignored):
 * - `example.com` — that host, on any port;
 * - `example.com:8443` — that host on that port only;
 * - `.example.com` — example.com and every subdomain of it;
 * - `*` — any host (switches the check off; `palisade check` reports it).
 *
 * ```ts
 * createApp({ allowedHosts: ['example.com', '.example.org'] });
 * ```
 * Required in production (ConfigError `CONFIG_ALLOWED_HOSTS_MISSING` when empty); in
 * development and test it defaults to `localhost`, `.localhost`, `127.0.0.1` and `[::1]`.
 * See docs/deployment.md and docs/errors/HTTP_BAD_HOST.md.
 */
import type { Protection, ProtectionContext } from '../app/protection.js';
import { ConfigError, HttpError } from '../errors.js';

/** The hosts development and test mode allow when `allowedHosts` is not set. */
export const LOCAL_HOSTS: readonly string[] = Object.freeze(['localhost', '.localhost', '127.0.0.1', '[::1]']);

// RFC 3986 §3.2.2 host (reg-name limited to DNS letters, IPv4, or an IPv6 literal in
// brackets) and an optional port; anything else (userinfo, a path, spaces) is refused.
const HOST_RE = /^([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/** A host split into name and port, lower-cased; null when it is not a valid host. */
export function splitHost(value: string): { name: string; port: string | undefined } | null {
  const m = HOST_RE.exec(value.toLowerCase());
  if (m === null) return null;
  let name = m[1]!;
  if (name.endsWith('.')) name = name.slice(0, -1);
  return { name, port: m[2] };
}

/** A compiled `allowedHosts` list: answers whether a `Host` value is allowed. */
export class HostMatcher {
  readonly #any: boolean;
  readonly #names = new Set<string>();
  readonly #namesWithPort = new Set<string>();
  readonly #suffixes: string[] = [];
  // Host values seen and allowed; most apps see one or two, so this makes the check one
  // Set lookup. Bounded, and only allowed values go in, so no one can grow it.
  readonly #seen = new Set<string>();

  constructor(patterns: readonly string[]) {
    this.#any = patterns.includes('*');
    for (const raw of patterns) {
      if (raw === '*') continue;
      const p = raw.trim().toLowerCase();
      if (p.startsWith('.')) {
        const base = splitHost(p.slice(1));
        if (base === null || base.port !== undefined) badPattern(raw);
        this.#suffixes.push(base.name);
        continue;
      }
      const h = splitHost(p);
      if (h === null) badPattern(raw);
      if (h.port === undefined) this.#names.add(h.name);
      else this.#namesWithPort.add(`${h.name}:${h.port}`);
    }
  }

  /** True when `host` (a Host header value, e.g. `example.com:8000`) is allowed. */
  allows(host: string): boolean {
    if (this.#seen.has(host)) return true;
    const ok = this.#any ? host !== '' : this.#match(host);
    if (ok && this.#seen.size < 64) this.#seen.add(host);
    return ok;
  }

  #match(host: string): boolean {
    const h = splitHost(host);
    if (h === null) return false;
    if (this.#names.has(h.name)) return true;
    if (h.port !== undefined && this.#namesWithPort.has(`${h.name}:${h.port}`)) return true;
    for (const s of this.#suffixes) {
      if (h.name === s || (h.name.endsWith(s) && h.name.charCodeAt(h.name.length - s.length - 1) === 46) /* . */) return true;
    }
    return false;
  }
}

/**
 * The host-validation protection: its check runs in the first phase (`host`), so a request
 * for a foreign host is refused before anything else looks at it.
 */
export function hostsProtection(ctx: ProtectionContext): Protection | null {
  const { settings } = ctx;
  let patterns = settings.allowedHosts;
  if (patterns.length === 0) {
    if (settings.env === 'production') {
      throw new ConfigError(
        'CONFIG_ALLOWED_HOSTS_MISSING',
        'Production mode needs the host names this app answers for. Set `allowedHosts: ["example.com"]` or PALISADE_ALLOWED_HOSTS=example.com (comma-separated; ".example.com" allows subdomains).',
      );
    }
    patterns = LOCAL_HOSTS;
  }
  const matcher = new HostMatcher(patterns);
  return {
    name: 'hosts',
    phases: { check: 'host' },
    check(req) {
      // RFC 9112 §3.2: more than one Host line (adapters join them with ", ") is a 400,
      // whatever allowedHosts says; a comma is never part of a host.
      if (req.header('host')?.includes(',') === true) {
        throw new HttpError('HTTP_BAD_REQUEST', 'The request has more than one Host header.', { header: 'host' });
      }
      const host = req.host;
      if (!matcher.allows(host)) {
        throw new HttpError(
          'HTTP_BAD_HOST',
          host === ''
            ? 'The request has no Host header.'
            : `This app does not answer for the host ${JSON.stringify(host.slice(0, 100))}. If it should, add the host to \`allowedHosts\` (PALISADE_ALLOWED_HOSTS).`,
          { host: host.slice(0, 100) },
        );
      }
    },
    audit() {
      return patterns.includes('*')
        ? ['hosts-any: allowedHosts contains "*", so any Host header is accepted and can poison absolute URLs and reset links. Fix: list the real host names.']
        : [];
    },
  };
}

function badPattern(raw: string): never {
  throw new ConfigError(
    'CONFIG_INVALID',
    `Setting "allowedHosts" has an entry ${JSON.stringify(raw)} that is not a host: use "example.com", "example.com:8443", ".example.com" (subdomains) or "*".`,
    { key: 'allowedHosts' },
  );
}
