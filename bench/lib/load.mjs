/**
 * Load generators. Debian's wrk is preferred: one thread on its own core, a generated Lua
 * script that sets the method, headers and body (read from a file, so multipart bytes
 * pass untouched) and prints the figures as one JSON line when done. autocannon is the
 * fallback where wrk is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pinned, track } from './proc.mjs';

/** 'wrk' when /usr/bin/wrk (or wrk on PATH) runs, else 'autocannon'. */
export function pickGenerator() {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return r.error ? 'autocannon' : 'wrk';
}

/** The version line of the generator, for the results file. */
export function generatorVersion(kind) {
  if (kind === 'wrk') {
    const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
    return /wrk\s+\S+/.exec(`${r.stdout}${r.stderr}`)?.[0] ?? 'wrk';
  }
  const require = createRequire(import.meta.url);
  return `autocannon ${require('autocannon/package.json').version}`;
}

const luaString = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;

/** Writes the wrk Lua script for one request shape; the body goes to a file beside it. */
function writeWrkScript(dir, tag, req) {
  const lines = [`wrk.method = ${luaString(req.method)}`];
  for (const [k, v] of Object.entries(req.headers ?? {})) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  if (req.body !== undefined) {
    const bodyFile = join(dir, `${tag}.body`);
    writeFileSync(bodyFile, req.body);
    lines.push(`local f = assert(io.open(${luaString(bodyFile)}, "rb"))`, 'wrk.body = f:read("*a")', 'f:close()');
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\\n\',',
    '    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,',
    '    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))',
    'end',
  );
  const file = join(dir, `${tag}.lua`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

/**
 * Drives `url` for `seconds` with `connections` connections and returns
 * { rps, p50Ms, p99Ms, requests, non2xx, socketErrors, raw }.
 * `non2xx` counts responses wrk/autocannon flag as errors (status ≥ 400 for wrk, any
 * non-2xx for autocannon).
 */
export async function drive({ kind, url, req, seconds, connections, pin, core, tmpDir, tag }) {
  if (kind === 'wrk') {
    const script = writeWrkScript(tmpDir, tag, req);
    const { cmd, args } = pinned(pin, core, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, url]);
    const r = await run(cmd, args);
    const m = /^BENCH (.*)$/m.exec(r.out);
    if (r.code !== 0 || !m) throw new Error(`wrk failed (exit ${r.code}):\n${r.out}\n${r.err}`);
    const j = JSON.parse(m[1]);
    const nonStatus = /Non-2xx or 3xx responses:\s*(\d+)/.exec(r.out);
    return {
      rps: j.requests / (j.duration_us / 1e6),
      p50Ms: j.p50_us / 1000,
      p99Ms: j.p99_us / 1000,
      requests: j.requests,
      non2xx: Math.max(j.status, nonStatus ? Number(nonStatus[1]) : 0),
      socketErrors: { connect: j.connect, read: j.read, write: j.write, timeout: j.timeout },
      raw: r.out,
    };
  }
  const require = createRequire(import.meta.url);
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '-j', '-c', String(connections), '-d', String(seconds), '-m', req.method];
  for (const [k, v] of Object.entries(req.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (req.body !== undefined) {
    const bodyFile = join(tmpDir, `${tag}.body`);
    writeFileSync(bodyFile, req.body);
    args.push('-i', bodyFile);
  }
  args.push(url);
  const { cmd, args: a } = pinned(pin, core, process.execPath, args);
  const r = await run(cmd, a);
  if (r.code !== 0) throw new Error(`autocannon failed (exit ${r.code}):\n${r.err}`);
  const j = JSON.parse(r.out);
  return {
    rps: j.requests.total / (j.duration ?? seconds),
    p50Ms: j.latency.p50,
    p99Ms: j.latency.p99,
    requests: j.requests.total,
    non2xx: j.non2xx ?? 0,
    socketErrors: { connect: 0, read: j.errors ?? 0, write: 0, timeout: j.timeouts ?? 0 },
    raw: r.out,
  };
}
