/**
 * `palisade run app.ts [--host H] [--port P] [--workers N]`: serves the app on node:http.
 * Unless PALISADE_ENV says otherwise the app runs in production mode, so it needs its
 * secret key and allowed hosts (it says so and stops if they are missing).
 *
 * With `--workers N` (N > 1) the process becomes a node:cluster primary that starts N
 * workers; they share one listening port and the primary hands connections to them in
 * turn. A worker that dies is replaced; SIGTERM/SIGINT stop every worker gracefully.
 * State kept in one process's memory (the memory session store) is not shared, so use
 * the Redis store; `palisade check --workers N` reports it.
 *
 * ```sh
 * PALISADE_SECRET_KEY=… PALISADE_ALLOWED_HOSTS=example.com palisade run app.ts --port 8000 --workers 4
 * ```
 * See docs/deployment.md#workers.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CliError, loadApp, resolveAppFile } from './load-app.js';
import { LISTEN_OPTIONS, readListenArgs } from './listen-args.js';

/** Parsed options of `palisade run` (and `palisade dev`). */
export interface RunOptions {
  file: string;
  host: string;
  port: number;
  workers: number;
}

/** Message a worker sends its primary once it listens. */
interface ListeningMessage {
  palisade: 'listening';
  url: string;
  pid: number;
}

/** Parses `run`'s arguments; `--workers 0` or `auto` means one per CPU. */
export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RunOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...LISTEN_OPTIONS, workers: { type: 'string', short: 'w' } },
  });
  if (positionals.length > 1) throw new CliError('usage: palisade run [--host H] [--port P] [--workers N] [app.ts]');
  const { host, port } = readListenArgs(values, env);
  const w = values.workers ?? env.PALISADE_WORKERS ?? '1';
  const workers = w === 'auto' || w === '0' ? availableParallelism() : Number(w);
  if (!Number.isInteger(workers) || workers < 1) throw new CliError(`--workers must be a positive whole number or "auto", not ${w}.`);
  return { file: resolveAppFile(positionals[0]), host, port, workers };
}

/** Runs `palisade run`. Resolves once serving; the process then lives until a signal. */
export async function runCommand(argv: readonly string[]): Promise<void> {
  if (!process.env.PALISADE_ENV) process.env.PALISADE_ENV = 'production';
  const opts = parseRunArgs(argv);
  if (opts.workers > 1 && cluster.isPrimary) return runPrimary(opts);
  return runWorker(opts);
}

/** One server process: loads the app and listens (a cluster worker, or the only process). */
async function runWorker(opts: RunOptions): Promise<void> {
  const app = await loadApp(opts.file);
  const server = await app.listen({ host: opts.host, port: opts.port, handleSignals: true });
  if (cluster.isWorker) {
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('message', (m: unknown) => {
      if ((m as { palisade?: string } | null)?.palisade === 'shutdown') stop();
    });
    process.once('disconnect', stop); // the primary is gone
    const msg: ListeningMessage = { palisade: 'listening', url: server.url, pid: process.pid };
    process.send?.(msg);
  } else {
    process.stdout.write(`palisade: serving ${opts.file} on ${server.url} (${app.settings.env} mode, pid ${process.pid})\n`);
  }
}

/** The cluster primary: starts the workers, replaces crashed ones, stops them on a signal. */
function runPrimary(opts: RunOptions): Promise<void> {
  let stopping = false;
  const started = new Set<Worker>();
  let crashes = 0;
  let announced = false;
  let exitCode = 0;
  const fork = (): void => {
    const w = cluster.fork();
    w.on('message', (m: unknown) => {
      const msg = m as ListeningMessage | null;
      if (msg?.palisade !== 'listening') return;
      started.add(w);
      if (announced) process.stderr.write(`palisade: worker ${msg.pid} started.\n`);
      else if (started.size === opts.workers) {
        announced = true;
        const pids = [...started].map((x) => x.process.pid).join(', ');
        process.stdout.write(`palisade: serving ${opts.file} on ${msg.url} with ${opts.workers} workers (pids ${pids})\n`);
      }
    });
  };

  cluster.on('exit', (w, code, signal) => {
    const wasStarted = started.delete(w);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!wasStarted) {
      // A worker that never got to listen will not do better on a retry (bad config, port taken).
      process.stderr.write(`palisade: a worker failed to start (exit ${code ?? signal}); stopping.\n`);
      stop(1);
      return;
    }
    crashes++;
    process.stderr.write(`palisade: worker ${w.process.pid} exited (${code ?? signal}); starting a new one.\n`);
    if (crashes > opts.workers * 10) {
      process.stderr.write('palisade: workers keep crashing; stopping.\n');
      stop(1);
      return;
    }
    fork();
  });

  const stop = (code: number): void => {
    exitCode = code;
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(code);
    for (const w of workers) {
      // A listening worker finishes its in-flight requests; one still loading just stops.
      if (w !== undefined && started.has(w) && w.isConnected()) w.send({ palisade: 'shutdown' });
      else w?.process.kill('SIGTERM');
    }
    // Workers finish in-flight requests within their own shutdown timeout; this is the
    // backstop for one that hangs.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(exitCode || 1);
    }, 30_000).unref();
  };
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));

  for (let i = 0; i < opts.workers; i++) fork();
  return Promise.resolve();
}
