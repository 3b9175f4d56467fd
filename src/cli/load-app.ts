/**
 * Loads the app module the CLI was pointed at: a `.ts` file goes through tsx (registered
 * in this process on first use; tsx is an optional package, and without it a `.ts` app is
 * refused with a one-line ConfigError naming the fix), a `.js` file is imported as it is.
 * The module must export the app as `app` or as its default export.
 *
 * ```ts
 * const app = await loadApp('examples/notes/app.ts');
 * ```
 * See docs/deployment.md#the-palisade-command.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '../create-app.js';
import { PROTECTIONS, RESPOND } from '../util/symbols.js';
import { importOptional } from '../util/lazy-require.js';

/** An error the CLI reports as one line (no stack) and exits with code 2. */
export class CliError extends Error {
  override name = 'CliError';
}

/** The app file used when none is given: `$PALISADE_APP`, else the first of these that exists. */
export const DEFAULT_APP_FILES: readonly string[] = ['app.ts', 'src/app.ts', 'app.js', 'src/app.js'];

const TS_EXT = new Set(['.ts', '.mts', '.cts', '.tsx']);
// When the CLI itself runs from its .ts source (`npx tsx src/cli/index.ts`), tsx is
// already loaded; from dist/ it is registered here on the first .ts app.
let tsReady = import.meta.url.endsWith('.ts');

/** Finds the app file: the argument, `$PALISADE_APP`, or a default name in the cwd. */
export function resolveAppFile(arg: string | undefined, cwd = process.cwd()): string {
  const given = arg ?? process.env.PALISADE_APP;
  if (given !== undefined && given !== '') {
    const file = resolve(cwd, given);
    if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`No app file at ${given}.`);
    return file;
  }
  for (const name of DEFAULT_APP_FILES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CliError(`No app file given, and none of ${DEFAULT_APP_FILES.join(', ')} exists here. Pass the file: palisade run path/to/app.ts`);
}

/** Imports the module and returns its app. */
export async function loadApp(file: string): Promise<App> {
  if (TS_EXT.has(extname(file)) && !tsReady) {
    const { register } = await importOptional<typeof import('tsx/esm/api')>('tsx/esm/api', {
      feature: `Running a TypeScript app (${file})`,
      install: 'npm install --save-dev tsx, or compile the app and give the .js file',
    });
    register();
    tsReady = true;
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const app = mod.app ?? mod.default;
  if (!isApp(app)) {
    throw new CliError(`${file} does not export a Palisade app: export it as \`export const app = createApp()\` or \`export default app\`.`);
  }
  return app;
}

// Duck-typed rather than `instanceof App`: the app may import Palisade from its sources
// while the CLI runs from dist/ (two copies of the class); the internal keys are registered
// symbols, the same in both copies.
function isApp(v: unknown): v is App {
  if (v === null || typeof v !== 'object') return false;
  const a = v as Record<string | symbol, unknown>;
  return typeof a[RESPOND] === 'function' && typeof a.listen === 'function' && typeof a.settings === 'object' && 'routes' in a && PROTECTIONS in a;
}
