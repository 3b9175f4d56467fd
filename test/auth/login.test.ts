// Logins over real sockets: setUser rotates the session id (fixation), logout() ends every
// copy of the session (a stolen cookie replayed afterwards is refused), loginRequired sends
// pages to the login route with a next that stays on the site and JSON requests a 401, and
// the current user reaches handlers and templates, loaded once per request. Each attack has
// a control: the same attack against an app that does what the helpers replace by hand.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Blueprint, createApp, html, renderString, Response, type App, type RunningServer } from '../../src/index.js';
import { MemoryStore } from '../../src/security/session-store.js';
import { Browser, csrfField } from './http-browser.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const SECRET = 'Lq8vZ2xN5rT1yW7kP3mB9cF4hJ6dS0aG2eU5iO8tY1r';
const newEpoch = (): string => randomBytes(16).toString('base64url');

interface User {
  id: number;
  name: string;
  password: string;
  epoch: string;
}

const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

/**
 * An app with one user. `naive` is the control: the login kept with set('uid') and no new
 * session id, logout by destroy() alone, no endUserSessions — what the helpers replace.
 */
async function accountsApp(opts: { store?: 'cookie' | 'memory'; naive?: boolean; more?: (app: App) => void } = {}) {
  const naive = opts.naive === true;
  const users = new Map<number, User>([[1, { id: 1, name: 'ada', password: 'correct horse', epoch: newEpoch() }]]);
  const calls = { loadUser: 0 };
  const app: App = createApp({
    env: 'test',
    secretKey: SECRET,
    session: {
      store: opts.store === 'memory' ? new MemoryStore() : 'cookie',
      ...(naive ? {} : { userEpoch: (id) => users.get(Number(id))?.epoch, endUserSessions: (id) => void (users.get(Number(id))!.epoch = newEpoch()) }),
    },
    login: {
      loadUser: (id) => {
        calls.loadUser++;
        return users.get(Number(id));
      },
    },
  });
  app.get('/login', () => html`<form method="post" action="/login"><input name="name"></form>`, { name: 'login' });
  app.post('/login', async (req) => {
    const f = await req.form();
    const u = [...users.values()].find((x) => x.name === f.get('name'));
    if (u === undefined || u.password !== f.get('password')) return new Response('Wrong name or password.', { status: 401 });
    if (naive) await req.session.set('uid', u.id);
    else await req.session.setUser(u.id, u.epoch);
    // The existing safe redirect: a next on another host falls back to '/'.
    return Response.redirect(req.query.get('next') ?? '/', { status: 303, fallback: '/' });
  });
  app.post('/logout', async (req) => {
    if (naive) await req.session.destroy();
    else await req.session.logout();
    return 'bye';
  });
  app.post('/cart', async (req) => {
    await req.session.set('cart', ['tea']);
    return 'added';
  });
  app.get('/me', async (req) => {
    if (naive) return { user: users.get((await req.session.get<number>('uid')) ?? 0)?.name ?? null };
    return { user: (await req.currentUser<User>())?.name ?? null };
  });
  app.get('/private', async (req) => ({ user: (await req.currentUser<User>())!.name }), { loginRequired: true });
  app.get('/*', () => 'a page for members', { loginRequired: true });
  app.get('/page', () => renderString('{% if current_user %}Hello, {{ current_user.name }}!{% else %}Hello, stranger.{% endif %}'));
  const admin = new Blueprint('admin', { prefix: '/admin', routeDefaults: { loginRequired: true } });
  admin.get('/', () => 'the admin home');
  admin.get('/help', () => 'help for everyone', { loginRequired: false });
  app.register(admin);
  opts.more?.(app); // a test's own routes, declared before the app listens
  const server = await app.listen({ port: 0, handleSignals: false });
  servers.push(server);
  return { app, users, calls, url: server.url };
}

async function logIn(b: Browser, path = '/login'): Promise<{ status: number; location: string | null }> {
  const page = await b.send('/login');
  return b.send(path, { form: { name: 'ada', password: 'correct horse', csrf_token: csrfField(page.text) } });
}

for (const store of ['cookie', 'memory'] as const) {
  test(`session fixation (${store} store): an id planted before the login is not logged in after it`, async () => {
    const { url } = await accountsApp({ store });
    const attacker = new Browser(url);
    const page = await attacker.send('/login'); // a session of the attacker's own, with data in it…
    await attacker.send('/cart', { form: { csrf_token: csrfField(page.text) } });
    const planted = attacker.cookie;
    assert.match(planted, /^session=/);
    const victim = new Browser(url);
    victim.jar.set('session', attacker.jar.get('session')!); // …planted in the victim's browser
    assert.equal((await logIn(victim)).status, 303);
    assert.notEqual(victim.cookie, planted, 'the login gave the session a new id');
    assert.deepEqual(JSON.parse((await victim.send('/me')).text), { user: 'ada' });
    assert.deepEqual(JSON.parse((await attacker.send('/me')).text), { user: null }, 'the planted id is worth nothing');
  });
}

