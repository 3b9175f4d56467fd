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
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
