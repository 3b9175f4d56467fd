// CORS: off by default; an explicit allow-list; never '*' with credentials; preflights
// answered before routing (even with no OPTIONS route); Vary: Origin; per-route override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, ConfigError, type AppOptions } from '../../src/index.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

function makeApp(opts: AppOptions = {}) {
  const app = createApp({ env: 'test', ...opts });
  const calls: string[] = [];
  app.get('/api/notes', () => {
    calls.push('GET');
    return { notes: [] };
  });
  app.put(
    '/api/notes/:id',
    (req) => {
      calls.push('PUT');
      return { id: req.params.id };
    },
    { csrf: false },
  );
  app.get('/api/public', () => ({ open: true }), { cors: { origins: '*' } });
  app.get('/api/closed', () => ({ closed: true }), { cors: false });
  return { app, calls };
}

const preflight = (origin: string, method: string, headers?: string) => ({
  headers: {
    origin,
    'access-control-request-method': method,
    ...(headers ? { 'access-control-request-headers': headers } : {}),
  },
});

test('off by default: no Access-Control-* header, no preflight answer', async () => {
  const { app } = makeApp();
  const c = app.test();
  const res = await c.get('/api/notes', { headers: { origin: EVIL } });
  assert.equal(res.status, 200);
  for (const k of Object.keys(res.headers)) assert.ok(!k.startsWith('access-control-'), k);
  assert.equal(res.header('vary'), undefined);
  const pre = await c.options('/api/notes/1', preflight(EVIL, 'PUT'));
  assert.equal(pre.status, 405, 'routing answers: there is no OPTIONS route');
  assert.equal(pre.header('access-control-allow-origin'), undefined);
});

test('a listed origin gets its own origin echoed, with Vary: Origin; others get nothing', async () => {
  const { app } = makeApp({ cors: { origins: [APP], exposeHeaders: ['X-Total'] } });
  const c = app.test();
  const ok = await c.get('/api/notes', { headers: { origin: APP } });
  assert.equal(ok.header('access-control-allow-origin'), APP);
  assert.equal(ok.header('access-control-allow-credentials'), undefined);
  assert.equal(ok.header('access-control-expose-headers'), 'X-Total');
  assert.match(ok.header('vary') ?? '', /Origin/);
  const evil = await c.get('/api/notes', { headers: { origin: EVIL } });
  assert.equal(evil.header('access-control-allow-origin'), undefined);
  assert.match(evil.header('vary') ?? '', /Origin/, 'caches must not reuse an answer across origins');
  const none = await c.get('/api/notes');
  assert.equal(none.header('access-control-allow-origin'), undefined);
  assert.match(none.header('vary') ?? '', /Origin/);
});

test('preflight: answered 204 before routing when allowed, 403 naming what was refused otherwise', async () => {
  const { app, calls } = makeApp({ cors: { origins: [APP], credentials: true, methods: ['GET', 'PUT'], headers: ['Content-Type', 'X-Api-Key'], maxAge: 120 } });
  const c = app.test();
  const ok = await c.options('/api/notes/1', preflight(APP, 'PUT', 'content-type, x-api-key'));
  assert.equal(ok.status, 204);
  assert.equal(ok.header('access-control-allow-origin'), APP);
  assert.equal(ok.header('access-control-allow-credentials'), 'true');
  assert.equal(ok.header('access-control-allow-methods'), 'GET, PUT');
  assert.equal(ok.header('access-control-allow-headers'), 'Content-Type, X-Api-Key');
  assert.equal(ok.header('access-control-max-age'), '120');
  assert.match(ok.header('vary') ?? '', /Origin/);
  assert.equal(ok.text, '');
  assert.deepEqual(calls, [], 'no handler runs for a preflight');

  const refusals: [Record<string, string>, RegExp][] = [
    [preflight(EVIL, 'PUT').headers, /origin https:\/\/evil\.example is not in/],
    [preflight(APP, 'DELETE').headers, /method DELETE/],
    [preflight(APP, 'PUT', 'x-other').headers, /header\(s\) x-other/],
  ];
  for (const [headers, re] of refusals) {
    const r = await c.options('/api/notes/1', { headers: { ...headers, accept: 'application/json' } });
    assert.equal(r.status, 403);
    const err = (r.json() as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'JSON_CORS_REFUSED');
    assert.match(err.message, re);
  }
  // The actual request after a good preflight carries the credentials header.
  const put = await c.put('/api/notes/1', { headers: { origin: APP } });
  assert.equal(put.status, 200);
  assert.equal(put.header('access-control-allow-origin'), APP);
  assert.equal(put.header('access-control-allow-credentials'), 'true');
});

