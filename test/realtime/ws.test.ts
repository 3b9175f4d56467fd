// WebSockets over real sockets, with the `ws` client: the handshake gate (host, origin,
// hooks), the session as the handler sees it, the limits (message size, send buffer,
// pings), handler endings, plain requests to a socket route, and graceful shutdown.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import WebSocket from 'ws';
import { createApp, type App } from '../../src/index.js';
import type { AppOptions } from '../../src/app/config.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { Response } from '../../src/http/response.js';
import { csrfToken } from '../../src/security/csrf.js';
import { closeOf, mustOpen, nextMessage, nextText, openSocket } from './ws-helpers.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const SECRET = 'ws-test-secret-'.padEnd(40, 'k');

function makeApp(opts: AppOptions = {}): App {
  const app = createApp({ env: 'test', secretKey: SECRET, ...opts });
  app.ws('/echo', async (socket) => {
    for await (const m of socket) await socket.send(typeof m === 'string' ? `echo: ${m}` : m);
  });
  app.ws(
    '/open',
    async (socket) => {
      await socket.send('hello');
      await socket.closed;
    },
    { csrf: false },
  );
  app.get('/login', async (req) => {
    await req.session.set('user', 'ada');
    return 'logged in';
  });
  app.ws('/whoami', async (socket, req) => {
    await socket.send(`user=${String(await req.session.get('user'))}`);
    await socket.send(`token=${csrfToken().length > 20 ? 'minted' : 'none'}`);
    try {
      await req.session.set('user', 'mallory');
      await socket.send('write allowed');
    } catch (err) {
      await socket.send(`write refused: ${(err as { code?: string }).code}`);
    }
  });
  app.ws('/fail', () => {
    throw new Error('boom');
  });
  app.ws('/rooms/:room', async (socket, req) => {
    await socket.send(`room=${req.params.room}`);
  });
  app.before((req) => {
    if (req.path === '/private') return new Response('log in first', { status: 401 });
    return undefined;
  });
  app.ws('/private', async (socket) => {
    await socket.send('secret');
  });
  app.get('/page', () => 'a page');
  return app;
}

let app: App;
let server: RunningServer;
let ws: string;

before(async () => {
  app = makeApp();
  server = await app.listen({ port: 0, handleSignals: false });
  ws = server.url.replace('http:', 'ws:');
});
after(() => server.close());

test('a same-origin page and a client that is not a browser (no Origin) open the socket', async () => {
  for (const headers of [{ origin: server.url }, { origin: server.url, 'sec-fetch-site': 'same-origin' }, {}]) {
    const { origin, ...rest } = headers as { origin?: string };
    const sock = await mustOpen(`${ws}/echo`, { origin, headers: rest });
    sock.send('hi');
    assert.equal(await nextText(sock), 'echo: hi');
    sock.send(Buffer.from([1, 2, 3]));
    const bin = await nextMessage(sock);
    assert.deepEqual([...bin], [1, 2, 3]);
    sock.close();
    await closeOf(sock);
  }
});

test('a handshake from another origin is refused with a 403 before the handler runs', async () => {
  const cases: { origin: string; headers?: Record<string, string> }[] = [
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { origin: server.url.replace('127.0.0.1', 'localhost') }, // another origin on the same machine
    { origin: 'https://evil.example', headers: { 'sec-fetch-site': 'cross-site' } },
    { origin: server.url.replace('127.0.0.1', 'localhost'), headers: { 'sec-fetch-site': 'same-site' } },
  ];
  for (const c of cases) {
    const o = await openSocket(`${ws}/echo`, { origin: c.origin, headers: c.headers });
    assert.equal(o.ok, false, `${c.origin} opened the socket`);
    if (o.ok) continue;
    assert.equal(o.status, 403, c.origin);
    assert.match(o.body, /CSRF_ORIGIN_MISMATCH/);
    assert.equal(o.headers['x-content-type-options'], 'nosniff');
    assert.equal(o.headers['connection'], 'close');
  }
});

