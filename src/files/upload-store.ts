/**
 * Where uploads live while a request runs: one private directory per app (mode 0700,
 * created on the first upload), and per request the list of temporary files it created,
 * so that every one not saved by the handler is deleted when the response is finished —
 * or at once, when the upload fails or the client goes away.
 */
import { chmod, mkdtemp, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from '../http/request.js';
import { UPLOAD_DEFAULTS, type UploadLimits } from './options.js';
import { INTERNALS } from '../util/symbols.js';

/** One app's upload storage: its limits and its private temporary directory. */
export class UploadStore {
  readonly limits: UploadLimits;
  #root: Promise<string> | undefined;
  #closed = false;

  constructor(limits: UploadLimits) {
    this.limits = limits;
  }

  /** The private directory, created (0700) on first use. */
  root(): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('the upload store is closed'));
    return (this.#root ??= mkdtemp(join(this.limits.tmpDir, 'palisade-uploads-')).then(async (dir) => {
      await chmod(dir, 0o700); // mkdtemp already uses 0700; make it explicit against odd umasks.
      return dir;
    }));
  }

  /** Removes the private directory and whatever is left in it (at shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    const root = this.#root;
    this.#root = undefined;
    if (root !== undefined) await rm(await root.catch(() => ''), { recursive: true, force: true }).catch(() => {});
  }
}

/** The temporary files one request created, and whether its response is done. */
export class RequestUploads {
  readonly store: UploadStore;
  /** Temporary paths that still exist (being written, or parsed but not saved). */
  readonly #temps = new Set<string>();
  #finished = false;
  readonly #onFinish: (() => void)[] = [];

  constructor(store: UploadStore) {
    this.store = store;
  }

  /** True once the response was finished; files created later are deleted at once. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Runs `fn` when the response is finished (a parse still running stops). */
  onFinish(fn: () => void): void {
    this.#onFinish.push(fn);
  }

  /** Records a temporary file the parser is about to create. */
  track(path: string): void {
    this.#temps.add(path);
  }

  /** Forgets a temporary path (it was moved by `save()` or deleted). */
  untrack(path: string): void {
    this.#temps.delete(path);
  }

  /** Deletes one temporary file (missing is fine). */
  async remove(path: string): Promise<void> {
    this.#temps.delete(path);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Deletes every temporary file still tracked; called when the response is finished. */
  async cleanup(): Promise<void> {
    this.#finished = true;
    for (const fn of this.#onFinish.splice(0)) fn();
    const paths = [...this.#temps];
    await Promise.all(paths.map((p) => this.remove(p)));
  }
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** The app's upload store (set by the files protection). */
    uploadStore?: UploadStore;
    /** This request's uploads, once it has any. */
    uploads?: RequestUploads;
  }
}

let defaultStore: UploadStore | undefined;

/** Ties a request to its app's upload store (done by the files protection for every request). */
export function bindStore(req: Request, store: UploadStore): void {
  req[INTERNALS].uploadStore = store;
}

/**
 * The uploads of a request, created on first use. A request built outside an app (by
 * hand, in a unit test) gets default limits and a process-wide store.
 */
export function uploadsOf(req: Request): RequestUploads {
  return (req[INTERNALS].uploads ??= new RequestUploads(req[INTERNALS].uploadStore ?? (defaultStore ??= new UploadStore(UPLOAD_DEFAULTS))));
}

/** The uploads of a request if it has any, without creating them. */
export function boundUploads(req: Request): RequestUploads | undefined {
  return req[INTERNALS].uploads;
}
