import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type App } from '../../src/index.js';
import { csrfToken } from '../../src/security/csrf.js';
import { redisMissing, startRedis } from './redis-helper.js';

const SECRET = 'r'.repeat(40);

function makeApp(url: string): App {
  const app = createApp({ env: 'test', secretKey: SECRET, session: { store: { redis: url } } });
  app.get('/plain', () => 'fine');
  app.get('/get', async (req) => ({ user: (await req.session.get('user')) ?? null }));
  app.get('/token', () => ({ token: csrfToken() }));
  app.post('/set', async (req) => {
    await req.session.set('user', (await req.form()).get('user'));
    return 'ok';
  });
  app.post('/logout', async (req) => {
    await req.session.destroy();
    return 'ok';
  });
  return app;
}

test('Redis store: shared between apps, 503 while Redis is down, back when it returns', { skip: redisMissing }, async () => {
  let redis = await startRedis();
  const a = makeApp(redis.url);
  const b = makeApp(redis.url);
  try {
    const ca = a.test();
    await ca.post('/set', { form: { user: 'ada' } });
    assert.doesNotMatch(ca.cookies.session!, /ada/);
    const cb = b.test();
    cb.setCookie('session', ca.cookies.session);
    assert.deepEqual((await cb.get('/get')).json(), { user: 'ada' }, 'the other app sees the session');

    const token = (await ca.get('/token')).json<{ token: string }>().token;
    await redis.stop();
    const down = await ca.get('/get', { headers: { accept: 'application/json' } });
    assert.equal(down.status, 503);
    assert.equal(down.json<{ error: { code: string } }>().error.code, 'SESSION_STORE_UNAVAILABLE');
    const post = await ca.post('/set', { csrf: false, form: { user: 'x' }, headers: { accept: 'application/json', 'x-csrf-token': token } });
    assert.equal(post.status, 503, 'the CSRF check needs the session too: refused, not let through');
    assert.equal((await ca.get('/plain')).status, 200, 'routes without the session are served');

    redis = await startRedis(redis.port);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await ca.get('/get')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, 'reconnected after Redis came back');
    // Redis restarted without persistence: the old session is gone, a new one works.
    assert.deepEqual((await ca.get('/get')).json(), { user: null });
    await ca.post('/set', { form: { user: 'bob' } });
    assert.deepEqual((await ca.get('/get')).json(), { user: 'bob' });
  } finally {
    await a.close();
    await b.close();
    await redis.stop();
  }
});

test('Redis store: destroy in one app ends the session in the other; tokens die with it', { skip: redisMissing }, async () => {
  const redis = await startRedis();
  const a = makeApp(redis.url);
  const b = makeApp(redis.url);
  try {
    const ca = a.test();
    await ca.post('/set', { form: { user: 'ada' } });
    const token = (await ca.get('/token')).json<{ token: string }>().token;
    const cookie = ca.cookies.session!;
    const cb = b.test();
    cb.setCookie('session', cookie);
    const ok = await cb.post('/set', { csrf: false, form: { user: 'ada2', csrf_token: token } });
    assert.equal(ok.status, 200, 'a token from one app is valid in the other');
    await ca.post('/logout');
    const res = await cb.post('/set', { csrf: false, form: { user: 'eve', csrf_token: token }, headers: { accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');
    assert.deepEqual((await cb.get('/get')).json(), { user: null });
  } finally {
    await a.close();
    await b.close();
    await redis.stop();
  }
});
