/**
 * The Redis session store, on `ioredis`: sessions shared by every process that talks to
 * the same Redis, each record saved with a TTL so Redis expires it.
 *
 * It fails fast instead of queueing (src/security/redis-client.ts): while Redis is down,
 * requests that need the session get a 503 `SESSION_STORE_UNAVAILABLE` within a bounded
 * time while requests that do not are served as usual, and the store works again as soon
 * as Redis is back.
 *
 * The connection does not keep the process alive by itself (redis-client.ts), so a script
 * or a `node --test` file that made an app with a Redis store ends when its work does, with
 * or without `app.close()`. A server holds the process while it listens, as always.
 *
 * See docs/sessions.md#redis.
 */
import { RedisConnection } from './redis-client.js';
import type { RedisConnectionOptions } from './redis-options.js';
import type { SessionStore } from './session-store.js';

/** Settings of the Redis session store: `session: { store: { redis, … } }` (docs/sessions.md). */
export interface RedisStoreOptions {
  /** A `redis://` URL, or connection settings (host, port, password, tls…). */
  redis: string | RedisConnectionOptions;
  /** Key prefix. Default `palisade:session:`. */
  prefix?: string;
  /** Called when the connection reports an error (logged by the app). */
  onError?: (err: Error) => void;
}

/**
 * Stores sessions in Redis.
 *
 * ```ts
 * createApp({ session: { store: { redis: process.env.REDIS_URL! } } });
 * ```
 * See docs/sessions.md#redis.
 */
export class RedisStore implements SessionStore {
  readonly name = 'redis';
  readonly #conn: RedisConnection;
  readonly #prefix: string;

  constructor(opts: RedisStoreOptions) {
    this.#conn = new RedisConnection(opts.redis, opts.onError);
    this.#prefix = opts.prefix ?? 'palisade:session:';
  }

  get(id: string): Promise<string | undefined> {
    return this.#conn.run(async () => (await this.#conn.client.get(this.#prefix + id)) ?? undefined);
  }

  set(id: string, value: string, ttlSeconds: number): Promise<void> {
    return this.#conn.run(async () => {
      await this.#conn.client.set(this.#prefix + id, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    });
  }

  delete(id: string): Promise<void> {
    return this.#conn.run(async () => {
      await this.#conn.client.del(this.#prefix + id);
    });
  }

  close(): Promise<void> {
    return this.#conn.close();
  }
}
