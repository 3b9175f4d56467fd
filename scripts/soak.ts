/**
 * Soak: runs the demo app in a child process under a mixed load (valid requests over
 * keep-alive plus hostile raw requests) for a set time, and prints the app's RSS over
 * time and the error counts. Not part of CI.
 *
 *   npm run soak -- --seconds 60
 *   npm run soak -- --seconds 600 --app examples/hello/app.ts --clients 8 --hostile 32
 *
 * The demo is examples/notes when it has an entry file, else examples/hello. Exit code 1
 * when a valid request failed or any request got a 5xx. See docs/reliability.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveAgent, rawExchange, send, statusOf } from '../test/faults/net-helpers.js';
import { malformedRequest, prng } from '../test/faults/malformed.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const seconds = Number(arg('seconds', '60'));
const clients = Number(arg('clients', '4'));
const hostileConcurrency = Number(arg('hostile', '16'));
const every = Number(arg('every', '5'));
const demo =
  arg('app', '') || ['examples/notes/app.ts', 'examples/notes/server.ts', 'examples/notes/main.ts', 'examples/hello/app.ts'].find((p) => existsSync(p))!;

/** Valid requests for the demo: the hello app's routes, or the notes app's public pages. */
const VALID: { method: string; path: string; ok: (status: number) => boolean; body?: string; headers?: Record<string, string> }[] = demo.includes('hello')
  ? [
      { method: 'GET', path: '/', ok: (s) => s === 200 },
      { method: 'GET', path: '/hello/soak', ok: (s) => s === 200 },
      { method: 'GET', path: '/api/time', ok: (s) => s === 200 },
      { method: 'GET', path: '/go', ok: (s) => s === 302 || s === 303 },
      { method: 'GET', path: '/missing', ok: (s) => s === 404 },
    ]
  : [
      { method: 'GET', path: '/', ok: (s) => s < 400 },
      { method: 'GET', path: '/login', ok: (s) => s < 400 },
      { method: 'GET', path: '/static/style.css', ok: (s) => s < 400 || s === 404 },
      { method: 'GET', path: '/missing-page', ok: (s) => s === 404 },
    ];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}

const port = await freePort();
const child = spawn(process.execPath, ['--import', 'tsx', demo], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    PORT: String(port),
    PALISADE_ENV: process.env.PALISADE_ENV ?? 'production',
    PALISADE_SECRET_KEY: process.env.PALISADE_SECRET_KEY ?? 'p2HO8JHlZKORXqWlA6tYn2Pe7rd-5X6F3PART96jVZ4',
    PALISADE_LOG_LEVEL: 'silent',
    PALISADE_ALLOWED_HOSTS: process.env.PALISADE_ALLOWED_HOSTS ?? '127.0.0.1',
  },
});
let childErr = '';
child.stderr!.on('data', (d: Buffer) => (childErr += d.toString()));
child.stdout!.resume();
for (let i = 0; ; i++) {
  try {
    await send(port, 'GET', '/', { timeoutMs: 1000 });
    break;
  } catch {
    if (i > 200 || child.exitCode !== null) {
      console.error(`the demo (${demo}) did not start on port ${port}:\n${childErr}`);
      process.exit(1);
    }
    await sleep(50);
  }
}

const c = { valid: 0, validFailed: 0, hostile: 0, fiveXX: 0, noAnswer: 0 };
const failures: string[] = [];
const end = Date.now() + seconds * 1000;
const started = Date.now();
const rss: [number, number][] = [[0, rssMB(child.pid!)]];
console.log(`soak: ${demo} on 127.0.0.1:${port} for ${seconds} s, ${clients} keep-alive clients, ${hostileConcurrency} hostile connections`);
console.log('   t(s)   RSS(MB)   valid  failed   hostile   5xx  no-answer');

const validLoop = async (k: number) => {
  const agent = keepAliveAgent(1);
  for (let i = k; Date.now() < end; i++) {
    const v = VALID[i % VALID.length]!;
    try {
      const r = await send(port, v.method, v.path, { agent, headers: v.headers, body: v.body });
      c.valid++;
      if (r.status >= 500) c.fiveXX++;
      if (!v.ok(r.status)) {
        c.validFailed++;
        if (failures.length < 20) failures.push(`${v.method} ${v.path} → ${r.status}`);
      }
    } catch (err) {
      c.valid++;
      c.validFailed++;
      if (failures.length < 20) failures.push(`${v.method} ${v.path} → ${(err as Error).message}`);
    }
  }
  agent.destroy();
};
const rnd = prng(Number(process.env.FUZZ_SEED ?? 1));
let n = 0;
const hostileLoop = async () => {
  while (Date.now() < end) {
    const { bytes } = malformedRequest(n++, rnd);
    const r = await rawExchange(port, [bytes], { end: true, giveUpMs: 15_000 });
    c.hostile++;
    const s = statusOf(r.data);
    if (s !== undefined && s >= 500) c.fiveXX++;
    if (r.gaveUp) c.noAnswer++;
  }
};
const report = setInterval(() => {
  const t = Math.round((Date.now() - started) / 1000);
  const m = rssMB(child.pid!);
  rss.push([t, m]);
  console.log(
    `${String(t).padStart(7)} ${String(m).padStart(9)} ${String(c.valid).padStart(7)} ${String(c.validFailed).padStart(7)} ${String(c.hostile).padStart(9)} ${String(c.fiveXX).padStart(5)} ${String(c.noAnswer).padStart(10)}`,
  );
}, every * 1000);
await Promise.all([...Array.from({ length: clients }, (_, k) => validLoop(k)), ...Array.from({ length: hostileConcurrency }, hostileLoop)]);
clearInterval(report);
await sleep(2000);
const settled = rssMB(child.pid!);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
const peak = Math.max(...rss.map(([, m]) => m));
console.log(
  `\nsoak done: ${c.valid} valid requests (${c.validFailed} failed), ${c.hostile} hostile requests, ${c.fiveXX} answers with 5xx, ${c.noAnswer} hostile connections neither answered nor closed.\n` +
    `RSS: start ${rss[0]![1]} MB, peak ${peak} MB, settled ${settled} MB.`,
);
if (failures.length > 0) console.log(`first failures:\n  ${failures.join('\n  ')}`);
process.exit(c.validFailed > 0 || c.fiveXX > 0 ? 1 : 0);
