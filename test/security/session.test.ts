import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type App } from '../../src/index.js';
import { Response } from '../../src/http/response.js';
import { MemoryStore, type SessionStore } from '../../src/security/session-store.js';
import { Signer } from '../../src/security/signing.js';
import { csrfToken } from '../../src/security/csrf.js';
import type { AppOptions } from '../../src/app/config.js';

const SECRET = 's'.repeat(40);

function makeApp(opts: AppOptions = {}): App {
  const app = createApp({ env: 'test', secretKey: SECRET, ...opts });
  app.get('/plain', () => 'no session here');
  app.post('/noop', () => 'ok'); // the handler never reads the session; the CSRF check does
  app.get('/token', () => ({ token: csrfToken() }));
  app.get('/get', async (req) => ({ user: (await req.session.get('user')) ?? null }));
  app.post('/set', async (req) => {
    const f = await req.form();
    await req.session.set('user', f.get('user'));
    return 'ok';
  });
  app.post('/login', async (req) => {
    await req.session.regenerate();
    await req.session.set('user', 'ada');
    return 'ok';
  });
  app.post('/logout', async (req) => {
    await req.session.destroy();
    return 'bye';
  });
  app.post('/big', async (req) => {
    await req.session.set('blob', 'x'.repeat(5000));
    return 'ok';
  });
  app.post('/bad', async (req) => {
    await req.session.set('f', 10n);
    return 'ok';
  });
  app.get('/public', async (req) => {
    await req.session.get('user');
    return new Response('cached?', { headers: { 'cache-control': 'public, max-age=60' } });
  });
  return app;
}

/** The session cookie's Set-Cookie line, if any. */
function sessionLine(lines: string[], name = 'session'): string | undefined {
  return lines.find((l) => l.startsWith(`${name}=`));
}

