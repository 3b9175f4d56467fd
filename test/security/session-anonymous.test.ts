// Visitors without a session: their CSRF binding is a signed random id in the cookie, and
// nothing is written to a server-side store until the session holds data. The memory store
// is bounded. (Issue: 2,001 GETs of a page with a form made 2,001 memory-store entries; 20
// made 20 Redis keys.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createApp, html, type App, type AppOptions } from '../../src/index.js';
import { csrfToken } from '../../src/security/csrf.js';
import { MemoryStore } from '../../src/security/session-store.js';
import { redisMissing, startRedis } from './redis-helper.js';

const SECRET = 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ';

function makeApp(session: AppOptions['session']): App {
  const app = createApp({ env: 'test', secretKey: SECRET, session });
  // A page with a form: the template adds the CSRF field, which binds the visitor.
  app.get('/login', () => html`<form method="post" action="/login"><input name="user"></form>`);
  app.get('/token', () => ({ token: csrfToken() }));
  app.post('/search', () => 'no session needed');
  app.get('/get', async (req) => ({ cart: (await req.session.get('cart')) ?? null }));
  app.post('/cart', async (req) => {
    await req.session.set('cart', (await req.form()).get('item'));
    return 'ok';
  });
  app.post('/empty', async (req) => {
    await req.session.clear();
    return 'ok';
  });
  return app;
}

const fieldOf = (page: string): string => /name="csrf_token" value="([^"]+)"/.exec(page)![1]!;

test('attack: 2,001 first visits to a page with a form leave nothing in the memory store', async () => {
  const store = new MemoryStore();
  const app = makeApp({ store });
  for (let i = 0; i < 2001; i++) {
    const res = await app.test().get('/login'); // a new visitor each time: no cookie
    assert.equal(res.status, 200);
  }
  assert.equal(store.size, 0);
});

test('a visitor without a session posts the form with its token; the first value stored keeps the same binding', async () => {
  for (const session of [{ store: new MemoryStore() }, { store: 'cookie' as const }]) {
    const store = session.store instanceof MemoryStore ? session.store : undefined;
    const c = makeApp(session).test();
    const page = await c.get('/login');
    const bound = c.cookies.session!;
    assert.ok(bound, 'the page set a signed binding cookie');
    const token = fieldOf(page.text);
    // A form that needs no session: the token checks against the binding alone.
    assert.equal((await c.post('/search', { csrf: false, form: { csrf_token: token } })).status, 200);
    assert.equal(store?.size ?? 0, 0);
    // The first write stores the session under the same id: the page's token stays valid.
    assert.equal((await c.post('/cart', { csrf: false, form: { item: 'tea', csrf_token: token } })).status, 200);
    assert.equal(store?.size ?? 1, 1);
    assert.equal((await c.post('/cart', { csrf: false, form: { item: 'milk', csrf_token: token } })).status, 200);
    assert.deepEqual((await c.get('/get')).json(), { cart: 'milk' });
    // Control: a token for another visitor's binding is refused.
    const other = makeApp(session).test();
    const foreign = fieldOf((await other.get('/login')).text);
    const refused = await c.post('/cart', { csrf: false, form: { item: 'x', csrf_token: foreign }, headers: { accept: 'application/json' } });
    assert.equal(refused.status, 403);
    assert.ok(bound.length > 0);
  }
});

test('a binding cookie cannot be forged or altered', async () => {
  const c = makeApp({ store: new MemoryStore() }).test();
  await c.get('/login');
  const real = c.cookies.session!;
  const token = (await c.get('/token')).json<{ token: string }>().token;
  const flipped = real.slice(0, 5) + (real[5] === 'A' ? 'B' : 'A') + real.slice(6);
  c.setCookie('session', flipped);
  const res = await c.post('/search', { csrf: false, form: { csrf_token: token }, headers: { accept: 'application/json' } });
  assert.equal(res.status, 403);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');
});

test("a session emptied by clear() leaves the store, and its id stays the visitor's binding", async () => {
  const store = new MemoryStore();
  const c = makeApp({ store }).test();
  const token = fieldOf((await c.get('/login')).text);
  await c.post('/cart', { csrf: false, form: { item: 'tea', csrf_token: token } });
  assert.equal(store.size, 1);
  assert.equal((await c.post('/empty', { csrf: false, form: { csrf_token: token } })).status, 200);
  assert.equal(store.size, 0);
  assert.equal((await c.post('/search', { csrf: false, form: { csrf_token: token } })).status, 200, 'the token still holds');
  assert.deepEqual((await c.get('/get')).json(), { cart: null });
});

test('the memory store holds at most maxEntries sessions, dropping the least recently used', async () => {
  const store = new MemoryStore({ maxEntries: 50 });
  const app = makeApp({ store });
  const clients = [];
  for (let i = 0; i < 120; i++) {
    const c = app.test();
    await c.post('/cart', { form: { item: `item-${i}` } });
    clients.push(c);
    // The first session is used all along, so it is never the least recently used.
    assert.deepEqual((await clients[0]!.get('/get')).json(), { cart: 'item-0' });
  }
  assert.equal(store.size, 50);
  assert.deepEqual((await clients[119]!.get('/get')).json(), { cart: 'item-119' });
  assert.deepEqual((await clients[1]!.get('/get')).json(), { cart: null }, 'dropped');
  assert.throws(() => new MemoryStore({ maxEntries: 0 }), /maxEntries/);
  assert.equal(new MemoryStore().maxEntries, 10_000);
});

test('attack: 20 first visits leave no Redis keys; a visitor with data has one', { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const app = makeApp({ store: { redis: redis.url } });
  const client = new Redis(redis.url);
  try {
    for (let i = 0; i < 20; i++) assert.equal((await app.test().get('/login')).status, 200);
    assert.equal(await client.dbsize(), 0);
    const c = app.test();
    const token = fieldOf((await c.get('/login')).text);
    await c.post('/cart', { csrf: false, form: { item: 'tea', csrf_token: token } });
    assert.equal(await client.dbsize(), 1);
    assert.deepEqual((await c.get('/get')).json(), { cart: 'tea' });
  } finally {
    client.disconnect();
    await app.close();
    await redis.stop();
  }
});
