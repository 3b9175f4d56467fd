import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, Blueprint, ConfigError, PalisadeError, Response } from '../../src/index.js';

test('routes by method and path with typed params', async () => {
  const app = createApp({ env: 'test' });
  app.get('/notes/:id', (req) => `note ${req.params.id}`);
  app.post('/notes', () => 'created');
  app.get('/files/*', (req) => `file ${req.params['*']}`);
  const c = app.test();
  assert.equal((await c.get('/notes/42')).text, 'note 42');
  assert.equal((await c.get('/notes/a%20b')).text, 'note a b');
  assert.equal((await c.get('/files/a/b.txt')).text, 'file a/b.txt');
  assert.equal((await c.post('/notes', { headers: { 'x-csrf-token': 'ignored' } })).status !== 404, true);
});

test('404, and 405 with Allow', async () => {
  const app = createApp({ env: 'test' });
  app.get('/a', () => 'a');
  app.put('/a', () => 'put');
  const c = app.test();
  const nf = await c.get('/nope');
  assert.equal(nf.status, 404);
  const na = await c.patch('/a');
  assert.equal(na.status, 405);
  assert.equal(na.header('allow'), 'GET, HEAD, PUT');
});

test('HEAD is answered for every GET, without a body', async () => {
  const app = createApp({ env: 'test' });
  app.get('/x', () => 'hello');
  const r = await app.test().head('/x');
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  assert.equal(r.header('content-type'), 'text/plain; charset=utf-8');
});

test('urlFor encodes values and puts extras in the query', () => {
  const app = createApp({ env: 'test' });
  app.get('/notes/:id', () => '', { name: 'note' });
  app.get('/u/:name/files/:file', () => '', { name: 'file' });
  assert.equal(app.urlFor('note', { id: 3 }), '/notes/3');
  assert.equal(app.urlFor('note', { id: '../x?y' }, { tab: 'a b' }), '/notes/..%2Fx%3Fy?tab=a+b');
  assert.equal(app.urlFor('note', { id: 1, extra: '<x>' }), '/notes/1?extra=%3Cx%3E');
  assert.equal(app.urlFor('file', { name: 'ann', file: 'r&d.pdf' }), '/u/ann/files/r%26d.pdf');
  assert.throws(() => app.urlFor('note'), /missing value for :id/);
  assert.equal(app.urlFor('note', { id: '...' }), '/notes/...');
  assert.throws(() => app.urlFor('nope'), /no route is named "nope"/);
});

test('duplicate route names are a start-up error', () => {
  const app = createApp({ env: 'test' });
  app.get('/a', () => '', { name: 'x' });
  app.get('/b', () => '', { name: 'x' });
  assert.throws(
    () => app.routes,
    (e: Error & { code?: string }) => e.code === 'CONFIG_ROUTE',
  );
});

test('blueprints mount under a prefix with their own hooks and names', async () => {
  const app = createApp({ env: 'test' });
  const seen: string[] = [];
  app.before((req) => void seen.push(`app:${req.path}`));
  const api = new Blueprint('api', { prefix: '/api' });
  api.before((req) => void seen.push(`api:${req.path}`));
  api.get('/items/:id', (req) => ({ id: req.params.id }), { name: 'item' });
  api.onError(404, () => ({ error: 'api 404' }));
  app.register(api);
  app.get('/', () => 'home');
  const c = app.test();
  assert.deepEqual((await c.get('/api/items/7')).json(), { id: '7' });
  assert.equal(app.urlFor('api.item', { id: 7 }), '/api/items/7');
  await c.get('/');
  assert.deepEqual(seen, ['app:/api/items/7', 'api:/api/items/7', 'app:/']);
});

test('a before hook can answer; an after hook can change the response', async () => {
  const app = createApp({ env: 'test' });
  app.before((req) => (req.query.get('deny') ? new Response('denied', { status: 403 }) : undefined));
  app.after((_req, res) => void res.setHeader('x-after', '1'));
  app.get('/', () => 'ok');
  const c = app.test();
  const denied = await c.get('/?deny=1');
  assert.equal(denied.status, 403);
  assert.equal(denied.text, 'denied');
  const ok = await c.get('/');
  assert.equal(ok.header('x-after'), '1');
});

test('error handlers by status and by class', async () => {
  class Missing extends Error {}
  const app = createApp({ env: 'test' });
  app.get('/missing', () => {
    throw new Missing('no such note');
  });
  app.onError(Missing, (err) => new Response(`custom: ${(err as Error).message}`, { status: 404 }));
  app.onError(404, () => 'not here');
  const c = app.test();
  const m = await c.get('/missing');
  assert.equal(m.status, 404);
  assert.equal(m.text, 'custom: no such note');
  const nf = await c.get('/other');
  assert.equal(nf.status, 404);
  assert.equal(nf.text, 'not here');
});

