/**
 * The rate limit protection: counts each request to a route with a `rateLimit` option
 * against each of its rules, before CSRF and the handler run, and answers 429 when one is
 * over its limit. Every response of such a route carries the `RateLimit-Policy` and
 * `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers-09 (March 2025); a 429 carries
 * `Retry-After` too (RFC 9110 §10.2.3).
 *
 * ```ts
 * app.post('/login', login, { rateLimit: { limit: 10, window: 60 } });
 * ```
 * See docs/auth.md#rate-limits.
 */
import { HttpError, PalisadeError } from '../../errors.js';
import type { Protection, ProtectionContext } from '../../app/protection.js';
import type { MountedRoute } from '../../app/route-table.js';
import type { Request } from '../../http/request.js';
import type { Response } from '../../http/response.js';
import { storeKey } from './client-key.js';
import { MemoryRateLimitStore } from './memory-store.js';
import { compileRules, readSettings, type CompiledRule } from './options.js';
import { RedisRateLimitStore } from './redis-store.js';
import { verdict, type RateLimitStore, type Verdict } from './window.js';
import { INTERNALS } from '../../util/symbols.js';

declare module '../../http/request.js' {
  interface RequestInternals {
    /** The rules this request was counted against and what each said, for the response headers. */
    rateLimits?: { rule: CompiledRule; v: Verdict }[];
  }
}

/** Builds the rate limit protection from the app's `rateLimit` section. */
export function rateLimitProtection(ctx: ProtectionContext): Protection {
  const settings = readSettings(ctx.options.rateLimit);
  let store: RateLimitStore | undefined;
  let lastLog = 0;
  const log = (err: Error): void => {
    const now = Date.now();
    if (now - lastLog < 10_000) return;
    lastLog = now;
    ctx.logger.warn({ err: err.message }, 'rate limit store unavailable');
  };
  // The store is made when a limited route is first asked for: an app with no limits opens no connection.
  const getStore = (): RateLimitStore => {
    if (store !== undefined) return store;
    const s = settings.store;
    if (s === undefined || s === 'memory') store = new MemoryRateLimitStore({ maxKeys: settings.maxKeys });
    else if ('redis' in s) store = new RedisRateLimitStore({ redis: s.redis, prefix: s.prefix, onError: log });
    else store = s;
    return store;
  };
  const compiled = new WeakMap<MountedRoute, CompiledRule[]>();
  /** Some route has limits (found by audit, which `palisade check` runs before it reads processLocal). */
  let limited = false;
  const rulesOf = (route: MountedRoute): CompiledRule[] => {
    let r = compiled.get(route);
    if (r === undefined) {
      r = compileRules(route.options.rateLimit, `${route.implicitHead ? 'GET' : route.method} ${route.path}`);
      compiled.set(route, r);
    }
    return r;
  };

  const count = async (req: Request, rules: CompiledRule[]): Promise<void> => {
    const st = getStore();
    const seen: { rule: CompiledRule; v: Verdict }[] = [];
    req[INTERNALS].rateLimits = seen;
    for (const rule of rules) {
      const key = await storeKey(rule, req);
      if (key === undefined) continue;
      let counts;
      try {
        counts = await st.hit(key, rule);
      } catch (err) {
        throw new HttpError(
          'RATE_LIMIT_STORE_UNAVAILABLE',
          `The rate limit store (${st.name}) is not answering, so this rate-limited request cannot be served. Check that the store is running and reachable.`,
          { store: st.name, cause: err instanceof Error ? err.message : String(err) },
        );
      }
      const v = verdict(rule, counts);
      seen.push({ rule, v });
      if (!v.allowed) {
        throw new HttpError('RATE_LIMITED', `Too many requests: this URL allows ${rule.describe}. Try again in ${v.retryAfter} s.`, {
          policy: rule.id,
          retryAfter: v.retryAfter,
        });
      }
    }
  };

  const memory = settings.store === undefined || settings.store === 'memory';
  return {
    name: 'rate-limit',
    phases: { check: 'limits', finish: 'route-headers' },
    // Read by `palisade check --workers N`: with the memory store each worker counts alone.
    get processLocal() {
      return memory && limited ? 'the memory rate limit store' : undefined;
    },
    check(req, route) {
      if (route === null || route.options.rateLimit === undefined || route.options.rateLimit === false) return;
      const rules = rulesOf(route);
      if (rules.length === 0) return;
      return count(req, rules);
    },
    finish(req, res) {
      const seen = req[INTERNALS].rateLimits;
      if (seen !== undefined && seen.length > 0) writeHeaders(res, seen);
    },
    audit(routes) {
      const out: string[] = [];
      for (const r of routes) {
        try {
          rulesOf(r);
        } catch (err) {
          out.push(`rate-limit: ${(err as PalisadeError).message}`);
        }
      }
      limited = routes.some((r) => r.options.rateLimit !== undefined && r.options.rateLimit !== false);
      return out;
    },
    async close() {
      await store?.close?.();
    },
  };
}

/** An sf-string (RFC 9651 §3.3.3) for a policy name: names are checked to need no escapes. */
const sfString = (s: string): string => `"${s}"`;

/** RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers-09 §4, §5); Retry-After on a refusal. */
function writeHeaders(res: Response, seen: readonly { rule: CompiledRule; v: Verdict }[]): void {
  res.setHeader('ratelimit-policy', seen.map(({ rule }) => `${sfString(rule.id)};q=${rule.limit};w=${rule.windowMs / 1000}`).join(', '));
  res.setHeader('ratelimit', seen.map(({ rule, v }) => `${sfString(rule.id)};r=${v.remaining};t=${v.allowed ? v.reset : v.retryAfter}`).join(', '));
  const refused = seen.find((s) => !s.v.allowed);
  if (refused !== undefined) res.setHeader('retry-after', String(refused.v.retryAfter));
}
