// Attacks on WebSocket connections that the gate and the limits must hold, over real
// sockets: handshakes from origins that look like the app's own, frames a browser never
// sends (compressed, fragmented into nothing, pings that are never read back), and a
// session written during the handshake. Each has a control that shows the same client
// getting through where it should.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type App } from '../../src/index.js';
import type { RunningServer } from '../../src/adapters/node.js';
import type { CloseInfo } from '../../src/realtime/ws.js';
import { closeOf, mustOpen, nextText, openSocket } from './ws-helpers.js';

const SECRET = 'ws-attack-secret-'.padEnd(40, 'k');

let app: App;
let server: RunningServer;
let ws: string;
/** How each connection to /hold ended, in order. */
const ended: CloseInfo[] = [];

before(async () => {
  app = createApp({ env: 'test', secretKey: SECRET, websocket: { maxPayload: 4096, maxBuffered: 64 * 1024 } });
  app.ws('/echo', async (socket) => {
    for await (const m of socket) await socket.send(typeof m === 'string' ? `echo: ${m.length}` : m);
  });
  app.ws('/hold', async (socket) => {
    ended.push(await socket.closed);
  });
  server = await app.listen({ port: 0, handleSignals: false });
  ws = server.url.replace('http:', 'ws:');
});
after(() => server.close());

test('origins that look like the app’s own are refused: case, a trailing dot, a port, a path, a suffix, a list', async () => {
  const own = new URL(server.url);
  const port = Number(own.port);
  const origins = [
    `HTTP://127.0.0.1:${port}`,
    `http://127.0.0.1.:${port}`,
    `http://127.0.0.1:${port + 1}`,
    `http://127.0.0.1`,
    `https://127.0.0.1:${port}`,
    `http://127.0.0.1:${port}/`,
    `http://127.0.0.1:${port}.evil.example`,
    `http://127.0.0.1.evil.example:${port}`,
    `http://evil.example@127.0.0.1:${port}`,
    `http://127.0.0.1:${port}, http://evil.example`,
    'null',
  ];
  for (const origin of origins) {
    const o = await openSocket(`${ws}/echo`, { headers: { origin } });
    assert.equal(o.ok ? 101 : o.status, 403, JSON.stringify(origin));
  }
  // Two Origin lines: a check that read the first alone would pass it.
  const raw = await rawHandshake('/echo', [`Origin: http://127.0.0.1:${port}`, 'Origin: https://evil.example']);
  assert.match(raw.head, /^HTTP\/1\.1 403 /, raw.head);
  raw.socket.destroy();
  // Control: the app's own origin, exactly as a browser writes it.
  const sock = await mustOpen(`${ws}/echo`, { headers: { origin: `http://127.0.0.1:${port}` } });
  sock.send('hi');
  assert.equal(await nextText(sock), 'echo: 2');
  sock.close();
  await closeOf(sock);
});

// ---- raw frames ----------------------------------------------------------------------------

/** A client frame (masked, as RFC 6455 §5.3 requires of clients). */
function frame(opcode: number, payload: Buffer, opts: { fin?: boolean; rsv1?: boolean } = {}): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0, 0x80 | len]) : Buffer.from([0, 0x80 | 126, len >> 8, len & 255]);
  head[0] = (opts.fin === false ? 0 : 0x80) | (opts.rsv1 === true ? 0x40 : 0) | opcode;
  const body = Buffer.from(payload);
  for (let i = 0; i < len; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}

