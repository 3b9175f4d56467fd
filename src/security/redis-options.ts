/**
 * The connection settings of the Redis stores (sessions, rate limits), in a file of their
 * own so that the published types can name them without naming ioredis, an optional package
 * (see redis-client.ts).
 */
import type { ConnectionOptions } from 'node:tls';

/**
 * The connection settings of a Redis store, which Palisade passes on to ioredis with
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
