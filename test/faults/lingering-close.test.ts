// A connection the server closes while the client is still sending loses none of its
// response (src/adapters/linger.ts). Closing a socket with unread bytes makes the kernel
// send a reset, which drops what of the response is still queued: the client used to get
// its response cut short (ECONNRESET) after an upload the app did not read, or behind
// pipelined requests. Each client here stops reading for a moment, so that the response's
// tail is still queued when the server closes, then reads to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, Response } from '../../src/index.js';
import { LINGER_MS, QUIET_MS } from '../../src/adapters/linger.js';

const SIZE = 8 * 1024 * 1024;
const BIG = Buffer.alloc(SIZE, 'b');

interface Received {
  head: string;
  /** Body bytes, after removing chunked framing (-1: the chunked body was not whole). */
  bodyBytes: number;
  error: string | undefined;
  /** ms from the first byte written to the connection's close. */
  closedAfterMs: number;
}

/**
 * Writes `chunks`, reads nothing for `pauseMs`, then reads until the server closes the
 * connection. `trickle` keeps sending a byte every that many ms after that (a client that never
 * stops); `end` half-closes after the chunks. `stayOpen` keeps the client's side open
 * when the server closes its own, and resolves once the response is whole (a node socket
 * would otherwise close its side at once, as browsers do).
 */
function exchange(
  port: number,
  chunks: (string | Buffer)[],
  opts: { pauseMs?: number; trickle?: number; end?: boolean; stayOpen?: boolean } = {},
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: opts.stayOpen === true });
    const parts: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const started = Date.now();
    const giveUp = setTimeout(() => {
      s.destroy();
      reject(new Error('the server never closed the connection'));
    }, LINGER_MS + 10_000);
    let trickle: NodeJS.Timeout | undefined;
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      if (opts.end) s.end();
      // Sends on until the socket is gone (a reset from a server that let go ends it).
      if (opts.trickle !== undefined) trickle = setInterval(() => s.writable && s.write('x'), opts.trickle);
      s.pause();
      setTimeout(() => s.resume(), opts.pauseMs ?? 300);
    });
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(giveUp);
      const all = Buffer.concat(parts);
      const end = all.indexOf('\r\n\r\n');
      const head = end < 0 ? all.toString('latin1') : all.subarray(0, end).toString('latin1');
      const body = end < 0 ? Buffer.alloc(0) : all.subarray(end + 4);
      resolve({
        head,
        bodyBytes: /\r\ntransfer-encoding: chunked/i.test(head) ? unchunkedLength(body) : body.length,
        error,
        closedAfterMs: Date.now() - started,
      });
    };
    s.on('close', () => {
      clearInterval(trickle);
      done();
    });
    // With stayOpen, the server's FIN ends this client's part; the test watches the server.
    if (opts.stayOpen) s.on('end', done);
  });
}

/** The length of a chunked body's data, or -1 when its last chunk did not arrive. */
function unchunkedLength(body: Buffer): number {
  let at = 0;
  let total = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) return -1;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return total;
    if (eol + 2 + size + 2 > body.length) return -1;
    total += size;
    at = eol + 2 + size + 2;
  }
}

async function serve() {
  const app = createApp({ env: 'test' });
  // Neither reads the request body, so the response says Connection: close. (No CSRF
  // check: the point is the connection, not the form.)
  app.post('/big', () => new Response(BIG, { headers: { 'content-type': 'application/octet-stream' } }), { csrf: false });
  app.post(
    '/stream',
    () =>
      new Response(
        Readable.from(
          (function* () {
            for (let i = 0; i < SIZE / 65536; i++) yield BIG.subarray(0, 65536);
          })(),
        ),
        { headers: { 'content-type': 'application/octet-stream' } },
      ),
    { csrf: false },
  );
  app.get('/big', () => new Response(BIG, { headers: { 'content-type': 'application/octet-stream' } }));
  app.get('/small', () => 'ok');
  return app.listen({ port: 0 });
}

const upload = (path: string, declared: number) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`;

for (const path of ['/big', '/stream']) {
  test(`${path}: a response to an upload the app did not read arrives whole`, async () => {
    const s = await serve();
    try {
      const r = await exchange(s.port, [upload(path, 20_000_000), Buffer.alloc(2_000_000, 'u')]);
      assert.match(r.head, /^HTTP\/1\.1 200 /);
      assert.match(r.head, /\r\nconnection: close/i);
      assert.equal(r.error, undefined, 'the connection was reset');
      assert.equal(r.bodyBytes, SIZE, 'the response was cut short');
    } finally {
      await s.close();
    }
  });
}

test('a response arrives whole though a request pipelined behind it was refused, and the client sends on', async () => {
  // The second request's headers pass maxHeaderSize: the connection closes after the
  // first response; what the client sends after that must not reset it.
  const s = await serve();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    const refused = 'GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n' + 'X-A: b\r\n'.repeat(5000);
    const r = await exchange(s.port, ['GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', refused], { trickle: 10 });
    assert.match(r.head, /^HTTP\/1\.1 200 /);
    assert.equal(r.error, undefined, 'the connection was reset');
    assert.equal(r.bodyBytes, SIZE, 'the response was cut short');
    // Every chunk after the refused headers is refused again; the close is arranged once.
    await sleep(50);
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
    await s.close();
  }
});

test('a client that half-closes after its upload still gets the whole response', async () => {
  const s = await serve();
  try {
    const r = await exchange(s.port, [upload('/big', 3_000_000), Buffer.alloc(1_000_000, 'u')], { end: true });
    assert.equal(r.error, undefined, 'the connection was reset');
    assert.equal(r.bodyBytes, SIZE, 'the response was cut short');
  } finally {
    await s.close();
  }
});

test('a closing connection is not held open: a silent client, and one that never stops sending', async () => {
  const s = await serve();
  // When the server lets go of each connection, from its side.
  const released: Promise<number>[] = [];
  s.server.on('connection', (sock: Socket) => {
    const t0 = Date.now();
    released.push(new Promise((resolve) => sock.once('close', () => resolve(Date.now() - t0))));
  });
  try {
    // Silent after its upload, never closing: let go once quiet for QUIET_MS.
    const silent = await exchange(s.port, [upload('/big', 1_000_000), Buffer.alloc(10_000, 'u')], { pauseMs: 0, stayOpen: true });
    assert.equal(silent.bodyBytes, SIZE);
    const silentMs = await released[0]!;
    assert.ok(silentMs >= QUIET_MS && silentMs < 3 * QUIET_MS + 2000, `let go after ${silentMs} ms`);
    // Sending a byte every 100 ms forever: let go within LINGER_MS of the response.
    const endless = await exchange(s.port, [upload('/big', 1_000_000_000), Buffer.alloc(10_000, 'u')], { pauseMs: 0, trickle: 100, stayOpen: true });
    assert.equal(endless.bodyBytes, SIZE);
    const endlessMs = await released[1]!;
    assert.ok(endlessMs >= LINGER_MS - 100 && endlessMs < LINGER_MS + QUIET_MS + 3000, `let go after ${endlessMs} ms`);
  } finally {
    await s.close();
  }
});
