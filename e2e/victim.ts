/**
 * A victim app in a child process for the browser tests: its stdout is the app's real
 * log, one JSON line per entry, and a `{ "listening": port }` line says where it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface Victim {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every log entry so far (the `listening` line left out). */
  logs: Record<string, unknown>[];
  proc: ChildProcess;
}

/** Starts `fixture` (a .ts file run with tsx) with `mode` as its argument, in test mode. */
export async function startVictim(fixture: string, mode: string): Promise<Victim> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PALISADE_ENV: 'test' },
  });
  const logs: Record<string, unknown>[] = [];
  const lines = createInterface({ input: proc.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${fixture} (${mode}) exited with ${code}`)));
    lines.on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (typeof entry.listening === 'number') resolve(entry.listening);
      else logs.push(entry);
    });
  });
  return { port, url: `http://127.0.0.1:${port}`, logs, proc };
}

/** Stops a victim with SIGTERM and waits for it to exit (nothing to do if it is gone). */
export async function stopVictim(v: Victim | undefined): Promise<void> {
  if (v === undefined || v.proc.exitCode !== null) return;
  const exited = once(v.proc, 'exit');
  v.proc.kill('SIGTERM');
  await exited;
}