test('control (memory store): a login kept with set() and no new id logs the planted id in', async () => {
  const { url } = await accountsApp({ store: 'memory', naive: true });
  const attacker = new Browser(url);
  const page = await attacker.send('/login');
  await attacker.send('/cart', { form: { csrf_token: csrfField(page.text) } });
  const victim = new Browser(url);
  victim.jar.set('session', attacker.jar.get('session')!);
  await logIn(victim);
  assert.deepEqual(JSON.parse((await attacker.send('/me')).text), { user: 'ada' }, 'the attack works without the helpers');
});

for (const store of ['cookie', 'memory'] as const) {
  test(`a stolen cookie replayed after logout() is refused (${store} store)`, async () => {
    const { url } = await accountsApp({ store });
    const victim = new Browser(url);
    await logIn(victim);
    assert.deepEqual(JSON.parse((await victim.send('/private')).text), { user: 'ada' });
    const stolen = victim.jar.get('session')!;
    const page = await victim.send('/login');
    assert.equal((await victim.send('/logout', { form: { csrf_token: csrfField(page.text) } })).text, 'bye');
    assert.equal(victim.jar.get('session'), undefined, 'the browser was told to forget the cookie');
    const thief = new Browser(url);
    thief.jar.set('session', stolen);
    assert.deepEqual(JSON.parse((await thief.send('/me')).text), { user: null });
    assert.equal((await thief.send('/private')).status, 303, 'sent to the login page');
  });
}

test('control (cookie store): logout by destroy() alone leaves the stolen cookie logged in', async () => {
  const { url } = await accountsApp({ naive: true });
  const victim = new Browser(url);
  await logIn(victim);
  const stolen = victim.jar.get('session')!;
  const page = await victim.send('/login');
  await victim.send('/logout', { form: { csrf_token: csrfField(page.text) } });
  const thief = new Browser(url);
  thief.jar.set('session', stolen);
  assert.deepEqual(JSON.parse((await thief.send('/me')).text), { user: 'ada' }, 'the replay works without logout()');
});

test('loginRequired: a page goes to the login route with next, a JSON request gets a 401, a logged-in user gets through', async () => {
  const { url } = await accountsApp();
  const b = new Browser(url);
  const page = await b.send('/private?tab=a%20b');
  assert.equal(page.status, 303);
  assert.equal(page.location, '/login?next=%2Fprivate%3Ftab%3Da%2520b');
  const api = await b.send('/private', { headers: { accept: 'application/json' } });
  assert.equal(api.status, 401);
  assert.equal(JSON.parse(api.text).error.code, 'AUTH_LOGIN_REQUIRED');
  // A page's script (fetch, no Accept of its own) is not sent to a login page either.
  const script = await b.send('/private', { headers: { accept: '*/*', 'sec-fetch-mode': 'cors' } });
  assert.equal(script.status, 401);
  const login = await logIn(b, `/login?next=${encodeURIComponent('/private?tab=a%20b')}`);
  assert.equal(login.location, '/private?tab=a%20b', 'back where the visitor was going');
  assert.deepEqual(JSON.parse((await b.send('/private')).text), { user: 'ada' });
});

test('loginRequired never makes an open redirect: //evil.example comes back as a path, and a next on another host falls back', async () => {
  const { url } = await accountsApp();
  // What makes //evil.example an attack: a browser reads it as another host.
  assert.equal(new URL('//evil.example/x', url).host, 'evil.example');
  const b = new Browser(url);
  for (const [path, next] of [
    ['//evil.example/x', '/evil.example/x'],
    ['/\\evil.example', '/evil.example'],
    ['///\\/evil.example?a=1', '/evil.example?a=1'],
  ] as const) {
    const res = await b.send(path);
    assert.equal(res.status, 303, path);
    const loc = new URL(res.location!, url);
    assert.equal(loc.host, new URL(url).host, path);
    assert.equal(loc.searchParams.get('next'), next, path);
    assert.equal(new URL(loc.searchParams.get('next')!, url).host, new URL(url).host);
  }
  for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const res = await logIn(new Browser(url), `/login?next=${encodeURIComponent(next)}`);
    assert.equal(res.status, 303, next);
    assert.equal(res.location, '/', `${next}: the fallback, not the other host`);
  }
});

test('a form POST to a loginRequired route is sent to the login page without a next (only a GET can be asked for again)', async () => {
  const { app } = await accountsApp({ more: (a) => a.post('/private', () => 'posted', { loginRequired: true }) });
  const c = app.test();
  const res = await c.post('/private', { form: {} });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/login');
});

