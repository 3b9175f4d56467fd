// Logins and their end: setUser(id, epoch) + the session.userEpoch setting. A session ends
// when its user logs out — a saved copy of the cookie, replayed afterwards, is logged out
// too — and when the user's epoch changes for any other reason (a password change, a
// deleted account). CSRF tokens follow the session id across the login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createApp, html, type App, type AppOptions, type Request } from '../../src/index.js';
import { auditApp } from '../../src/cli/check.js';
import { MemoryStore } from '../../src/security/session-store.js';

const SECRET = 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ';

interface User {
  id: number;
  name: string;
  epoch: string;
}

/**
 * A small app with accounts. `revocation: false` is the control: the login is kept with
 * set('uid') and nothing can end it, as before setUser existed.
 */
function accountsApp(opts: { store?: NonNullable<AppOptions['session']>['store']; revocation?: boolean } = {}) {
  const revocation = opts.revocation !== false;
  const users = new Map<number, User>();
  let nextId = 1;
  const newEpoch = () => randomBytes(16).toString('base64url');
  const addUser = (name: string, id = nextId++): User => {
    const u = { id, name, epoch: newEpoch() };
    users.set(id, u);
    return u;
  };
  const app = createApp({
    env: 'test',
    secretKey: SECRET,
    session: { store: opts.store ?? 'cookie', ...(revocation ? { userEpoch: (id: string | number) => users.get(Number(id))?.epoch } : {}) },
  });
  const current = async (req: Request): Promise<User | undefined> => {
    const id = revocation ? await req.session.user<number>() : await req.session.get<number>('uid');
    return id === undefined ? undefined : users.get(id);
  };
  app.get('/form', () => html`<form method="post" action="/x"></form>`);
  app.get('/me', async (req) => ({ user: (await current(req))?.name ?? null }));
  app.post('/login', async (req) => {
    const name = (await req.form()).get('name');
    const u = [...users.values()].find((x) => x.name === name);
    if (u === undefined) return 'no such user';
    if (revocation) await req.session.setUser(u.id, u.epoch);
    else {
      await req.session.regenerate();
      await req.session.set('uid', u.id);
    }
    // A page rendered after the login carries a token for the new id.
    return html`<form method="post" action="/x"></form>`;
  });
  app.post('/logout', async (req) => {
    const u = await current(req);
    if (u !== undefined && revocation) u.epoch = newEpoch(); // ends every session of the user
    await req.session.destroy();
    return 'bye';
  });
  app.post('/password', async (req) => {
    const u = await current(req);
    if (u === undefined) return 'no';
    u.epoch = newEpoch(); // every other session of the user ends…
    await req.session.setUser(u.id, u.epoch); // …this one goes on
    return 'changed';
  });
  app.post('/x', () => 'done');
  return { app, users, addUser };
}

const fieldOf = (page: string): string => /name="csrf_token" value="([^"]+)"/.exec(page)![1]!;

for (const store of ['cookie', 'memory'] as const) {
  test(`attack (${store} store): a saved session cookie replayed after logout is logged out`, async () => {
    const { app, addUser } = accountsApp({ store: store === 'memory' ? new MemoryStore() : 'cookie' });
    addUser('ada');
    const victim = app.test();
    await victim.post('/login', { form: { name: 'ada' } });
    assert.deepEqual((await victim.get('/me')).json(), { user: 'ada' });
    const saved = victim.cookies.session!; // what a thief copies: from a shared computer, a log, a backup
    assert.equal((await victim.post('/logout')).status, 200);
    const thief = app.test();
    thief.setCookie('session', saved);
    const res = await thief.get('/me');
    assert.deepEqual(res.json(), { user: null });
    assert.match(res.setCookies.join('\n'), /session=;.*Max-Age=0/, 'the ended cookie is deleted');
  });
}

test('control: without revocation (the cookie store, a login kept with set()), the replayed cookie is still logged in', async () => {
  const { app, addUser } = accountsApp({ revocation: false });
  addUser('ada');
  const victim = app.test();
  await victim.post('/login', { form: { name: 'ada' } });
  const saved = victim.cookies.session!;
  await victim.post('/logout');
  const thief = app.test();
  thief.setCookie('session', saved);
  assert.deepEqual((await thief.get('/me')).json(), { user: 'ada' });
});

