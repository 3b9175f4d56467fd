// The notes demo through the test client: accounts, notes, attachments, the profile and
// the JSON API, with the demo's own SQLite database in a temporary folder. The control
// app (unsafeDisableProtections) is checked only for what `palisade check` says of it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createNotesApp, type NotesApp } from '../../examples/notes/app.js';
import { hashLegacyPassword } from '../../examples/notes/legacy-passwords.js';
import { Signer } from '../../src/index.js';
import { auditApp } from '../../src/cli/check.js';
import type { TestClient } from '../../src/testing/client.js';
import { assertValidOpenAPI } from '../openapi/helpers.js';

/** Cheap password hashes: the demo's own are N=2^17, half a second each. */
const FAST = { ln: 10 } as const;
const dirs: string[] = [];
const apps: NotesApp[] = [];
function makeApp(extra: Partial<Parameters<typeof createNotesApp>[0]> = {}): NotesApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'notes-test-'));
  dirs.push(dataDir);
  const notes = createNotesApp({ dataDir, env: 'test', secretKey: randomBytes(32).toString('base64url'), passwordHashing: FAST, ...extra });
  apps.push(notes);
  return notes;
}
after(async () => {
  for (const a of apps) await a.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What the demo's script sends: it asks for JSON. */
const API = { headers: { accept: 'application/json' } } as const;
const sessionCookie = (c: TestClient): string | undefined => c.cookies['session'];

async function register(c: TestClient, username: string, password = 'correct horse battery'): Promise<void> {
  const r = await c.post('/register', { form: { username, password, confirm: password } });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, '/notes');
}

/** The hidden csrf_token field of the page's form posting to `action` (or the first form), as a browser would submit it. */
function csrfField(html: string, action?: string): string {
  const forms = html
    .split(/<form\b/)
    .slice(1)
    .map((f) => f.slice(0, f.indexOf('</form>')));
  const form = action === undefined ? forms[0] : forms.find((f) => f.includes(`action="${action}"`));
  assert.ok(form !== undefined, `the page has a form posting to ${action}`);
  const m = /name="csrf_token" value="([^"]+)"/.exec(form);
  assert.ok(m, `the form posting to ${action} has a CSRF field`);
  return m[1]!;
}

function multipart(
  fields: Record<string, string>,
  file: { name: string; type: string; content: string | Buffer },
): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----notes-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('register, log out, log in: the session id changes at login and next is honoured for local paths', async () => {
  const { app, store } = makeApp();
  const c = app.test();
  // The register form is a real page with the CSRF field; post it as a browser would.
  const form = await c.get('/register');
  assert.equal(form.status, 200);
  const r = await c.post('/register', {
    form: { username: 'ada', password: 'correct horse', confirm: 'correct horse', csrf_token: csrfField(form.text, '/register') },
    csrf: false,
  });
  assert.equal(r.status, 303, r.text);
  assert.ok(store.userByName('ada'));
  assert.notEqual(store.userByName('ada')!.password_hash, 'correct horse');
  assert.match(store.userByName('ada')!.password_hash, /^\$scrypt\$ln=10,r=8,p=1\$/);

  assert.equal((await c.post('/logout')).status, 303);
  assert.equal((await c.get('/notes')).status, 303, 'logged out');

  const page = await c.get('/login', { query: { next: '/profile' } });
  const before = sessionCookie(c);
  assert.ok(before, 'the login page started a session (for its CSRF token)');
  const login = await c.post('/login?next=%2Fprofile', { form: { username: 'ada', password: 'correct horse', csrf_token: csrfField(page.text) }, csrf: false });
  assert.equal(login.status, 303, login.text);
  assert.equal(login.location, '/profile');
  const afterLogin = sessionCookie(c);
  assert.ok(afterLogin);
  assert.notEqual(afterLogin.split('.')[0], before.split('.')[0], 'regenerate() gave the session a new id');
  const profile = await c.get('/profile');
  assert.equal(profile.status, 200);
  assert.match(profile.text, /Signed in as ada\./, 'the flashed message is shown once');
  assert.doesNotMatch((await c.get('/profile')).text, /Signed in as ada\./);
});

