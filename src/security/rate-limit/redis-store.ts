/**
 * The Redis rate limit store: counts shared by every process that uses the same Redis,
 * so a limit holds for the whole app however many processes serve it.
 *
 * Each hit is one round trip: a Lua script (EVALSHA through ioredis's defineCommand) that
 * reads the clock of Redis itself, so processes whose clocks differ still agree on the
 * windows, applies the counting rule of window.ts, counts the request if it is allowed,
 * and sets the counter to expire two windows later. Redis runs a script atomically:
 * two processes counting the same key at once cannot both take the last request.
 * (Scripts that call TIME before writing need Redis 5 or later.)
 *
 * It fails fast (src/security/redis-client.ts): while Redis is down a rate-limited route
 * answers 503 RATE_LIMIT_STORE_UNAVAILABLE at once, and works again when Redis is back.
 *
 * ```ts
 * createApp({ rateLimit: { store: { redis: process.env.REDIS_URL! } } });
 * ```
 * See docs/auth.md#rate-limits.
 */
import type { Redis } from 'ioredis';
import { RedisConnection } from '../redis-client.js';
import type { RedisConnectionOptions } from '../redis-options.js';
import type { RateLimitStore, WindowCounts, WindowQuery } from './window.js';

// KEYS[1]: the key's prefix; its windows are KEYS[1] .. ':' .. index. ARGV: windowMs,
// limit, 1 for sliding. Returns { allowed (0/1), current, previous, now (ms) }. The keys
// share KEYS[1]'s hash tag ({…}), so on a Redis Cluster they live on one node.
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local w = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local index = math.floor(now / w)
local key = KEYS[1] .. ':' .. index
local current = tonumber(redis.call('GET', key) or '0')
local previous = 0
if ARGV[3] == '1' then previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0') end
local elapsed = now - index * w
local used = current
if ARGV[3] == '1' then used = previous * (w - elapsed) / w + current end
local allowed = 0
if used + 1 <= limit then
  current = redis.call('INCR', key)
  if current == 1 then redis.call('PEXPIRE', key, w * 2) end
  allowed = 1
end
return { allowed, current, previous, now }
`;

type Scripted = Redis & { palisadeRateLimit(key: string, windowMs: number, limit: number, sliding: number): Promise<[number, number, number, number]> };

/** Settings of the Redis rate-limit store: `rateLimit: { store: { redis, … } }`. */
export interface RedisRateLimitStoreOptions {
  /** A `redis://` URL, or connection settings (host, port, password, tls…). */
  redis: string | RedisConnectionOptions;
  /** Key prefix. Default `palisade:ratelimit:`. */
  prefix?: string;
  /** Called when the connection reports an error (logged by the app). */
  onError?: (err: Error) => void;
}

/** Keeps rate limit counts in Redis. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly name = 'redis';
  readonly #conn: RedisConnection;
  readonly #client: Scripted;
  readonly #prefix: string;

  constructor(opts: RedisRateLimitStoreOptions) {
    this.#conn = new RedisConnection(opts.redis, opts.onError);
    this.#conn.client.defineCommand('palisadeRateLimit', { numberOfKeys: 1, lua: SCRIPT });
    this.#client = this.#conn.client as Scripted;
    this.#prefix = opts.prefix ?? 'palisade:ratelimit:';
  }

  async hit(key: string, q: WindowQuery): Promise<WindowCounts> {
    const [allowed, current, previous, now] = await this.#conn.run(() =>
      this.#client.palisadeRateLimit(`${this.#prefix}{${key}}`, q.windowMs, q.limit, q.sliding ? 1 : 0),
    );
    return { allowed: allowed === 1, current: Number(current), previous: Number(previous), now: Number(now) };
  }

  close(): Promise<void> {
    return this.#conn.close();
  }
}