async function rawHandshake(path: string, extra: string[] = []): Promise<{ socket: Socket; head: string }> {
  const socket = connect(server.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    [
      `GET ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...extra,
      '',
      '',
    ].join('\r\n'),
  );
  const [first] = (await once(socket, 'data')) as [Buffer];
  return { socket, head: first.toString('latin1') };
}

/** The code of the first close frame the server sent in `bytes` (frames after the 101), or undefined. */
function closeCodeIn(bytes: Buffer): number | undefined {
  let i = 0;
  while (i + 2 <= bytes.length) {
    const opcode = bytes[i]! & 0x0f;
    let len = bytes[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 0x8) return len >= 2 ? bytes.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return undefined;
}

/**
 * Opens /hold with a raw socket and sends `frames`; resolves with 'open' when the server
 * still holds the connection after `ms`, else with the close code the server sent (1006
 * when it dropped the connection without one).
 */
async function holdAndSend(frames: Buffer, opts: { read: boolean; ms?: number }): Promise<number | 'open'> {
  const before = ended.length;
  const { socket, head } = await rawHandshake('/hold');
  assert.match(head, /^HTTP\/1\.1 101 /);
  const got: Buffer[] = [Buffer.from(head.slice(head.indexOf('\r\n\r\n') + 4), 'latin1')];
  if (opts.read) socket.on('data', (b: Buffer) => got.push(b));
  else socket.pause();
  socket.on('error', () => {});
  socket.write(frames);
  const deadline = Date.now() + (opts.ms ?? 3000);
  while (ended.length === before && Date.now() < deadline) await sleep(20);
  await sleep(20);
  socket.destroy();
  const open = ended.length === before;
  while (ended.length === before) await sleep(20); // the destroy above ends it
  ended.splice(before, 1);
  return open ? 'open' : (closeCodeIn(Buffer.concat(got)) ?? 1006);
}

test('a client that sends pings and never reads the pongs is dropped; one that reads them stays', async () => {
  // 20,000 pings of 125 bytes: 2.5 MB of pongs, forty times websocket.maxBuffered.
  const pings = Buffer.concat(Array.from({ length: 20_000 }, () => frame(0x9, randomBytes(125))));
  const dropped = await holdAndSend(pings, { read: false });
  assert.equal(dropped, 1006, 'the server kept writing pongs to a client that reads nothing');
  // Control: the same pings from a client that reads its pongs.
  const few = Buffer.concat(Array.from({ length: 50 }, () => frame(0x9, randomBytes(125))));
  assert.equal(await holdAndSend(few, { read: true, ms: 500 }), 'open');
});

test('a compressed frame is refused: no extension was agreed, and none is offered', async () => {
  const offer = await rawHandshake('/hold', ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits']);
  assert.match(offer.head, /^HTTP\/1\.1 101 /);
  assert.doesNotMatch(offer.head, /sec-websocket-extensions/i);
  offer.socket.destroy();
  // A deflate "bomb": RSV1 set on a frame whose payload would inflate to 4 MB.
  const { deflateRawSync } = await import('node:zlib');
  const bomb = deflateRawSync(Buffer.alloc(4 << 20)).subarray(0, -4);
  const closed = await holdAndSend(frame(0x2, bomb.subarray(0, 4000), { rsv1: true }), { read: true });
  assert.equal(closed, 1002);
});

test('a message in many fragments is held to maxPayload as a whole, and empty fragments cannot pile up', async () => {
  // 3 KiB fragments: each under websocket.maxPayload (4 KiB), the message over it.
  const parts = [frame(0x1, Buffer.alloc(3072, 97), { fin: false }), frame(0x0, Buffer.alloc(3072, 97), { fin: false }), frame(0x0, Buffer.alloc(10, 97))];
  const big = await holdAndSend(Buffer.concat(parts), { read: true });
  assert.equal(big, 1009);
  // 100,000 empty fragments of one message: the server must not keep a list of them.
  const empty = frame(0x0, Buffer.alloc(0), { fin: false });
  const many = Buffer.concat([frame(0x1, Buffer.alloc(0), { fin: false }), ...Array.from({ length: 100_000 }, () => empty)]);
  const piled = await holdAndSend(many, { read: true });
  assert.equal(piled, 1008, 'the server kept 100,000 empty fragments'); // policy violation
  // Control: a message in a few fragments, under the limit, arrives whole.
  const sock = await mustOpen(`${ws}/echo`);
  sock.send('a'.repeat(1000), { fin: false });
  sock.send('b'.repeat(1000), { fin: true });
  assert.equal(await nextText(sock), 'echo: 2000');
  sock.close();
  await closeOf(sock);
});

test('a before hook cannot change the session during a handshake (nothing would save it); on an HTTP route the same hook saves it', async () => {
  for (const store of ['cookie', 'memory'] as const) {
    const a = createApp({ env: 'test', secretKey: SECRET, session: { store } });
    const outcome = new Map<string, string>();
    a.before(async (req) => {
      try {
        await req.session.set('visits', (((await req.session.get('visits')) as number | undefined) ?? 0) + 1);
        outcome.set(req.path, 'written');
      } catch (err) {
        outcome.set(req.path, (err as { code?: string }).code ?? String(err));
      }
      return undefined;
    });
    a.ws('/count', async (socket, req) => {
      await socket.send(`${outcome.get('/count')} visits=${String(await req.session.get('visits'))}`);
    });
    a.get('/visits', async (req) => `${outcome.get('/visits')} visits=${String(await req.session.get('visits'))}`);
    const s = await a.listen({ port: 0, handleSignals: false });
    try {
      const sock = await mustOpen(`${s.url.replace('http:', 'ws:')}/count`);
      // Before, the write seemed to work (the handler read 1 back), and was lost.
      assert.equal(await nextText(sock), 'WS_SESSION_READ_ONLY visits=undefined', store);
      await closeOf(sock);
      // Control: over HTTP the hook's write is saved with the response.
      const first = await fetch(`${s.url}/visits`);
      assert.equal(await first.text(), 'written visits=1');
      const cookie = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      assert.equal(await (await fetch(`${s.url}/visits`, { headers: { cookie } })).text(), 'written visits=2', store);
    } finally {
      await s.close();
    }
  }
});