test('wrong passwords, unknown users, taken names and mismatched passwords are refused with the form again', async () => {
  const { app } = makeApp();
  const c = app.test();
  await register(c, 'bob');
  await c.post('/logout');
  const wrong = await c.post('/login', { form: { username: 'bob', password: 'nope nope nope' } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /Wrong name or password/);
  assert.match(wrong.text, /value="bob"/, 'the name is shown again');
  assert.equal((await c.post('/login', { form: { username: 'nobody', password: 'x' } })).status, 401);
  const taken = await c.post('/register', { form: { username: 'bob', password: 'long enough', confirm: 'long enough' } });
  assert.equal(taken.status, 400);
  assert.match(taken.text, /That name is taken/);
  const differ = await c.post('/register', { form: { username: 'carol', password: 'long enough', confirm: 'other one!' } });
  assert.equal(differ.status, 400);
  assert.match(differ.text, /The passwords differ/);
  const bad = await c.post('/register', { form: { username: '<b>x</b>', password: 'long enough', confirm: 'long enough' } });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /value="&lt;b&gt;x&lt;\/b&gt;"|value="&lt;b&gt;x&lt;&#47;b&gt;"|value="&lt;b&gt;x/);
});

test('a login next that names another host is refused by the redirect check (400 HTTP_OPEN_REDIRECT)', async () => {
  const { app } = makeApp();
  const c = app.test();
  await register(c, 'dan');
  await c.post('/logout');
  for (const next of ['https://evil.example/phish', '//evil.example/x', '/\\evil.example/x', 'javascript:alert(1)']) {
    const r = await c.post('/login', { query: { next }, form: { username: 'dan', password: 'correct horse battery' } });
    assert.equal(r.status, 400, next);
    assert.equal(r.location, undefined, next);
    assert.match(r.text, /HTTP_OPEN_REDIRECT/, next);
  }
});

test('a login next with text outside ASCII or with control characters: the real server answers each (it used to exit on the first)', async () => {
  const { app } = makeApp();
  const s = await app.listen({ port: 0 });
  const jar = new Map<string, string>();
  const keep = (r: globalThis.Response) => {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return r;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const post = async (path: string, form: Record<string, string>) => {
    const page = keep(await fetch(`${s.url}${path.startsWith('/register') ? '/register' : '/login'}`, { headers: { cookie: cookie() } }));
    const body = new URLSearchParams({ ...form, csrf_token: csrfField(await page.text()) });
    return keep(await fetch(`${s.url}${path}`, { method: 'POST', body, redirect: 'manual', headers: { cookie: cookie(), accept: 'application/json' } }));
  };
  try {
    const password = 'correct horse battery';
    assert.equal((await post('/register', { username: 'eve', password, confirm: password })).status, 303);
    const login = (next: string) => post(`/login?next=${encodeURIComponent(next)}`, { username: 'eve', password });
    const ok = await login('/€');
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/%E2%82%AC');
    for (const next of ['/\x7f', '/\x01', '/\x0b', '/\r\nSet-Cookie: x=1']) {
      const r = await login(next);
      assert.equal(r.status, 400, JSON.stringify(next));
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'HTTP_OPEN_REDIRECT');
    }
    assert.equal((await fetch(`${s.url}/login`)).status, 200, 'still serving');
  } finally {
    await s.close();
  }
});

test('notes: create (with re-display on errors), list, show, edit, delete; text keeps its line breaks and is escaped', async () => {
  const { app, store } = makeApp();
  const c = app.test();
  await register(c, 'eve');
  const invalid = await c.post('/notes/new', { form: { title: '', body: 'kept <b>' } });
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /This field is required/);
  assert.match(invalid.text, /<textarea id="body" name="body" maxlength="20000">\n?kept &lt;b&gt;<\/textarea>/);

  const created = await c.post('/notes/new', { form: { title: 'Shopping <list>', body: 'tea\r\ncake', link: 'javascript:alert(1)' } });
  assert.equal(created.status, 303);
  const note = store.notesFor(store.userByName('eve')!.id)[0]!;
  assert.equal(created.location, `/notes/${note.id}`);
  assert.equal(note.body, 'tea\ncake');

  const list = await c.get('/notes');
  assert.equal(list.status, 200);
  assert.match(list.text, /Saved “Shopping &lt;list&gt;”\./);
  assert.match(list.text, /<div class="note-body">tea\ncake<\/div>/);
  assert.match(list.text, /href="about:invalid#palisade-unsafe"/, 'a javascript: link is neutralised');
  assert.match(list.text, /<script nonce="[^"]+" src="\/static\/notes.js"><\/script>|<script src="\/static\/notes.js" nonce="[^"]+"><\/script>/);

  const show = await c.get(`/notes/${note.id}`);
  assert.match(show.text, /<title>Shopping &lt;list&gt; · Palisade Notes<\/title>/);
  assert.match(show.text, /aria-label="Delete the note Shopping &lt;list&gt;"/);

  const edit = await c.get(`/notes/${note.id}/edit`);
  assert.match(edit.text, /value="Shopping &lt;list&gt;"/);
  assert.equal((await c.post(`/notes/${note.id}/edit`, { form: { title: 'Groceries', body: '</textarea><b>x' } })).status, 303);
  assert.equal(store.note(note.id ? store.userByName('eve')!.id : 0, note.id)!.title, 'Groceries');
  assert.match((await c.get(`/notes/${note.id}/edit`)).text, />\n?&lt;\/textarea&gt;&lt;b&gt;x<\/textarea>/);

  assert.equal((await c.post(`/notes/${note.id}/delete`)).status, 303);
  assert.equal(store.notesFor(store.userByName('eve')!.id).length, 0);
  assert.equal((await c.get(`/notes/${note.id}`)).status, 404);
});

