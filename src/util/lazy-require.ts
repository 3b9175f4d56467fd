/**
 * Loads a package on first use instead of at import time. Start-up matters (the time to a
 * first response is measured), and some packages are heavy and needed only by a feature an
 * app may not use: mime-types (only when sending files), and the optional peer
 * dependencies, which an app installs only for the feature that needs them: ioredis (the
 * Redis session store) and tsx (the CLI loading a `.ts` app).
 *
 * When the package is not installed, the error is a ConfigError `CONFIG_PACKAGE_MISSING`
 * that names the feature, the package and the command that installs it, instead of node's
 * "Cannot find module" with a stack. See docs/installing.md#optional-packages.
 */
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';

const require = createRequire(import.meta.url);

/** What needs an optional package, and how to install it (default `npm install <package>`). */
export interface PackageUse {
  readonly feature: string;
  readonly install?: string;
}

/** A function that requires `id` the first time it is called and caches the module. */
export function lazyRequire<T>(id: string, use: PackageUse = { feature: 'Palisade' }): () => T {
  let mod: T | undefined;
  return () => {
    if (mod === undefined) {
      try {
        mod = require(id) as T;
      } catch (err) {
        throw packageMissing(err, id, use) ?? err;
      }
    }
    return mod;
  };
}

/** `import(id)`, with the same ConfigError as lazyRequire when the package is not installed. */
export async function importOptional<T>(id: string, use: PackageUse): Promise<T> {
  try {
    return (await import(id)) as T;
  } catch (err) {
    throw packageMissing(err, id, use) ?? err;
  }
}

/**
 * The ConfigError for `err` when it says that `id` itself cannot be found; undefined for
 * any other error (a package that is installed but broken, or one that misses a package
 * of its own, keeps node's message, which names the real culprit).
 */
function packageMissing(err: unknown, id: string, use: PackageUse): ConfigError | undefined {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  const name = packageName(id);
  const missing =
    (code === 'MODULE_NOT_FOUND' && message.startsWith(`Cannot find module '${id}'`)) ||
    (code === 'ERR_MODULE_NOT_FOUND' && message.startsWith(`Cannot find package '${name}'`));
  if (!missing) return undefined;
  const install = use.install ?? `npm install ${name}`;
  return new ConfigError('CONFIG_PACKAGE_MISSING', `${use.feature} needs the package "${name}", which is not installed. Install it: ${install}`, {
    package: name,
  });
}

/** `ioredis` for `ioredis`, `tsx` for `tsx/esm/api`, `@scope/name` for `@scope/name/sub`. */
function packageName(id: string): string {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
