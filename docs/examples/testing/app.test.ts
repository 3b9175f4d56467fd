import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { app } from './app.js';

after(() => app.close());

test('a note is saved from the form, with its attachment', async () => {
  const client = app.test();
  const res = await client.submit('/notes/new', {
    fields: { title: 'Groceries' },
    files: { attachment: { name: 'list.txt', type: 'text/plain', content: 'milk, eggs' } },
  });
  res.expectStatus(303);
  const list = await client.get('/notes');
  assert.deepEqual(list.expectStatus(200).json(), { notes: [{ title: 'Groceries', file: 'list.txt' }] });
});

test('a request without the CSRF token is refused', async () => {
  const res = await app.test().post('/notes', { form: { title: 'x' }, csrf: false });
  res.expectStatus(403);
});

test('a broken template: the error, its file and line', async () => {
  const res = await app.test().get('/notes/last');
  assert.equal(res.status, 500);
  assert.match(String(res.error), /last\.html:3:\d+: .*"note" is not defined/);
});