test("'*' without credentials answers *; route options replace the app's", async () => {
  const { app } = makeApp({ cors: { origins: [APP] } });
  const c = app.test();
  const pub = await c.get('/api/public', { headers: { origin: EVIL } });
  assert.equal(pub.header('access-control-allow-origin'), '*');
  assert.equal(pub.header('access-control-allow-credentials'), undefined);
  const pre = await c.options('/api/public', preflight(EVIL, 'GET'));
  assert.equal(pre.status, 204);
  assert.equal(pre.header('access-control-allow-origin'), '*');
  const closed = await c.get('/api/closed', { headers: { origin: APP } });
  assert.equal(closed.header('access-control-allow-origin'), undefined);
  assert.equal((await c.options('/api/closed', preflight(APP, 'GET'))).status, 405);
});

test('a route can switch CORS on when the app has none', async () => {
  const { app } = makeApp();
  const c = app.test();
  assert.equal((await c.get('/api/public', { headers: { origin: EVIL } })).header('access-control-allow-origin'), '*');
  assert.equal((await c.options('/api/public', preflight(EVIL, 'GET'))).status, 204);
});

test('settings that cannot be safe are ConfigErrors', () => {
  const bad: unknown[] = [
    { origins: '*', credentials: true },
    { origins: [] },
    { origins: ['*'] },
    { origins: ['null'] },
    { origins: ['https://app.example.com/'] },
    { origins: ['https://App.example.com'] },
    { origins: ['app.example.com'] },
    { origins: ['ftp://app.example.com'] },
    { origins: [APP], methods: ['*'] },
    { origins: [APP], headers: ['bad header'] },
    { origins: [APP], maxAge: -1 },
    { origins: [APP], credential: true },
    { origins: [APP], credentials: 'yes' },
    true,
    [APP],
  ];
  for (const cors of bad) {
    assert.throws(
      () => createApp({ env: 'test', cors: cors as never }),
      (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_INVALID',
      JSON.stringify(cors),
    );
  }
  const star = (() => {
    try {
      createApp({ env: 'test', cors: { origins: '*', credentials: true } });
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(star, /cannot go with credentials/);
  assert.doesNotThrow(() => createApp({ env: 'test', cors: false }));
  assert.doesNotThrow(() => createApp({ env: 'test', cors: { origins: [APP, 'http://localhost:5173'], credentials: true } }));
});

test('a bad route-level cors option fails the request loudly', async () => {
  const app = createApp({ env: 'test' });
  app.get('/x', () => ({}), { cors: { origins: '*', credentials: true } });
  const res = await app.test().get('/x', { headers: { origin: APP, accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.equal((res.json() as { error: { code: string } }).error.code, 'CONFIG_INVALID');
});

test('palisade check lists who may read responses', () => {
  const { app } = makeApp({ cors: { origins: [APP], credentials: true } });
  const findings = app[PROTECTIONS].find((p) => p.name === 'cors')!.audit!(app.routes);
  assert.ok(findings.some((f) => f.includes(`${APP}, with credentials`)));
  assert.ok(findings.some((f) => f.includes('GET /api/public') && f.includes('every origin')));
});
