// Rate limits over real sockets: the 429 with Retry-After and the RateLimit fields, keys by
// address (trustProxy honoured: a client cannot pick its own address), by a value of the
// form (a username), by session; blueprints, shared names, a store that fails, bad rules.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Blueprint, createApp, type AppOptions, type RateLimitStore, type RouteOptions, type RunningServer } from '../../../src/index.js';
import { PROTECTIONS } from '../../../src/util/symbols.js';

const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function serve(routes: (app: ReturnType<typeof createApp>) => void, opts: AppOptions = {}): Promise<string> {
  const app = createApp({ env: 'test', csrf: { token: false }, ...opts });
  routes(app);
  const server = await app.listen({ port: 0, handleSignals: false });
  servers.push(server);
  return server.url;
}

async function send(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'sec-fetch-site': 'same-origin', ...init.headers };
  let body: string | undefined;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

test('past the limit: 429 with Retry-After, the RateLimit fields on every answer, and the error page naming RATE_LIMITED', async () => {
  // Sliding (the default): a window edge passing during the test changes nothing here.
  const url = await serve((app) => app.get('/search', () => 'results', { rateLimit: { limit: 3, window: 60 } }));
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 5; i++) {
    last = await send(`${url}/search`, { headers: { accept: 'application/json' } });
    statuses.push(last.status);
    assert.equal(last.headers.get('ratelimit-policy'), '"ip";q=3;w=60');
    const m = /^"ip";r=(\d+);t=(\d+)$/.exec(last.headers.get('ratelimit')!);
    assert.ok(m, last.headers.get('ratelimit')!);
    assert.equal(Number(m[1]), Math.max(0, 2 - i));
  }
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  const retry = Number(last!.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 120, String(retry));
  const body = JSON.parse(last!.text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'RATE_LIMITED');
  assert.match(body.error.message, /3 per 60 s by ip/);
  const page = await send(`${url}/search`);
  assert.equal(page.status, 429);
  assert.match(page.text, /RATE_LIMITED/);
});

