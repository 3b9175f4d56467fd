/**
 * `palisade dev app.ts [--host H] [--port P] [--watch dir]…`: runs the app in development
 * mode in a child process and restarts it when a file changes.
 *
 * The child is `palisade run` with `PALISADE_ENV=development`, started with the same
 * Node flags as this process (so a tsx loader carries over). The app's folder (and every
 * `--watch` folder) is watched recursively; changes are debounced, so saving ten files
 * restarts once. `node_modules`, `.git`, `dist` and the temporary files editors write
 * (swap, backup, lock and safe-write files: see EDITOR_FILE) are ignored. If the
 * app crashes, dev waits for the next change instead of restarting in a loop.
 *
 * ```sh
 * palisade dev app.ts --watch src
 * ```
 * See docs/deployment.md#the-palisade-command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, resolveAppFile } from './load-app.js';
import { LISTEN_OPTIONS, readListenArgs } from './listen-args.js';

/** Folders whose changes never restart the app: dependencies, version control, build output, editors' settings. */
const IGNORED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'coverage', '.tmp', '.cache', '.idea', '.vscode']);

/**
 * Files editors write beside the one being edited, matched on the whole file name:
 * vim's swap files (`.app.ts.swp`, then `.swo`, `.swn`… down to `.swa`) and the `4913`
 * file it writes to test a folder; backups (`app.ts~`); Emacs's lock (`.#app.ts`) and
 * auto-save (`#app.ts#`) files; JetBrains' safe-write files (`app.ts___jb_tmp___`,
 * `___jb_old___`); Kate's `.kate-swp`; gedit's `.goutputstream-XXXXXX`; `.tmp` files
 * written before a rename; Chromium's `.crswap`; macOS's `.DS_Store` and `._` files.
 */
const EDITOR_FILE =
  /^(?:\..+\.sw[a-px]|.+\.swp|4913|.+~|\.#.+|#.+#|.+___jb_(?:tmp|old|bak)___|.+\.kate-swp|\.goutputstream-\w+|.+\.tmp|.+\.crswap|\.DS_Store|\._.+)$/;

/** True when a changed path (relative to a watched folder) should restart the app. */
export function shouldRestart(relPath: string | null): boolean {
  if (relPath === null) return true;
  const parts = relPath.split(/[/\\]/);
  const file = parts.pop() ?? '';
  if (parts.some((d) => IGNORED_DIRS.has(d))) return false;
  return !IGNORED_DIRS.has(file) && !EDITOR_FILE.test(file);
}

/** Runs `palisade dev`; resolves when the watcher is stopped by a signal. */
export function devCommand(argv: readonly string[], cliFile: string): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...LISTEN_OPTIONS, watch: { type: 'string', multiple: true } },
  });
  if (positionals.length > 1) throw new CliError('usage: palisade dev [--host H] [--port P] [--watch dir]… [app.ts]');
  readListenArgs(values, process.env); // a bad --port stops here, not in every restarted child
  const file = resolveAppFile(positionals[0]);
  const dirs = [dirname(file), ...(values.watch ?? []).map((d) => resolve(d))];
  const childArgs = [...process.execArgv, cliFile, 'run', file, '--workers', '1'];
  if (values.host !== undefined) childArgs.push('--host', values.host);
  if (values.port !== undefined) childArgs.push('--port', values.port);

  let child: ChildProcess | null = null;
  let restarting = false;
  let stopping = false;
  const start = (): void => {
    const c = spawn(process.execPath, childArgs, { stdio: 'inherit', env: { ...process.env, PALISADE_ENV: 'development' } });
    child = c;
    c.once('exit', (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      if (restarting) {
        restarting = false;
        start();
      } else if (code !== 0 || signal !== null) {
        process.stderr.write(`palisade dev: the app stopped (${code ?? signal}); waiting for a change.\n`);
      }
    });
  };
  const restart = (what: string): void => {
    process.stderr.write(`palisade dev: ${what} changed; restarting.\n`);
    if (child === null) return start();
    restarting = true;
    child.kill('SIGTERM');
  };

  let timer: NodeJS.Timeout | undefined;
  let changed = '';
  const watchers: FSWatcher[] = dirs.map((dir) =>
    watch(dir, { recursive: true }, (_event, name) => {
      const rel = name === null ? null : name.toString();
      if (!shouldRestart(rel)) return;
      changed = rel ?? dir;
      clearTimeout(timer);
      timer = setTimeout(() => restart(changed), 150);
    }),
  );

  process.stderr.write(`palisade dev: watching ${dirs.join(', ')}\n`);
  start();
  return new Promise((done) => {
    const stop = (): void => {
      stopping = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      if (child === null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
