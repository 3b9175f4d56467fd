// The example of docs/forms-and-csrf.md#form-validation, run: the form page, a refused
// submission shown again (escaped, 400), and post/redirect/get with a flashed message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { app } from '../../docs/examples/forms/app.js';

test('docs example: new note form, invalid submission, PRG with a flash shown once', async () => {
  const c = app.test();
  const page = await c.get('/notes/new');
  assert.equal(page.status, 200);
  assert.equal(page.text.match(/name="csrf_token"/g)?.length, 1);
  assert.match(page.text, /<option value="normal" selected>/);

  const bad = await c.post('/notes/new', { form: { title: '"><b>x', priority: 'urgent' } });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /value="&#34;&gt;&lt;b&gt;x"/);
  assert.match(bad.text, /<li>Select one of the choices\.<\/li>/);

  const ok = await c.post('/notes/new', { form: { title: 'Milk <2l>', priority: 'high', pinned: 'on' } });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/notes');
  const list = await c.get('/notes');
  assert.match(list.text, /<p class="flash success">Saved “Milk &lt;2l&gt;”\.<\/p>/);
  assert.match(list.text, /<li>Milk &lt;2l&gt; \(high\)<\/li>/);
  assert.doesNotMatch((await c.get('/notes')).text, /flash/);
});

test('docs example: the app-wide form limits, met by req.form() in a plain handler', async () => {
  const { app: limited } = await import('../../docs/examples/forms/limits.js');
  const c = limited.test();
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag=t${i}`).join('&');
  const ok = await c.post('/tags', { body: tags(200), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.deepEqual(ok.json(), { tags: 200 });
  const over = await c.post('/tags', { body: tags(201), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
  assert.equal(over.status, 413);
  assert.equal(over.json<{ error: { code: string } }>().error.code, 'FORM_TOO_MANY_FIELDS');
  const long = await c.post('/tags', {
    body: `tag=${'x'.repeat(20_001)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
  assert.equal(long.json<{ error: { code: string } }>().error.code, 'FORM_VALUE_TOO_LONG');
});
