/**
 * Settings: one typed object, filled from the options passed to `createApp` and, for what
 * they leave out, from `PALISADE_*` environment variables; checked once at start-up.
 * A setting that cannot work is a ConfigError naming the setting and the fix.
 *
 * This module resolves the app's own settings. The feature sections of the options
 * (`session`, `csrf`, `headers`…, in AppOptions, config.ts) are read and checked by each
 * feature's protection. See docs/deployment.md.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { resolveFormLimits, type FormsOptions } from '../http/form-limits.js';
import type { TrustProxy } from '../http/request.js';
import { resolveMode, type Env } from '../mode.js';
import { checkLoggerSetting, type LoggerSettings, type PinoLogger } from '../util/logger.js';
import { resolveCompress, type CompressOptions, type CompressSettings } from '../http/compress-options.js';
import { resolveWebSocketOptions, type WebSocketOptions, type WebSocketSettings } from '../realtime/ws-options.js';
import { GENERATE_KEY, secretKeyProblem } from '../security/secret-key.js';

export type { Env } from '../mode.js';

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

export type { LoggerSettings, PinoLogger } from '../util/logger.js';

/** The options of `createApp` for the app's own settings; AppOptions (config.ts) adds the feature sections. */
export interface CoreOptions {
  /**
   * `production` (default), `development` or `test`. Env: `PALISADE_ENV`. Only development
   * shows exception messages and stack traces to clients. See docs/deployment.md#the-mode.
   */
  env?: Env;
  /**
   * The secret that signs sessions and tokens, at least 32 characters. A list rotates
   * keys: the first signs, all verify. Env: `PALISADE_SECRET_KEY` (comma-separated).
   * Required in production; generated (with a warning) in development and test.
   */
  secretKey?: string | readonly string[];
  /** The app is served over HTTPS (e.g. behind a TLS proxy). Env: `PALISADE_HTTPS=1`. */
  https?: boolean;
  /**
   * Trust `X-Forwarded-For/-Proto/-Host` from this many proxies (`true` = 1). Default
   * false. Env: `PALISADE_TRUST_PROXY`.
   */
  trustProxy?: TrustProxy;
  /** Largest request body in bytes. Default 1 MiB. Env: `PALISADE_MAX_BODY_SIZE`. */
  maxBodySize?: number;
  /** Deepest JSON nesting accepted in request bodies. Default 64. */
  jsonMaxDepth?: number;
  /** Hosts that `Response.redirect` may send users to besides the app's own. */
  redirectHosts?: readonly string[];
  /** Host names this app answers for. Env: `PALISADE_ALLOWED_HOSTS` (comma-separated). */
  allowedHosts?: readonly string[];
  /** The app's public origin, e.g. `https://example.com`. Env: `PALISADE_ORIGIN`. */
  origin?: string;
  /** Limits every form parse applies (fields, name and value length). See docs/forms-and-csrf.md#limits. */
  forms?: FormsOptions;
  /**
   * pino options (`level`, `redact`, `serializers`, `transport`…, plus `pretty`), a pino
   * logger of your own, or false for none. Default: `info` (`error` to stderr in test
   * mode). See docs/deployment.md#logging.
   */
  logger?: LoggerSettings | PinoLogger | false;
  server?: ServerOptions;
  /** Limits for WebSocket connections (message size, send buffer, queue, pings). See docs/realtime.md#limits. */
  websocket?: WebSocketOptions;
  /**
   * gzip and brotli. Default: the static folder only; `true` compresses what handlers
   * return too (read about BREACH first), `false` nothing. See docs/deployment.md#compression.
   */
  compress?: boolean | CompressOptions;
}

export interface Settings {
  readonly env: Env;
  readonly secretKeys: readonly string[];
  readonly secretGenerated: boolean;
  readonly https: boolean;
  readonly trustProxy: TrustProxy;
  readonly maxBodySize: number;
  readonly jsonMaxDepth: number;
  /** The `forms` limits, with defaults filled in. */
  readonly forms: Readonly<Required<FormsOptions>>;
  readonly redirectHosts: readonly string[];
  readonly allowedHosts: readonly string[];
  readonly origin: string | undefined;
  readonly logger: LoggerSettings | PinoLogger | false;
  readonly server: Required<ServerOptions>;
  readonly websocket: WebSocketSettings;
  readonly compress: CompressSettings;
}

const KNOWN = new Set([
  'env',
  'secretKey',
  'https',
  'trustProxy',
  'maxBodySize',
  'jsonMaxDepth',
  'forms',
  'redirectHosts',
  'allowedHosts',
  'origin',
  'logger',
  'server',
  'websocket',
  'compress',
]);
/**
 * Sections owned by feature modules (sessions, CSRF, headers…). Each module validates
 * its own section when the app builds its protections; here they are only known names.
 */
const FEATURE_KEYS = new Set([
  'session',
  'csrf',
  'headers',
  'cors',
  'uploads',
  'static',
  'templates',
  'json',
  'trustGuard',
  'login',
  'rateLimit',
  'validation',
]);

const SERVER_DEFAULTS: Required<ServerOptions> = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16_384,
  handlerTimeout: 30_000,
  shutdownTimeout: 10_000,
};

