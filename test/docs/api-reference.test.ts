// The API reference (`npm run docs`, scripts/api-docs.mjs): generated from declarations
// emitted now, it has a section for every name the package root exports, with the
// declaration found behind re-exports, and the doc comments of members.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as palisade from '../../src/index.js';
// @ts-expect-error: a plain .mjs script, without declarations
import { collect, render } from '../../scripts/api-docs.mjs';

interface Entry { name: string; decls: { kind: string; doc: string; text: string }[] }

test('every exported name has a section with its declaration', () => {
  const out = mkdtempSync(join(tmpdir(), 'palisade-api-'));
  try {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const entries = collect(out) as Entry[];
    const names = entries.map((e) => e.name);
    // Every runtime export is in the reference (types have no runtime name to compare).
    assert.deepEqual(Object.keys(palisade).filter((n) => !names.includes(n)), []);
    assert.deepEqual(entries.filter((e) => e.decls.length === 0).map((e) => e.name), []);
    const page = render(entries) as string;
    // A class with its members' docs, a function's signature, a name re-exported twice.
    assert.match(page, /### Response\n\n```ts\nexport declare class Response/);
    assert.match(page, /- `static redirect\(url: string, opts\?: RedirectOptions\): Response`/);
    assert.match(page, /### hashPassword\n\n```ts\nexport declare function hashPassword\(/);
    assert.match(page, /### Templates\n\n```ts\nexport declare class Templates/); // through templates/index.ts
    assert.doesNotMatch(page, /### TestResponse/, 'the test client is exported from palisade/testing only');
    assert.equal(page.match(/^### /gm)!.length, entries.length);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
