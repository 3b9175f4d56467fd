// The development guard on trusting constructors: request data trusted as HTML (or a URL,
// script, style) is a 500 naming ESCAPE_TRUSTED_REQUEST_DATA and the field, in development
// and test; production apps pass (the control: the same handler really does write the
// value unescaped); literals, escaped values and short values pass.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type App, type AppOptions } from '../../src/index.js';
import { Markup, SafeScript, SafeStyle, SafeURL } from '../../src/escape/markup.js';
import { html } from '../../src/html.js';
import { renderString } from '../../src/templates/index.js';
import { isDistinctive } from '../../src/security/trust-guard.js';
import { MULTIPART_TYPE, multipart } from '../files/helpers.js';

const PROD: AppOptions = { env: 'production', secretKey: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', allowedHosts: ['localhost'], logger: false };

function appWith(env: 'test' | 'development' | 'production', extra: Partial<AppOptions> = {}): App {
  const app = createApp(env === 'production' ? { ...PROD, ...extra } : { env, logger: false, ...extra });
  app.get('/trust', (req) => Markup.unsafeTrust(`<p>${req.query.get('q') ?? ''}</p>`));
  app.get('/literal', () => Markup.unsafeTrust('<p>Hello <b>world</b></p>'));
  app.get('/escaped', (req) => html`<p>${req.query.get('q')}</p>`);
  app.get('/url', (req) => html`<a href="${SafeURL.unsafeTrust(req.query.get('u') ?? '')}">x</a>`);
  app.get('/script', (req) => html`<script>${SafeScript.unsafeTrust(`go(${req.query.get('n')})`)}</script>`);
  app.get('/style', (req) => html`<p style="${SafeStyle.unsafeTrust(`color: ${req.header('x-color')}`)}">x</p>`);
  app.get('/safe-filter', (req) => renderString('<div>{{ bio|safe }}</div>', { bio: `<i>${req.cookies['bio'] ?? ''}</i>` }));
  app.post(
    '/form',
    async (req) => {
      const form = await req.form();
      return Markup.unsafeTrust(`<h1>${form.get('title')}</h1>`);
    },
    { csrf: false },
  );
  app.post(
    '/json',
    async (req) => {
      const body = await req.json<{ user: { names: string[] } }>();
      return Markup.unsafeTrust(`<h1>${body.user.names[1]}</h1>`);
    },
    { csrf: false },
  );
  app.post(
    '/upload',
    async (req) => {
      const { files } = await req.files();
      return Markup.unsafeTrust(`<p>saved ${files[0]!.filename}</p>`);
    },
    { csrf: false },
  );
  // Outside development the default error page hides a 500's message; show it to the test.
  app.onError(500, (err) => ({ error: { code: (err as { code?: string }).code, message: (err as Error).message } }));
  app.post('/unread', () => Markup.unsafeTrust('<p>I did not read the body: <b>hi there</b></p>'), { csrf: false });
  return app;
}

const ATTACK = '<img src=x onerror=alert(1)>';

async function refused(res: { status: number; json(): unknown }, field: RegExp): Promise<void> {
  assert.equal(res.status, 500);
  const body = res.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'ESCAPE_TRUSTED_REQUEST_DATA');
  assert.match(body.error.message, field);
  assert.match(body.error.message, /must be escaped, not trusted/);
}
const JSON_ACCEPT = { accept: 'application/json' };

