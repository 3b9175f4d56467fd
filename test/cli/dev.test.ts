import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shouldRestart } from '../../src/cli/dev.js';
import { exited, ROOT, startCli, waitForOutput } from './fixtures/spawn-cli.js';

const INDEX = pathToFileURL(join(ROOT, 'src/index.ts')).href;
const appSource = (greeting: string) =>
  `import { createApp } from ${JSON.stringify(INDEX)};\n` +
  `export const app = createApp();\n` +
  `app.get('/', () => ${JSON.stringify(greeting)} + ' from ' + process.pid + ' in ' + app.settings.env);\n`;

test('shouldRestart ignores dependencies, VCS and editor files', () => {
  for (const p of ['app.ts', 'templates/page.html', 'src/notes.ts', null]) assert.equal(shouldRestart(p), true, String(p));
  for (const p of ['node_modules/x/index.js', '.git/index', 'dist/app.js', 'app.ts~', '.app.ts.swp', '.#app.ts', '4913']) {
    assert.equal(shouldRestart(p), false, p);
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