test('cookie session: set, then read back on the next request', async () => {
  const c = makeApp().test();
  assert.equal((await c.post('/set', { form: { user: 'ada' } })).status, 200);
  const res = await c.get('/get');
  assert.deepEqual(res.json(), { user: 'ada' });
  const line = sessionLine((await c.post('/set', { form: { user: 'bob' } })).setCookies)!;
  assert.match(line, /HttpOnly/);
  assert.match(line, /SameSite=Lax/);
  assert.match(line, /Path=\//);
  assert.match(line, /Max-Age=1209600/);
  assert.doesNotMatch(line, /Secure/);
  assert.deepEqual((await c.get('/get')).json(), { user: 'bob' });
});

test('a route that never touches the session gets no cookie and no Vary', async () => {
  const c = makeApp().test();
  await c.post('/set', { form: { user: 'ada' } });
  const res = await c.get('/plain');
  assert.deepEqual(res.setCookies, []);
  assert.equal(res.header('vary'), undefined);
  assert.equal(res.header('cache-control'), undefined);
});

test('reading the session: Vary: Cookie and Cache-Control: private, and no write', async () => {
  const c = makeApp().test();
  const fresh = await c.get('/get');
  assert.equal(fresh.header('vary'), 'Cookie');
  assert.equal(fresh.header('cache-control'), 'private');
  assert.deepEqual(fresh.setCookies, [], 'an empty new session is not written');
  await c.post('/set', { form: { user: 'ada' } });
  const again = await c.get('/get');
  assert.equal(again.header('vary'), 'Cookie');
  assert.deepEqual(again.setCookies, [], 'unchanged: not written');
  const same = await c.post('/set', { form: { user: 'ada' } });
  assert.equal(sessionLine(same.setCookies), undefined, 'setting the same value is not a change');
});

test('a public Cache-Control becomes private when the session was read', async () => {
  const res = await makeApp().test().get('/public');
  assert.equal(res.header('cache-control'), 'private, max-age=60');
  assert.equal(res.header('vary'), 'Cookie');
});

test('tampered, foreign, expired and oversized cookies give a fresh session, never a 500', async () => {
  const app = makeApp();
  const c = app.test();
  await c.post('/set', { form: { user: 'ada' } });
  const good = c.cookies.session!;
  const parts = good.split('.');
  const [ts, mac] = parts.slice(-2);
  const payload = parts.slice(0, -2).join('.'); // `<id>.<base64url JSON data>`
  const forged = `${'A'.repeat(43)}.${Buffer.from(JSON.stringify({ user: 'admin' })).toString('base64url')}`;
  const otherKey = new Signer(['o'.repeat(40)], { purpose: 'palisade.session.cookie' }).sign(forged);
  const expired = new Signer([SECRET], { purpose: 'palisade.session.cookie' }).sign(forged, Date.now() - 15 * 86400_000);
  const wrongPurpose = new Signer([SECRET], { purpose: 'palisade.csrf.token' }).sign(forged);
  const notJSON = new Signer([SECRET], { purpose: 'palisade.session.cookie' }).sign(`${'A'.repeat(43)}.${Buffer.from('{nope').toString('base64url')}`);
  const noId = new Signer([SECRET], { purpose: 'palisade.session.cookie' }).sign(Buffer.from(JSON.stringify({ user: 'admin' })).toString('base64url'));
  const cases = {
    swappedPayload: `${forged}.${ts}.${mac}`,
    otherKey,
    expired,
    wrongPurpose,
    notJSON,
    noId,
    oversized: `${payload}.${'x'.repeat(5000)}`,
    garbage: '%%%',
    empty: '',
  };
  for (const [name, value] of Object.entries(cases)) {
    c.setCookie('session', value);
    const res = await c.get('/get');
    assert.equal(res.status, 200, name);
    assert.deepEqual(res.json(), { user: null }, name);
  }
  // Control: the untouched cookie still works, and a cookie signed with the app's own key and purpose is trusted.
  c.setCookie('session', good);
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
  c.setCookie('session', new Signer([SECRET], { purpose: 'palisade.session.cookie' }).sign(forged));
  assert.deepEqual((await c.get('/get')).json(), { user: 'admin' });
});

test('a stale cookie is deleted when the session is read', async () => {
  const c = makeApp().test();
  c.setCookie('session', 'garbage');
  const res = await c.get('/get');
  assert.match(sessionLine(res.setCookies)!, /Max-Age=0/);
  assert.equal(c.cookies.session, undefined);
});

test('key rotation: sessions signed with the old key survive a new key', async () => {
  const NEW = 'n'.repeat(40);
  const c1 = makeApp().test();
  await c1.post('/set', { form: { user: 'ada' } });
  const c2 = makeApp({ secretKey: [NEW, SECRET] }).test();
  c2.setCookie('session', c1.cookies.session);
  assert.deepEqual((await c2.get('/get')).json(), { user: 'ada' });
  const c3 = makeApp({ secretKey: [NEW] }).test();
  c3.setCookie('session', c1.cookies.session);
  assert.deepEqual((await c3.get('/get')).json(), { user: null }, 'a dropped key no longer verifies');
});

test('over HTTPS the cookie is __Host-session, Secure', async () => {
  const c = makeApp().test({ baseUrl: 'https://localhost' });
  const line = sessionLine((await c.post('/set', { form: { user: 'ada' } })).setCookies, '__Host-session')!;
  assert.match(line, /Secure/);
  assert.match(line, /Path=\//);
  assert.doesNotMatch(line, /Domain/i);
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
  // The plain-HTTP name is not read over HTTPS (a cookie planted without Secure cannot fix the session).
  const d = makeApp().test({ baseUrl: 'https://localhost' });
  d.setCookie('session', c.cookies['__Host-session']);
  assert.deepEqual((await d.get('/get')).json(), { user: null });
});

test('a session too large for a cookie is a clear 500, not a truncated cookie', async () => {
  const res = await makeApp()
    .test()
    .post('/big', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'SESSION_COOKIE_TOO_LARGE');
  assert.equal(sessionLine(res.setCookies), undefined);
});

test('values JSON cannot hold are refused with SESSION_VALUE_INVALID', async () => {
  const res = await makeApp()
    .test()
    .post('/bad', { headers: { accept: 'application/json' } });
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'SESSION_VALUE_INVALID');
});

test('session keys like __proto__ are plain keys', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.post('/p', async (req) => {
    await req.session.set('__proto__', { polluted: true });
    return 'ok';
  });
  app.get('/p', async (req) => ({ v: await req.session.get('__proto__'), polluted: ({} as Record<string, unknown>).polluted ?? null }));
  const c = app.test();
  await c.post('/p');
  assert.deepEqual((await c.get('/p')).json(), { v: { polluted: true }, polluted: null });
});

test('memory store: the cookie holds only a signed id; regenerate deletes the old id; destroy ends it', async () => {
  const store = new MemoryStore();
  const c = makeApp({ session: { store } }).test();
  await c.post('/set', { form: { user: 'guest' } });
  const before = c.cookies.session!;
  assert.doesNotMatch(Buffer.from(before.split('.')[0]!, 'base64url').toString('latin1'), /guest/);
  assert.equal(store.size, 1);
  await c.post('/login');
  const after = c.cookies.session!;
  assert.notEqual(after, before, 'new id at login');
  assert.equal(store.size, 1, 'old id deleted');
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
  // The pre-login cookie (what a fixation attacker would hold) no longer has a session.
  const attacker = makeApp({ session: { store } }).test();
  attacker.setCookie('session', before);
  assert.deepEqual((await attacker.get('/get')).json(), { user: null });
  // Destroy: record gone, cookie deleted; the old cookie replayed finds nothing.
  const bye = await c.post('/logout');
  assert.match(sessionLine(bye.setCookies)!, /Max-Age=0/);
  assert.equal(store.size, 0);
  attacker.setCookie('session', after);
  assert.deepEqual((await attacker.get('/get')).json(), { user: null });
});

