#!/usr/bin/env node
/**
 * CPU profile of one framework's server under wrk load, summarised by self time.
 *
 *   node profile.mjs [--framework palisade] [--scenario hello] [--duration 8] [--top 30]
 *
 * Starts the server with `node --cpu-prof`, drives the scenario with the same load as
 * run.mjs, stops the server with SIGTERM (the profile is written on exit), then prints the
 * functions with the most self time, the same grouped by file, and the profile's path.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive, pickGenerator } from './lib/load.mjs';
import { canPin, startServer } from './lib/proc.mjs';
import { preflight, scenario } from './http/scenarios.mjs';
import { STAGES, stageTimes } from './lib/stages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

const o = { framework: 'palisade', scenario: 'hello', duration: 8, top: 30, connections: 50 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in o)) throw new Error(`unknown option ${argv[i]}`);
  o[k] = typeof o[k] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
}

/** Self time per call frame, from a .cpuprofile (samples × time deltas). */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map();
  const files = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const file = cf.url ? shortUrl(cf.url) : `(${cf.functionName || 'native'})`;
    const key = `${cf.functionName || '(anonymous)'}  ${file}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    files.set(file, (files.get(file) ?? 0) + us);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / total }));
  return { totalMs: total / 1000, functions: sort(fns), files: sort(files) };
}

/** A coarse kind for a profile entry, to compare frameworks at a glance. */
function category(name) {
  if (/ dist\//.test(name)) return 'Palisade (dist/)';
  if (/ bench\/http\//.test(name)) return 'benchmark server code';
  if (/ node_modules\//.test(name)) return 'dependencies (node_modules)';
  if (/async_hooks|promiseInitHook|promiseBeforeHook|promiseAfterHook|promiseResolveHook|emitInitNative|executionAsyncResource|AsyncLocalStorage|_propagate/.test(name)) return 'async_hooks / AsyncLocalStorage';
  if (/^\(garbage collector\)/.test(name)) return 'garbage collector';
  if (/^(writev|writeUtf8String|writeBuffer|writeLatin1String)\b/.test(name)) return 'socket writes (native)';
  if (/node:internal\/modules|node:internal\/bootstrap|compileSourceTextModule|wrapSafe|readPackage|parseSource|openFileHandle|compileFunction/.test(name)) return 'module loading (start-up)';
  if (/node:_http|node:internal\/http|checkInvalidHeaderChar|RegExp: /.test(name)) return 'node:http';
  if (/node:net|node:internal\/stream|node:events|node:internal\/streams|node:stream/.test(name)) return 'node streams, net, events';
  if (/task_queues|runMicrotasks|node:internal\/timers|getLibuvNow/.test(name)) return 'ticks, microtasks, timers';
  return 'other (program, natives)';
}

function shortUrl(url) {
  const p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!p.startsWith('/')) return p;
  const rel = relative(root, p);
  return rel.startsWith('..') ? p : rel;
}

async function main() {
  const sc = scenario(o.scenario);
  const dir = join(here, '.tmp', 'prof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pin = canPin(cpus().length);
  const kind = pickGenerator();
  let requests = 0;
  const server = await startServer({
    file: join(here, 'http', 'servers', `${o.framework}.mjs`),
    pin,
    core: 0,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  try {
    const req = await sc.request(server.base);
    const pre = await preflight(server.base, req, sc.check);
    if (!pre.ok) throw new Error(`pre-flight answered ${pre.status}: ${pre.excerpt}`);
    const load = { kind, url: server.base + req.path, req, connections: o.connections, pin, core: 1, tmpDir: join(here, '.tmp'), tag: `prof-${o.framework}-${sc.name}` };
    // A warm-up first, so that the measured window holds optimised code only.
    await drive({ ...load, seconds: 2 });
    const r = await drive({ ...load, seconds: o.duration });
    console.log(`${o.framework} ${sc.title}: ${Math.round(r.rps)} req/s under the profiler, non-2xx ${r.non2xx}`);
    requests = r.requests;
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written (did the server exit cleanly on SIGTERM?)');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const s = selfTimes(profile);
  console.log(`profile: ${join(dir, file)} (${s.totalMs.toFixed(0)} ms sampled)\n`);
  console.log(`top ${o.top} functions by self time:`);
  for (const f of s.functions.slice(0, o.top)) console.log(`${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  console.log('\nself time by file:');
  for (const f of s.files.slice(0, 20)) console.log(`${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  const busy = s.functions.filter((f) => !f.name.startsWith('(idle)'));
  const busyMs = busy.reduce((a, f) => a + f.ms, 0);
  const groups = new Map();
  for (const f of busy) {
    const g = category(f.name);
    groups.set(g, (groups.get(g) ?? 0) + f.ms);
  }
  console.log(`\nbusy time (${busyMs.toFixed(0)} ms, idle left out) by kind:`);
  for (const [g, t] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${((100 * t) / busyMs).toFixed(1).padStart(5)}%  ${t.toFixed(0).padStart(6)} ms  ${g}`);
  printStages(profile, requests);
  console.log('\ntop functions in dist/ (Palisade), share of busy time:');
  for (const f of busy.filter((x) => x.name.includes(' dist/')).slice(0, o.top)) {
    console.log(`${((100 * f.ms) / busyMs).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  }
}

/** CPU µs per request by stage (lib/stages.mjs); the profiler's own cost is in every figure. */
function printStages(profile, requests) {
  const times = stageTimes(profile, { lastSeconds: o.duration });
  times.delete('idle');
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU µs per request by stage (the last ${o.duration} s of the profile, ${requests} requests; the profiler's own cost is in every figure):`);
  const order = [...STAGES.map(([n]) => n), 'other Palisade code'];
  for (const name of [...order, ...[...times.keys()].filter((k) => !order.includes(k))]) {
    const us = times.get(name);
    if (us === undefined) continue;
    console.log(`${(us / requests).toFixed(2).padStart(8)} µs  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
  console.log(`${(total / requests).toFixed(2).padStart(8)} µs         all`);
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exit(1);
});
