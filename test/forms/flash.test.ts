// Post/redirect/get with flashed messages: flash() before the redirect, the next page
// shows the messages once (template global and code), categories and filters, a flash
// read in the same request, and no session work for a request without a session cookie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, defineForm, fields as f, flash, getFlashedMessages, Response } from '../../src/index.js';
import { compileTemplate } from '../../src/templates/index.js';

const SECRET = 'forms-flash-secret'.padEnd(40, 'x');
const noteForm = defineForm({ title: f.string({ maxLength: 50 }) });
const page = compileTemplate(
  '{% for category, message in get_flashed_messages(with_categories=true) %}<p class="{{ category }}">{{ message }}</p>{% endfor %}' +
    '[{{ get_flashed_messages(category_filter=["error"]) | join(",") }}]',
);

function makeApp(session: Record<string, unknown> = {}) {
  const app = createApp({ env: 'test', secretKey: SECRET, session });
  app.get('/notes', () => page.render({}));
  app.post('/notes', async (req) => {
    const r = await noteForm.validate(req);
    if (!r.ok) {
      await flash(req, 'Fix the errors below.', 'error');
      return Response.redirect('/notes', { status: 303 });
    }
    await flash(req, `Saved “${r.data.title}”.`, 'success');
    await flash(req, 'Second <message>');
    return Response.redirect('/notes', { status: 303 });
  });
  app.get('/api/flashes', async (req) => ({ messages: await getFlashedMessages(req), again: await getFlashedMessages(req, { withCategories: true }) }));
  app.get('/same-request', async (req) => {
    await flash(req, 'now');
    return page.render({});
  });
  app.get('/plain', () => ({ ok: true }));
  return app;
}

for (const store of ['cookie', 'memory'] as const) {
  test(`${store} sessions: post/redirect/get shows the messages once, escaped`, async () => {
    const c = makeApp({ store }).test();
    const post = await c.post('/notes', { form: { title: '<b>Milk</b>' } });
    assert.equal(post.status, 303);
    const first = await c.get('/notes');
    assert.equal(first.text, '<p class="success">Saved “&lt;b&gt;Milk&lt;/b&gt;”.</p><p class="message">Second &lt;message&gt;</p>[]');
    const second = await c.get('/notes');
    assert.equal(second.text, '[]', 'shown once');
    await c.post('/notes', { form: { title: '' } });
    assert.equal((await c.get('/notes')).text, '<p class="error">Fix the errors below.</p>[Fix the errors below.]');
  });
}

test('getFlashedMessages in code: pops once; a second call in the same request returns the same list', async () => {
  const c = makeApp().test();
  await c.post('/notes', { form: { title: 'A' } });
  const r = (await c.get('/api/flashes')).json<{ messages: string[]; again: [string, string][] }>();
  assert.deepEqual(r.messages, ['Saved “A”.', 'Second <message>']);
  assert.deepEqual(r.again, [
    ['success', 'Saved “A”.'],
    ['message', 'Second <message>'],
  ]);
  assert.deepEqual((await c.get('/api/flashes')).json<{ messages: string[] }>().messages, []);
});

test('a message flashed and read in the same request is shown, and not again', async () => {
  const c = makeApp().test();
  assert.equal((await c.get('/same-request')).text, '<p class="message">now</p>[]');
  assert.equal((await c.get('/notes')).text, '[]');
});

test('a request without a session cookie gets no session work (no Vary: Cookie)', async () => {
  const c = makeApp().test();
  const res = await c.get('/plain');
  assert.equal(res.header('vary')?.includes('Cookie') ?? false, false);
  assert.equal((await c.get('/notes')).text, '[]');
});

test('get_flashed_messages is a request global: outside a request (strict mode) it is undefined', () => {
  assert.throws(() => page.render({}), /"get_flashed_messages" is not defined \[TEMPLATE_UNDEFINED\]/);
});
