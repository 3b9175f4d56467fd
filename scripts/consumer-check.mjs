#!/usr/bin/env node
// The package as a user gets it: `npm pack`, then `npm install <tarball>` into a new, empty
// project, which must take seconds and build nothing; a consumer that imports every export
// path type-checks (strict, skipLibCheck off) together with the docs examples shipped in the
// package, then runs as ESM and through require(); `npx palisade --help` answers; a .ts app
// without tsx and a Redis store without ioredis get CONFIG_PACKAGE_MISSING.
//
//   node scripts/consumer-check.mjs [--node /path/to/node]... [--keep]
//
// --node runs the consumer and the command once more under that binary (repeatable).
// Installs use npm's cache first (--prefer-offline). Exits non-zero on the first failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const nodes = [process.execPath];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--node') nodes.push(resolve(args[++i] ?? fail('--node needs a path')));
  else if (args[i] !== '--keep') fail(`unknown option ${args[i]}`);
}

function fail(msg) {
  console.error(`consumer-check: FAILED: ${msg}`);
  process.exit(1);
}
function step(msg) {
  console.log(`consumer-check: ${msg}`);
}
/** Runs a command; returns its output, or fails with it. */
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 300_000, ...opts });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== (opts.expectStatus ?? 0)) fail(`${[cmd, ...argv].join(' ')} exited ${r.status ?? r.signal ?? r.error}:\n${out}`);
  return r;
}
const npm = (argv, cwd) => run('npm', [...argv, '--no-audit', '--no-fund', '--prefer-offline'], { cwd });

const tmp = mkdtempSync(join(tmpdir(), 'palisade-consumer-'));
try {
  // ---- Pack: runs `prepare` (the build), so dist/ is fresh ----
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], root).stdout.replace(/^[^[]*/s, ''))[0];
  const files = packed.files.map((f) => f.path);
  const tarball = join(tmp, packed.filename);
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/index.js', 'dist/testing/index.js', 'dist/eslint/index.js', 'docs/installing.md']) {
    if (!files.includes(f)) fail(`the tarball has no ${f}`);
  }
  const stray = files.filter((f) => f.startsWith('src/') || f.endsWith('.map') || f.startsWith('test/') || f.startsWith('examples/'));
  if (stray.length) fail(`the tarball ships ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ', …' : ''}`);
  step(`packed ${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(0)} KiB`);

  // ---- Install into an empty project ----
  const app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const t0 = process.hrtime.bigint();
  npm(['install', tarball], app);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const installed = readdirSync(join(app, 'node_modules')).flatMap((n) =>
    n.startsWith('@') ? readdirSync(join(app, 'node_modules', n)).map((s) => `${n}/${s}`) : n.startsWith('.') ? [] : [n],
  );
  for (const absent of ['better-sqlite3', 'tsx', 'ioredis', 'typescript']) {
    if (installed.includes(absent)) fail(`installing the tarball brought ${absent}`);
  }
  const native = findFiles(join(app, 'node_modules'), (f) => f.endsWith('binding.gyp') || f.endsWith('.node'));
  if (native.length) fail(`installing the tarball brought native code: ${native.join(', ')}`);
  step(`npm install <tarball> --prefer-offline: ${seconds.toFixed(1)} s, ${installed.length} packages, nothing compiled`);

  // ---- Type-check a consumer of every export path, and the shipped docs examples ----
  // The checking tools are installed after the timing, at this repository's versions, with
  // the schema libraries the validation examples use (an app brings its own; Palisade imports none).
  const schemaLibs = ['zod', 'valibot', '@valibot/to-json-schema'].map((n) => `${n}@${pkg.devDependencies[n]}`);
  npm(['install', '--save-dev', `typescript@${pkg.devDependencies.typescript}`, `@types/node@${pkg.devDependencies['@types/node']}`, ...schemaLibs], app);
  writeFileSync(join(app, 'consumer.ts'), consumerSource('esm'));
  writeFileSync(join(app, 'consumer.cts'), consumerSource('cjs'));
  writeFileSync(
    join(app, 'app.ts'),
    `import { createApp } from 'palisade';\n\nexport const app = createApp();\napp.get('/', (): string => 'hello', { name: 'index' });\n`,
  );
  const compilerOptions = {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    verbatimModuleSyntax: true,
    resolveJsonModule: true,
  };
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, outDir: 'out' }, include: ['consumer.ts', 'consumer.cts', 'app.ts'] }, null, 2),
  );
  writeFileSync(
    join(app, 'tsconfig.docs.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['node_modules/palisade/docs/examples/**/*.ts'], exclude: [] }, null, 2),
  );
  const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app });
  run(process.execPath, [tsc, '-p', 'tsconfig.docs.json'], { cwd: app });
  const examples = findFiles(join(app, 'node_modules', 'palisade', 'docs', 'examples'), (f) => f.endsWith('.ts')).length;
  step(`tsc (strict, skipLibCheck: false): a consumer of ${Object.keys(pkg.exports).length} export paths and ${examples} shipped docs examples type-check`);

  // ---- Run it: as ESM, through require(), and the command ----
  rmSync(join(app, 'node_modules', 'typescript'), { recursive: true }); // the command must not lean on it
  for (const node of nodes) {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    for (const file of ['out/consumer.js', 'out/consumer.cjs']) {
      const r = run(node, [file], { cwd: app });
      if (r.stdout.trim() !== 'consumer ok') fail(`${file} on ${version} printed:\n${r.stdout}${r.stderr}`);
    }
    const bin =
      node === process.execPath
        ? ['npx', ['--no-install', 'palisade', '--help']]
        : [node, [join('node_modules', 'palisade', 'dist', 'cli', 'index.js'), '--help']];
    const help = run(bin[0], bin[1], { cwd: app });
    if (!help.stdout.startsWith('Usage: palisade <command>')) fail(`palisade --help printed:\n${help.stdout}${help.stderr}`);
    const cli = [join('node_modules', 'palisade', 'dist', 'cli', 'index.js')];
    const routes = run(node, [...cli, 'routes', 'out/app.js'], { cwd: app, env: { ...process.env, PALISADE_ENV: 'test' } });
    if (!/\nGET +\/ +index /.test(routes.stdout)) fail(`palisade routes out/app.js printed:\n${routes.stdout}${routes.stderr}`);
    const ts = run(node, [...cli, 'routes', 'app.ts'], { cwd: app, env: { ...process.env, PALISADE_ENV: 'test' }, expectStatus: 1 });
    const lines = ts.stderr.trimEnd().split('\n');
    if (lines.length !== 1 || !lines[0].includes('npm install --save-dev tsx') || !lines[0].includes('[CONFIG_PACKAGE_MISSING]')) {
      fail(`palisade routes app.ts without tsx printed:\n${ts.stderr}`);
    }
    step(
      `${version}: import and require() of every export path, the Redis store's missing-package error, npx palisade --help, a .js app, a .ts app without tsx: ok`,
    );
  }
  step('passed');
} finally {
  if (keep) step(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}

function findFiles(dir, pred) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const s = statSync(p);
    return s.isDirectory() ? findFiles(p, pred) : pred(p) ? [p] : [];
  });
}

