// The package as an app installs it. package.json must list as dependencies exactly the
// packages src/ uses, and only as optional peers the ones a feature loads on demand; then
// dist/, built from src/, is installed into a temporary node_modules beside its
// dependencies alone (links to this checkout's), so tsx, ioredis and better-sqlite3 are
// really absent, and it is used the ways docs/installing.md says it can be.
// scripts/consumer-check.mjs does the same from `npm pack` with a real `npm install`, in CI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports: Record<string, unknown>;
};
const optionalPeers = Object.keys(pkg.peerDependencies ?? {}).filter((p) => pkg.peerDependenciesMeta?.[p]?.optional === true);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

type Use = 'type' | 'at-load' | 'on-demand';
/** Every package that src/ names, and how each file uses it. */
function packageUses(): Map<string, Set<Use>> {
  const uses = new Map<string, Set<Use>>();
  const add = (spec: string, use: Use) => {
    if (spec.startsWith('.') || spec.startsWith('node:')) return;
    const name = packageName(spec);
    if (!uses.has(name)) uses.set(name, new Set());
    uses.get(name)!.add(use);
  };
  for (const file of sourceFiles('src')) {
    // Comments hold examples (`import … from 'palisade'`); they are not uses.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(/^\s*(import|export)\s+(type\s)?[^;]*?from\s+'([^']+)'/gm)) add(m[3]!, m[2] ? 'type' : 'at-load');
    for (const m of code.matchAll(/^\s*import\s+'([^']+)'/gm)) add(m[1]!, 'at-load');
    for (const m of code.matchAll(/typeof\s+import\(\s*'([^']+)'\s*\)/g)) add(m[1]!, 'type');
    for (const m of code.matchAll(/createRequire\([^)]*\)\(\s*'([^']+)'/g)) add(m[1]!, 'at-load');
    for (const m of code.matchAll(/\b(?:lazyRequire|importOptional)(?:<(?:[^<>]|<[^<>]*>)*>)?\(\s*'([^']+)'/g)) add(m[1]!, 'on-demand');
    for (const m of code.matchAll(/(?<!typeof\s+)\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1]!, 'on-demand');
  }
  return uses;
}

test('dependencies are the packages src/ uses; a package a feature loads on demand may be an optional peer instead', () => {
  const uses = packageUses();
  const deps = Object.keys(pkg.dependencies);
  const unused = deps.filter((d) => !uses.has(d));
  assert.deepEqual(unused, [], `dependencies that src/ never uses (a consumer installs them for nothing): ${unused.join(', ')}`);
  const undeclared = [...uses.keys()].filter((u) => !deps.includes(u) && !optionalPeers.includes(u));
  assert.deepEqual(undeclared, [], `packages src/ uses that are neither dependencies nor optional peers: ${undeclared.join(', ')}`);
  for (const peer of optionalPeers) {
    assert.ok(uses.get(peer)?.has('on-demand'), `${peer} is an optional peer, but src/ never loads it on demand`);
    assert.ok(!uses.get(peer)!.has('at-load'), `${peer} is an optional peer, but src/ loads it at import time (the import fails without it)`);
    assert.ok(pkg.devDependencies[peer], `${peer} is an optional peer: devDependencies must have it, so the tests use it`);
  }
  // The demo's database and the TypeScript loader in particular: a consumer compiles no C++.
  for (const devOnly of ['better-sqlite3', '@types/better-sqlite3', 'tsx']) assert.ok(!(devOnly in pkg.dependencies), `${devOnly} is a dependency`);
});

test('every export path has types and a target for import and for require', () => {
  for (const [path, target] of Object.entries(pkg.exports)) {
    if (path === './package.json') continue;
    const t = target as Record<string, string>;
    assert.deepEqual(Object.keys(t), ['types', 'default'], `${path}: conditions`);
    assert.match(t.types!, /^\.\/dist\/.*\.d\.ts$/);
    assert.equal(t.default, t.types!.replace(/\.d\.ts$/, '.js'));
  }
});

// ---- The built package in a node_modules of its own -------------------------------------

let project = '';
const node = (args: string[], opts: { env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PALISADE_ENV: 'test', ...opts.env },
  });

before(() => {
  project = mkdtempSync(join(tmpdir(), 'palisade-installed-'));
  const dir = join(project, 'node_modules', 'palisade');
  mkdirSync(dir, { recursive: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stdout + built.stderr);
  copyFileSync('package.json', join(dir, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module' }));
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The declarations a consumer's compiler reads: those the export paths lead to. */
function publishedDeclarations(): Set<string> {
  const dist = join(project, 'node_modules', 'palisade', 'dist');
  const reached = new Set<string>();
  const queue = Object.values(pkg.exports).flatMap((t) => (typeof t === 'object' && t !== null ? [join(dist, '..', (t as { types: string }).types)] : []));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.[^']+)\.js'/gm)) queue.push(join(dirname(file), `${m[1]}.d.ts`));
  }
  return reached;
}

test('the published declarations name no optional peer', () => {
  const declarations = [...publishedDeclarations()];
  assert.ok(declarations.length > 20);
  for (const file of declarations) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const peer of optionalPeers) {
      assert.ok(!new RegExp(`(from |import\\()'${peer}[/']`).test(text), `${file} refers to ${peer}: a consumer without it cannot type-check`);
    }
  }
});

test('every module that adds to a public interface (declaration merging) is in the published types', () => {
  // An augmentation in a file that no export path leads to is lost (req.files() was, for consumers).
  const dist = join(project, 'node_modules', 'palisade', 'dist');
  const reached = publishedDeclarations();
  const augmenting = sourceFiles(dist).filter((f) => f.endsWith('.d.ts') && /^declare module /m.test(readFileSync(f, 'utf8')));
  assert.ok(augmenting.length >= 5, `${augmenting.length}`);
  const lost = augmenting.filter((f) => !reached.has(f)).map((f) => f.slice(dist.length + 1).replace(/\.d\.ts$/, '.js'));
  assert.deepEqual(lost, [], `declarations no export path reaches; add \`export {} from './…'\` for each to src/index.ts`);
});

test('require() and import of every export path', () => {
  const paths = Object.keys(pkg.exports).map((p) => `palisade${p.slice(1)}`);
  writeFileSync(
    join(project, 'uses.cjs'),
    `const out = {};\nfor (const p of ${JSON.stringify(paths)}) out[p] = Object.keys(require(p)).length;\nconsole.log(JSON.stringify(out));\n`,
  );
  writeFileSync(
    join(project, 'uses.mjs'),
    `const out = {};\nfor (const p of ${JSON.stringify(paths)}) out[p] = Object.keys(await import(p, p.endsWith('.json') ? { with: { type: 'json' } } : undefined)).length;\nconsole.log(JSON.stringify(out));\n`,
  );
  const viaImport = node(['uses.mjs']);
  assert.equal(viaImport.status, 0, viaImport.stderr);
  const viaRequire = node(['uses.cjs']);
  assert.equal(viaRequire.status, 0, viaRequire.stderr);
  const counts = JSON.parse(viaRequire.stdout) as Record<string, number>;
  assert.ok(counts.palisade! > 40, viaRequire.stdout);
  assert.equal(counts['palisade/testing'], JSON.parse(viaImport.stdout)['palisade/testing']);
  // require(esm) of a package with no top-level await gives the namespace itself.
  const same = node([
    '--input-type=module',
    '-e',
    `import { createRequire } from 'node:module'; import * as ns from 'palisade'; console.log(createRequire(import.meta.url)('palisade').createApp === ns.createApp);`,
  ]);
  assert.equal(same.stdout.trim(), 'true', same.stderr);
});

test('a Redis store without ioredis installed: CONFIG_PACKAGE_MISSING, naming the package and the command', () => {
  const r = node([
    '--input-type=module',
    '-e',
    `import { createApp } from 'palisade';
     try { createApp({ session: { store: { redis: 'redis://127.0.0.1:1' } } }); console.log('created'); }
     catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }
     process.exit(0);`,
  ]);
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout) as { name: string; code: string; message: string };
  assert.equal(e.name, 'ConfigError');
  assert.equal(e.code, 'CONFIG_PACKAGE_MISSING');
  assert.match(e.message, /Redis store .*needs the package "ioredis", which is not installed\. Install it: npm install ioredis/);
  // The app itself needs no optional package.
  const plain = node(['--input-type=module', '-e', `import { createApp } from 'palisade'; console.log((await createApp().test().get('/nope')).status);`]);
  assert.equal(plain.stdout.trim(), '404', plain.stderr);
});

test('the palisade command: a .js app needs nothing more; a .ts app without tsx gets one line naming the fix', () => {
  const cli = join('node_modules', 'palisade', 'dist', 'cli', 'index.js');
  writeFileSync(
    join(project, 'app.js'),
    `import { createApp } from 'palisade';\nexport const app = createApp();\napp.get('/', () => 'hi', { name: 'index' });\n`,
  );
  writeFileSync(
    join(project, 'app.ts'),
    `import { createApp } from 'palisade';\nexport const app = createApp();\napp.get('/', (): string => 'hi', { name: 'index' });\n`,
  );
  const help = node([cli, '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: palisade <command>/);
  const js = node([cli, 'routes', 'app.js']);
  assert.equal(js.status, 0, js.stderr);
  assert.match(js.stdout, /\nGET +\/ +index /);
  const ts = node([cli, 'routes', 'app.ts']);
  assert.equal(ts.status, 1, ts.stdout + ts.stderr);
  assert.equal(ts.stdout, '');
  const lines = ts.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, ts.stderr);
  assert.match(
    lines[0]!,
    /^palisade: Running a TypeScript app \(.*app\.ts\) needs the package "tsx", which is not installed\. Install it: npm install --save-dev tsx, or compile the app and give the \.js file \[CONFIG_PACKAGE_MISSING\]/,
  );
});
