// Starts Debian's redis-server on 127.0.0.1 and a free port for a test, and stops it.
// Tests skip (with this reason) only when the binary is not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';

export const REDIS_SERVER = process.env.PALISADE_REDIS_SERVER ?? '/usr/bin/redis-server';
export const redisMissing: string | false = existsSync(REDIS_SERVER) ? false : `${REDIS_SERVER} is not installed (apt-get install -y redis-server)`;

export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  /** Sends a signal (SIGSTOP freezes the server, SIGCONT wakes it). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    // A frozen or half-started server may accept and never answer.
    sock.setTimeout(500, () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('connect', () => {
      sock.write('PING\r\n');
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    sock.once('error', () => resolve(false));
  });
}

/** Starts redis-server; on the given port (to restart one), else a free one. */
export async function startRedis(port?: number): Promise<RunningRedis> {
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 200 && !(await canConnect(p)); i++) {
    if (exited) throw new Error(`redis-server exited while starting on port ${p}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!(await canConnect(p))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${p}`);
  }
  return {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    signal: (sig) => void child.kill(sig),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT'); // in case it was frozen
        child.kill('SIGTERM');
      }),
  };
}
