// Compiles src/ to dist/ (JavaScript and declarations, no source maps: src/ is not in the
// package, so maps would point stack traces at files a user does not have). dist/ is
// removed first, so a file deleted from src/ is not shipped from an earlier build.
// Run by `npm run build` and by npm's `prepare` (npm install in the repository, npm pack,
// and installing Palisade from git).
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
let tsc;
try {
  tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
} catch (err) {
  // `npm ci --omit=dev` in a checkout runs `prepare` without the compiler: nothing to build
  // with, and nothing there needs dist/. Packing or publishing without it is an error.
  if (process.env.npm_lifecycle_event === 'prepare' && ['install', 'ci'].includes(process.env.npm_command ?? '')) {
    console.warn('palisade: dist/ not built: typescript is not installed (no dev dependencies); `npm run build` builds it.');
    process.exit(0);
  }
  throw err;
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
