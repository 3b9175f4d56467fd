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
 * The connection does not keep the process alive by itself: while no command is waiting,
 * its socket and ioredis's reconnection timer are unref'd, so a script or a `node --test`
 * file that made an app with a Redis store ends when its work does, with or without
 * `app.close()`. A server holds the process while it listens, as always; a command in
 * flight holds it until it is answered.
 *
 * See docs/sessions.md#redis.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../util/lazy-require.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');
import type { SessionStore } from './session-store.js';

export interface RedisStoreOptions {
  /** A `redis://` URL, or ioredis options (host, port, password, tls…). */
  redis: string | RedisOptions;
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
  readonly client: Redis;
  readonly #prefix: string;
  readonly #connectTimeout: number;
  #everReady = false;
  #firstReady: Promise<void> | undefined;
  /** Commands waiting for an answer; while there are any, #hold keeps the process alive. */
  #pending = 0;
  #hold: NodeJS.Timeout | undefined;

  constructor(opts: RedisStoreOptions) {
    const given = typeof opts.redis === 'string' ? {} : opts.redis;
    const options: RedisOptions = { ...FAIL_FAST, ...given, lazyConnect: false };
    const { Redis: Client } = ioredis();
    this.client = typeof opts.redis === 'string' ? new Client(opts.redis, options) : new Client(options);
    this.#prefix = opts.prefix ?? 'palisade:session:';
    this.#connectTimeout = options.connectTimeout ?? 2_000;
    this.client.once('ready', () => (this.#everReady = true));
    // Without a listener, an 'error' event would crash the process; the app logs it instead.
    const onError = opts.onError ?? (() => {});
    this.client.on('error', onError);
    // Each new connection's socket, and each wait before reconnecting, is unref'd (both
    // events come on the tick after ioredis made them).
    const client = this.client;
    client.on('connect', () => client.stream?.unref?.());
    client.on('reconnecting', () => (client as unknown as { reconnectTimeout?: NodeJS.Timeout | null }).reconnectTimeout?.unref?.());
  }

  /** Runs one store operation, keeping the process alive until it is answered. */
  async #command<T>(run: () => Promise<T>): Promise<T> {
    if (this.#pending++ === 0) this.#hold = setInterval(() => {}, 1 << 30);
    try {
      await this.#ready();
      return await run();
    } finally {
      if (--this.#pending === 0) clearInterval(this.#hold);
    }
  }

  /**
   * Commands are refused while disconnected (no offline queue), which would also refuse
   * the first requests after start-up: until the first connection is made, wait for it,
   * at most `connectTimeout`. After that, a lost connection fails fast.
   */
  #ready(): Promise<void> | undefined {
    if (this.#everReady || this.client.status === 'ready') return undefined;
    return (this.#firstReady ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.#connectTimeout);
      timer.unref();
      this.client.once('ready', done);
    }));
  }

  get(id: string): Promise<string | undefined> {
    return this.#command(async () => (await this.client.get(this.#prefix + id)) ?? undefined);
  }

  set(id: string, value: string, ttlSeconds: number): Promise<void> {
    return this.#command(async () => {
      await this.client.set(this.#prefix + id, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    });
  }

  delete(id: string): Promise<void> {
    return this.#command(async () => {
      await this.client.del(this.#prefix + id);
    });
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
