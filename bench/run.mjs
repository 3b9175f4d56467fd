#!/usr/bin/env node
/**
 * Palisade's side-by-side benchmark. For each round, each scenario, each framework in
 * turn (A, B, C, D, E, A, B, …): start the server on core 0, time it to its first 200,
 * set the scenario up, check one request gets a 2xx, warm up, drive it with wrk on core 1,
 * read its RSS, stop it. Medians over rounds; ratios to raw node:http and to Fastify.
 * Then the template and html micro-benchmarks, if present. Writes this Node version's
 * section of bench/results.md, keeping the other versions' sections.
 *
 *   node run.mjs [--rounds 3] [--duration 4] [--warmup 1] [--connections 50]
 *                [--only hello,json] [--frameworks palisade,node,...] [--no-extras] [--out results.md]
 *                [--node 26 | --node /path/to/node] [--dry-run]
 *
 * --node runs the whole benchmark (every server, the micro-benchmarks and autocannon) on
 * that Node: a major version is fetched from the npm registry (scripts/with-node.mjs), a
 * path is used as it is. PALISADE_BENCH_NODE does the same. --dry-run prints what would
 * run, on which Node, and where the results would go, then stops before starting anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, generatorVersion, pickGenerator } from './lib/load.mjs';
import { PRIORITY, canPin, liveChildren, pinned, rssMiB, startServer, watchCpu } from './lib/proc.mjs';
import { formatReport, mergeResults } from './lib/report.mjs';
import { fetchNode } from '../scripts/with-node.mjs';
import { SCENARIOS, preflight, scenario } from './http/scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

export const FRAMEWORKS = [
  { id: 'palisade', label: 'Palisade' },
  { id: 'node', label: 'node:http' },
  { id: 'fastify', label: 'Fastify' },
  { id: 'express', label: 'Express' },
  { id: 'hono', label: 'Hono' },
];

function parseArgs(argv) {
  const o = {
    rounds: 3, duration: 4, warmup: 1, connections: 50, only: null, frameworks: null, extras: true, out: join(here, 'results.md'),
    node: process.env.PALISADE_BENCH_NODE || null, dryRun: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--rounds') o.rounds = Number(val());
    else if (a === '--duration') o.duration = Number(val());
    else if (a === '--warmup') o.warmup = Number(val());
    else if (a === '--connections') o.connections = Number(val());
    else if (a === '--only') o.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--frameworks') o.frameworks = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--no-extras') o.extras = false;
    else if (a === '--out') o.out = val();
    else if (a === '--node') o.node = val();
    else if (a === '--dry-run') o.dryRun = true;
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!(o.rounds >= 1) || !(o.duration >= 1) || !(o.warmup >= 0) || !(o.connections >= 1)) throw new Error('bad numeric option');
  return o;
}

function machine() {
  const c = cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    kernel: release(),
    commit: git.status === 0 ? git.stdout.trim() : 'unknown',
  };
}

function versions() {
  const pkg = (p) => JSON.parse(readFileSync(p, 'utf8'));
  const deps = Object.keys(pkg(join(here, 'package.json')).dependencies);
  const out = { palisade: pkg(join(root, 'package.json')).version };
  for (const d of deps) {
    try {
      out[d] = pkg(join(here, 'node_modules', d, 'package.json')).version;
    } catch {
      out[d] = 'not installed';
    }
  }
  return out;
}

/** Runs the template and html micro-benchmarks that exist, pinned to core 0. */
function extras(pin) {
  const files = [];
  if (existsSync(join(here, 'templates', 'render.mjs'))) files.push(join('templates', 'render.mjs'));
  if (existsSync(join(here, 'html'))) {
    for (const f of readdirSync(join(here, 'html')).sort()) if (f.endsWith('.mjs')) files.push(join('html', f));
  }
  const out = [];
  for (const f of files) {
    console.log(`\n# ${f}`);
    const { cmd, args } = pinned(pin, 0, process.execPath, [join(here, f)]);
    const r = spawnSync(cmd, args, { cwd: here, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' }, timeout: 300_000 });
    const text = `${r.stdout ?? ''}${r.status === 0 ? '' : `\n(exit ${r.status ?? r.signal})\n${r.stderr ?? ''}`}`.trim();
    console.log(text);
    out.push({ file: `bench/${f}`, ok: r.status === 0, text });
  }
  return out;
}

/** The node binary `--node` names: a major version (fetched) or a path; null for this one. */
function chosenNode(spec) {
  if (spec === null) return null;
  const bin = /^\d+$/.test(spec) ? fetchNode(spec) : spec;
  if (!existsSync(bin)) throw new Error(`--node ${spec}: no such file`);
  return realpathSync(bin) === realpathSync(process.execPath) ? null : bin;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // On another Node, run this same script there: every process it starts then uses that
  // Node too (servers and autocannon are spawned with process.execPath).
  const other = chosenNode(opts.node);
  if (other !== null) {
    const r = spawnSync(other, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, PALISADE_BENCH_NODE: other } });
    process.exit(r.status ?? 1);
  }
  if (opts.dryRun) {
    const fw = opts.frameworks ? FRAMEWORKS.filter((f) => opts.frameworks.includes(f.id)) : FRAMEWORKS;
    console.log(`dry run: Node ${process.version} (${process.execPath})`);
    console.log(`frameworks: ${fw.map((f) => f.id).join(', ')}; scenarios: ${(opts.only ? opts.only.map(scenario) : SCENARIOS).map((s) => s.name).join(', ')}`);
    console.log(`${opts.rounds} rounds of ${opts.duration} s after ${opts.warmup} s warm-up, ${opts.connections} connections; micro-benchmarks: ${opts.extras ? 'yes' : 'no'}`);
    console.log(`load generator: ${generatorVersion(pickGenerator())}; dist/index.js: ${existsSync(join(root, 'dist', 'index.js')) ? 'present' : 'missing (run npm run build)'}`);
    console.log(`results: the Node ${process.versions.node.split('.')[0]} section of ${opts.out}`);
    return;
  }
  const distIndex = join(root, 'dist', 'index.js');
  if (!existsSync(distIndex)) throw new Error('dist/index.js is missing: run `npm run build` at the repository root first.');
  const frameworks = opts.frameworks ? FRAMEWORKS.filter((f) => opts.frameworks.includes(f.id)) : FRAMEWORKS;
  const scenarios = opts.only ? opts.only.map(scenario) : SCENARIOS;
  const cores = cpus().length;
  const pin = canPin(cores);
  const kind = pickGenerator();
  const tmpDir = join(here, '.tmp');
  mkdirSync(tmpDir, { recursive: true });
  const serverFile = (fw) => join(here, 'http', 'servers', `${fw.id}.mjs`);

  console.log(`load: ${generatorVersion(kind)}, ${opts.connections} connections, ${opts.duration}s runs after ${opts.warmup}s warm-up, ${opts.rounds} rounds`);
  console.log(pin ? 'pinning: server on core 0, load generator on core 1 (taskset)' : 'pinning: off (taskset missing or one core)');
  console.log(PRIORITY === null ? 'priority: unchanged' : `priority: servers and load generator at nice ${PRIORITY}`);

  // Which scenarios each server serves (it prints them once listening).
  const serves = {};
  for (const fw of frameworks) {
    const s = await startServer({ file: serverFile(fw), pin, core: 0 });
    serves[fw.id] = s.ready;
    await s.stop();
  }

  // results[scenario][fw] = { runs: [{round, rps, p50Ms, p99Ms, rssMiB, startupMs} | {round, discarded}], unavailable }
  const results = {};
  const startups = Object.fromEntries(frameworks.map((f) => [f.id, []]));
  for (const sc of scenarios) {
    results[sc.name] = {};
    for (const fw of frameworks) results[sc.name][fw.id] = { runs: [], unavailable: !serves[fw.id].routes.includes(sc.name) };
  }

  const started = Date.now();
  for (let round = 1; round <= opts.rounds; round++) {
    for (const sc of scenarios) {
      for (const fw of frameworks) {
        const cell = results[sc.name][fw.id];
        if (cell.unavailable) continue;
        const tag = `${fw.id}-${sc.name}`;
        let server;
        try {
          server = await startServer({ file: serverFile(fw), pin, core: 0 });
          startups[fw.id].push(server.startupMs);
          const req = await sc.request(server.base);
          const pre = await preflight(server.base, req, sc.check);
          if (!pre.ok) {
            cell.runs.push({ round, discarded: `pre-flight: ${pre.reason}: ${pre.excerpt.replace(/\s+/g, ' ').slice(0, 160)}` });
            console.log(`round ${round} ${sc.name.padEnd(8)} ${fw.label.padEnd(10)} DISCARDED: pre-flight ${pre.reason}: ${pre.excerpt.slice(0, 200)}`);
            continue;
          }
          const url = server.base + req.path;
          const common = { kind, url, req, connections: opts.connections, pin, core: 1, tmpDir, tag };
          if (opts.warmup > 0) await drive({ ...common, seconds: opts.warmup });
          const cpu = watchCpu(server.pid, pin ? 0 : null);
          const r = await drive({ ...common, seconds: opts.duration });
          const { cpuUsPerReq, foreign } = cpu(r.requests);
          const rss = rssMiB(server.pid);
          const sock = Object.entries(r.socketErrors).filter(([, n]) => n > 0);
          if (r.non2xx > 0) {
            cell.runs.push({ round, discarded: `${r.non2xx} non-2xx responses of ${r.requests}` });
          } else if (sock.length > 0) {
            cell.runs.push({ round, discarded: `socket errors: ${sock.map(([k, n]) => `${k} ${n}`).join(', ')}` });
          } else {
            cell.runs.push({ round, rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, rssMiB: rss, startupMs: server.startupMs, cpuUsPerReq, foreign });
          }
          const last = cell.runs[cell.runs.length - 1];
          console.log(
            `round ${round} ${sc.name.padEnd(8)} ${fw.label.padEnd(10)} ` +
              (last.discarded
                ? `DISCARDED: ${last.discarded}`
                : `${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ` +
                  `CPU ${cpuUsPerReq?.toFixed(1)} µs/req  RSS ${rss?.toFixed(1)} MiB  start ${server.startupMs.toFixed(0)} ms` +
                  (foreign === null ? '' : `  other load on core 0 ${(foreign * 100).toFixed(0)}%`)),
          );
        } catch (err) {
          cell.runs.push({ round, discarded: `error: ${String(err.message).split('\n')[0]}` });
          console.log(`round ${round} ${sc.name.padEnd(8)} ${fw.label.padEnd(10)} ERROR: ${err.message}`);
        } finally {
          await server?.stop();
        }
      }
    }
  }
  const httpSeconds = (Date.now() - started) / 1000;

  const extraOut = opts.extras ? extras(pin) : [];
  const report = formatReport({
    date: new Date().toISOString(),
    machine: machine(),
    versions: versions(),
    generator: generatorVersion(kind),
    pin,
    priority: PRIORITY,
    opts,
    frameworks,
    scenarios,
    results,
    startups,
    serves,
    extras: extraOut,
    httpSeconds,
  });
  writeFileSync(opts.out, mergeResults(existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '', report, process.version));
  writeFileSync(join(tmpDir, 'last-run.json'), JSON.stringify({ opts, results, startups, serves, machine: machine() }, null, 1));
  console.log(`\n${report}`);
  console.log(`wrote ${opts.out}`);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    process.exit(130);
  });
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exit(1);
});