test('control: the same cross-site handshake opens a route with { csrf: false }, and an app that trusts the origin', async () => {
  const sock = await mustOpen(`${ws}/open`, { origin: 'https://evil.example', headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(await nextText(sock), 'hello');
  sock.close();
  await closeOf(sock);

  const trusting = makeApp({ csrf: { trustedOrigins: ['https://chat.example'] } });
  const s2 = await trusting.listen({ port: 0, handleSignals: false });
  try {
    const url = `${s2.url.replace('http:', 'ws:')}/echo`;
    const ok = await mustOpen(url, { origin: 'https://chat.example', headers: { 'sec-fetch-site': 'cross-site' } });
    ok.close();
    const refused = await openSocket(url, { origin: 'https://evil.example' });
    assert.equal(refused.ok ? 101 : refused.status, 403);
  } finally {
    await s2.close();
  }
});

test('palisade check lists a WebSocket route that accepts any origin', () => {
  const findings = app[PROTECTIONS].flatMap((p) => p.audit?.(app.routes) ?? []);
  assert.ok(
    findings.some((f) => f.includes('WebSocket route /open')),
    findings.join('\n'),
  );
  assert.ok(!findings.some((f) => f.includes('WebSocket route /echo')));
});

test('a handshake for a host the app does not serve is refused with a 400', async () => {
  const o = await openSocket(`${ws}/echo`, { headers: { host: 'evil.example' } });
  assert.equal(o.ok, false);
  if (o.ok) return;
  assert.equal(o.status, 400);
  assert.match(o.body, /HTTP_BAD_HOST/);
  const two = await openSocket(`${ws}/echo`, { headers: { host: '127.0.0.1, evil.example' } });
  assert.equal(two.ok ? 101 : two.status, 400);
});

test('before hooks run on the handshake and can refuse it', async () => {
  const o = await openSocket(`${ws}/private`);
  assert.equal(o.ok ? 101 : o.status, 401);
  if (!o.ok) assert.equal(o.body, 'log in first');
});

test('the handler reads the session of the handshake; writing it is refused', async () => {
  const login = await fetch(`${server.url}/login`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  assert.ok(cookie.startsWith('session='));
  const sock = await mustOpen(`${ws}/whoami`, { headers: { cookie } });
  const closed = closeOf(sock);
  assert.equal(await nextText(sock), 'user=ada');
  assert.equal(await nextText(sock), 'token=minted', 'Palisade’s own reads of the session work in the handler');
  assert.equal(await nextText(sock), 'write refused: WS_SESSION_READ_ONLY');
  assert.equal((await closed).code, 1000); // the handler returned
  const anon = await mustOpen(`${ws}/whoami`);
  assert.equal(await nextText(anon), 'user=undefined');
  assert.equal(await nextText(anon), 'token=minted');
});

test('route parameters reach the handler', async () => {
  const sock = await mustOpen(`${ws}/rooms/blue%20one`);
  assert.equal(await nextText(sock), 'room=blue one');
});

test('a handler that throws closes the connection with 1011', async () => {
  const sock = await mustOpen(`${ws}/fail`);
  assert.deepEqual(await closeOf(sock), { code: 1011, reason: 'internal error' });
});

test('a message larger than websocket.maxPayload closes the connection with 1009', async () => {
  const small = makeApp({ websocket: { maxPayload: 1024 } });
  const s = await small.listen({ port: 0, handleSignals: false });
  try {
    const sock = await mustOpen(`${s.url.replace('http:', 'ws:')}/echo`);
    sock.send('x'.repeat(1024));
    assert.equal(await nextText(sock), `echo: ${'x'.repeat(1024)}`);
    const closed = closeOf(sock);
    sock.send('x'.repeat(1025));
    assert.equal((await closed).code, 1009);
  } finally {
    await s.close();
  }
});

test('no more than websocket.maxConnections sockets are open at once: the rest get a 503, also when they race through slow hooks', async () => {
  const small = makeApp({ websocket: { maxConnections: 3 } });
  // A hook that takes a while: ten handshakes are all past the first check before any is accepted.
  small.before(async () => {
    await sleep(50);
    return undefined;
  });
  const s = await small.listen({ port: 0, handleSignals: false });
  const url = `${s.url.replace('http:', 'ws:')}/open`;
  const opened: WebSocket[] = [];
  try {
    const tries = await Promise.all(Array.from({ length: 10 }, () => openSocket(url)));
    for (const t of tries) if (t.ok) opened.push(t.ws);
    assert.equal(opened.length, 3, 'sockets open at once');
    const refused = tries.filter((t) => !t.ok) as { status: number; body: string }[];
    assert.equal(refused.length, 7);
    for (const r of refused) {
      assert.equal(r.status, 503);
      assert.match(r.body, /WS_TOO_MANY_CONNECTIONS/);
    }
    // A closed socket makes room for the next.
    const closed = closeOf(opened[0]!);
    opened.shift()!.close();
    await closed;
    await sleep(50);
    const again = await openSocket(url);
    assert.ok(again.ok, 'a handshake after one socket closed');
    opened.push(again.ws);
  } finally {
    for (const w of opened) w.terminate();
    await s.close();
  }
});

test('a client that stops reading is dropped once websocket.maxBuffered is passed; the handler sees send() return false', async () => {
  const a = createApp({ env: 'test', secretKey: SECRET, websocket: { maxBuffered: 256 * 1024 } });
  let result: { sent: number; last: boolean } | undefined;
  const done = new Promise<void>((resolve) => {
    a.ws('/flood', async (socket) => {
      const chunk = 'y'.repeat(64 * 1024);
      let sent = 0;
      let last = true;
      // Not awaited: a producer that ignores backpressure.
      for (let i = 0; i < 10_000 && last; i++) {
        last = socket.isOpen;
        if (last) void socket.send(chunk).then((ok) => ok && sent++);
        await sleep(0);
      }
      result = { sent, last };
      resolve();
    });
  });
  const s = await a.listen({ port: 0, handleSignals: false });
  try {
    const sock = await mustOpen(`${s.url.replace('http:', 'ws:')}/flood`);
    sock.pause(); // reads nothing
    await done;
    assert.equal(result!.last, false, 'the connection was still open after 10,000 sends');
    assert.ok(result!.sent < 10_000);
    sock.resume();
    assert.equal((await closeOf(sock)).code, 1006); // dropped, no close frame
  } finally {
    await s.close();
  }
});

test('messages a handler has not read yet wait (the socket is paused past maxQueued), in order, none lost', async () => {
  const a = createApp({ env: 'test', secretKey: SECRET, websocket: { maxQueued: 4 } });
  a.ws('/slow', async (socket) => {
    await sleep(200); // the client sends 50 messages meanwhile
    const got: string[] = [];
    for await (const m of socket) {
      got.push(m as string);
      if (got.length === 50) break;
    }
    await socket.send(got.join(','));
  });
  const s = await a.listen({ port: 0, handleSignals: false });
  try {
    const sock = await mustOpen(`${s.url.replace('http:', 'ws:')}/slow`);
    for (let i = 0; i < 50; i++) sock.send(String(i));
    assert.equal(await nextText(sock), Array.from({ length: 50 }, (_, i) => String(i)).join(','));
  } finally {
    await s.close();
  }
});

test('a client that does not answer pings is dropped after websocket.pingInterval', async () => {
  const a = createApp({ env: 'test', secretKey: SECRET, websocket: { pingInterval: 100 } });
  a.ws('/idle', (socket) => socket.closed.then(() => undefined));
  const s = await a.listen({ port: 0, handleSignals: false });
  try {
    // A raw socket that completes the handshake and then reads nothing and answers nothing.
    const raw = connect(s.port, '127.0.0.1');
    await once(raw, 'connect');
    raw.write(
      'GET /idle HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [first] = (await once(raw, 'data')) as [Buffer];
    assert.match(first.toString('latin1'), /^HTTP\/1\.1 101 /);
    const t0 = Date.now();
    await once(raw, 'close');
    const waited = Date.now() - t0;
    assert.ok(waited < 2000, `dropped after ${waited} ms`);
    // A client that answers (ws does) stays.
    const live = await mustOpen(`${s.url.replace('http:', 'ws:')}/idle`);
    await sleep(450);
    assert.equal(live.readyState, WebSocket.OPEN);
    live.close();
  } finally {
    await s.close();
  }
});

test('a plain request to a WebSocket route is a 426 naming the code; a malformed handshake a 400', async () => {
  const plain = await fetch(`${server.url}/echo`);
  assert.equal(plain.status, 426);
  assert.equal(plain.headers.get('upgrade'), 'websocket');
  assert.match(await plain.text(), /WS_UPGRADE_REQUIRED/);

  for (const [key, version] of [
    ['short', '13'],
    ['dGhlIHNhbXBsZSBub25jZQ==', '12'],
  ] as const) {
    const raw = connect(server.port, '127.0.0.1');
    await once(raw, 'connect');
    raw.write(
      `GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`,
    );
    let text = '';
    raw.setEncoding('latin1');
    raw.on('data', (c: string) => (text += c));
    await once(raw, 'close');
    assert.match(text, /^HTTP\/1\.1 400 /);
    assert.match(text, /WS_BAD_HANDSHAKE/);
    if (version === '12') assert.match(text, /sec-websocket-version: 13, 8/i);
  }

  const none = await openSocket(`${ws}/page`);
  assert.equal(none.ok ? 101 : none.status, 404);
});

test('an Upgrade to another protocol (h2c) is answered as the plain request it is', async () => {
  const raw = connect(server.port, '127.0.0.1');
  await once(raw, 'connect');
  raw.write('GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
  let text = '';
  raw.setEncoding('latin1');
  raw.on('data', (c: string) => (text += c));
  await once(raw, 'close');
  assert.match(text, /^HTTP\/1\.1 200 /);
  assert.match(text, /a page$/);
});

test('graceful shutdown closes every socket with 1001 and then completes', async () => {
  const a = makeApp();
  const s = await a.listen({ port: 0, handleSignals: false });
  const url = s.url.replace('http:', 'ws:');
  const socks = await Promise.all([mustOpen(`${url}/echo`), mustOpen(`${url}/open`), mustOpen(`${url}/echo`)]);
  await nextText(socks[1]!);
  const closes = socks.map(closeOf);
  const t0 = Date.now();
  await s.close();
  assert.ok(Date.now() - t0 < 5000);
  for (const c of await Promise.all(closes)) assert.deepEqual(c, { code: 1001, reason: 'server shutting down' });
  const refused = await openSocket(`${url}/echo`).catch((err: NodeJS.ErrnoException) => err.code);
  assert.equal(refused, 'ECONNREFUSED');
});

test('loginRequired refuses an anonymous handshake (401); the handler sees the current user', async () => {
  const users = new Map([['1', { name: 'ada', epoch: 'e1' }]]);
  const a = createApp({
    env: 'test',
    secretKey: SECRET,
    session: { userEpoch: (id) => users.get(String(id))?.epoch },
    login: { loadUser: (id) => users.get(String(id)) },
  });
  a.get(
    '/login',
    async (req) => {
      await req.session.setUser('1', 'e1');
      return 'ok';
    },
    { name: 'login' },
  );
  a.ws(
    '/me',
    async (socket, req) => {
      const user = await req.currentUser<{ name: string }>();
      await socket.send(`me=${user?.name}`);
    },
    { loginRequired: true },
  );
  const s = await a.listen({ port: 0, handleSignals: false });
  try {
    const url = `${s.url.replace('http:', 'ws:')}/me`;
    const anon = await openSocket(url, { headers: { 'sec-fetch-mode': 'websocket' } });
    assert.equal(anon.ok ? 101 : anon.status, 401);
    const login = await fetch(`${s.url}/login`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const sock = await mustOpen(url, { headers: { cookie } });
    assert.equal(await nextText(sock), 'me=ada');
  } finally {
    await s.close();
  }
});
