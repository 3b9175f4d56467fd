/**
 * Rate limit rules and settings: what a route's `rateLimit` option and the app's
 * `rateLimit` section may say, checked once, with a ConfigError that names the mistake.
 * See docs/auth.md#rate-limits.
 */
import type { RedisConnectionOptions } from '../redis-options.js';
import { ConfigError } from '../../errors.js';
import type { Request } from '../../http/request.js';
import type { RateLimitStore } from './window.js';

/** What a request is counted by. */
export type RateLimitKey =
  /** The client's address (`req.ip`, which follows `trustProxy`); an IPv6 address counts by its /64. */
  | 'ip'
  /** The browser's session (its signed session id); a request without a session cookie counts by its address. */
  | 'session'
  /** Your own key, e.g. the username of a login form. `undefined` or `null`: this rule does not count the request. */
  | ((req: Request) => string | number | undefined | null | Promise<string | number | undefined | null>);

/**
 * One rate limit: at most `limit` requests per `window` seconds for each key.
 *
 * ```ts
 * app.post('/login', login, { rateLimit: [{ limit: 20, window: 60 }, { limit: 5, window: 60, key: byUsername, name: 'login-user' }] });
 * ```
 */
declare module '../../app/route-collector.js' {
  interface RouteOptions {
    /**
     * Rate limits for this route: one rule or several, each counted on its own; `false`
     * lifts a blueprint's. See docs/auth.md#rate-limits.
     */
    rateLimit?: RateLimitRule | readonly RateLimitRule[] | false;
  }
}

/** One rate limit: so many requests per window for each key (docs/auth.md#rate-limits). */
export interface RateLimitRule {
  /** Requests allowed per window for one key. */
  limit: number;
  /** The window, in whole seconds. */
  window: number;
  /** What requests are counted by. Default `'ip'`. */
  key?: RateLimitKey;
  /**
   * `'sliding'` (default): the count of the window before is weighed by how much of it is
   * still within `window` seconds of now, so a burst at a window's edge cannot double
   * the limit. `'fixed'`: windows start at multiples of `window` and each starts from zero.
   */
  algorithm?: 'sliding' | 'fixed';
  /**
   * The policy's name in the `RateLimit` headers, and the count it keeps: routes whose
   * rules have the same name share one count. Default: one count per route and rule.
   */
  name?: string;
}

/** The app's `rateLimit` section: where counts live. */
export interface RateLimitSettings {
  /**
   * `'memory'` (default): in this process. `{ redis: url | connection settings, prefix? }`:
   * in Redis, shared by every process that uses it. Or your own `RateLimitStore`.
   */
  store?: 'memory' | { redis: string | RedisConnectionOptions; prefix?: string } | RateLimitStore;
  /** The memory store's bound: keys kept at once. Default 100,000. */
  maxKeys?: number;
}

/** A rule checked and filled in. Internal. */
export interface CompiledRule {
  readonly limit: number;
  readonly windowMs: number;
  readonly sliding: boolean;
  readonly key: RateLimitKey;
  /** The policy name shown in the headers (an sf-token or sf-string body). */
  readonly id: string;
  /** The count this rule keeps (a store namespace). */
  readonly bucket: string;
  /** How the rule is described in messages: `5 per 60 s by ip`. */
  readonly describe: string;
}

const RULE_KEYS = new Set(['limit', 'window', 'key', 'algorithm', 'name']);
const NAME = /^[A-Za-z0-9_.:/-]{1,64}$/;

/** Checks a route's `rateLimit` option; `where` names the route in errors. */
export function compileRules(raw: unknown, where: string): CompiledRule[] {
  if (raw === undefined || raw === false) return [];
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  const ids = new Set<string>();
  return list.map((r, i) => {
    const at = list.length === 1 ? `${where}: rateLimit` : `${where}: rateLimit[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw bad(at, 'must be { limit, window } (or a list of them)');
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!RULE_KEYS.has(k)) throw bad(at, `has an unknown field "${k}" (known: ${[...RULE_KEYS].join(', ')})`);
    const { limit, window } = o;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1e9)
      throw bad(at, `limit must be a whole number of requests from 1 up; got ${show(limit)}`);
    if (typeof window !== 'number' || !Number.isInteger(window) || window < 1 || window > 366 * 86400) {
      throw bad(at, `window must be a whole number of seconds from 1 to a year; got ${show(window)}`);
    }
    const key = o.key ?? 'ip';
    if (key !== 'ip' && key !== 'session' && typeof key !== 'function')
      throw bad(at, `key must be 'ip', 'session' or a function (req) => key; got ${show(key)}`);
    const algorithm = o.algorithm ?? 'sliding';
    if (algorithm !== 'sliding' && algorithm !== 'fixed') throw bad(at, `algorithm must be 'sliding' or 'fixed'; got ${show(algorithm)}`);
    const name = o.name;
    if (name !== undefined && (typeof name !== 'string' || !NAME.test(name)))
      throw bad(at, `name must be 1-64 letters, digits or _ . : / -; got ${show(name)}`);
    const kind = typeof key === 'function' ? 'custom' : key;
    let id = (name as string | undefined) ?? kind;
    if (ids.has(id)) id = `${id}-${i}`;
    ids.add(id);
    return {
      limit,
      windowMs: window * 1000,
      sliding: algorithm === 'sliding',
      key: key as RateLimitKey,
      id,
      bucket: name === undefined ? `${where}#${i}` : `name:${name as string}`,
      describe: `${limit} per ${window} s by ${typeof key === 'function' ? key.name || 'a key function' : key}`,
    };
  });
}

const SETTINGS_KEYS = new Set(['store', 'maxKeys']);

/** Checks the app's `rateLimit` section. */
export function readSettings(raw: unknown): { store: RateLimitSettings['store']; maxKeys: number } {
  if (raw === undefined) return { store: 'memory', maxKeys: 100_000 };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw config('rateLimit', `must be an object; got ${show(raw)}`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!SETTINGS_KEYS.has(k)) throw config(`rateLimit.${k}`, `is not a setting (known: ${[...SETTINGS_KEYS].join(', ')})`);
  const maxKeys = o.maxKeys ?? 100_000;
  if (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 1)
    throw config('rateLimit.maxKeys', `must be a positive whole number; got ${show(maxKeys)}`);
  const s = o.store ?? 'memory';
  if (s !== 'memory') {
    const isRedis = typeof s === 'object' && s !== null && 'redis' in s;
    const isStore = typeof s === 'object' && s !== null && typeof (s as Partial<RateLimitStore>).hit === 'function';
    if (!isRedis && !isStore) throw config('rateLimit.store', `must be 'memory', { redis: url } or a RateLimitStore; got ${show(s)}`);
    if (isRedis) {
      const r = (s as { redis: unknown }).redis;
      if (typeof r === 'string' ? !/^rediss?:\/\//.test(r) : typeof r !== 'object' || r === null)
        throw config('rateLimit.store.redis', `must be a redis:// URL or connection settings; got ${show(r)}`);
      const prefix = (s as { prefix?: unknown }).prefix;
      if (prefix !== undefined && typeof prefix !== 'string') throw config('rateLimit.store.prefix', `must be a string; got ${show(prefix)}`);
    }
  }
  return { store: s as RateLimitSettings['store'], maxKeys };
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function bad(at: string, why: string): ConfigError {
  return new ConfigError('CONFIG_ROUTE', `${at} ${why}.`, { key: 'rateLimit' });
}

function config(key: string, why: string): ConfigError {
  return new ConfigError('CONFIG_INVALID', `Setting "${key}" ${why}.`, { key });
}
