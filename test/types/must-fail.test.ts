// Type checks that must FAIL: tsc runs on test/types/must-fail/ (left out of `npm run
// typecheck`), and every line marked `// error: <text>` must have an error containing that
// text, with no error anywhere else. A line that compiles although it should not (the
// RouteOptions index signature let `{ crsf: false }` through) fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const DIR = 'test/types/must-fail';
// typescript's exports map hides bin/tsc; it sits beside the package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

test('each marked line fails to compile with its error, and nothing else fails', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', join(DIR, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  const errors = new Map<string, string[]>();
  for (const m of r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/gm)) {
    const key = `${m[1]!.replace(/\\/g, '/')}:${m[2]}`;
    errors.set(key, [...(errors.get(key) ?? []), m[3]!]);
  }
  // Only errors in the files: a broken config (no inputs, a bad option) fails here.
  const stray = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l) && !/^.+?\(\d+,\d+\): error TS/.test(l));
  assert.deepEqual(stray, [], r.stderr);
  let expected = 0;
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    readFileSync(join(DIR, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const key = `${DIR}/${file}:${i + 1}`;
        const want = /^(?!\s*\/\/).*\/\/ error: (.+)$/.exec(line)?.[1]; // code, then the marker
        const got = errors.get(key) ?? [];
        errors.delete(key);
        if (want === undefined) return;
        expected++;
        assert.ok(
          got.some((e) => e.includes(want)),
          `${key} should fail with "${want}"; tsc said: ${got.join(' | ') || 'nothing (it compiles)'}`,
        );
      });
  }
  assert.ok(expected >= 5);
  assert.deepEqual([...errors], [], 'unexpected errors');
});
