// Graceful shutdown over real sockets, in process: what a keep-alive client sees when
// close() begins between two of its requests, during a request, and during a streamed body.
// The load-level run (SIGTERM to a child process under keep-alive load) is in
// test/faults/shutdown.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, Response } from '../../src/index.js';

/** A raw keep-alive connection that reads whole responses (Content-Length or chunked). */
class Conn {
  readonly socket: Socket;
  #buf = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  ended = false;
  error: string | undefined;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#wake();
    });
    this.socket.on('error', (e: NodeJS.ErrnoException) => (this.error = e.code ?? e.message));
    this.socket.on('close', () => {
      this.ended = true;
      this.#wake();
    });
  }
  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
  send(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  }
  /** The next whole response, or undefined when the connection closes first. */
  async response(): Promise<{ status: number; headers: Record<string, string>; body: string } | undefined> {
    for (;;) {
      const parsed = parse(this.#buf);
      if (parsed !== undefined) {
        this.#buf = this.#buf.subarray(parsed.used);
        return parsed.res;
      }
      if (this.ended) return undefined;
      await new Promise<void>((r) => this.#waiters.push(r));
    }
  }
  async closed(): Promise<void> {
    while (!this.ended) await new Promise<void>((r) => this.#waiters.push(r));
  }
}

function parse(buf: Buffer): { used: number; res: { status: number; headers: Record<string, string>; body: string } } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0]!.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  let at = end + 4;
  if (headers['transfer-encoding'] === 'chunked') {
    let body = '';
    for (;;) {
      const nl = buf.indexOf('\r\n', at);
      if (nl === -1) return undefined;
      const size = parseInt(buf.subarray(at, nl).toString(), 16);
      if (buf.length < nl + 2 + size + 2) return undefined;
      body += buf.subarray(nl + 2, nl + 2 + size).toString();
      at = nl + 2 + size + 2;
      if (size === 0) return { used: at, res: { status, headers, body } };
    }
  }
  const len = Number(headers['content-length'] ?? 0);
  if (buf.length < at + len) return undefined;
  return { used: at + len, res: { status, headers, body: buf.subarray(at, at + len).toString() } };
}

function makeApp() {
  const app = createApp({ env: 'test', server: { shutdownTimeout: 4000 } });
  app.get('/', () => 'ok');
  app.get('/slow', async () => {
    await sleep(300);
    return 'slow done';
  });
  app.get('/stream', () => {
    async function* drip() {
      for (let i = 0; i < 5; i++) {
        await sleep(60);
        yield Buffer.from(`part${i};`);
      }
    }
    return new Response(drip(), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });
  return app;
}

test('a request sent on an idle keep-alive connection just after shutdown began is answered, with Connection: close', async () => {
  const s = await makeApp().listen({ port: 0 });
  const c = new Conn(s.port);
  c.send('/');
  const first = await c.response();
  assert.equal(first?.status, 200);
  assert.notEqual(first?.headers['connection'], 'close');
  // The connection is idle now, as a keep-alive client's is between two requests.
  const closing = s.close();
  await sleep(30);
  c.send('/');
  const second = await c.response();
  assert.equal(second?.status, 200, `the request sent during shutdown got no answer (socket ${c.error ?? 'closed'})`);
  assert.equal(second?.body, 'ok');
  assert.equal(second?.headers['connection'], 'close');
  await c.closed();
  assert.equal(c.error, undefined, 'the connection was reset');
  await closing;
});

test('an idle keep-alive connection is closed soon after shutdown begins, and close() resolves', async () => {
  const s = await makeApp().listen({ port: 0 });
  const c = new Conn(s.port);
  c.send('/');
  assert.equal((await c.response())?.status, 200);
  const started = Date.now();
  await s.close();
  await c.closed();
  const ms = Date.now() - started;
  assert.equal(c.error, undefined, 'closed with a reset instead of a FIN');
  assert.ok(ms < 2000, `close() took ${ms} ms with one idle connection`);
});

test('a client that keeps its side open after the FIN (as browsers may, for seconds) does not hold the shutdown', async () => {
  const s = await makeApp().listen({ port: 0 });
  const sock = connect({ port: s.port, host: '127.0.0.1', allowHalfOpen: true });
  let got = '';
  sock.on('data', (d: Buffer) => (got += d.toString()));
  sock.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
  while (!got.endsWith('ok')) await sleep(5);
  const started = Date.now();
  await s.close();
  const ms = Date.now() - started;
  sock.destroy();
  assert.ok(ms < 2000, `close() waited ${ms} ms for a half-open client (the grace period is 4000 ms)`);
});

test('responses in progress at shutdown complete and say Connection: close: a waiting handler, a streamed body', async () => {
  const s = await makeApp().listen({ port: 0 });
  const slow = new Conn(s.port);
  const stream = new Conn(s.port);
  slow.send('/slow');
  stream.send('/stream');
  await sleep(100); // the stream's headers are out; the slow handler is still waiting
  const closing = s.close();
  const a = await slow.response();
  assert.equal(a?.body, 'slow done');
  assert.equal(a?.headers['connection'], 'close');
  const b = await stream.response();
  assert.equal(b?.body, 'part0;part1;part2;part3;part4;');
  // Its headers went before shutdown; the next request on it is answered and closes it.
  stream.send('/');
  const after = await stream.response();
  assert.equal(after?.body, 'ok');
  assert.equal(after?.headers['connection'], 'close');
  await Promise.all([slow.closed(), stream.closed()]);
  assert.equal(slow.error ?? stream.error, undefined);
  await closing;
});

test('a new connection after shutdown began is refused', async () => {
  const s = await makeApp().listen({ port: 0 });
  const c = new Conn(s.port);
  c.send('/slow');
  const closing = s.close();
  // The server first accepts what the kernel has queued, then stops listening.
  while (s.server.listening) await sleep(5);
  const fresh = await new Promise<string>((resolve) => {
    const sock = connect(s.port, '127.0.0.1', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  assert.equal(fresh, 'ECONNREFUSED');
  assert.equal((await c.response())?.body, 'slow done');
  await closing;
});
