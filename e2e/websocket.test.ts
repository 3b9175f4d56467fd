// Cross-site WebSocket hijacking in a real browser. The victim is logged in to the app on
// 127.0.0.1:P; the attacker's page is served from two other origins: 127.0.0.1:Q (another
// origin on the same site, so the browser sends the victim's SameSite=Lax session cookie
// with the handshake, as it would from a sibling subdomain) and localhost:Q (another
// site). The page opens the app's socket and reads what it says about the user.
// With the default protection the handshake is refused (403) from both; from the app's
// own page it opens. The control, the same route with `{ csrf: false }` (the documented
// switch), lets the attacker's page read the victim's account over the socket.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { BrowserContext, Page } from 'playwright-core';
import { launchVictimContext } from './browser.js';
import { createApp } from '../src/index.js';
import type { RunningServer } from '../src/adapters/node.js';

interface Handshake {
  path: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The handshake carried the victim's session cookie. */
  cookie: boolean;
  status: number;
}

let app: RunningServer;
/** Every handshake the server answered, as the server saw it. */
const handshakes: Handshake[] = [];
let attacker: { server: Server; port: number };
let ctx: BrowserContext;

before(async () => {
  const a = createApp({ env: 'test', secretKey: 'e2e-ws-secret-'.padEnd(40, 'x') });
  a.get('/login', async (req) => {
    await req.session.set('user', 'victim');
    return 'logged in';
  });
  a.get('/', () => 'the app');
  const account = async (socket: import('../src/realtime/ws.js').WebSocketConnection, req: import('../src/http/request.js').Request) => {
    await socket.send(`account of ${String(await req.session.get('user'))}`);
    for await (const m of socket) await socket.send(`did: ${String(m)}`);
  };
  a.ws('/ws/account', account);
  a.ws('/ws/account-open', account, { csrf: false }); // the control
  app = await a.listen({ host: '127.0.0.1', port: 0, handleSignals: false });
  app.server.on('upgrade', (req, socket) => {
    const h: Handshake = {
      path: req.url ?? '',
      origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
      cookie: /(^|; )session=/.test(req.headers.cookie ?? ''),
      status: 0,
    };
    handshakes.push(h);
    // The first bytes the server writes back carry the status line.
    const write = socket.write.bind(socket);
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (h.status === 0) h.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(String(chunk))?.[1] ?? -1);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof socket.write;
    const end = socket.end.bind(socket);
    socket.end = ((chunk: unknown, ...rest: unknown[]) => {
      if (h.status === 0 && chunk !== undefined && typeof chunk !== 'function') h.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(String(chunk))?.[1] ?? -1);
      return (end as (...a: unknown[]) => Duplex)(chunk, ...rest);
    }) as typeof socket.end;
  });
  attacker = await new Promise((resolve) => {
    // The attacker's page: opens the socket the query names and records what it hears.
    const server = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><script>
        window.result = new Promise((resolve) => {
          const heard = [];
          const ws = new WebSocket(${JSON.stringify(target)});
          ws.onopen = () => ws.send('transfer 100 to mallory');
          ws.onmessage = (e) => { heard.push(e.data); if (heard.length === 2) { ws.close(); resolve({ opened: true, heard }); } };
          ws.onerror = () => resolve({ opened: false, heard });
          setTimeout(() => resolve({ opened: ws.readyState === 1, heard, timeout: true }), 5000);
        });
      </script>`);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
  ctx = await launchVictimContext();
});

after(async () => {
  await ctx?.close();
  await app?.close();
  await new Promise((r) => attacker?.server.close(r));
});

type Heard = { opened: boolean; heard: string[]; timeout?: boolean };

/** The victim logs in, then visits the attacker's page at `attackerOrigin`, which opens `path`. */
async function visit(attackerOrigin: string, path: string): Promise<{ result: Heard; handshake: Handshake }> {
  const page: Page = await ctx.newPage();
  await page.goto(`${app.url}/login`);
  const seen = handshakes.length;
  const target = `${app.url.replace('http:', 'ws:')}${path}`;
  await page.goto(`${attackerOrigin}/?target=${encodeURIComponent(target)}`);
  const result = (await page.evaluate('window.result')) as Heard;
  await page.close();
  for (let i = 0; i < 100 && (handshakes.length <= seen || handshakes[seen]!.status === 0); i++) await new Promise((r) => setTimeout(r, 20));
  return { result, handshake: handshakes[seen]! };
}

const sameSite = () => `http://127.0.0.1:${attacker.port}`;
const crossSite = () => `http://localhost:${attacker.port}`;

test('an attacker page on another origin of the same site cannot open the socket, though the browser sends the victim’s cookie', async () => {
  const { result, handshake } = await visit(sameSite(), '/ws/account');
  assert.deepEqual(result, { opened: false, heard: [] });
  assert.equal(handshake.status, 403);
  assert.equal(handshake.origin, sameSite());
  assert.equal(handshake.cookie, true, 'the browser sent the session cookie: only the origin check stood in the way');
});

test('an attacker page on another site cannot open the socket', async () => {
  const { result, handshake } = await visit(crossSite(), '/ws/account');
  assert.deepEqual(result, { opened: false, heard: [] });
  assert.equal(handshake.status, 403);
  assert.equal(handshake.origin, crossSite());
});

test('the app’s own page opens it and is told whose account it is', async () => {
  const page = await ctx.newPage();
  await page.goto(`${app.url}/login`);
  await page.goto(`${app.url}/`);
  const result = (await page.evaluate(`new Promise((resolve) => {
    const heard = [];
    const ws = new WebSocket(location.origin.replace('http:', 'ws:') + '/ws/account');
    ws.onopen = () => ws.send('ping');
    ws.onmessage = (e) => { heard.push(e.data); if (heard.length === 2) { ws.close(); resolve({ opened: true, heard }); } };
    ws.onerror = () => resolve({ opened: false, heard });
  })`)) as Heard;
  await page.close();
  assert.deepEqual(result, { opened: true, heard: ['account of victim', 'did: ping'] });
});

test('control: with the origin check switched off ({ csrf: false }) the attacker’s page reads the victim’s account and acts on it', async () => {
  const { result, handshake } = await visit(sameSite(), '/ws/account-open');
  assert.deepEqual(result, { opened: true, heard: ['account of victim', 'did: transfer 100 to mallory'] });
  assert.equal(handshake.status, 101);
  assert.equal(handshake.origin, sameSite());
  assert.equal(handshake.cookie, true);
});