/** The ConfigError a late declaration throws, with the call and what fixed the setup in its message. */
const setupFinished =
  (call: RegExp, why: RegExp) =>
  (e: unknown): boolean =>
    e instanceof ConfigError &&
    e.code === 'CONFIG_SETUP_FINISHED' &&
    call.test(e.message) &&
    why.test(e.message) &&
    /Declare them all before the first request/.test(e.message);

test('the setup is fixed at the first request: a late route, hook, error handler or blueprint is a ConfigError that says what to do', async () => {
  const app = createApp({ env: 'test' });
  const bp = new Blueprint('notes', { prefix: '/notes' });
  bp.get('/', () => 'notes');
  app.register(bp);
  app.get('/a', () => 'a');
  // Before the first request the table follows every declaration (app.routes, urlFor).
  app.get('/b', () => 'b', { name: 'b' });
  assert.equal(app.urlFor('b'), '/b');
  const c = app.test();
  assert.equal((await c.get('/b')).text, 'b');
  const late: [() => unknown, RegExp][] = [
    [() => app.get('/late', () => 'late'), /^app\.get\("\/late"\)/],
    [() => app.post('/late', () => 'late'), /^app\.post\("\/late"\)/],
    [() => app.ws('/late', () => {}), /^app\.ws\("\/late"\)/],
    [() => app.before(() => {}), /^app\.before\(\)/],
    [() => app.after(() => {}), /^app\.after\(\)/],
    [() => app.onError(404, () => 'x'), /^app\.onError\(404\)/],
    [() => app.register(new Blueprint('more')), /^app\.register\(blueprint "more"\)/],
  ];
  for (const [declare, call] of late) assert.throws(declare, setupFinished(call, /after the app handled its first request/));
  // A blueprint the app holds is fixed with it.
  assert.throws(
    () => bp.get('/late', () => 'x'),
    setupFinished(/^blueprint "notes"\.get\("\/late"\)/, /after an app it is registered with handled its first request/),
  );
  // Nothing late was taken: the table is the one the first request saw.
  assert.equal((await c.get('/late')).status, 404);
  assert.equal((await c.get('/notes/late')).status, 404);
  assert.equal((await c.get('/notes/')).text, 'notes');
  assert.deepEqual(app.routes.map((r) => `${r.method} ${r.path}`).sort(), ['GET /a', 'GET /b', 'GET /notes/', 'HEAD /a', 'HEAD /b', 'HEAD /notes/']);
});

test('listen() fixes the setup too, and app.fetch() is a first request', async () => {
  const app = createApp({ env: 'test' });
  app.get('/', () => 'home');
  const s = await app.listen({ port: 0 });
  try {
    assert.throws(() => app.get('/late', () => 'late'), setupFinished(/^app\.get/, /after the app began listening/));
  } finally {
    await s.close();
  }
  const other = createApp({ env: 'test' });
  other.get('/', () => 'home');
  assert.equal(await (await other.fetch(new globalThis.Request('http://localhost/'))).text(), 'home');
  assert.throws(() => other.before(() => {}), setupFinished(/^app\.before\(\)/, /after the app handled its first request/));
});

test('urlFor refuses values that would make the URL leave its route', () => {
  const app = createApp({ env: 'test' });
  app.get('/*', () => 'any', { name: 'any' });
  app.get('/files/*', () => 'file', { name: 'file' });
  app.get('/notes/:id', () => 'note', { name: 'note' });
  app.get('/a/:x.txt', () => 'txt', { name: 'txt' });
  const refused = (name: string, params: Record<string, unknown>, why: RegExp): void => {
    assert.throws(
      () => app.urlFor(name, params),
      (e: unknown) => e instanceof PalisadeError && e.code === 'HTTP_URL_FOR_VALUE' && why.test(e.message),
    );
  };
  // A * value starting with / under /* was a link to another host: //evil.example/x.
  refused('any', { '*': '/evil.example/x' }, /start with \/\//);
  refused('any', { '*': '//evil.example' }, /start with \/\//);
  refused('file', { '*': 'a//b' }, /empty segment/);
  // Dot segments, which a browser removes before it asks the server.
  refused('note', { id: '..' }, /"\.\." segment/);
  refused('note', { id: '.' }, /"\." segment/);
  refused('file', { '*': 'docs/../../admin' }, /"\.\." segment/);
  refused('any', { '*': '.' }, /"\." segment/);
  // What is kept: a trailing slash, dots that are not a whole segment, encoded slashes.
  assert.equal(app.urlFor('file', { '*': 'docs/' }), '/files/docs/');
  assert.equal(app.urlFor('file', { '*': 'a/.b/c..' }), '/files/a/.b/c..');
  assert.equal(app.urlFor('any', { '*': '' }), '/');
  assert.equal(app.urlFor('txt', { x: '.' }), '/a/..txt');
  assert.equal(app.urlFor('note', { id: '/evil.example' }), '/notes/%2Fevil.example');
});
