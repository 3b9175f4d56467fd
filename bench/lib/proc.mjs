/**
 * Server processes: spawn one framework's server pinned to a core, time it from spawn to
 * its first 200, read its resident memory, and stop it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** Every child process still running (servers, load generators), killed if the runner is interrupted. */
export const liveChildren = new Set();

/** Registers a child in liveChildren until it exits. */
export function track(child) {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

/** True when `taskset` exists and the machine has at least two cores to split. */
export function canPin(cores) {
  if (cores < 2) return false;
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

/** Wraps a command so it runs on one core, when pinning is possible. */
export function pinned(pin, core, cmd, args) {
  const inner = pin ? { cmd: 'taskset', args: ['-c', String(core), cmd, ...args] } : { cmd, args };
  return PRIORITY === null ? inner : { cmd: 'nice', args: ['-n', String(PRIORITY), inner.cmd, ...inner.args] };
}

/**
 * The niceness servers and load generators run at: -15 where this process may raise
 * priority (root), so that other work on a shared machine disturbs the figures less;
 * null (unchanged) elsewhere. `nice` and `taskset` both exec, so the pid is the server's.
 */
export const PRIORITY = (() => {
  if (process.env.BENCH_NICE === 'off') return null;
  const r = spawnSync('nice', ['-n', '-15', 'true']);
  if (r.status !== 0) return null;
  const check = spawnSync('nice', ['-n', '-15', 'nice'], { encoding: 'utf8' });
  return check.status === 0 && Number(check.stdout.trim()) < 0 ? -15 : null;
})();

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One request; resolves { status, headers, body } or rejects on a socket error. */
export function fetchOnce(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body: raw.toString('utf8'), raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('request timed out')));
    req.end(body);
  });
}

/**
 * Starts `node <file> <port>` (pinned to `core`), then polls GET `probePath` until it
 * answers 200. Resolves { child, pid, port, base, startupMs, ready } where `ready` is
 * the server's READY line ({ routes, notes }).
 */
export async function startServer({ file, pin, core, nodeArgs = [], env = {}, probePath = '/hello', timeoutMs = 15000 }) {
  const port = await freePort();
  const { cmd, args } = pinned(pin, core, process.execPath, [...nodeArgs, file, String(port)]);
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  track(child);
  let stdout = '';
  let stderr = '';
  let readyInfo;
  let readyResolve;
  const readyLine = new Promise((r) => (readyResolve = r));
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    const m = /^READY (.*)$/m.exec(stdout);
    if (m && readyInfo === undefined) {
      readyInfo = JSON.parse(m[1]);
      readyResolve(readyInfo);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, sig) => r((exited = { code, sig }))));

  const base = `http://127.0.0.1:${port}`;
  let startupMs;
  for (;;) {
    if (exited) throw new Error(`server ${file} exited (${exited.code ?? exited.sig}) before answering:\n${stderr || stdout}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server ${file} did not answer 200 on ${probePath} within ${timeoutMs} ms:\n${stderr || stdout}`);
    }
    try {
      const r = await fetchOnce(base + probePath);
      if (r.status === 200) {
        startupMs = performance.now() - t0;
        break;
      }
      child.kill('SIGKILL');
      throw new Error(`server ${file} answered ${r.status} on ${probePath}: ${r.body.slice(0, 300)}`);
    } catch (err) {
      if (err.code !== 'ECONNREFUSED' && err.code !== 'ECONNRESET') throw err;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const ready = await Promise.race([readyLine, new Promise((r) => setTimeout(() => r({ routes: [], notes: {} }), 2000))]);
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(t);
  };
  return { child, pid: child.pid, port, base, startupMs, ready, stop, stderr: () => stderr, exit };
}

/** Resident set size of a process in MiB (VmRSS from /proc), or null where /proc is missing. */
export function rssMiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in clock ticks, or null. */
export function processTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

/** Busy and total clock ticks of one core from /proc/stat, or null. */
export function coreTicks(core) {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${core} `));
    if (!line) return null;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal, steal };
  } catch {
    return null;
  }
}

/** Clock ticks per second (USER_HZ); 100 on Linux unless getconf says otherwise. */
export const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout);
  return r.status === 0 && n > 0 ? n : 100;
})();

/**
 * Starts watching a server's CPU use; `done(requests)` returns the server's CPU µs per
 * request and the share of core `core` other processes used meanwhile (0–1, null when
 * the server is not pinned there).
 */
export function watchCpu(pid, core) {
  const p0 = processTicks(pid);
  const c0 = core === null ? null : coreTicks(core);
  return (requests) => {
    const p1 = processTicks(pid);
    const c1 = core === null ? null : coreTicks(core);
    const used = p0 !== null && p1 !== null ? p1 - p0 : null;
    const cpuUsPerReq = used !== null && requests > 0 ? (used * 1e6) / CLK_TCK / requests : null;
    let foreign = null;
    if (c0 && c1 && used !== null && c1.total > c0.total) foreign = Math.max(0, (c1.busy - c0.busy - used) / (c1.total - c0.total));
    return { cpuUsPerReq, foreign };
  };
}
