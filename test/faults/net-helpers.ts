/**
 * Helpers for the fault tests in test/faults: raw sockets on 127.0.0.1, a keep-alive
 * client, waiting for handles to settle, and RSS figures. See docs/reliability.md.
 */
import { connect, type Socket } from 'node:net';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App, HandlerResult, Request, RouteOptions } from '../../src/index.js';

/** What a raw exchange saw: the bytes the server sent and how the connection ended. */
export interface RawResult {
  data: string;
  /** The server closed or reset the connection (or it ended normally). */
  closed: boolean;
  /** A socket error (ECONNRESET, EPIPE…), if any. */
  error: string | undefined;
  /** We gave up waiting and destroyed the socket ourselves. */
  gaveUp: boolean;
  /** `until` held: we had what we waited for and closed the connection ourselves. */
  complete: boolean;
  /** We half-closed the connection (`end`, or `idleEndMs` passed). */
  halfClosed: boolean;
}

/**
 * Sends `chunks` on a fresh connection (each chunk after `gapMs`), optionally half-closes,
 * and resolves when the server closes the connection or `giveUpMs` passes.
 *
 * `until` ends the exchange as soon as the data received satisfies it (say, a complete
 * response on a keep-alive connection); `idleEndMs` half-closes once the server has been
 * silent that long after the last chunk (a client that has nothing more to say).
 */
export function rawExchange(
  port: number,
  chunks: (string | Buffer)[],
  opts: {
    gapMs?: number;
    end?: boolean;
    giveUpMs?: number;
    destroyAfterWrite?: boolean;
    until?: (data: string) => boolean;
    idleEndMs?: number;
  } = {},
): Promise<RawResult> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    let error: string | undefined;
    let gaveUp = false;
    let complete = false;
    let halfClosed = false;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    let written = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(idle);
      resolve({ data, closed, error, gaveUp, complete, halfClosed });
    };
    const timer = setTimeout(() => {
      gaveUp = true;
      s.destroy();
      finish(false);
    }, opts.giveUpMs ?? 10_000);
    const armIdle = () => {
      if (opts.idleEndMs === undefined || !written || halfClosed) return;
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (s.destroyed || halfClosed) return;
        halfClosed = true;
        s.end();
      }, opts.idleEndMs);
    };
    s.setNoDelay(true);
    s.on('data', (d) => {
      data += d.toString('latin1');
      if (opts.until !== undefined && !complete && opts.until(data)) {
        complete = true;
        s.destroy();
        finish(true);
        return;
      }
      armIdle();
    });
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    s.on('close', () => finish(true));
    s.once('connect', async () => {
      for (let i = 0; i < chunks.length; i++) {
        if (s.destroyed) return;
        if (i > 0 && opts.gapMs) await sleep(opts.gapMs);
        if (s.destroyed || !s.writable) return;
        s.write(chunks[i]!);
      }
      if (opts.destroyAfterWrite) {
        s.destroy();
        return;
      }
      written = true;
      if (opts.end) {
        halfClosed = true;
        s.end();
      } else armIdle();
    });
  });
}

/** The status code at the start of a raw HTTP response, or undefined. */
export function statusOf(raw: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(raw);
  return m === null ? undefined : Number(m[1]);
}

/** Opens a connection and resolves with the socket once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** Counts of active handle types we care about (sockets, servers, file handles). */
export function handleCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of process.getActiveResourcesInfo()) {
    if (t === 'Timeout' || t === 'Immediate' || t === 'TTYWrap' || t === 'PipeWrap' || t === 'SignalWrap') continue;
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

function exceeds(now: Record<string, number>, base: Record<string, number>): string[] {
  const extra: string[] = [];
  for (const [k, n] of Object.entries(now)) if (n > (base[k] ?? 0)) extra.push(`${k}: ${base[k] ?? 0} → ${n}`);
  return extra;
}

/**
 * Waits until no handle type has more entries than in `baseline`; returns what is still
 * extra after `maxMs` (an empty list when everything settled).
 */
export async function settleHandles(baseline: Record<string, number>, maxMs = 8_000): Promise<string[]> {
  const end = Date.now() + maxMs;
  for (;;) {
    const extra = exceeds(handleCounts(), baseline);
    if (extra.length === 0 || Date.now() > end) return extra;
    await sleep(50);
  }
}

/** A keep-alive client for valid load: few sockets, reused. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 1000 });
}

export interface SimpleResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request through node:http (keep-alive when given an agent). */
export function send(
  port: number,
  method: string,
  path: string,
  opts: { agent?: Agent; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: opts.agent ?? false, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** RSS in MB, after a GC when the process runs with --expose-gc. */
export async function rssMB(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(20);
    }
  }
  return Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
}

/** Resolves with the value of `p`, or rejects after `ms` with `what` in the message. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
    }),
  ]);
}

/** Polls `cond` every 20 ms until it holds; rejects (and stops polling) after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not done after ${ms} ms`);
    await sleep(20);
  }
}

/** A child-process app: its port and, when it exits, its exit code and final counts. */
export interface ChildApp {
  child: import('node:child_process').ChildProcess;
  port: number;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: string | null; stats: Record<string, number> | undefined; stderr: string }>;
}

/**
 * Starts `test/faults/fixtures/<name>.ts` (or any path) with tsx and --expose-gc; `ipc`
 * opens an IPC channel (`child.send`, `process.send` in the child).
 */
export async function startChild(script: string, env: Record<string, string> = {}, opts: { ipc?: boolean } = {}): Promise<ChildApp> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stats: Record<string, number> | undefined; stderr: string }>((resolve) => {
    child.once('exit', (code, signal) => {
      // stdout may still hold the last line; give it a tick.
      setImmediate(() => {
        const line = out.split('\n').find((l) => l.startsWith('{"exit"'));
        resolve({ code, signal, stats: line ? (JSON.parse(line) as { exit: Record<string, number> }).exit : undefined, stderr });
      });
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const first = out.split('\n');
      if (first.length > 1 && /^\d+$/.test(first[0]!)) resolve(Number(first[0]));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before listening: ${stderr}`)));
  });
  return { child, port, exited };
}

/**
 * Adds a CSRF-exempt POST route whose handler runs `work` and records how each request
 * ended in `outcomes`: the label `work` returns, or the code of the error it threw (thrown
 * again, so the client still gets that error's answer).
 */
export function recordingRoute(
  app: App,
  path: string,
  outcomes: string[],
  work: (req: Request) => Promise<{ label?: string; body: HandlerResult }>,
  options: RouteOptions = {},
): void {
  app.post(
    path,
    async (req) => {
      try {
        const { label, body } = await work(req);
        if (label !== undefined) outcomes.push(label);
        return body;
      } catch (err) {
        outcomes.push((err as { code?: string }).code ?? String(err));
        throw err;
      }
    },
    { csrf: false, ...options },
  );
}
