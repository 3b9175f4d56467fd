/**
 * The `server` section of the settings: node:http's timeouts and limits, with their
 * defaults, checked when the app is created.
 */
import { ConfigError } from '../errors.js';
import { invalid, positiveInt } from './setting-checks.js';

/** Server timeouts and limits for `app.listen`, in milliseconds and bytes. */
export interface ServerOptions {
  /** Time allowed to receive the request headers (slowloris). Default 10 000. */
  headersTimeout?: number;
  /** Time allowed to receive the whole request. Default 30 000. */
  requestTimeout?: number;
  /** Idle keep-alive connections are closed after this. Default 5 000. */
  keepAliveTimeout?: number;
  /** Largest request header block; larger is a 431. Default 16 384. */
  maxHeaderSize?: number;
  /** A handler that has not answered after this gets a 503. Default 30 000. */
  handlerTimeout?: number;
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish. Default 10 000. */
  shutdownTimeout?: number;
}

const SERVER_DEFAULTS: Required<ServerOptions> = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16_384,
  handlerTimeout: 30_000,
  shutdownTimeout: 10_000,
};

/** The longest delay node's timers can wait; a longer one fires after 1 ms instead. */
const TIMEOUT_MAX = 2_147_483_647;

/**
 * The `server` section with defaults filled in. Checked here, when the app is created,
 * rather than left to node at `listen`: node refuses a `headersTimeout` longer than the
 * `requestTimeout` with a RangeError, and quietly turns any timeout past 2^31 - 1 ms into
 * 1 ms (idle connections dropped at once, a shutdown with no grace).
 */
export function resolveServerOptions(given: ServerOptions | undefined): Required<ServerOptions> {
  if (given !== undefined && (given === null || typeof given !== 'object')) invalid('server', 'an object', given);
  const server = { ...SERVER_DEFAULTS, ...(given ?? {}) };
  for (const k of Object.keys(server) as (keyof ServerOptions)[]) {
    if (!(k in SERVER_DEFAULTS)) {
      const guess = Object.keys(SERVER_DEFAULTS).find((c) => c.toLowerCase() === k.toLowerCase());
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "server.${k}"${guess ? ` (did you mean "server.${guess}"?)` : ''}.`, { key: `server.${k}` });
    }
    positiveInt(`server.${k}`, server[k]);
    if (k !== 'maxHeaderSize' && server[k] > TIMEOUT_MAX) {
      throw new ConfigError(
        'CONFIG_SERVER_TIMEOUTS',
        `Setting "server.${k}" is ${server[k]} ms, longer than node's timers can wait (${TIMEOUT_MAX} ms, about 24.8 days); node would wait 1 ms instead. Use a shorter time.`,
        { key: `server.${k}`, value: server[k] },
      );
    }
  }
  if (server.maxHeaderSize > TIMEOUT_MAX) invalid('server.maxHeaderSize', `a positive integer up to ${TIMEOUT_MAX}`, server.maxHeaderSize);
  if (server.headersTimeout > server.requestTimeout) {
    const set = (k: keyof ServerOptions) => (given?.[k] === undefined ? `${server[k]} ms by default` : `${server[k]} ms`);
    throw new ConfigError(
      'CONFIG_SERVER_TIMEOUTS',
      `Setting "server.headersTimeout" (${set('headersTimeout')}) is longer than "server.requestTimeout" (${set('requestTimeout')}): the headers are part of the request, so node refuses this. Make headersTimeout at most requestTimeout, e.g. server: { headersTimeout: ${Math.min(server.requestTimeout, SERVER_DEFAULTS.headersTimeout)}, requestTimeout: ${server.requestTimeout} }.`,
      { headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout },
    );
  }
  return server;
}
