/**
 * The app's logger: pino, loaded the first time something is logged. An app whose level
 * is `silent` (`logger: false`) and that never logs does not load pino at all, which saves
 * start-up time (the time to a first response is measured).
 *
 * The `logger` setting is pino's own options (`level`, `redact`, `serializers`,
 * `transport`…) plus `pretty`, or a pino logger you made yourself, or false. Where the
 * lines go, unless `transport` says otherwise:
 *
 * | mode        | default level | written to | format |
 * |-------------|---------------|------------|--------|
 * | production  | info          | stdout     | JSON lines |
 * | development | info          | stdout     | readable lines when stdout is a terminal, else JSON |
 * | test        | error         | stderr     | readable lines (a failing request's stack in the test output) |
 *
 * `pretty: true` or `false` overrides the format. See docs/deployment.md#logging.
 */
import type { BaseLogger, Logger, LoggerOptions as PinoOptions } from 'pino';
import { ConfigError } from '../errors.js';
import type { Env } from '../mode.js';
import { lazyRequire } from './lazy-require.js';
import { prettyStream } from './log-pretty.js';

const pino = lazyRequire<typeof import('pino')>('pino');

/**
 * The `logger` setting: pino's options, plus `pretty`.
 *
 * ```ts
 * createApp({ logger: { level: 'debug', redact: ['req.headers.cookie'] } });
 * ```
 */
export interface LoggerSettings extends PinoOptions {
  /**
   * Readable lines instead of JSON: default true in test mode, and in development when
   * stdout is a terminal. Ignored with `transport` (the transport writes the lines).
   */
  pretty?: boolean;
}

/** A pino logger you made yourself, whatever its custom levels (`pino({ customLevels })`). */
export type PinoLogger = BaseLogger & Pick<Logger, 'isLevelEnabled'> & { child(bindings: Record<string, unknown>): BaseLogger };

// pino's standard levels; `silent` logs nothing.
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** What the app knows of its logger before making it. */
export interface LoggerPlan {
  /** The level, when known without making the logger (not for a logger given ready-made). */
  readonly level: string | undefined;
  /** Makes the logger (called once, on first use). */
  make(): Logger;
}

/** True for a ready-made pino logger (or one that quacks like it). */
export function isLogger(v: unknown): v is PinoLogger {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as PinoLogger).child === 'function' &&
    typeof (v as PinoLogger).error === 'function' &&
    typeof (v as PinoLogger).isLevelEnabled === 'function'
  );
}

/** Checks the `logger` setting; throws CONFIG_INVALID for a value that cannot work. */
export function checkLoggerSetting(v: unknown): void {
  if (v === false || v === undefined || isLogger(v)) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "logger" must be false, pino options or a pino logger; got ${JSON.stringify(v)}.`, { key: 'logger' });
  }
  const o = v as LoggerSettings;
  if (o.level !== undefined && typeof o.level !== 'string') {
    throw new ConfigError('CONFIG_INVALID', `Setting "logger.level" must be a level name such as "info"; got ${JSON.stringify(o.level)}.`, {
      key: 'logger.level',
    });
  }
  if (o.pretty !== undefined && typeof o.pretty !== 'boolean') {
    throw new ConfigError('CONFIG_INVALID', `Setting "logger.pretty" must be a boolean; got ${JSON.stringify(o.pretty)}.`, { key: 'logger.pretty' });
  }
}

/** Plans the app's logger from its `logger` setting and mode. */
export function planLogger(setting: LoggerSettings | PinoLogger | false, env: Env): LoggerPlan {
  // Custom levels only add methods: the app calls the standard ones.
  if (isLogger(setting)) return { level: undefined, make: () => setting as Logger };
  if (setting === false) return { level: 'silent', make: () => pino().pino({ level: 'silent' }) };
  const { pretty: askedPretty, ...options } = setting;
  const level = options.level ?? (env === 'test' ? 'error' : 'info');
  return {
    level,
    make() {
      const opts: PinoOptions = { base: undefined, ...options, level };
      if (options.transport !== undefined) return pino().pino(opts);
      const toStderr = env === 'test';
      const stream = toStderr ? process.stderr : process.stdout;
      const pretty = askedPretty ?? (env === 'test' || (env === 'development' && stream.isTTY === true));
      if (pretty) return pino().pino(opts, prettyStream(stream, stream.isTTY === true));
      return toStderr ? pino().pino(opts, pino().destination(2)) : pino().pino(opts);
    },
  };
}

/**
 * True when a logger at `level` writes `at` messages; undefined for a level that is not
 * one of pino's own (only the logger itself knows its custom levels).
 */
export function levelEnables(level: string | undefined, at: string): boolean | undefined {
  const l = level === undefined ? undefined : LEVELS[level];
  return l === undefined ? undefined : LEVELS[at]! >= l;
}
