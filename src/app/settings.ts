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
import { resolveServerOptions, type ServerOptions } from './server-settings.js';
import { boolEnv, intEnv, invalid, listEnv, positiveInt, stringList } from './setting-checks.js';

export type { Env } from '../mode.js';

export type { ServerOptions } from './server-settings.js';

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