test('cookie store: regenerate changes the session id inside the cookie; destroy deletes the cookie', async () => {
  const c = makeApp().test();
  await c.post('/set', { form: { user: 'guest' } });
  const idOf = (v: string) => v.slice(0, 43);
  const before = idOf(c.cookies.session!);
  await c.post('/login');
  assert.notEqual(idOf(c.cookies.session!), before);
  await c.post('/logout');
  assert.equal(c.cookies.session, undefined);
});

test('memory store entries expire with maxAge', async () => {
  let now = Date.now();
  const store = new MemoryStore({ now: () => now });
  const c = makeApp({ session: { store, maxAge: 60 } }).test();
  await c.post('/set', { form: { user: 'ada' } });
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
  now += 61_000;
  assert.deepEqual((await c.get('/get')).json(), { user: null });
});

test('a failing store: 503 SESSION_STORE_UNAVAILABLE for routes that need the session, others unaffected', async () => {
  let down = false;
  const inner = new MemoryStore();
  const store: SessionStore = {
    name: 'flaky',
    get: (id) => (down ? Promise.reject(new Error('connection refused')) : inner.get(id)),
    set: (id, v, t) => (down ? Promise.reject(new Error('connection refused')) : inner.set(id, v, t)),
    delete: (id) => (down ? Promise.reject(new Error('connection refused')) : inner.delete(id)),
  };
  const c = makeApp({ session: { store } }).test();
  await c.post('/set', { form: { user: 'ada' } });
  down = true;
  const res = await c.get('/get', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 503);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'SESSION_STORE_UNAVAILABLE');
  assert.equal((await c.get('/plain')).status, 200);
  down = false;
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
});

test('session settings are checked at start-up', () => {
  const bad: unknown[] = [
    { store: 'disk' },
    { store: { redis: 42 } },
    { store: { redis: 'http://x' } },
    { maxAge: 0 },
    { maxAge: 1.5 },
    { cookieName: 'a b' },
    { colour: 'red' },
    'cookie',
  ];
  for (const session of bad) {
    assert.throws(
      () => createApp({ env: 'test', session: session as never }),
      (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID',
      JSON.stringify(session),
    );
  }
});

test('a session read after half its life is written again (an active user stays logged in)', async () => {
  const c = makeApp().test();
  await c.post('/set', { form: { user: 'ada' } });
  const payload = c.cookies.session!.split('.').slice(0, -2).join('.');
  const signer = new Signer([SECRET], { purpose: 'palisade.session.cookie' });
  c.setCookie('session', signer.sign(payload, Date.now() - 8 * 86400_000));
  const old = await c.get('/get');
  assert.deepEqual(old.json(), { user: 'ada' });
  assert.match(sessionLine(old.setCookies)!, /Max-Age=1209600/, 'refreshed');
  c.setCookie('session', signer.sign(payload, Date.now() - 2 * 86400_000));
  assert.equal(sessionLine((await c.get('/get')).setCookies), undefined, 'young: not rewritten');
  // Refreshed by a request whose handler never read the data: the data is kept.
  const token = (await c.get('/token')).json<{ token: string }>().token;
  c.setCookie('session', signer.sign(payload, Date.now() - 8 * 86400_000));
  const noop = await c.post('/noop', { csrf: false, headers: { 'x-csrf-token': token } });
  assert.equal(noop.status, 200);
  assert.match(sessionLine(noop.setCookies)!, /Max-Age=1209600/);
  assert.deepEqual((await c.get('/get')).json(), { user: 'ada' });
});

test('peek (for preloading protections) does not make the response depend on the cookie until touched', async () => {
  const { sessionInternals } = await import('../../src/security/session.js');
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.post('/set', async (req) => {
    await req.session.set('k', 'v');
    return 'ok';
  });
  app.get('/peek', async (req) => String(await sessionInternals.peek(req.session, 'k')));
  app.get('/used', async (req) => {
    const v = await sessionInternals.peek(req.session, 'k');
    sessionInternals.touch(req.session);
    return String(v);
  });
  const c = app.test();
  await c.post('/set');
  const peeked = await c.get('/peek');
  assert.equal(peeked.text, 'v');
  assert.equal(peeked.header('vary'), undefined);
  const used = await c.get('/used');
  assert.equal(used.header('vary'), 'Cookie');
});
