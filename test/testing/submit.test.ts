// client.submit() sends what the page's form holds, as a browser would: a form whose
// template forgot its CSRF field fails with the 403 a browser would get, where post()
// (which adds a valid X-CSRF-Token) passes it. Files go as multipart uploads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, render, type App, type HttpError } from '../../src/index.js';

const PAGES: Record<string, string> = {
  'new.html': `<!doctype html>
<form method="post" action="/notes">
  {{ csrf_field() }}
  <input name="title" value="Untitled">
  <textarea name="body">
First line &amp; more</textarea>
  <select name="colour"><option>red<option selected value="g">green</select>
  <input type="checkbox" name="pinned" value="yes">
  <input type="checkbox" name="public" checked>
  <input name="ignored" disabled value="x">
  <button name="action" value="save">Save</button>
  <button name="action" value="draft">Keep as draft</button>
</form>`,
  // The bug this catches: an action written from a value gets no automatic CSRF field
  // (docs/templates.md#csp-nonces-and-csrf-fields; only a url_for() call written as the whole
  // action does), and the template has no csrf_field().
  'forgot.html': `<!doctype html>
{% set target = url_for('create') %}<form method="post" action="{{ target }}"><input name="title"><button>Save</button></form>`,
  'upload.html': `<!doctype html>
<form method="post" action="/attachments" enctype="multipart/form-data">
  {{ csrf_field() }}
  <input name="note">
  <input type="file" name="doc">
  <input type="file" name="photos" multiple>
</form>`,
  'finder.html': `<!-- <form action="/nowhere"> --><script>let s = '<form action="/nor-here">';</script>
<form id="search" action="/search?old=1"><input name="q" value="a b"></form>
<form id="other" method="post" action="/notes">{{ csrf_field() }}<input name="title"></form>`,
};

function makeApp(t: { after(fn: () => void): void }): App {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-submit-'));
  for (const [name, text] of Object.entries(PAGES)) writeFileSync(join(dir, name), text);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const app = createApp({ env: 'test', logger: false, templates: { dir } });
  for (const name of Object.keys(PAGES)) app.get(`/${name.replace('.html', '')}`, () => render(name));
  app.post(
    '/notes',
    async (req) => {
      const f = await req.form();
      return Object.fromEntries([...f.keys()].filter((k) => k !== 'csrf_token').map((k) => [k, f.getAll(k)]));
    },
    { name: 'create' },
  );
  app.post(
    '/attachments',
    async (req) => {
      const { fields, files } = await req.files();
      return { note: fields.get('note'), files: await Promise.all(files.map(async (f) => [f.fieldName, f.filename, f.mimeType, await f.text()])) };
    },
    { uploads: true },
  );
  app.get('/search', (req) => ({ q: req.query.getAll('q'), old: req.query.get('old') ?? null }));
  return app;
}

test('a form whose template lacks the CSRF token: post() passes it, submit() gets the 403 a browser would', async (t) => {
  const c = makeApp(t).test();
  // The old way: the client adds a valid X-CSRF-Token itself, so the missing field goes unnoticed.
  const post = await c.post('/notes', { form: { title: 'Hi' } });
  assert.equal(post.status, 200, post.explain());
  // The browser's way: only what the page holds.
  const submitted = await c.submit('/forgot', { fields: { title: 'Hi' } });
  assert.equal(submitted.status, 403);
  assert.equal((submitted.error as HttpError).code, 'CSRF_TOKEN_MISSING');
  // The header behaviour stays available on request.
  assert.equal((await c.submit('/forgot', { fields: { title: 'Hi' }, csrf: true })).status, 200);
});

test("submit() sends the form's own values, the token it holds, and what the test types in", async (t) => {
  const c = makeApp(t).test();
  const res = (await c.submit('/new', { fields: { title: 'Groceries', pinned: true } })).expectStatus(200);
  assert.deepEqual(res.json(), {
    title: ['Groceries'],
    body: ['First line & more'],
    colour: ['g'],
    pinned: ['yes'],
    public: ['on'],
    action: ['save'],
  });
  const draft = (await c.submit('/new', { button: 'draft', fields: { colour: 'red', public: false } })).expectStatus(200);
  assert.deepEqual(draft.json<Record<string, string[]>>().action, ['draft']);
  assert.deepEqual(draft.json<Record<string, string[]>>().colour, ['red']);
  assert.equal(draft.json<Record<string, string[]>>().public, undefined);
  // csrf: false leaves out the form's own token too.
  assert.equal((await c.submit('/new', { csrf: false })).status, 403);
});

test('submit() refuses what a browser could not send, naming the fields', async (t) => {
  const c = makeApp(t).test();
  await assert.rejects(
    c.submit('/new', { fields: { titel: 'x' } }),
    /no field named "titel" \(its fields: "csrf_token", "title", "body", "colour", "pinned", "public"\)/,
  );
  await assert.rejects(c.submit('/new', { fields: { colour: 'blue' } }), /offers "red", "g", not "blue"/);
  await assert.rejects(c.submit('/new', { files: { doc: { name: 'a.txt', content: 'x' } } }), /not method="post" enctype="multipart\/form-data"/);
  await assert.rejects(c.submit('/finder'), /2 forms \(search, other\)/);
  await assert.rejects(c.submit('/new', { button: 'publish' }), /no submit button named "publish"/);
  await assert.rejects(c.submit('/missing'), /GET \/missing answered 404, expected 200/);
});

test('submit() picks a form by id, sends GET forms as a query, and skips forms in comments and scripts', async (t) => {
  const c = makeApp(t).test();
  assert.deepEqual((await c.submit('/finder', { form: 'search' })).json(), { q: ['a b'], old: null });
  assert.deepEqual((await c.submit('/finder', { form: 'other', fields: { title: 'T' } })).expectStatus(200).json(), { title: ['T'] });
  // A response already fetched can be submitted too.
  const page = await c.get('/finder');
  assert.deepEqual((await c.submit(page, { form: '/search', fields: { q: 'z' } })).json(), { q: ['z'], old: null });
});

test('files: submit() and post() upload multipart bodies', async (t) => {
  const c = makeApp(t).test();
  const res = await c.submit('/upload', {
    fields: { note: 'two' },
    files: {
      doc: { name: 'a "b".txt', type: 'text/plain', content: 'hello' },
      photos: [
        { name: 'p1.png', content: 'P1' },
        { name: 'p2.png', content: new Uint8Array([80, 50]) },
      ],
    },
  });
  assert.deepEqual(res.expectStatus(200).json(), {
    note: 'two',
    files: [
      ['doc', 'a %22b%22.txt', 'text/plain', 'hello'],
      ['photos', 'p1.png', 'application/octet-stream', 'P1'],
      ['photos', 'p2.png', 'application/octet-stream', 'P2'],
    ],
  });
  // An empty file input sends an empty part, which the app skips.
  assert.deepEqual((await c.submit('/upload')).expectStatus(200).json(), { note: '', files: [] });
  await assert.rejects(
    c.submit('/upload', {
      files: {
        doc: [
          { name: 'a', content: '' },
          { name: 'b', content: '' },
        ],
      },
    }),
    /takes one file/,
  );
  // post() with files: the same body, with the X-CSRF-Token header.
  const posted = await c.post('/attachments', { form: { note: 'n' }, files: { doc: { name: 'x.txt', content: 'X' } } });
  assert.deepEqual(posted.expectStatus(200).json(), { note: 'n', files: [['doc', 'x.txt', 'application/octet-stream', 'X']] });
});
