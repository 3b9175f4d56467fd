import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { devCommand, shouldRestart } from '../../src/cli/dev.js';
import { CliError } from '../../src/cli/load-app.js';
import { exited, ROOT, startCli, waitForOutput } from './fixtures/spawn-cli.js';

const INDEX = pathToFileURL(join(ROOT, 'src/index.ts')).href;
const appSource = (greeting: string) =>
  `import { createApp } from ${JSON.stringify(INDEX)};\n` +
  `export const app = createApp();\n` +
  `app.get('/', () => ${JSON.stringify(greeting)} + ' from ' + process.pid + ' in ' + app.settings.env);\n`;

test('shouldRestart ignores dependencies, VCS and the temporary files editors write', () => {
  // Real files, including names that merely end like a temporary file's.
  for (const p of [
    'app.ts',
    'templates/page.html',
    'src/notes.ts',
    null,
    'templates/page4913.html',
    'page4913',
    'static/movie.swf',
    'notes~draft.html',
    'templates/#include.html',
    'src/tmp.ts',
    '.env',
  ]) {
    assert.equal(shouldRestart(p), true, String(p));
  }
  const ignored = [
    'node_modules/x/index.js',
    '.git/index',
    'dist/app.js',
    'sub/node_modules/y.js',
    '.idea/workspace.xml',
    '.vscode/settings.json',
    'app.ts~',
    '.app.ts.swp',
    '.app.ts.swo',
    '.app.ts.swn',
    '.app.ts.swa',
    '.app.ts.swx',
    'templates/.page.html.swp',
    'app.ts.swp', // vim
    '4913',
    'templates/4913', // vim's test write
    '.#app.ts',
    '#app.ts#',
    'templates/#page.html#', // Emacs lock and auto-save
    'app.ts___jb_tmp___',
    'app.ts___jb_old___', // JetBrains safe write
    'app.ts.kate-swp',
    '.goutputstream-XK4Z1Y',
    'app.ts.tmp',
    'page.html.crswap',
    '.DS_Store',
    '._app.ts',
  ];
  for (const p of ignored) assert.equal(shouldRestart(p), false, p);
});

test('palisade dev reads --host and --port as palisade run does: a bad port stops it before any child starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-dev-'));
  try {
    writeFileSync(join(dir, 'app.ts'), appSource('one'));
    assert.throws(
      () => devCommand(['--port', 'http', join(dir, 'app.ts')], 'unused-cli.js'),
      (err: unknown) => err instanceof CliError && /--port must be a port number, not http/.test(err.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('palisade dev serves in development mode and restarts when a file changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-dev-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(dir, 'app.ts'), appSource('one'));
  const child = startCli(['dev', 'app.ts', '--port', '0'], {}, dir);
  let appPid = 0;
  try {
    const [, url1] = await waitForOutput(child, /serving .* on (http:\/\/127\.0\.0\.1:\d+) \(development mode/);
    const first = await (await fetch(url1!)).text();
    assert.match(first, /^one from \d+ in development$/);

    // An editor saving app.ts writes these first (vim, Emacs, JetBrains): none restarts the app.
    let later = '';
    const listen = (d: Buffer) => (later += d);
    child.stdout!.on('data', listen);
    child.stderr!.on('data', listen);
    for (const f of ['4913', '.app.ts.swp', 'app.ts~', '#app.ts#', '.#app.ts', 'app.ts___jb_tmp___']) writeFileSync(join(dir, f), 'x');
    await new Promise((r) => setTimeout(r, 600));
    child.stdout!.off('data', listen);
    child.stderr!.off('data', listen);
    assert.doesNotMatch(later, /restarting/, later);

    writeFileSync(join(dir, 'app.ts'), appSource('two'));
    const [, url2] = await waitForOutput(child, /changed; restarting[^]*serving .* on (http:\/\/127\.0\.0\.1:\d+)/);
    const second = await (await fetch(url2!)).text();
    assert.match(second, /^two from \d+ in development$/);
    assert.notEqual(second.split(' ')[2], first.split(' ')[2], 'a new process serves the new code');
    appPid = Number(second.split(' ')[2]);
  } finally {
    child.kill('SIGTERM');
    await exited(child);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => process.kill(appPid, 0), { code: 'ESRCH' }, 'the app process stops with dev');
});
