// Start-up loads what a first response needs, not every feature (issue 25): node's own
// modules for compression and assertions, and the packages only some features use, are
// loaded by the first use of their feature. Each import runs in a fresh process, which
// lists the modules it loaded before and after `import 'palisade'`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = pathToFileURL(resolve('src/index.ts')).href;

/** Node's built-in modules and the packages that importing the package loaded, beyond node:http's. */
function loadedByImport(after = ''): { builtins: string[]; packages: string[]; zlibLoaded: boolean } {
  // After node:http, which any server loads (and which on node 22 loads zlib and assert itself).
  const script = `
    await import('node:http');
    const before = new Set(process.moduleLoadList);
    const seen = new Set(Object.keys(globalThis.require?.cache ?? {}));
    const palisade = await import(${JSON.stringify(entry)});
    ${after}
    const builtins = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13));
    const { createRequire } = await import('node:module');
    const cache = createRequire(import.meta.url).cache;
    const packages = Object.keys(cache).filter((f) => !seen.has(f)).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean);
    const zlibLoaded = process.moduleLoadList.includes('NativeModule zlib');
    process.stdout.write(JSON.stringify({ builtins, packages: [...new Set(packages)], zlibLoaded }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { builtins: string[]; packages: string[]; zlibLoaded: boolean };
}

test('importing the package loads neither zlib nor assert, nor the packages of optional features', () => {
  const { builtins, packages } = loadedByImport();
  for (const m of ['zlib', 'assert']) assert.ok(!builtins.includes(m), `node:${m} is loaded at import`);
  for (const p of ['mime-db', 'mime-types', 'ioredis', 'ws', 'busboy']) assert.ok(!packages.includes(p), `${p} is loaded at import`);
});

test('the first compressed response loads zlib', () => {
  const { zlibLoaded } = loadedByImport(`
    const app = palisade.createApp({ env: 'test', compress: { responses: true } });
    app.get('/', () => 'x'.repeat(5000));
    const res = await app.test().get('/', { headers: { 'accept-encoding': 'gzip' } });
    if (res.headers['content-encoding'] !== 'gzip') throw new Error('not compressed: ' + JSON.stringify(res.headers));
  `);
  assert.ok(zlibLoaded);
});
