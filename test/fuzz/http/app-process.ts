/**
 * The app under the HTTP fuzzer, in a child process (child.ts): started, asked over IPC
 * for its targets and its event-loop and handler counts, restarted after a crash, and
 * given private folders for uploads, saved files and static files.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildApp } from '../../faults/net-helpers.js';
import { filesUnder } from '../../files/helpers.js';
import { CRASH_MARK } from './monitor.js';
import type { Target } from './targets.js';

export interface ChildStats {
  /** Longest busy stretch of the event loop since the last reset, in ms of this process's CPU. */
  maxBusyMs: number;
  /** Longest gap between two timer ticks, in wall-clock ms (the machine's load included). */
  maxGapMs: number;
  handlersPending: number;
  handled: number;
}

/** How the process ended, with the exception that ended it when one did. */
export interface Exit {
  code: number | null;
  signal: string | null;
  stderr: string;
  crash: { origin?: string; name?: string; code?: string; message?: string; stack?: string } | undefined;
}

const CHILD = new URL('./child.ts', import.meta.url).pathname;

export class AppProcess {
  readonly dirs: { root: string; uploads: string; saved: string; static: string };
  readonly #app: string;
  #child: ChildApp | undefined;
  #exit: Exit | undefined;
  #nextId = 1;
  /** Processes started, the first one included. */
  starts = 0;

  /** `app`: the module child.ts serves (it exports `app`). */
  constructor(app: string) {
    this.#app = app;
    const root = mkdtempSync(join(tmpdir(), 'palisade-http-fuzz-'));
    this.dirs = { root, uploads: join(root, 'uploads'), saved: join(root, 'saved'), static: join(root, 'static') };
    for (const d of [this.dirs.uploads, this.dirs.saved, this.dirs.static]) mkdirSync(d);
  }

  get port(): number {
    return this.#child!.port;
  }

  /** The process is running (started and not exited). */
  get alive(): boolean {
    return this.#child !== undefined && this.#exit === undefined;
  }

  /** How the last process ended, once it has. */
  get exit(): Exit | undefined {
    return this.#exit;
  }

  /** Starts the process unless it is running. */
  async ensure(): Promise<void> {
    if (this.alive) return;
    this.#exit = undefined;
    // Files a crashed process left are not the next process's doing.
    for (const name of readdirSync(this.dirs.uploads)) rmSync(join(this.dirs.uploads, name), { recursive: true, force: true });
    const child = await startChild(
      CHILD,
      { HTTP_FUZZ_APP: this.#app, UPLOAD_TMP: this.dirs.uploads, SAVE_DIR: this.dirs.saved, STATIC_DIR: this.dirs.static },
      { ipc: true },
    );
    this.starts++;
    this.#child = child;
    // A message sent as the process dies fails with EPIPE: ask() reports it, nothing else.
    child.child.on('error', () => {});
    void child.exited.then(({ code, signal, stderr }) => {
      if (this.#child !== child) return;
      const line = stderr.split('\n').find((l) => l.startsWith(CRASH_MARK));
      this.#exit = { code, signal, stderr, crash: line === undefined ? undefined : (JSON.parse(line.slice(CRASH_MARK.length)) as Exit['crash']) };
    });
  }

  /** Waits up to `ms` for the process to end; returns how it ended, or undefined. */
  async waitExit(ms: number): Promise<Exit | undefined> {
    const child = this.#child;
    if (child === undefined) return undefined;
    await Promise.race([child.exited, new Promise((r) => setTimeout(r, ms))]);
    await new Promise((r) => setImmediate(r));
    return this.#exit;
  }

  /** Sends `msg` and resolves with the answer, or rejects after `timeoutMs` or when the process ends. */
  ask<T>(msg: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const child = this.#child?.child;
    if (child === undefined || !this.alive || !child.connected) return Promise.reject(new Error('the app process is not running'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const onMessage = (m: { id?: number }) => {
        if (m.id !== id) return;
        cleanup();
        resolve(m as T);
      };
      const onExit = () => {
        cleanup();
        reject(new Error('the app process exited'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no answer from the app process within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ ...msg, id }, (err) => {
        if (err === null) return;
        cleanup();
        reject(err);
      });
    });
  }

  targets(): Promise<Target[]> {
    return this.ask<{ targets: Target[] }>({ t: 'targets' }, 10_000).then((m) => m.targets);
  }

  stats(reset: boolean, timeoutMs: number): Promise<ChildStats> {
    return this.ask<ChildStats>({ t: 'stats', reset }, timeoutMs);
  }

  /** Temporary upload files present now. */
  leftovers(): string[] {
    return filesUnder(this.dirs.uploads);
  }

  /** Kills the process (a stuck event loop) and waits for it to end. */
  async kill(): Promise<void> {
    const c = this.#child;
    if (c === undefined || this.#exit !== undefined) return;
    c.child.kill('SIGKILL');
    await c.exited;
    await new Promise((r) => setImmediate(r));
  }

  /** Kills the process and removes the folders. */
  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dirs.root, { recursive: true, force: true });
  }
}
