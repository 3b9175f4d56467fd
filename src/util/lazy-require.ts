/**
 * Loads a CommonJS dependency on first use instead of at import time. Start-up matters
 * (the time to a first response is measured), and some dependencies are heavy and needed
 * only by a feature an app may not use: ioredis (only with the Redis store), mime-types
 * (only when sending files).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function that requires `id` the first time it is called and caches the module. */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(id) as T);
}
