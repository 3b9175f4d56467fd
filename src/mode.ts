/**
 * The mode — development, production or test — decided in one place for everything that
 * behaves differently by mode: the app's error pages, templates (strictness, reloading),
 * the log level, the CSP report endpoint's log.
 *
 * Production unless asked otherwise. The `env` setting wins, then `PALISADE_ENV`; with
 * neither, the mode is production, so exception messages and stack traces never reach a
 * client unless development was asked for by name (`palisade dev`, `PALISADE_ENV=development`
 * or `env: 'development'`). Development prints a one-line notice to standard error, once
 * per process, when it is first chosen.
 *
 * ```ts
 * resolveMode();                 // 'production' (PALISADE_ENV unset)
 * resolveMode('development');    // 'development', and the notice
 * ```
 * See docs/deployment.md#the-mode.
 */
import { ConfigError } from './errors.js';

/** The app's mode: the `env` setting or `PALISADE_ENV` (docs/deployment.md#the-mode). */
export type Env = 'development' | 'production' | 'test';

const MODES: ReadonlySet<string> = new Set(['development', 'production', 'test']);
let noticed = false;

/**
 * The mode for a component given `explicit` (its `env` or `mode` setting, if any) and the
 * environment. Throws CONFIG_INVALID for a value that is not a mode.
 */
export function resolveMode(explicit?: unknown, env: NodeJS.ProcessEnv = process.env): Env {
  let mode: unknown;
  let source: string;
  if (explicit !== undefined) {
    mode = explicit;
    source = `the env setting is ${JSON.stringify(explicit)}`;
  } else if (env.PALISADE_ENV !== undefined && env.PALISADE_ENV !== '') {
    mode = env.PALISADE_ENV;
    source = `PALISADE_ENV=${env.PALISADE_ENV}`;
  } else {
    return 'production';
  }
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "env (PALISADE_ENV)" must be "development", "production" or "test"; got ${JSON.stringify(mode)}.`, {
      key: 'env',
    });
  }
  if (mode === 'development') developmentNotice(source);
  return mode as Env;
}

/** The notice, written once per process to standard error. */
function developmentNotice(source: string): void {
  if (noticed) return;
  noticed = true;
  process.stderr.write(
    `palisade: development mode (${source}): error pages show exception messages and stack traces to every client; never serve it to others (docs/deployment.md#the-mode)\n`,
  );
}