test('attack: a client that makes up X-Forwarded-For addresses is still one client (no trustProxy); the control that trusts the header is not', async () => {
  const rule = { limit: 3, window: 60 };
  const url = await serve((app) => {
    app.get('/login', () => 'page', { rateLimit: rule });
    // The control: what a hand-written limiter that reads the header does.
    app.get('/naive', () => 'page', { rateLimit: { ...rule, key: (req) => req.header('x-forwarded-for') ?? req.ip } });
  });
  const spoofed = async (path: string) => {
    const out: number[] = [];
    for (let i = 0; i < 6; i++) out.push((await send(`${url}${path}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
    return out;
  };
  assert.deepEqual(await spoofed('/login'), [200, 200, 200, 429, 429, 429]);
  assert.deepEqual(await spoofed('/naive'), [200, 200, 200, 200, 200, 200], 'the control is fooled');
});

test('with trustProxy: 1 the address the proxy saw counts; what the client wrote in front of it does not', async () => {
  const url = await serve((app) => app.get('/x', () => 'ok', { rateLimit: { limit: 2, window: 60 } }), { trustProxy: 1 });
  const via = (clientSays: string, proxySaw: string) => send(`${url}/x`, { headers: { 'x-forwarded-for': `${clientSays}, ${proxySaw}` } });
  assert.deepEqual(
    [(await via('1.1.1.1', '198.51.100.7')).status, (await via('2.2.2.2', '198.51.100.7')).status, (await via('3.3.3.3', '198.51.100.7')).status],
    [200, 200, 429],
  );
  assert.equal((await via('1.1.1.1', '198.51.100.8')).status, 200, 'another client behind the proxy has its own count');
  // IPv6 clients count by their /64: a new address in the same network is the same client.
  assert.equal((await via('x', '2001:db8:1:2::1')).status, 200);
  assert.equal((await via('x', '2001:db8:1:2::2')).status, 200);
  assert.equal((await via('x', '2001:db8:1:2:aaaa::3')).status, 429);
});

test('login throttling by username (a key read from the form) and by address, as two rules', async () => {
  const byUsername = async (req: import('../../../src/index.js').Request) => (await req.form()).get('username')?.toLowerCase();
  const url = await serve((app) =>
    app.post('/login', async (req) => `tried ${(await req.form()).get('username')}`, {
      rateLimit: [
        { limit: 3, window: 60, key: byUsername, name: 'login-user' },
        { limit: 8, window: 60, name: 'login-ip' },
      ],
    }),
  );
  const tries: string[] = [];
  for (const u of ['ada', 'ADA', 'ada', 'ada', 'bob', 'bob', 'bob', 'bob', 'carl']) {
    const r = await send(`${url}/login`, { form: { username: u, password: 'guess' } });
    tries.push(`${u}:${r.status}`);
    if (r.status === 429) assert.match(r.headers.get('ratelimit')!, /"login-user";r=0;t=\d+/);
  }
  // ada 3 then refused; bob 3 then refused; the address had 6 allowed; carl is the 7th.
  assert.deepEqual(tries, ['ada:200', 'ADA:200', 'ada:200', 'ada:429', 'bob:200', 'bob:200', 'bob:200', 'bob:429', 'carl:200']);
  const r = await send(`${url}/login`, { form: { username: 'dora', password: 'x' } });
  assert.equal(r.status, 200);
  assert.equal((await send(`${url}/login`, { form: { username: 'erin', password: 'x' } })).status, 429, 'the address rule: 8 allowed');
  // A form without the field: the username rule does not count it; the address rule still does.
  assert.equal((await send(`${url}/login`, { form: { password: 'x' } })).status, 429);
});

test('a 1 MB username is one key of fixed size: the store holds a hash, not the value', async () => {
  const seen: string[] = [];
  const store: RateLimitStore = {
    name: 'spy',
    hit(key) {
      seen.push(key);
      return { allowed: true, current: 1, previous: 0, now: Date.now() };
    },
  };
  const url = await serve(
    (app) => app.post('/login', () => 'ok', { rateLimit: { limit: 3, window: 60, key: async (req) => (await req.text()).slice(0, 1 << 20) } }),
    {
      rateLimit: { store },
      maxBodySize: 2 << 20,
    },
  );
  const r = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' },
    body: 'u'.repeat(1 << 20),
  });
  assert.equal(r.status, 200);
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /^[\w-]{43}$/);
});

test('by session: each browser its own count; a request without a session cookie counts by address', async () => {
  const app = createApp({ env: 'test' });
  app.get('/start', async (req) => {
    await req.session.set('n', 1);
    return 'started';
  });
  app.get('/x', () => 'ok', { rateLimit: { limit: 2, window: 60, key: 'session' } });
  const [a, b, anon] = [app.test(), app.test(), app.test()];
  await a.get('/start');
  await b.get('/start');
  assert.deepEqual([(await a.get('/x')).status, (await a.get('/x')).status, (await a.get('/x')).status], [200, 200, 429]);
  assert.equal((await b.get('/x')).status, 200);
  assert.deepEqual([(await anon.get('/x')).status, (await anon.get('/x')).status, (await anon.get('/x')).status], [200, 200, 429]);
});

test('blueprints: routeDefaults limit every route (each its own count), rateLimit: false lifts it, a name shares one count', async () => {
  const app = createApp({ env: 'test' });
  const api = new Blueprint('api', { prefix: '/api', routeDefaults: { rateLimit: { limit: 2, window: 60 } } });
  api.get('/a', () => 'a');
  api.get('/b', () => 'b');
  api.get('/health', () => 'up', { rateLimit: false });
  app.register(api);
  const shared: RouteOptions = { rateLimit: { limit: 3, window: 60, name: 'reports' } };
  app.get('/r1', () => '1', shared);
  app.get('/r2', () => '2', shared);
  const c = app.test();
  assert.deepEqual(await Promise.all(['/api/a', '/api/a', '/api/a', '/api/b'].map(async (p) => (await c.get(p)).status)), [200, 200, 429, 200]);
  for (let i = 0; i < 5; i++) assert.equal((await c.get('/api/health')).status, 200);
  assert.equal((await c.get('/api/health')).header('ratelimit'), undefined);
  assert.deepEqual([(await c.get('/r1')).status, (await c.get('/r2')).status, (await c.get('/r1')).status, (await c.get('/r2')).status], [200, 200, 200, 429]);
});

test('a store that fails answers 503 RATE_LIMIT_STORE_UNAVAILABLE for limited routes only; other routes are served', async () => {
  const broken: RateLimitStore = {
    name: 'broken',
    hit() {
      throw new Error('connection refused');
    },
  };
  const app = createApp({ env: 'test', rateLimit: { store: broken } });
  app.get('/limited', () => 'x', { rateLimit: { limit: 5, window: 60 } });
  app.get('/free', () => 'y');
  const c = app.test();
  const r = await c.get('/limited', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 503);
  assert.equal(r.json<{ error: { code: string } }>().error.code, 'RATE_LIMIT_STORE_UNAVAILABLE');
  assert.equal((await c.get('/free')).text, 'y');
});

test('rules and settings are checked: a bad rule is CONFIG_ROUTE (and a palisade check finding), a bad setting CONFIG_INVALID', async () => {
  const app = createApp({ env: 'test' });
  app.get('/a', () => 'a', { rateLimit: { limit: 0, window: 60 } });
  app.get('/b', () => 'b', { rateLimit: { limit: 1, window: 1.5 } });
  app.get('/c', () => 'c', { rateLimit: { limit: 1, window: 60, key: 'user' as never } });
  const findings = app[PROTECTIONS].find((p) => p.name === 'rate-limit')!.audit!(app.routes).join('\n');
  assert.match(findings, /GET \/a: rateLimit limit must be/);
  assert.match(findings, /GET \/b: rateLimit window must be a whole number/);
  assert.match(findings, /GET \/c: rateLimit key must be/);
  const r = await app.test().get('/a', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 500);
  assert.equal(r.json<{ error: { code: string } }>().error.code, 'CONFIG_ROUTE');
  assert.throws(() => createApp({ env: 'test', rateLimit: { store: 'disk' as never } }), /rateLimit.store/);
  assert.throws(() => createApp({ env: 'test', rateLimit: { maxKeys: -1 } }), /rateLimit.maxKeys/);
});
