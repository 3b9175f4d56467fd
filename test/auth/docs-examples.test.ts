// Runs the example of docs/auth.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('auth example: login, current user, loginRequired, logout ends the copies, throttled guessing', async () => {
  const { app, users } = await import('../../docs/examples/auth/app.js');
  const c = app.test();
  assert.equal((await c.get('/')).text, 'Hello, stranger.');
  const page = await c.get('/notes', { headers: { accept: 'text/html' } });
  assert.equal(page.status, 303);
  assert.equal(page.location, '/login?next=%2Fnotes');
  assert.equal((await c.get('/notes', { headers: { accept: 'application/json' } })).status, 401);
  assert.equal((await c.post('/login', { form: { name: 'ada', password: 'wrong' } })).status, 401);
  const login = await c.post('/login?next=%2Fnotes', { form: { name: 'ada', password: 'correct horse battery staple' } });
  assert.equal(login.status, 303);
  assert.equal(login.location, '/notes');
  assert.equal((await c.get('/')).text, 'Hello, ada!');
  assert.deepEqual((await c.get('/notes')).json(), { notes: ["ada's first note"] });
  assert.deepEqual((await c.get('/admin/users')).json(), { users: ['ada'] });
  const copy = c.cookies.session!;
  const epoch = users.get(1)!.sessionEpoch;
  await c.post('/logout');
  assert.notEqual(users.get(1)!.sessionEpoch, epoch);
  const thief = app.test();
  thief.setCookie('session', copy);
  assert.equal((await thief.get('/')).text, 'Hello, stranger.');
  // Three wrong passwords so far would be fine; five more for the name are not.
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await c.post('/login', { form: { name: 'ADA', password: `guess ${i}` } })).status);
  assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  const refused = await c.post('/login', { form: { name: 'ada', password: 'x' }, headers: { accept: 'application/json' } });
  assert.equal(refused.json<{ error: { code: string } }>().error.code, 'RATE_LIMITED');
  assert.match(refused.header('ratelimit')!, /^"login-name";r=0;t=\d+$/, 'the rule that refused');
  assert.ok(Number(refused.header('retry-after')) >= 1);
});