/** Resolves options and environment into Settings; throws ConfigError when they cannot work. */
export function resolveSettings(opts: CoreOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  if (opts === null || typeof opts !== 'object') invalid('options', 'an object', opts);
  for (const k of Object.keys(opts)) {
    if (!KNOWN.has(k) && !FEATURE_KEYS.has(k)) {
      const guess = [...KNOWN, ...FEATURE_KEYS].find((c) => c.toLowerCase() === k.toLowerCase());
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, { key: k });
    }
  }
  const mode = resolveMode(opts.env, env);

  let secretKeys: string[];
  let secretGenerated = false;
  const rawSecret = opts.secretKey ?? (env.PALISADE_SECRET_KEY ? env.PALISADE_SECRET_KEY.split(',') : undefined);
  if (rawSecret === undefined || (Array.isArray(rawSecret) && rawSecret.length === 0)) {
    if (mode === 'production') {
      throw new ConfigError(
        'CONFIG_SECRET_MISSING',
        `Production mode needs a secret key. Set PALISADE_SECRET_KEY to the output of \`${GENERATE_KEY}\`. To run on your own machine instead, ask for development mode: \`palisade dev app.ts\` or PALISADE_ENV=development.`,
      );
    }
    secretKeys = [randomBytes(32).toString('base64url')];
    secretGenerated = true;
  } else {
    secretKeys = (typeof rawSecret === 'string' ? [rawSecret] : [...rawSecret]).map((s) => {
      if (typeof s !== 'string') invalid('secretKey', 'a string or a list of strings', s);
      return s.trim();
    });
    // The secret key rule (src/security/secret-key.ts): too short is refused in every mode;
    // guessable is refused in production, and reported by `palisade check` in every mode.
    secretKeys.forEach((s, i) => {
      const problem = secretKeyProblem(s, secretKeys.length > 1 ? `Secret key #${i + 1}` : 'The secret key');
      if (problem !== undefined && (problem.rule === 'length' || mode === 'production')) {
        throw new ConfigError('CONFIG_SECRET_WEAK', `${problem.message} ${problem.fix}`, { rule: problem.rule, length: s.length, bits: problem.bits });
      }
    });
  }

  const https = opts.https ?? boolEnv(env.PALISADE_HTTPS, 'PALISADE_HTTPS') ?? false;
  if (typeof https !== 'boolean') invalid('https', 'a boolean', https);

  let trustProxy: TrustProxy = opts.trustProxy ?? false;
  if (opts.trustProxy === undefined && env.PALISADE_TRUST_PROXY !== undefined) {
    const v = env.PALISADE_TRUST_PROXY;
    trustProxy = /^\d+$/.test(v) ? Number(v) : (boolEnv(v, 'PALISADE_TRUST_PROXY') ?? false);
  }
  if (typeof trustProxy !== 'boolean' && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    invalid('trustProxy', 'a boolean or a number of proxies', trustProxy);
  }

  const maxBodySize = opts.maxBodySize ?? intEnv(env.PALISADE_MAX_BODY_SIZE, 'PALISADE_MAX_BODY_SIZE') ?? 1024 * 1024;
  positiveInt('maxBodySize', maxBodySize);
  const jsonMaxDepth = opts.jsonMaxDepth ?? 64;
  positiveInt('jsonMaxDepth', jsonMaxDepth);
  const forms = resolveFormLimits(opts.forms);

  const allowedHosts = opts.allowedHosts ?? listEnv(env.PALISADE_ALLOWED_HOSTS) ?? [];
  stringList('allowedHosts', allowedHosts);
  const redirectHosts = opts.redirectHosts ?? [];
  stringList('redirectHosts', redirectHosts);

  const origin = opts.origin ?? env.PALISADE_ORIGIN;
  if (origin !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(origin);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== origin.replace(/\/$/, '')) {
      invalid('origin (PALISADE_ORIGIN)', 'an origin like "https://example.com" (scheme, host, optional port; no path)', origin);
    }
  }

  const server = resolveServerOptions(opts.server);

  checkLoggerSetting(opts.logger);
  const logger = opts.logger ?? {};

  return {
    env: mode,
    secretKeys,
    secretGenerated,
    https,
    trustProxy,
    maxBodySize,
    jsonMaxDepth,
    forms,
    redirectHosts,
    allowedHosts,
    origin: origin?.replace(/\/$/, ''),
    logger,
    server,
    websocket: resolveWebSocketOptions(opts.websocket),
    compress: resolveCompress(opts.compress),
  };
}

/** The longest delay node's timers can wait; a longer one fires after 1 ms instead. */
const TIMEOUT_MAX = 2_147_483_647;

/**
 * The `server` section with defaults filled in. Checked here, when the app is created,
 * rather than left to node at `listen`: node refuses a `headersTimeout` longer than the
 * `requestTimeout` with a RangeError, and quietly turns any timeout past 2^31 - 1 ms into
 * 1 ms (idle connections dropped at once, a shutdown with no grace).
 */
function resolveServerOptions(given: ServerOptions | undefined): Required<ServerOptions> {
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

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
function positiveInt(key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) invalid(key, 'a positive integer', v);
}
function stringList(key: string, v: unknown): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) invalid(key, 'a list of non-empty strings', v);
}
function boolEnv(v: string | undefined, name: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  invalid(name, 'one of 1, 0, true, false', v);
}
function intEnv(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) invalid(name, 'a positive integer', v);
  return Number(v);
}
function listEnv(v: string | undefined): string[] | undefined {
  if (v === undefined || v === '') return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
