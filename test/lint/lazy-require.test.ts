// One way to load a package from ESM: src/util/lazy-require.ts. `npm run lint` refuses
// createRequire anywhere else in src/ (route-table.ts, then router.ts, once made its own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: resolve('.') });

async function restricted(path: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: resolve(path) });
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('createRequire is refused outside util/lazy-require.ts, which the rule lets use it', async () => {
  const code = "import { createRequire } from 'node:module';\nexport const r = createRequire(import.meta.url);\n";
  const [msg] = await restricted('src/app/probe.ts', code);
  assert.match(msg ?? '', /lazyRequire from src\/util\/lazy-require\.ts/);
  assert.deepEqual(await restricted('src/util/lazy-require.ts', code), []);
});

test('no source of src/ makes its own require', async () => {
  const results = await eslint.lintFiles(['src/**/*.ts']);
  const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line}`));
  assert.deepEqual(problems, []);
});