describe('in test mode, trusting request data is refused', () => {
  const c = appWith('test').test();
  test('query value in Markup.unsafeTrust', async () => {
    await refused(await c.get('/trust', { query: { q: ATTACK }, headers: JSON_ACCEPT }), /query "q"/);
    // A benign value is caught too: the guard finds the mistake before an attacker does.
    await refused(await c.get('/trust', { query: { q: 'hello world' }, headers: JSON_ACCEPT }), /query "q"/);
  });
  test('SafeURL, SafeScript, SafeStyle', async () => {
    await refused(await c.get('/url', { query: { u: 'javascript:alert(1)' }, headers: JSON_ACCEPT }), /SafeURL\.unsafeTrust\(\).*query "u"/);
    await refused(await c.get('/script', { query: { n: '1);alert(2' }, headers: JSON_ACCEPT }), /SafeScript.*query "n"/);
    await refused(await c.get('/style', { headers: { ...JSON_ACCEPT, 'x-color': 'red;background:url(x)' } }), /SafeStyle.*header "x-color"/);
  });
  test('|safe in a template, with a cookie value', async () => {
    await refused(await c.get('/safe-filter', { headers: { ...JSON_ACCEPT, cookie: 'bio=<script>x()</script>' } }), /\|safe.*cookie "bio"/);
  });
  test('form field, JSON string value, uploaded file name', async () => {
    await refused(await c.post('/form', { form: { title: '<b>Hi</b>' }, headers: JSON_ACCEPT }), /form field "title"/);
    await refused(await c.post('/json', { json: { user: { names: ['ann', 'Bob <3'] } }, headers: JSON_ACCEPT }), /JSON value "user\.names\[1\]"/);
    const body = multipart([{ name: 'doc', filename: '<svg onload=x>.txt', contentType: 'text/plain', data: 'hi' }]);
    await refused(await c.post('/upload', { body, headers: { ...JSON_ACCEPT, 'content-type': MULTIPART_TYPE } }), /uploaded file name \(field "doc"\)/);
  });
  test('the default error page names the code', async () => {
    const app = createApp({ env: 'test', logger: false });
    app.get('/trust', (req) => Markup.unsafeTrust(`<p>${req.query.get('q')}</p>`));
    const res = await app.test().get('/trust', { query: { q: ATTACK }, headers: JSON_ACCEPT });
    assert.equal(res.status, 500);
    assert.equal((res.json() as { error: { code: string } }).error.code, 'ESCAPE_TRUSTED_REQUEST_DATA');
  });
  test('development mode too', async () => {
    const dev = appWith('development').test();
    await refused(await dev.get('/trust', { query: { q: ATTACK }, headers: JSON_ACCEPT }), /query "q"/);
  });
});

describe('what passes', () => {
  const c = appWith('test').test();
  test('a literal', async () => {
    const res = await c.get('/literal', { query: { q: 'Hello' } });
    assert.equal(res.status, 200);
    assert.equal(res.text, '<p>Hello <b>world</b></p>');
  });
  test('the same value escaped by html', async () => {
    const res = await c.get('/escaped', { query: { q: ATTACK } });
    assert.equal(res.status, 200);
    assert.equal(res.text, '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });
  test('short values, and a body the handler did not read', async () => {
    for (const q of ['7', 'b', 'name', 'p>']) assert.equal((await c.get('/trust', { query: { q } })).status, 200, q);
    assert.equal((await c.post('/unread', { form: { x: 'hi there' } })).status, 200);
  });
  test('protocol headers are not request data', async () => {
    const res = await c.get('/literal', { headers: { accept: '<p>Hello <b>world</b></p>', 'sec-fetch-mode': 'Hello <b>world' } });
    assert.equal(res.status, 200);
  });
  test('outside a request', () => {
    assert.equal(Markup.unsafeTrust('<b>hello world</b>').toString(), '<b>hello world</b>');
  });
  test('trustGuard: false switches it off', async () => {
    const off = appWith('test', { trustGuard: false }).test();
    assert.equal((await off.get('/trust', { query: { q: ATTACK } })).status, 200);
    assert.throws(() => createApp({ env: 'test', logger: false, trustGuard: 'yes' as unknown as boolean }), /trustGuard must be true or false/);
  });
});

describe('production', () => {
  test('control: a production app in the same process sends the value unescaped', async () => {
    const prod = appWith('production').test();
    const res = await prod.get('/trust', { query: { q: ATTACK } });
    assert.equal(res.status, 200);
    assert.equal(res.text, `<p>${ATTACK}</p>`);
    // A test-mode app alive at the same time still refuses it.
    const t = appWith('test').test();
    assert.equal((await t.get('/trust', { query: { q: ATTACK } })).status, 500);
    assert.equal((await prod.get('/trust', { query: { q: ATTACK } })).status, 200);
  });
});

test('the length rule', () => {
  for (const v of ['abcdefgh', 'a b!', '<b>x', 'x=1;']) assert.ok(isDistinctive(v), v);
  for (const v of ['', 'a', '42', 'name', 'desc', 'abc1234', '<b>']) assert.ok(!isDistinctive(v), v);
});
