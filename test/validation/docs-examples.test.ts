// The examples of docs/validation.md do what the page says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidOpenAPI } from '../openapi/helpers.js';

test('docs/examples/validation/app.ts: typed handlers, one 422 shape, the description', async () => {
  const { app } = await import('../../docs/examples/validation/app.js');
  const c = app.test();
  const made = await c.post('/api/notes', { json: { title: '  First  ', tags: ['a'] } });
  assert.equal(made.status, 201);
  assert.deepEqual(made.json(), { id: 1, title: 'First', tags: ['a'] });
  const bad = await c.post('/api/notes', { json: { title: '', tags: 'a' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.header('content-type'), 'application/problem+json; charset=utf-8');
  assert.deepEqual(
    bad.json<{ errors: { in: string; pointer: string }[] }>().errors.map((e) => `${e.in} ${e.pointer}`),
    ['body #/title', 'body #/tags'],
  );
  assert.deepEqual((await c.get('/api/notes/1')).json(), { id: 1, title: 'First', tags: ['a'] });
  assert.equal((await c.get('/api/notes/2')).status, 404);
  assert.equal((await c.get('/api/notes/x')).status, 422);
  assert.deepEqual((await c.get('/api/notes?tag=a')).json(), { notes: [{ id: 1, title: 'First', tags: ['a'] }] });
  assert.deepEqual((await c.get('/api/notes?tag=b&page=1')).json(), { notes: [] });
  assert.equal((await c.get('/api/notes?page=0')).status, 422);
  const doc = (await c.get('/openapi.json')).json<{ paths: Record<string, unknown> }>();
  await assertValidOpenAPI(doc);
  assert.deepEqual(Object.keys(doc.paths), ['/api/notes', '/api/notes/{id}', '/openapi.json']);
});

test('docs/examples/validation/valibot.ts: coercion where the schema asks, and a description', async () => {
  const { app } = await import('../../docs/examples/validation/valibot.js');
  const c = app.test();
  assert.deepEqual((await c.get('/api/search?q=tea&limit=5')).json(), { q: 'tea', limit: 5 });
  assert.deepEqual((await c.get('/api/search?q=tea')).json(), { q: 'tea', limit: 20 });
  assert.equal((await c.get('/api/search?q=tea&limit=500')).status, 422);
  assert.equal((await c.get('/api/search')).status, 422);
  const doc = app.openapi({ info: { title: 'Search', version: '1' } }) as { paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
  await assertValidOpenAPI(doc);
  assert.deepEqual(
    doc.paths['/api/search']!.get!.parameters.map((p) => p.name),
    ['q', 'limit'],
  );
});

test('docs/examples/validation/signup.ts: an async check', async () => {
  const { app } = await import('../../docs/examples/validation/signup.js');
  const c = app.test();
  assert.deepEqual((await c.post('/api/signup', { json: { username: 'bob' } })).json(), { welcome: 'bob' });
  const again = await c.post('/api/signup', { json: { username: 'bob' } });
  assert.equal(again.status, 422);
  assert.equal(again.json<{ errors: { message: string }[] }>().errors[0]!.message, 'This username is taken.');
});
