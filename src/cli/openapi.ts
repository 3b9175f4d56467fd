/**
 * `palisade openapi [app.ts]`: the app's OpenAPI 3.1 description as JSON on stdout.
 *
 * ```sh
 * palisade openapi app.ts > openapi.json
 * palisade openapi --title "Notes API" --version 2.0.0 --server https://api.example.com app.ts
 * ```
 * The title and version default to the `name` and `version` of the package.json in the
 * working directory. See docs/validation.md#openapi.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, loadApp, resolveAppFile } from './load-app.js';

/** The package.json name and version of the working directory, when it has one. */
function packageInfo(cwd: string): { name?: string; version?: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return { ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}), ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}) };
  } catch {
    return {};
  }
}

/** Runs `palisade openapi`; returns the exit code. */
export async function openapiCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { title: { type: 'string' }, version: { type: 'string' }, server: { type: 'string', multiple: true } },
  });
  if (positionals.length > 1) throw new CliError('usage: palisade openapi [--title T] [--version V] [--server URL]… [app.ts]');
  const file = resolveAppFile(positionals[0], cwd);
  const pkg = packageInfo(cwd);
  const app = await loadApp(file);
  try {
    const doc = app.openapi({
      info: { title: values.title ?? pkg.name ?? 'API', version: values.version ?? pkg.version ?? '0.0.0' },
      ...(values.server !== undefined ? { servers: values.server.map((url) => ({ url })) } : {}),
    });
    out.write(JSON.stringify(doc, null, 2) + '\n');
  } finally {
    await app.close();
  }
  return 0;
}
