/**
 * The app's logger: pino, loaded the first time something is logged. An app whose level
 * is `silent` (test mode, `logger: false`) and that never logs an error does not load
 * pino at all, which saves start-up time (the time to a first response is measured).
 */
import type { Logger } from 'pino';
import { lazyRequire } from '../util/lazy-require.js';

const pino = lazyRequire<typeof import('pino')>('pino');

// pino's standard levels; `silent` logs nothing.
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** A pino logger at `level`, without the pid and hostname fields. */
export function createLogger(level: string): Logger {
  return pino().pino({ level, base: undefined });
}

/**
 * True when a logger at `level` writes `at` messages; undefined for a level that is not
 * one of pino's own (only the logger itself knows its custom levels).
 */
export function levelEnables(level: string, at: string): boolean | undefined {
  const l = LEVELS[level];
  return l === undefined ? undefined : LEVELS[at]! >= l;
}