test('a blueprint can require a login for all its routes, and one route can lift it', async () => {
  const { url } = await accountsApp();
  const b = new Browser(url);
  assert.equal((await b.send('/admin/')).location, '/login?next=%2Fadmin%2F');
  assert.equal((await b.send('/admin/help')).text, 'help for everyone');
  await logIn(b);
  assert.equal((await b.send('/admin/')).text, 'the admin home');
});

test('the current user reaches templates as current_user, loaded once per request, and not at all without a session cookie', async () => {
  const { url, calls } = await accountsApp();
  const b = new Browser(url);
  assert.equal((await b.send('/page')).text, 'Hello, stranger.');
  assert.equal(calls.loadUser, 0, 'no cookie, no lookup');
  await logIn(b);
  calls.loadUser = 0;
  assert.equal((await b.send('/page')).text, 'Hello, ada!');
  assert.equal(calls.loadUser, 1);
  calls.loadUser = 0;
  assert.deepEqual(JSON.parse((await b.send('/private')).text), { user: 'ada' });
  assert.equal(calls.loadUser, 1, 'loginRequired and the handler share one lookup');
});

test('logout() with cookie sessions needs endUserSessions (SESSION_REVOCATION_MISSING), and endUserSessions needs userEpoch', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET, session: { userEpoch: () => 'e' } });
  app.post('/login', async (req) => {
    await req.session.setUser(1, 'e');
    return 'in';
  });
  app.post('/logout', async (req) => {
    await req.session.logout();
    return 'out';
  });
  const c = app.test();
  await c.post('/login');
  const res = await c.post('/logout', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'SESSION_REVOCATION_MISSING');
  assert.throws(() => createApp({ env: 'test', session: { endUserSessions: () => {} } }), /needs "session.userEpoch"/);
  assert.throws(() => createApp({ env: 'test', login: { loadUsers: () => {} } as never }), /Unknown setting "login.loadUsers"/);
});

test("logout({ everywhere: true }) with a server-side store ends the user's other sessions; logout() ends only this one", async () => {
  const { app } = await accountsApp({
    store: 'memory',
    more: (a) =>
      a.post('/logout-everywhere', async (req) => {
        await req.session.logout({ everywhere: true });
        return 'all gone';
      }),
  });
  const [laptop, phone, tablet] = [app.test(), app.test(), app.test()];
  for (const c of [laptop, phone, tablet]) await c.post('/login', { form: { name: 'ada', password: 'correct horse' } });
  await laptop.post('/logout');
  assert.deepEqual((await phone.get('/me')).json(), { user: 'ada' }, 'the other sessions go on');
  await phone.post('/logout-everywhere');
  assert.deepEqual((await tablet.get('/me')).json(), { user: null });
});

test('palisade check: loginRequired routes with no route of the login name', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.get('/private', () => 'x', { loginRequired: true });
  const findings = app[PROTECTIONS].find((p) => p.name === 'login')!.audit!(app.routes);
  assert.match(findings.join('\n'), /no route is named "login"/);
  const res = await app.test().get('/private');
  assert.equal(res.status, 500);
});

test('loading the user for templates: no Vary: Cookie unless a template reads current_user, and a session store that is down fails only the routes that need it', async () => {
  const records = new Map<string, string>();
  let down = false;
  const store = {
    name: 'flaky',
    get: async (id: string) => {
      if (down) throw new Error('store down');
      return records.get(id);
    },
    set: async (id: string, v: string) => void records.set(id, v),
    delete: async (id: string) => void records.delete(id),
  };
  const users = new Map([[1, { id: 1, name: 'ada', epoch: 'e1' }]]);
  const app = createApp({
    env: 'test',
    secretKey: SECRET,
    session: { store, userEpoch: (id) => users.get(Number(id))?.epoch },
    login: { loadUser: (id) => users.get(Number(id)) },
  });
  app.post('/login', async (req) => {
    await req.session.setUser(1, 'e1');
    return 'in';
  });
  app.get('/plain', () => 'no template');
  app.get('/page', () => renderString('{{ current_user.name if current_user else "stranger" }}'));
  app.get('/private', () => 'members', { loginRequired: true });
  const c = app.test();
  await c.post('/login');
  const plain = await c.get('/plain');
  assert.equal(plain.header('vary'), undefined, 'a page that does not show the user stays cacheable');
  const page = await c.get('/page');
  assert.equal(page.text, 'ada');
  assert.match(page.header('vary') ?? '', /Cookie/);
  assert.match(page.header('cache-control') ?? '', /private/);
  down = true;
  assert.equal((await c.get('/plain')).status, 200, 'served while the store is down');
  assert.equal((await c.get('/page')).text, 'stranger');
  assert.equal((await c.get('/private', { headers: { accept: 'application/json' } })).status, 503);
});