test("one user cannot see or change another user's notes", async () => {
  const { app, store } = makeApp();
  const a = app.test();
  const b = app.test();
  await register(a, 'fay');
  await register(b, 'gus');
  await a.post('/notes/new', { form: { title: 'private' } });
  const id = store.notesFor(store.userByName('fay')!.id)[0]!.id;
  assert.equal((await b.get(`/notes/${id}`)).status, 404);
  assert.equal((await b.post(`/notes/${id}/delete`)).status, 404);
  assert.equal((await b.post(`/notes/${id}/edit`, { form: { title: 'mine' } })).status, 404);
  assert.equal(store.note(store.userByName('fay')!.id, id)!.title, 'private');
});

test("attachments: multipart upload with the form's CSRF field, download as an attachment with safe headers", async () => {
  const { app, store } = makeApp();
  const c = app.test();
  await register(c, 'hal');
  await c.post('/notes/new', { form: { title: 'with files' } });
  const id = store.notesFor(store.userByName('hal')!.id)[0]!.id;
  const page = await c.get(`/notes/${id}`);
  // Every form that posts (logout, delete, upload) carries the token a browser will send.
  const posting = page.text
    .split(/<form\b/)
    .slice(1)
    .filter((f) => f.startsWith(' method="post"'));
  assert.equal(posting.length, 3);
  for (const f of posting) assert.match(f.slice(0, f.indexOf('</form>')), /name="csrf_token" value="[^"]+"/);
  const token = csrfField(page.text, `/notes/${id}/attachments`);

  const html = multipart({ csrf_token: token }, { name: 'evil <img src=x onerror=alert(1)>.html', type: 'text/html', content: '<script>alert(1)</script>' });
  const up = await c.post(`/notes/${id}/attachments`, { body: html.body, headers: html.headers, csrf: false });
  assert.equal(up.status, 303, up.text);
  const noToken = multipart({}, { name: 'x.txt', type: 'text/plain', content: 'x' });
  assert.equal((await c.post(`/notes/${id}/attachments`, { body: noToken.body, headers: noToken.headers, csrf: false })).status, 403);

  const [a] = store.attachments(id);
  assert.ok(a);
  assert.equal(a.filename, 'evil <img src=x onerror=alert(1)>.html');
  assert.match(a.stored_name, /^[0-9a-f-]{36}$/, 'stored under our own name');
  assert.ok(readdirSync(store.uploadsDir).includes(a.stored_name));
  const shown = (await c.get(`/notes/${id}`)).text;
  assert.match(shown, />evil &lt;img src=x onerror=alert\(1\)&gt;\.html<\/a>/);

  const dl = await c.get(`/notes/${id}/attachments/${a.id}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.text, '<script>alert(1)</script>');
  assert.equal(dl.header('content-type'), 'application/octet-stream');
  assert.match(dl.header('content-disposition')!, /^attachment; filename="[^"<>]*"; filename\*=UTF-8''evil%20%3Cimg/);
  assert.equal(dl.header('x-content-type-options'), 'nosniff');
  assert.match(dl.header('content-security-policy')!, /sandbox/);

  const txt = multipart({}, { name: 'notes.txt', type: 'text/plain', content: 'plain <b>text</b>' });
  assert.equal((await c.post(`/notes/${id}/attachments`, { body: txt.body, headers: txt.headers })).status, 303, 'the X-CSRF-Token header works too');
  const t = store.attachments(id)[1]!;
  const dlt = await c.get(`/notes/${id}/attachments/${t.id}`);
  assert.equal(dlt.header('content-type'), 'text/plain; charset=utf-8');
  assert.match(dlt.header('content-disposition')!, /^attachment; filename="notes.txt"/);

  // Deleting the note deletes its files.
  await c.post(`/notes/${id}/delete`);
  assert.deepEqual(readdirSync(store.uploadsDir), []);
});

test('the profile page deletes the user, their notes and files, and ends the session; not without the token', async () => {
  const { app, store } = makeApp();
  const c = app.test();
  await register(c, 'ivy');
  await c.post('/notes/new', { form: { title: 'gone soon' } });
  const profile = await c.get('/profile');
  assert.match(profile.text, /Delete my profile/);
  assert.match(profile.text, /1 note\./);
  assert.equal((await c.post('/profile/delete', { csrf: false })).status, 403, 'no token: refused');
  assert.ok(store.userByName('ivy'));
  const del = await c.post('/profile/delete', { form: { csrf_token: csrfField(profile.text, '/profile/delete') }, csrf: false });
  assert.equal(del.status, 303);
  assert.equal(store.userByName('ivy'), null);
  assert.equal(store.db.prepare('SELECT count(*) AS n FROM notes').get() !== undefined, true);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n, 0);
  assert.equal((await c.get('/api/me', API)).status, 401);
});

test('JSON API: /api/openapi.json describes it as valid OpenAPI 3.1, with what each route reads and answers', async () => {
  const { app } = makeApp();
  const res = await app.test().get('/api/openapi.json');
  assert.equal(res.status, 200);
  const doc = res.json<{ paths: Record<string, Record<string, any>>; components: { securitySchemes: Record<string, unknown> } }>();
  await assertValidOpenAPI(doc);
  assert.deepEqual(Object.keys(doc.paths), ['/api/me', '/api/notes', '/api/openapi.json']);
  const create = doc.paths['/api/notes']!.post;
  assert.equal(create.operationId, 'api.notes.create');
  assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['title']);
  assert.equal(create.responses['201'].content['application/json'].schema.properties.note.properties.url.type, 'string');
  assert.ok(create.responses['422'] && create.responses['401'] && create.responses['403']);
  assert.deepEqual(create.security, [{ sessionCookie: [], csrfToken: [] }]);
  assert.deepEqual(doc.paths['/api/notes']!.get.security, [{ sessionCookie: [] }]);
  assert.deepEqual(Object.keys(doc.components.securitySchemes), ['sessionCookie', 'csrfToken']);
});

test('JSON API: /api/me and /api/notes shapes, POST /api/notes needs application/json and the token', async () => {
  const { app } = makeApp();
  const c = app.test();
  const anonymous = await c.get('/api/me', API);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.json<{ error: { code: string } }>().error.code, 'AUTH_LOGIN_REQUIRED');
  assert.equal((await c.get('/api/notes', API)).status, 401);
  await register(c, 'jon');
  const me = await c.get('/api/me', API);
  assert.equal(me.header('content-type'), 'application/json; charset=utf-8');
  const meBody = me.json<{ user: { id: number; username: string; created_at: string } }>();
  assert.equal(meBody.user.username, 'jon');
  assert.deepEqual(Object.keys(meBody.user).sort(), ['created_at', 'id', 'username'], 'no password hash');

  const made = await c.post('/api/notes', { json: { title: 'from the API', body: 'a\nb', link: 'https://example.com/' } });
  assert.equal(made.status, 201);
  const note = made.json<{ note: { id: number; url: string } }>().note;
  assert.equal(note.url, `/notes/${note.id}`);
  const invalid = await c.post('/api/notes', { json: { title: '', link: 7 } });
  assert.equal(invalid.status, 422);
  assert.deepEqual(
    invalid.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
    ['#/title', '#/link'],
  );
  assert.equal((await c.post('/api/notes', { json: { title: 'no token' }, csrf: false })).status, 403);
  assert.equal((await c.post('/api/notes', { body: '{"title":"plain"}', headers: { 'content-type': 'text/plain' } })).status, 415);

  const list = (await c.get('/api/notes', API)).json<{ notes: { title: string; body: string; link: string }[] }>();
  assert.deepEqual(Object.keys(list), ['notes']);
  assert.deepEqual(
    list.notes.map((n) => [n.title, n.body, n.link]),
    [['from the API', 'a\nb', 'https://example.com/']],
  );
  // A cross-site <script src> of the list is refused before the handler.
  const xs = await c.get('/api/notes', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'script', 'sec-fetch-mode': 'no-cors' } });
  assert.equal(xs.status, 403);
});

test('palisade check: nothing to report for the demo; the control app is reported for each protection it switches off', async () => {
  const { app } = makeApp();
  assert.deepEqual(
    auditApp(app).map((f) => f.id),
    [],
  );
  const control = makeApp({ unsafeDisableProtections: true }).app;
  const ids = new Set(auditApp(control).map((f) => f.id));
  // (The control's unending logins — an epoch that never changes — are not something a
  // static check can see: session-revocation is for apps with no userEpoch at all.)
  for (const id of ['csrf-off', 'json-top-level-array', 'headers-off']) assert.ok(ids.has(id), `${id} in ${[...ids].join(', ')}`);
});

/** The attacker's part of both session attacks: an account, a saved copy of its session cookie. */
async function savedCookieOf(app: NotesApp['app'], username: string): Promise<{ c: TestClient; saved: string }> {
  const c = app.test();
  await register(c, username);
  assert.equal((await c.get('/api/me', API)).status, 200);
  return { c, saved: sessionCookie(c)! };
}

for (const control of [false, true]) {
  const label = control ? 'control (sessions unprotected): succeeds' : 'refused';
  test(`attack: a session cookie saved before logout, replayed after it — ${label}`, async () => {
    const { app } = makeApp(control ? { unsafeDisableProtections: ['sessions'] } : {});
    const { c, saved } = await savedCookieOf(app, 'lea');
    await c.post('/notes/new', { form: { title: 'diary' } });
    assert.equal((await c.post('/logout')).status, 303);
    assert.equal((await c.get('/api/me', API)).status, 401, 'the browser that logged out is logged out');
    const thief = app.test();
    thief.setCookie('session', saved);
    const me = await thief.get('/api/me', API);
    const notes = await thief.get('/api/notes', API);
    if (control) {
      assert.equal(me.status, 200);
      assert.equal(me.json<{ user: { username: string } }>().user.username, 'lea');
      assert.match(notes.text, /diary/);
    } else {
      assert.equal(me.status, 401);
      assert.equal(notes.status, 401);
      assert.equal((await thief.get('/notes')).status, 303, 'sent to the login page');
    }
  });

  test(`attack: a deleted account's saved cookie against the next account registered — ${label}`, async () => {
    const { app, store } = makeApp(control ? { unsafeDisableProtections: ['sessions'] } : {});
    const { c, saved } = await savedCookieOf(app, 'mallory');
    const oldId = store.userByName('mallory')!.id;
    const profile = await c.get('/profile');
    assert.equal((await c.post('/profile/delete', { form: { csrf_token: csrfField(profile.text, '/profile/delete') }, csrf: false })).status, 303);
    // The next person to register writes a private note.
    const victim = app.test();
    await register(victim, 'nina');
    await victim.post('/notes/new', { form: { title: 'nina private', body: 'bank PIN 4921' } });
    const ninaId = store.userByName('nina')!.id;
    const attacker = app.test();
    attacker.setCookie('session', saved);
    const me = await attacker.get('/api/me', API);
    const notes = await attacker.get('/api/notes', API);
    if (control) {
      assert.equal(ninaId, oldId, 'the id was handed out again');
      assert.equal(me.json<{ user: { username: string } }>().user.username, 'nina');
      assert.match(notes.text, /bank PIN 4921/);
    } else {
      assert.ok(ninaId > oldId, 'ids are never handed out again');
      assert.equal(me.status, 401);
      assert.equal(notes.status, 401);
      assert.doesNotMatch(notes.text, /4921/);
    }
  });
}