/** A consumer that imports every export path and uses each once; prints "consumer ok". */
function consumerSource(kind) {
  const imports =
    kind === 'esm'
      ? `import * as palisade from 'palisade';
import * as testing from 'palisade/testing';
import eslintPlugin from 'palisade/eslint';
import packageJson from 'palisade/package.json' with { type: 'json' };`
      : `// CommonJS: each line compiles to a plain require() call.
import palisade = require('palisade');
import testing = require('palisade/testing');
import eslint = require('palisade/eslint');
import packageJson = require('palisade/package.json');
const eslintPlugin = eslint.default;`;
  return `// Generated by scripts/consumer-check.mjs.
${imports}

const options: palisade.AppOptions = { env: 'test', logger: false };
const app = palisade.createApp(options);
app.get('/hello/:name', (req: palisade.Request) => palisade.html\`<p>Hello, \${req.params.name}!</p>\`);

async function main(): Promise<void> {
  const client: testing.TestClient = app.test();
  const res = await client.get('/hello/<b>');
  if (res.text !== '<p>Hello, &lt;b&gt;!</p>') throw new Error(\`unexpected body: \${res.text}\`);
  if (!(palisade.Markup.unsafeTrust('<i>x</i>') instanceof palisade.Markup)) throw new Error('Markup');
  if (typeof eslintPlugin.rules['no-unsafe-trust'].create !== 'function') throw new Error('eslint plugin');
  if (packageJson.name !== 'palisade') throw new Error('package.json');
  let code = '';
  try {
    palisade.createApp({ ...options, session: { store: { redis: 'redis://127.0.0.1:1' } } });
  } catch (err) {
    if (err instanceof palisade.ConfigError) code = err.code;
  }
  if (code !== 'CONFIG_PACKAGE_MISSING') throw new Error(\`a Redis store without ioredis gave \${code || 'no error'}\`);
  console.log('consumer ok');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
`;
}
