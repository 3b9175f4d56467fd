/**
 * The Redis session store, on `ioredis`: sessions shared by every process that talks to
 * the same Redis, each record saved with a TTL so Redis expires it.
 *
 * It fails fast instead of queueing: while Redis is down, commands are refused at once
 * (no offline queue, one try per command, a command timeout), so requests that need the
 * session get a 503 `SESSION_STORE_UNAVAILABLE` within a bounded time while requests that
 * do not are served as usual. ioredis keeps reconnecting in the background, and the
 * store works again as soon as Redis is back.
 *
 * ioredis is an optional peer dependency: it is loaded when the first Redis store is
 * made, and an app that configures one without ioredis installed gets a ConfigError
 * `CONFIG_PACKAGE_MISSING` saying to install it. No type in this file's declarations
 * comes from ioredis, so an app that does not use Redis type-checks without it.
 *
 * See docs/sessions.md#redis.
 */
import type { ConnectionOptions } from 'node:tls';
import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../util/lazy-require.js';
import type { SessionStore } from './session-store.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis', { feature: 'The Redis session store (session.store: { redis })' });

/**
 * The connection settings of the Redis store, which Palisade passes on to ioredis with
 * ioredis's names and meanings. Others, if you need them, are passed on as given.
 *
 * ```ts
 * createApp({ session: { store: { redis: { host: '10.0.0.5', port: 6379, password: process.env.REDIS_PASSWORD } } } });
 * ```
 * See docs/sessions.md#redis.
 */
export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  /** A Unix socket path instead of host and port. */
  path?: string;
  family?: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: ConnectionOptions;
  connectionName?: string;
  /** Sentinels to ask for the master called `name`. */
  sentinels?: Array<{ host?: string; port?: number }>;
  name?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
  /** Milliseconds; Palisade's default is 2000. */
  connectTimeout?: number;
  /** Milliseconds; Palisade's default is 2000. */
  commandTimeout?: number;
  keepAlive?: number;
  noDelay?: boolean;
  retryStrategy?: (times: number) => number | void | null;
  maxRetriesPerRequest?: number | null;
  enableOfflineQueue?: boolean;
  enableAutoPipelining?: boolean;
}

export interface RedisStoreOptions {
  /** A `redis://` URL, or connection settings (host, port, password, tls…). */
  redis: string | RedisConnectionOptions;
  /** Key prefix. Default `palisade:session:`. */
  prefix?: string;
  /** Called when the connection reports an error (logged by the app). */
  onError?: (err: Error) => void;
}

/** Defaults that make a dead Redis answer quickly instead of hanging requests. */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  // Reconnect forever, backing off to one attempt every 2 s.
  retryStrategy: (times: number) => Math.min(times * 100, 2_000),
};

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
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #connectTimeout: number;
  #everReady = false;
  #firstReady: Promise<void> | undefined;

  constructor(opts: RedisStoreOptions) {
    const given = typeof opts.redis === 'string' ? {} : opts.redis;
    const options: RedisOptions = { ...FAIL_FAST, ...given, lazyConnect: false };
    const { Redis: Client } = ioredis();
    this.#client = typeof opts.redis === 'string' ? new Client(opts.redis, options) : new Client(options);
    this.#prefix = opts.prefix ?? 'palisade:session:';
    this.#connectTimeout = options.connectTimeout ?? 2_000;
    this.#client.once('ready', () => (this.#everReady = true));
    // Without a listener, an 'error' event would crash the process; the app logs it instead.
    const onError = opts.onError ?? (() => {});
    this.#client.on('error', onError);
  }

  /**
   * Commands are refused while disconnected (no offline queue), which would also refuse
   * the first requests after start-up: until the first connection is made, wait for it,
   * at most `connectTimeout`. After that, a lost connection fails fast.
   */
  #ready(): Promise<void> | undefined {
    if (this.#everReady || this.#client.status === 'ready') return undefined;
    return (this.#firstReady ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.#connectTimeout);
      timer.unref();
      this.#client.once('ready', done);
    }));
  }

  async get(id: string): Promise<string | undefined> {
    await this.#ready();
    const v = await this.#client.get(this.#prefix + id);
    return v ?? undefined;
  }

  async set(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#ready();
    await this.#client.set(this.#prefix + id, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async delete(id: string): Promise<void> {
    await this.#ready();
    await this.#client.del(this.#prefix + id);
  }

  async close(): Promise<void> {
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}