test('a demo database from before session epochs is migrated: ids are never reused, old sessions log nobody in, data is kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'notes-old-'));
  dirs.push(dataDir);
  const secretKey = randomBytes(32).toString('base64url');
  // The database as the demo made it before (schema of commit 971ea51), with two users and a note.
  const old = new Database(join(dataDir, 'notes.sqlite3'));
  old.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')));
    CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, title TEXT NOT NULL, body TEXT NOT NULL, link TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT (datetime('now')));
  `);
  const hash = await hashLegacyPassword('correct horse battery');
  old.prepare('INSERT INTO users (username, password_hash) VALUES (?, ?), (?, ?)').run('olga', hash, 'pete', hash);
  old.prepare("INSERT INTO notes (user_id, title, body) VALUES (1, 'kept across the upgrade', '')").run();
  old.close();
  // Olga's session cookie as the old demo wrote it: a plain uid.
  const saved = new Signer([secretKey], { purpose: 'palisade.session.cookie' }).sign(
    `${'A'.repeat(43)}.${Buffer.from(JSON.stringify({ uid: 1 })).toString('base64url')}`,
  );

  const notes = createNotesApp({ dataDir, env: 'test', secretKey, passwordHashing: FAST });
  apps.push(notes);
  const { app, store } = notes;
  const schema = (store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'users'").get() as { sql: string }).sql;
  assert.match(schema, /AUTOINCREMENT/);
  assert.match(store.userByName('olga')!.session_epoch, /^[0-9a-f]{32}$/);
  assert.notEqual(store.userByName('olga')!.session_epoch, store.userByName('pete')!.session_epoch);
  assert.equal(store.notesFor(1).length, 1, 'notes kept, still linked to their user');
  // The old cookie names olga by a plain uid: it logs nobody in now.
  const replay = app.test();
  replay.setCookie('session', saved);
  assert.equal((await replay.get('/api/me', API)).status, 401);
  // Olga logs in again and finds her note.
  const again = app.test();
  assert.equal((await again.post('/login', { form: { username: 'olga', password: 'correct horse battery' } })).status, 303);
  assert.match((await again.get('/api/notes', API)).text, /kept across the upgrade/);
  // Pete, the highest id, deletes his account; the next account does not get his id.
  store.deleteUser(2);
  await register(app.test(), 'quinn');
  assert.equal(store.userByName('quinn')!.id, 3);
  // Opening the migrated database again changes nothing; deleting a user still cascades.
  const twice = createNotesApp({ dataDir, env: 'test', secretKey, passwordHashing: FAST });
  apps.push(twice);
  assert.equal(twice.store.userByName('olga')!.session_epoch, store.userByName('olga')!.session_epoch);
  twice.store.deleteUser(1);
  assert.equal(twice.store.notesFor(1).length, 0);
  assert.equal((twice.store.db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n, 0);
});

test('the control app (unsafeDisableProtections) really is unprotected: unescaped, no token, inline uploads, any redirect', async () => {
  const { app, store } = makeApp({ unsafeDisableProtections: true });
  // Over HTTPS: the control's cookies are `SameSite=None; Secure`, which a client keeps only there.
  const c = app.test({ baseUrl: 'https://localhost' });
  await register(c, 'kim');
  assert.equal((await c.post('/notes/new', { form: { title: '<b id=x>bold</b>' }, csrf: false })).status, 303);
  const id = store.notesFor(store.userByName('kim')!.id)[0]!.id;
  const page = await c.get('/notes');
  assert.match(page.text, /<b id=x>bold<\/b>/);
  assert.equal(page.header('content-security-policy'), undefined);
  assert.equal(page.header('x-content-type-options'), undefined);
  assert.ok(Array.isArray((await c.get('/api/notes', API)).json()));
  const up = multipart({}, { name: 'page.html', type: 'text/html', content: '<p>hi</p>' });
  await c.post(`/notes/${id}/attachments`, { body: up.body, headers: up.headers, csrf: false });
  const dl = await c.get(`/notes/${id}/attachments/${store.attachments(id)[0]!.id}`);
  assert.match(dl.header('content-type')!, /^text\/html/);
  assert.equal(dl.header('content-disposition'), undefined);
  await c.post('/logout', { csrf: false });
  const r = await c.post('/login', { query: { next: 'https://evil.example/x' }, form: { username: 'kim', password: 'correct horse battery' }, csrf: false });
  assert.equal(r.location, 'https://evil.example/x');
  assert.match(r.setCookies.join('\n'), /Secure; SameSite=None|SameSite=None; Secure/);
});

test('password guessing is throttled over a real socket: five tries a minute per account name, thirty per address', async () => {
  const { app } = makeApp();
  await register(app.test(), 'rita');
  const s = await app.listen({ port: 0, handleSignals: false });
  try {
    const guess = async (username: string) => {
      // Straight to the login route as a script would (no token layer between: the limit counts first).
      const res = await fetch(`${s.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ username, password: 'wrong guess' }),
        headers: { 'sec-fetch-site': 'same-origin', accept: 'application/json' },
      });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), limits: res.headers.get('ratelimit') };
    };
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await guess(i % 2 ? 'RITA' : 'rita'));
    assert.deepEqual(
      tries.map((t) => t.status),
      [403, 403, 403, 403, 403, 429],
      'five counted (refused by CSRF), the sixth throttled',
    );
    assert.ok(Number(tries[5]!.retryAfter) >= 1);
    assert.match(tries[5]!.limits!, /"login-name";r=0;t=\d+/);
    assert.equal((await guess('someone-else')).status, 403, 'another name is not throttled');
    const burst = [];
    for (let i = 0; i < 30; i++) burst.push((await guess(`name${i}`)).status);
    assert.ok(burst.includes(429), 'one address trying many names is throttled too');
  } finally {
    await s.close();
  }
});
