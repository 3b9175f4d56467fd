/**
 * One way to talk to Redis, shared by the stores that use it (sessions, rate limits): an
 * ioredis client loaded on first use, set to fail fast instead of queueing. While Redis is
 * down, commands are refused at once (no offline queue, one try per command, a command
 * timeout), so the requests that need it get a 503 within a bounded time; ioredis keeps
 * reconnecting in the background and the store works again as soon as Redis is back.
 *
 * ioredis is an optional peer dependency: it is loaded when the first Redis store is made,
 * and an app that configures one without ioredis installed gets a ConfigError
 * `CONFIG_PACKAGE_MISSING` saying to install it. The stores keep their connection in a
 * private field, and their options are RedisConnectionOptions (redis-options.ts), so no
 * published declaration names ioredis: an app that does not use Redis type-checks without it.
 *
 * The connection does not keep the process alive by itself: while no command is waiting,
 * its socket and ioredis's reconnection timer are unref'd, so a script or a `node --test`
 * file that made an app with a Redis store ends when its work does, with or without
 * `app.close()`. A command in flight (`run`) holds the process until it is answered.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../util/lazy-require.js';
import type { RedisConnectionOptions } from './redis-options.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis', { feature: 'A Redis store (session.store or rateLimit.store: { redis })' });

/** Defaults that make a dead Redis answer quickly instead of hanging requests. */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  // Reconnect forever, backing off to one attempt every 2 s.
  retryStrategy: (times: number) => Math.min(times * 100, 2_000),
};

/** A fail-fast ioredis client and a way to wait for its first connection. */
export class RedisConnection {
  readonly client: Redis;
  readonly #connectTimeout: number;
  #everReady = false;
  #firstReady: Promise<void> | undefined;
  /** Commands waiting for an answer; while there are any, #hold keeps the process alive. */
  #pending = 0;
  #hold: NodeJS.Timeout | undefined;

  /** `onError` receives connection errors (without a listener, an 'error' event would end the process). */
  constructor(redis: string | RedisConnectionOptions, onError: (err: Error) => void = () => {}) {
    const given = typeof redis === 'string' ? {} : redis;
    const options: RedisOptions = { ...FAIL_FAST, ...given, lazyConnect: false };
    const { Redis: Client } = ioredis();
    this.client = typeof redis === 'string' ? new Client(redis, options) : new Client(options);
    this.#connectTimeout = options.connectTimeout ?? 2_000;
    this.client.once('ready', () => (this.#everReady = true));
    this.client.on('error', onError);
    // Each new connection's socket, and each wait before reconnecting, is unref'd (both
    // events come on the tick after ioredis made them).
    const client = this.client;
    client.on('connect', () => client.stream?.unref?.());
    client.on('reconnecting', () => (client as unknown as { reconnectTimeout?: NodeJS.Timeout | null }).reconnectTimeout?.unref?.());
  }

  /** Runs one command (after the first connection, see `ready`), keeping the process alive until it is answered. */
  async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.#pending++ === 0) this.#hold = setInterval(() => {}, 1 << 30);
    try {
      await this.ready();
      return await command();
    } finally {
      if (--this.#pending === 0) clearInterval(this.#hold);
    }
  }

  /**
   * Commands are refused while disconnected (no offline queue), which would also refuse
   * the first requests after start-up: until the first connection is made, wait for it,
   * at most `connectTimeout`. After that, a lost connection fails fast.
   */
  ready(): Promise<void> | undefined {
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

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
