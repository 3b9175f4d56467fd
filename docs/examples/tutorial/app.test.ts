// The tutorial's tests (docs/tutorial.md, step 6). Run them with
//   node --import tsx --test app.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { addUser, app, books, COVERS } from './app.js';

before(async () => {
  await addUser('ada', 'correct horse battery staple');
});

test('signing up logs the new user in; a taken name or a short password is refused', async () => {
  const client = app.test();
  const res = await client.submit('/signup', { form: 'signup', fields: { name: 'grace', password: 'a long enough password' } });
  res.expectStatus(303);
  assert.match((await client.get('/')).text, /grace\s*<form method="post" action="\/logout">/);

  const again = await app.test().submit('/signup', { form: 'signup', fields: { name: 'ada', password: 'short' } });
  assert.equal(again.status, 400);
  assert.match(again.text, /That name is taken\./);
  assert.match(again.text, /Enter at least 12 characters\./);
});
after(async () => {
  await app.close();
  rmSync(COVERS, { recursive: true, force: true });
});

// A PNG's first bytes: enough for Palisade to see that the file is a PNG.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);

async function loggedIn() {
  const client = app.test();
  const res = await client.submit('/login', { form: 'login', fields: { name: 'ada', password: 'correct horse battery staple' } });
  res.expectStatus(303);
  return client;
}

test('adding a book needs a login, then shows it on the front page', async () => {
  const visitor = app.test();
  const page = await visitor.get('/books/new');
  assert.equal(page.status, 303);
  assert.equal(page.header('location'), '/login?next=%2Fbooks%2Fnew');

  const client = await loggedIn();
  const added = await client.submit('/books/new', {
    form: 'book',
    fields: { title: 'Middlemarch', author: 'George Eliot' },
    files: { cover: { name: 'cover.png', type: 'image/png', content: PNG } },
  });
  added.expectStatus(303);
  const home = await client.get('/');
  assert.match(home.expectStatus(200).text, /Added “Middlemarch”\./);
  assert.match(home.text, /<strong>Middlemarch<\/strong> by George Eliot \(from ada\)/);

  const cover = await client.get(home.text.match(/<img src="([^"]+)"/)![1]!);
  assert.equal(cover.expectStatus(200).header('content-type'), 'image/png');
});

test('a wrong password is refused, and the form says so', async () => {
  const res = await app.test().submit('/login', { form: 'login', fields: { name: 'ada', password: 'guess' } });
  assert.equal(res.status, 401);
  assert.match(res.text, /Wrong name or password/);
});

test('what users type is shown as text, never as markup', async () => {
  const client = await loggedIn();
  await client.submit('/books/new', { form: 'book', fields: { title: '<script>alert(1)</script>', author: 'Mallory' } });
  const home = await client.get('/');
  assert.match(home.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(home.text, /<script>alert/);
});

test('a page pretending to be a cover is refused', async () => {
  const client = await loggedIn();
  const res = await client.submit('/books/new', {
    form: 'book',
    fields: { title: 'Trojan', author: 'Mallory' },
    files: { cover: { name: 'cover.png', type: 'image/png', content: '<script>alert(document.cookie)</script>' } },
  });
  assert.equal(res.status, 400);
  assert.match(res.text, /of type image\/png, image\/jpeg/);
  assert.ok(!books.some((b) => b.title === 'Trojan'));
});

test('a form sent without its CSRF token is refused', async () => {
  const client = await loggedIn();
  const res = await client.post('/books/new', { form: { title: 'Forged', author: 'Mallory' }, csrf: false });
  assert.equal(res.status, 403);
});

test('the JSON API lists books and adds one for a logged-in user', async () => {
  const anonymous = await app.test().post('/api/books', { json: { title: 'x', author: 'y' } });
  assert.equal(anonymous.status, 401);

  const client = await loggedIn();
  const created = await client.post('/api/books', { json: { title: 'Emma', author: 'Jane Austen' } });
  assert.equal(created.expectStatus(201).json<{ book: { title: string } }>().book.title, 'Emma');
  const list = await client.get('/api/books');
  assert.ok(list.json<{ books: { title: string }[] }>().books.some((b) => b.title === 'Emma'));

  const bad = await client.post('/api/books', { json: { title: '' } });
  assert.equal(bad.status, 400);
});
