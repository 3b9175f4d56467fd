/**
 * Where `palisade run` and `palisade dev` listen: the `--host` and `--port` options both
 * take, and how they are read (with the HOST and PORT variables and the defaults).
 * See docs/deployment.md#the-palisade-command.
 */
import { CliError } from './load-app.js';

/** The `--host`/`-h` and `--port`/`-p` options, for node's parseArgs. */
export const LISTEN_OPTIONS = {
  host: { type: 'string', short: 'h' },
  port: { type: 'string', short: 'p' },
} as const;

/** The host and port to listen on: the options, else HOST and PORT, else 127.0.0.1:8000. */
export function readListenArgs(values: { host?: string | undefined; port?: string | undefined }, env: NodeJS.ProcessEnv): { host: string; port: number } {
  const port = Number(values.port ?? env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, not ${values.port ?? env.PORT}.`);
  return { host: values.host ?? env.HOST ?? '127.0.0.1', port };
}
