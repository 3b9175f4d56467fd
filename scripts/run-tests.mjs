// Runs every *.test.ts under the given folder with node's test runner (Node 20 has no
// glob support in `node --test`, so the file list is built here).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// node scripts/run-tests.mjs [folder] [substring] [--except substring]...
const args = process.argv.slice(2);
const except = [];
for (let i = args.indexOf('--except'); i !== -1; i = args.indexOf('--except')) except.push(...args.splice(i, 2).slice(1));
const root = args[0] ?? 'test';
const filter = args[1];
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
let files = walk(root);
if (filter) files = files.filter((f) => f.includes(filter));
files = files.filter((f) => !except.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files under ${root}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? (root === 'e2e' ? '1' : '2');
// A browser file drives Chromium through many pages; on a loaded 2-core machine one file
// can pass two minutes without anything being stuck, so the browser suite gets longer.
const timeout = process.env.TEST_TIMEOUT ?? (root === 'e2e' ? '600000' : '120000');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...files], {
  stdio: 'inherit',
  env: { ...process.env, PALISADE_ENV: process.env.PALISADE_ENV ?? 'test' },
});
process.exit(r.status ?? 1);
