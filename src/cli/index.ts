#!/usr/bin/env node
/**
 * The `palisade` command.
 *
 * ```sh
 * palisade run app.ts [--host H] [--port P] [--workers N]   # serve (production mode by default)
 * palisade dev app.ts [--port P] [--watch dir]               # development mode, restart on change
 * palisade routes [app.ts]                                   # method, path, name, protections
 * palisade check [--deploy] [app.ts]                         # unsafe settings; exit 1 if any
 * palisade openapi [app.ts] > openapi.json                   # the API as OpenAPI 3.1
 * ```
 * In this repository: `npx tsx src/cli/index.ts <command> …`.
 * See docs/deployment.md#the-palisade-command.
 */
import { fileURLToPath } from 'node:url';
import { checkCommand } from './check.js';
import { devCommand } from './dev.js';
import { CliError } from './load-app.js';
import { openapiCommand } from './openapi.js';
import { routesCommand } from './routes.js';
import { runCommand } from './run.js';

const USAGE = `Usage: palisade <command> [options] [app.ts]

Commands:
  run     Serve the app (production mode unless PALISADE_ENV says otherwise).
          --host H (default 127.0.0.1)  --port P (default $PORT or 8000)  --workers N|auto
  dev     Serve in development mode and restart when a file changes.
          --host H  --port P  --watch DIR (repeatable; the app's folder is always watched)
  routes  List routes: method, path, name and the protections on each.  --json
  check   List unsafe settings with a fix for each; exit 1 if any.
          --deploy (also deployment checks; loads the app in production mode)
          --workers N  --ignore ID[,ID]  --json
  openapi Print the app's OpenAPI 3.1 description (JSON) from its routes and schemas.
          --title T  --version V (default: package.json's name and version)  --server URL

The app file exports \`app\` (or a default export); without one, app.ts or src/app.ts is used.
Docs: docs/deployment.md`;

/** Runs the CLI with `argv` (without node and the script); returns the exit code, or undefined while serving. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  const self = fileURLToPath(import.meta.url);
  try {
    switch (command) {
      case 'run':
        await runCommand(rest);
        return undefined;
      case 'dev':
        await devCommand(rest, self);
        return 0;
      case 'routes':
        return await routesCommand(rest);
      case 'check':
        return await checkCommand(rest);
      case 'openapi':
        return await openapiCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`palisade: unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (
      err instanceof CliError ||
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      process.stderr.write(`palisade: ${e.message}\n`);
      return 2;
    }
    if (e.name === 'ConfigError') {
      // A setting that cannot work: the message names it and the fix; no stack needed.
      process.stderr.write(`palisade: ${e.message}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`palisade: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
