#!/usr/bin/env node
/**
 * A/B: the same scenario against several server files, interleaved (A, B, A, B…), to see
 * whether a change to one of them helps. Prints req/s and server CPU µs per request of
 * every run. Use it while working on a hot path; `run.mjs` is the benchmark of record.
 *
 *   node ab.mjs <scenario> <seconds> <rounds> <server.mjs> [<server.mjs> …]
 *   NODE_ARGS="--max-semi-space-size=8" node ab.mjs form 4 3 http/servers/palisade.mjs
 *
 * A server file takes its port as its first argument and prints READY like those in
 * http/servers/ (copy one, point its import at another build, and compare).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { drive, pickGenerator } from './lib/load.mjs';
import { canPin, startServer, watchCpu } from './lib/proc.mjs';
import { preflight, scenario } from './http/scenarios.mjs';

const [name, seconds, rounds, ...files] = process.argv.slice(2);
if (files.length === 0 || !(Number(seconds) > 0) || !(Number(rounds) > 0)) {
  console.error('usage: node ab.mjs <scenario> <seconds> <rounds> <server.mjs> [<server.mjs> …]');
  process.exit(2);
}
const sc = scenario(name);
const kind = pickGenerator();
const pin = canPin(cpus().length);
const nodeArgs = (process.env.NODE_ARGS ?? '').split(' ').filter(Boolean);
const tmpDir = mkdtempSync(join(tmpdir(), 'palisade-ab-'));
const runs = new Map(files.map((f) => [f, []]));

try {
  for (let r = 0; r < Number(rounds); r++) {
    for (const f of files) {
      const server = await startServer({ file: resolve(f), pin, core: 0, nodeArgs });
      try {
        const req = await sc.request(server.base);
        const pre = await preflight(server.base, req, sc.check);
        if (!pre.ok) throw new Error(`${f}: pre-flight failed (${pre.reason}): ${pre.excerpt.slice(0, 200)}`);
        const common = { kind, url: server.base + req.path, req, connections: 50, pin, core: 1, tmpDir, tag: 'ab' };
        await drive({ ...common, seconds: 1 });
        const cpu = watchCpu(server.pid, pin ? 0 : null);
        const out = await drive({ ...common, seconds: Number(seconds) });
        const { cpuUsPerReq } = cpu(out.requests);
        runs.get(f).push(out.non2xx > 0 ? `${out.non2xx} non-2xx` : `${Math.round(out.rps)} req/s ${cpuUsPerReq?.toFixed(1)} µs`);
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}
for (const [f, list] of runs) console.log(`${f}: ${list.join(' | ')}`);
