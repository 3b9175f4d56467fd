// Runs the examples of docs/sessions.md and docs/forms-and-csrf.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTECTIONS } from '../../src/util/symbols.js';

test('sessions example: login, cart, logout; a copy of the cookie is logged out too', async () => {
  const { app, users } = await import('../../docs/examples/sessions/app.js');
  const c = app.test();
  assert.equal((await c.get('/')).text, 'Hello, stranger.');
  assert.equal((await c.post('/login', { form: { name: 'ada', password: 'wrong' } })).status, 401);
  const before = c.cookies.session;
  const login = await c.post('/login', { form: { name: 'ada', password: 'correct horse battery staple' } });
  assert.equal(login.status, 303);
  assert.notEqual(c.cookies.session, before);
  assert.equal((await c.get('/')).text, 'Hello, ada!');
  await c.post('/cart', { form: { item: 'tea' } });
  assert.deepEqual((await c.post('/cart', { form: { item: 'milk' } })).json(), { cart: ['tea', 'milk'] });
  const copy = c.cookies.session!;
  const epoch = users.get('ada')!.sessionEpoch;
  assert.equal((await c.post('/logout')).status, 303);
  assert.equal(c.cookies.session, undefined);
  assert.equal((await c.get('/')).text, 'Hello, stranger.');
  assert.notEqual(users.get('ada')!.sessionEpoch, epoch);
  const thief = app.test();
  thief.setCookie('session', copy);
  assert.equal((await thief.get('/')).text, 'Hello, stranger.');
});

test('csrf example: protected routes, token endpoint, exemptions, trusted origin', async () => {
  const { app } = await import('../../docs/examples/csrf/app.js');
  const c = app.test();
  assert.equal((await c.post('/notes', { form: { text: 'a' } })).status, 200);
  assert.equal((await c.post('/notes', { form: { text: 'b' }, csrf: false })).status, 403);
  const { token } = (await c.get('/api/csrf-token')).json<{ token: string }>();
  const put = await c.put('/api/notes', { csrf: false, json: { notes: ['x'] }, headers: { 'x-csrf-token': token } });
  assert.deepEqual(put.json(), { notes: ['x'] });
  const hook = { csrf: false, json: { type: 'paid' }, headers: { 'sec-fetch-site': 'cross-site' } } as const;
  assert.deepEqual((await c.post('/hooks/payment', hook)).json(), { received: 'paid' });
  assert.deepEqual((await c.post('/hooks/v2/mail', hook)).json(), { received: 'mail' });
  const admin = await c.post('/notes', { form: { text: 'c' }, headers: { 'sec-fetch-site': 'same-site', origin: 'https://admin.example.com' } });
  assert.equal(admin.status, 200);
  const csrf = app[PROTECTIONS].find((p) => p.name === 'csrf')!;
  const findings = csrf.audit!(app.routes);
  assert.ok(findings.some((f) => f.includes('POST /hooks/payment')));
  assert.ok(findings.some((f) => f.includes('POST /hooks/v2/mail')));
});
