#!/usr/bin/env node
// Runs a command under another major version of Node.js.
//
//   node scripts/with-node.mjs 26 -- node scripts/run-tests.mjs test
//   node scripts/with-node.mjs 26          # prints the path of that node binary
//
// The binary comes from the npm registry: the package node-<platform>-<arch> is the official
// build (bin/node, and the headers in include/ that native addons compile against). It is
// unpacked into .tmp/node/<major>/ and kept; delete that folder to get the line's newest.
//
// Before the command, better-sqlite3 (the demo's database, a native addon built for one
// Node ABI) gets a build for this Node's ABI, compiled once against those headers and kept in
// node_modules/better-sqlite3/lib/binding/node-v<ABI>-<platform>-<arch>/, where its loader
// (the `bindings` package) looks for the running Node's. The build npm made at install time,
// in build/Release/, is moved to its own ABI's folder there too, because the loader tries
// build/Release first and stops at a build for another ABI. Every version's build then sits
// side by side, and each Node loads its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cache = join(root, '.tmp', 'node');

function log(msg) {
  process.stderr.write(`with-node: ${msg}\n`);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
}

/** The path of Node `major`'s binary, fetched from the npm registry on first use. */
export function fetchNode(major) {
  if (!/^\d+$/.test(String(major))) throw new Error(`a Node major version is a number, like 26; got ${major}`);
  const dir = join(cache, String(major));
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin) && execFileSync(bin, ['--version'], { encoding: 'utf8' }).startsWith(`v${major}.`)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spec = `node-${process.platform}-${process.arch}@${major}`;
  log(`fetching ${spec} from the npm registry`);
  const [packed] = JSON.parse(sh('npm', ['pack', spec, '--json', '--pack-destination', dir], { cwd: dir }));
  const tarball = join(dir, packed.filename);
  sh('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  rmSync(tarball);
  log(`Node ${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()} in ${dir}`);
  return bin;
}

/** Makes sure better-sqlite3 in node_modules has a build that `bin` can load. */
export function addonFor(bin) {
  const pkgDir = join(root, 'node_modules', 'better-sqlite3');
  if (!existsSync(pkgDir)) return; // not installed (a production install): nothing to build
  const nodeDir = dirname(dirname(bin));
  const abi = execFileSync(bin, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  const binding = (a) => join(pkgDir, 'lib', 'binding', `node-v${a}-${process.platform}-${process.arch}`, 'better_sqlite3.node');

  // The install-time build, for the Node that ran `npm install`: to its ABI's folder.
  const release = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(release)) {
    if (!realpathSync(pkgDir).startsWith(realpathSync(root) + sep)) {
      throw new Error(`node_modules/better-sqlite3 is shared with other checkouts (${realpathSync(pkgDir)}); run this in a checkout with its own node_modules`);
    }
    const installAbi = abiOf(release);
    mkdirSync(dirname(binding(installAbi)), { recursive: true });
    renameSync(release, binding(installAbi));
    log(`better-sqlite3: the install-time build moved to lib/binding/node-v${installAbi}-…`);
  }
  if (existsSync(binding(abi))) return;

  // Compile it in a scratch project, with this Node first on PATH and its headers.
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const scratch = join(nodeDir, 'addon');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  sh('npm', ['init', '-y'], { cwd: scratch });
  log(`better-sqlite3@${version}: compiling for ABI ${abi} (prebuilt binaries are tried first)`);
  const started = Date.now();
  // Unoptimized (-O0 comes after the package's -O3 on the compiler's command line): this
  // build only runs the tests on this Node, and SQLite's 9 MB of C then takes a tenth of
  // the CPU time, seconds rather than minutes.
  sh('npm', ['install', `better-sqlite3@${version}`, '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'], {
    cwd: scratch,
    env: { ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH}`, npm_config_nodedir: nodeDir, CFLAGS: '-O0', CXXFLAGS: '-O0' },
  });
  const built = join(scratch, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(dirname(binding(abi)), { recursive: true });
  copyFileSync(built, binding(abi));
  rmSync(scratch, { recursive: true, force: true });
  log(`better-sqlite3: built for ABI ${abi} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** The ABI (NODE_MODULE_VERSION) an addon was built for: this Node's if it loads here, else the one its error names. */
function abiOf(addon) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
  if (r.status === 0) return process.versions.modules;
  const m = /NODE_MODULE_VERSION (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`cannot tell which Node ${addon} was built for:\n${r.stderr}`);
  return m[1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    log(err.message);
    process.exit(1);
  }
}

function main(argv) {
  const [major, dashes, ...command] = argv;
  if (major === undefined || (dashes !== undefined && dashes !== '--') || (dashes === '--' && command.length === 0)) {
    process.stderr.write('usage: node scripts/with-node.mjs <major> [-- command args…]\n');
    process.exit(2);
  }
  const bin = fetchNode(major);
  if (dashes === undefined) {
    process.stdout.write(`${bin}\n`);
    return;
  }
  addonFor(bin);
  log(`running under ${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()}: ${command.join(' ')}`);
  const r = spawnSync(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH}` },
  });
  process.exit(r.status ?? 1);
}
