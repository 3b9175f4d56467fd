// The dependency rule of docs/architecture.md, as `npm run lint` applies it: imports in src/
// run downward through the layers (type imports of the core's contract excepted, never in
// templates), and no run-time import cycle. Each refusal is shown beside the same import
// let through where it is allowed, so the rule is seen to tell them apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
// @ts-expect-error -- a JavaScript module of the lint setup, without type declarations
import { importsOf, runtimeCycles } from '../../scripts/lint/imports.mjs';

type Imp = { spec: string; line: number; column: number; typeOnly: boolean };
const read = importsOf as (text: string) => Imp[];

test('imports are read with their kind: type-only ones are the ones the compiler erases', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from './b.js';",
    "import { type C, type D } from './c.js';",
    "import { type E, f } from './e.js';",
    "export { g } from './g.js';",
    "export type { H } from './h.js';",
    "declare module '../app/route-collector.js' { interface RouteOptions { x?: number } }",
    "type T = import('./t.js').T;",
    "const m = await import('./m.js');",
    "import 'node:fs';",
  ].join('\n');
  assert.deepEqual(
    read(text).map((i) => `${i.spec} ${i.typeOnly ? 'type' : 'value'} ${i.line}`),
    [
      './a.js value 1',
      './b.js type 2',
      './c.js type 3',
      './e.js value 4',
      './g.js value 5',
      './h.js type 6',
      '../app/route-collector.js type 7',
      './t.js type 8',
      './m.js value 9',
    ],
  );
});

test('run-time cycles are found; a cycle closed only by a type import is none', () => {
  const files: Record<string, string> = {
    '/s/a.ts': "import { b } from './b.js';",
    '/s/b.ts': "import { c } from './c.js';",
    '/s/c.ts': "import { a } from './a.js';",
    '/s/d.ts': "import { e } from './e.js';",
    '/s/e.ts': "import type { D } from './d.js';",
  };
  const cycles = (runtimeCycles as (f: string[], r: (f: string) => string) => string[][])(Object.keys(files), (f) => files[f]!);
  assert.deepEqual(cycles, [['/s/a.ts', '/s/b.ts', '/s/c.ts']]);
});

const eslint = new ESLint({ cwd: resolve('.') });

/** The layer rule's messages for `code` as if it were the file `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: resolve(path) });
  return r!.messages.filter((m) => m.ruleId === 'palisade/layers').map((m) => m.message);
}

test('an import from a higher layer is refused; the same import from above it passes', async () => {
  const adapter = "import { AppBase } from '../app/app-base.js';\nexport const x = AppBase;\n";
  assert.deepEqual(await layerErrors('src/adapters/probe.ts', adapter), [], 'adapters import the core');
  const [up] = await layerErrors('src/http/probe.ts', adapter);
  assert.match(up ?? '', /http\/probe\.ts \(layer http\) imports app\/app-base\.ts \(layer app\), which is above it/);
  // The core importing an adapter, as app.ts once did.
  assert.equal((await layerErrors('src/app/probe.ts', "import { listenNode } from '../adapters/node.js';\nexport const l = listenNode;\n")).length, 1);
  assert.deepEqual(await layerErrors('src/create-app.ts', "import { listenNode } from './adapters/node.js';\nexport const l = listenNode;\n"), []);
});

test("a protection may import the core's contract as types, never as values; templates not even as types", async () => {
  const typeImport = "import type { Protection } from '../app/protection.js';\nexport type P = Protection;\n";
  assert.deepEqual(await layerErrors('src/security/probe.ts', typeImport), []);
  assert.equal(
    (await layerErrors('src/security/probe.ts', "import { buildProtections } from '../app/default-protections.js';\nexport const b = buildProtections;\n"))
      .length,
    1,
  );
  assert.equal(
    (await layerErrors('src/security/probe.ts', "import type { AppBase } from '../app/app-base.js';\nexport type A = AppBase;\n")).length,
    1,
    'app-base is not the contract',
  );
  const [tpl] = await layerErrors('src/templates/probe.ts', typeImport);
  assert.match(tpl ?? '', /The templates layer never imports from above, not even types/);
});

test('a folder of src/ in no layer is reported, so no new folder escapes the rule', async () => {
  const [msg] = await layerErrors('src/newfolder/probe.ts', 'export const x = 1;\n');
  assert.match(msg ?? '', /src\/newfolder is in no layer/);
});

test('the sources themselves follow the rule', async () => {
  const results = await eslint.lintFiles(['src/app/*.ts', 'src/http/*.ts', 'src/templates/render-env.ts', 'src/create-app.ts']);
  const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`));
  assert.deepEqual(problems, []);
});
