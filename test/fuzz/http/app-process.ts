/**
 * The app under the HTTP fuzzer, in a child process (child.ts): started, asked over IPC
 * for its targets and its event-loop and handler counts, and replaced after a crash. A
 * spare process is started ahead, so that a crash costs the fuzzer no start-up time.
 * Each process has its own upload folder, so what a crashed one left is not counted
 * against the next.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildApp } from '../../faults/net-helpers.js';
import { filesUnder } from '../../files/helpers.js';
import { CRASH_MARK } from './monitor.js';
import type { Target } from './targets.js';

export interface ChildStats {
  /** Longest busy stretch of the event loop since the last reset, in ms of its main thread's CPU. */
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

interface Child {
  app: ChildApp;
  uploads: string;
  exit: Exit | undefined;
}

const CHILD = new URL('./child.ts', import.meta.url).pathname;

export class AppProcess {
  readonly dirs: { root: string; saved: string; static: string };
  readonly #app: string;
  #current: Child | undefined;
  #spare: Promise<Child> | undefined;
  #nextId = 1;
  /** Processes that served requests, the first one included. */
  starts = 0;

  /** `app`: the module child.ts serves (it exports `app`). */
  constructor(app: string) {
    this.#app = app;
    const root = mkdtempSync(join(tmpdir(), 'palisade-http-fuzz-'));
    this.dirs = { root, saved: join(root, 'saved'), static: join(root, 'static') };
    mkdirSync(this.dirs.saved);
    mkdirSync(this.dirs.static);
  }

  get port(): number {
    return this.#current!.app.port;
  }

  /** The process is running (started and not exited). */
  get alive(): boolean {
    return this.#current !== undefined && this.#current.exit === undefined;
  }

  /** Starts a process (the spare, when one is ready) unless one is running. */
  async ensure(): Promise<void> {
    if (this.alive) return;
    if (this.#current !== undefined) rmSync(this.#current.uploads, { recursive: true, force: true });
    this.#current = await (this.#spare ?? this.#start());
    this.#spare = this.#start();
    this.#spare.catch(() => {}); // a spare that fails to start is retried when it is needed
    this.starts++;
  }

  async #start(): Promise<Child> {
    const uploads = join(this.dirs.root, `uploads-${this.#nextId++}`);
    mkdirSync(uploads, { recursive: true });
    const app = await startChild(
      CHILD,
      { HTTP_FUZZ_APP: this.#app, UPLOAD_TMP: uploads, SAVE_DIR: this.dirs.saved, STATIC_DIR: this.dirs.static },
      { ipc: true },
    );
    // A message sent as the process dies fails with EPIPE: ask() reports it, nothing else.
    app.child.on('error', () => {});
    const child: Child = { app, uploads, exit: undefined };
    void app.exited.then(({ code, signal, stderr }) => {
      const line = stderr.split('\n').find((l) => l.startsWith(CRASH_MARK));
      child.exit = { code, signal, stderr, crash: line === undefined ? undefined : (JSON.parse(line.slice(CRASH_MARK.length)) as Exit['crash']) };
    });
    return child;
  }

  /** Waits up to `ms` for the process to end; returns how it ended, or undefined. */
  async waitExit(ms: number): Promise<Exit | undefined> {
    const c = this.#current;
    if (c === undefined) return undefined;
    await Promise.race([c.app.exited, new Promise((r) => setTimeout(r, ms))]);
    await new Promise((r) => setImmediate(r));
    return c.exit;
  }

  /** Sends `msg` and resolves with the answer, or rejects after `timeoutMs` or when the process ends. */
  ask<T>(msg: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const child = this.#current?.app.child;
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

  /** The process's figures since the last reset; `reset` starts the next period. */
  stats(reset: boolean, timeoutMs: number): Promise<ChildStats> {
    return this.ask<ChildStats>({ t: 'stats', reset }, timeoutMs);
  }

  /** Temporary upload files of the running process present now. */
  leftovers(): string[] {
    return this.#current === undefined ? [] : filesUnder(this.#current.uploads);
  }

  /** Deletes the temporary upload files of the running process (its folders stay). */
  clearLeftovers(): void {
    for (const f of this.leftovers()) rmSync(f, { force: true });
  }

  /** Kills the running process (a stuck event loop) and waits for it to end. */
  async kill(): Promise<void> {
    const c = this.#current;
    if (c === undefined || c.exit !== undefined) return;
    c.app.child.kill('SIGKILL');
    await c.app.exited;
    await new Promise((r) => setImmediate(r));
  }

  /** Kills the processes and removes the folders. */
  async close(): Promise<void> {
    await this.kill();
    const spare = await this.#spare?.catch(() => undefined);
    if (spare !== undefined) {
      spare.app.child.kill('SIGKILL');
      await spare.app.exited;
    }
    rmSync(this.dirs.root, { recursive: true, force: true });
  }
}