test("a password change ends the user's other sessions and keeps the current one", async () => {
  const { app, addUser } = accountsApp();
  addUser('ada');
  const laptop = app.test();
  const phone = app.test();
  await laptop.post('/login', { form: { name: 'ada' } });
  await phone.post('/login', { form: { name: 'ada' } });
  assert.equal((await laptop.post('/password')).text, 'changed');
  assert.deepEqual((await laptop.get('/me')).json(), { user: 'ada' });
  assert.deepEqual((await phone.get('/me')).json(), { user: null });
});

test("a deleted user's session ends, even if a new user is given the same id", async () => {
  const { app, users, addUser } = accountsApp();
  const ada = addUser('ada');
  const c = app.test();
  await c.post('/login', { form: { name: 'ada' } });
  const saved = c.cookies.session!;
  users.delete(ada.id);
  assert.deepEqual((await c.get('/me')).json(), { user: null });
  addUser('mallory-victim', ada.id); // an id handed out again (a database that reuses ids)
  const replay = app.test();
  replay.setCookie('session', saved);
  assert.deepEqual((await replay.get('/me')).json(), { user: null }, "the new user's epoch is not the old one");
});

for (const store of ['cookie', 'memory'] as const) {
  test(`CSRF across the login (${store} store): a page's token from before the login is refused after it; pages after it work`, async () => {
    const { app, addUser } = accountsApp({ store: store === 'memory' ? new MemoryStore() : 'cookie' });
    addUser('ada');
    const c = app.test();
    const before = fieldOf((await c.get('/form')).text);
    const loginId = c.cookies.session!;
    // The login form itself carries the pre-login token: accepted.
    const login = await c.post('/login', { csrf: false, form: { name: 'ada', csrf_token: before } });
    assert.equal(login.status, 200);
    assert.notEqual(c.cookies.session, loginId, 'a new id at login');
    // Another tab still shows a form rendered before the login: its token is refused.
    const stale = await c.post('/x', { csrf: false, form: { csrf_token: before }, headers: { accept: 'application/json' } });
    assert.equal(stale.status, 403);
    assert.equal(stale.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');
    // The page the login answered with, and every page after, carry tokens for the new id.
    assert.equal((await c.post('/x', { csrf: false, form: { csrf_token: fieldOf(login.text) } })).text, 'done');
    assert.equal((await c.post('/x', { csrf: false, form: { csrf_token: fieldOf((await c.get('/form')).text) } })).text, 'done');
  });

  test(`an ended session's tokens are refused with it (${store} store)`, async () => {
    const { app, addUser } = accountsApp({ store: store === 'memory' ? new MemoryStore() : 'cookie' });
    addUser('ada');
    const c = app.test();
    await c.post('/login', { form: { name: 'ada' } });
    const saved = c.cookies.session!;
    const token = fieldOf((await c.get('/form')).text);
    await c.post('/logout');
    const thief = app.test();
    thief.setCookie('session', saved);
    const res = await thief.post('/x', { csrf: false, form: { csrf_token: token }, headers: { accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');
  });
}

test('setUser without session.userEpoch is refused: nothing could end the login', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.post('/login', async (req) => {
    await req.session.setUser(1, 'e');
    return 'ok';
  });
  const res = await app.test().post('/login', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'SESSION_REVOCATION_MISSING');
  assert.throws(() => createApp({ env: 'test', secretKey: SECRET, session: { userEpoch: 'epoch' as never } }), /session\.userEpoch/);
});

test('palisade check: a cookie-session login without revocation is reported; with userEpoch or a server store it is not', () => {
  const ids = (app: App) => auditApp(app).map((f) => f.id);
  const unrevocable = accountsApp({ revocation: false }).app;
  const finding = auditApp(unrevocable).find((f) => f.id === 'session-revocation');
  assert.ok(finding, String(ids(unrevocable)));
  assert.match(finding.message, /POST \/login/);
  assert.match(finding.fix, /userEpoch/);
  assert.ok(!ids(accountsApp().app).includes('session-revocation'));
  assert.ok(!ids(accountsApp({ revocation: false, store: new MemoryStore() }).app).includes('session-revocation'));
});

test('a login hidden in a helper is reported at run time, once', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET });
  const warnings: string[] = [];
  Object.defineProperty(app, 'logger', { value: { warn: (m: string) => warnings.push(m), info() {}, error() {} } });
  const logIn = async (s: { regenerate(): Promise<void>; set(k: string, v: unknown): Promise<void> }) => {
    await s.regenerate();
    await s.set('uid', 1);
  };
  app.post('/in', async (req) => (await logIn(req.session), 'ok'));
  const c = app.test();
  await c.post('/in');
  await c.post('/in');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /copied cookie stays logged in/);
});
