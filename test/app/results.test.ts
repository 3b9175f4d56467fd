import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createApp, Response, Markup } from '../../src/index.js';

test('what a handler returns decides the response, safely', async () => {
  const app = createApp({ env: 'test' });
  app.get('/text', () => '<script>alert(1)</script>');
  app.get('/markup', () => Markup.unsafeTrust('<b>bold</b>'));
  app.get('/object', () => ({ a: 1 }));
  app.get('/array', () => [1, 2]);
  app.get('/array-ok', () => [1, 2], { allowTopLevelArray: true });
  app.get('/bytes', () => new Uint8Array([1, 2, 3]));
  app.get('/stream', () => new Response(Readable.from(['a', 'b'])));
  app.get('/undefined', () => undefined as never);
  app.get('/number', () => 42 as never);
  app.get('/fetch', () => new globalThis.Response('from fetch', { status: 201, headers: { 'x-a': 'b' } }));
  const c = app.test();

  const text = await c.get('/text');
  assert.equal(text.header('content-type'), 'text/plain; charset=utf-8');
  assert.equal(text.text, '<script>alert(1)</script>');
  assert.equal(text.header('x-content-type-options'), 'nosniff');

  const m = await c.get('/markup');
  assert.equal(m.header('content-type'), 'text/html; charset=utf-8');
  assert.equal(m.text, '<b>bold</b>');

  const o = await c.get('/object');
  assert.equal(o.header('content-type'), 'application/json; charset=utf-8');
  assert.deepEqual(o.json(), { a: 1 });

  const arr = await c.get('/array');
  assert.equal(arr.status, 500);
  assert.deepEqual((await c.get('/array-ok')).json(), [1, 2]);

  const b = await c.get('/bytes');
  assert.equal(b.header('content-type'), 'application/octet-stream');
  assert.deepEqual([...b.body], [1, 2, 3]);

  assert.equal((await c.get('/stream')).text, 'ab');

  const u = await c.get('/undefined', { headers: { accept: 'application/json' } });
  assert.equal(u.status, 500);
  assert.equal(u.json<{ error: { code: string } }>().error.code, 'HTTP_NO_RESPONSE');

  const n = await c.get('/number', { headers: { accept: 'application/json' } });
  assert.equal(n.json<{ error: { code: string } }>().error.code, 'HTTP_BAD_RETURN');

  const f = await c.get('/fetch');
  assert.equal(f.status, 201);
  assert.equal(f.header('x-a'), 'b');
  assert.equal(f.text, 'from fetch');
});

test('an HTML content type on a plain string is refused', async () => {
  const app = createApp({ env: 'test' });
  app.get('/sneaky', () => new Response('<p>hi</p>', { headers: { 'content-type': 'text/html' } }));
  app.get('/svg', () => new Response('<svg/>', { headers: { 'content-type': 'image/svg+xml' } }));
  app.get('/trusted', () => Response.unsafeHTML('<p>mine</p>'));
  const c = app.test();
  for (const p of ['/sneaky', '/svg']) {
    const r = await c.get(p, { headers: { accept: 'application/json' } });
    assert.equal(r.status, 500, p);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'HTTP_UNSAFE_HTML_RESPONSE');
  }
  assert.throws(() => Response.html('<p>x</p>' as never), /takes Markup/);
  assert.equal((await c.get('/trusted')).text, '<p>mine</p>');
});

test('errors: JSON or HTML by Accept; stack only in development, escaped', async () => {
  for (const env of ['development', 'production'] as const) {
    const app = createApp({ env, secretKey: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', logger: false, allowedHosts: ['localhost'] });
    app.get('/boom', () => {
      throw new Error('<img src=x onerror=alert(1)>');
    });
    const c = app.test();
    const html = await c.get('/boom', { headers: { accept: 'text/html' } });
    assert.equal(html.status, 500);
    assert.equal(html.header('content-type'), 'text/html; charset=utf-8');
    assert.ok(!html.text.includes('<img src=x'), 'the message is escaped');
    if (env === 'development') assert.ok(html.text.includes('&lt;img src=x onerror=alert(1)&gt;') && html.text.includes('<pre>'));
    else {
      assert.ok(!html.text.includes('onerror'), 'production hides the message');
      assert.ok(!html.text.includes('<pre>'), 'production shows no stack');
    }
    const json = await c.get('/boom', { headers: { accept: 'application/json' } });
    const e = json.json<{ error: { code: string; stack?: string } }>().error;
    assert.equal(e.code, 'HTTP_INTERNAL');
    assert.equal(e.stack === undefined, env === 'production');
  }
});

test('4xx errors say what went wrong in every mode', async () => {
  const app = createApp({ env: 'production', secretKey: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', logger: false, allowedHosts: ['localhost'] });
  app.post('/j', async (req) => ({ got: await req.json() }), { csrf: false });
  const r = await app.test().post('/j', { body: '{"a":', headers: { 'content-type': 'application/json', accept: 'application/json' } });
  assert.equal(r.status, 400);
  const e = r.json<{ error: { code: string; message: string; docs: string } }>().error;
  assert.equal(e.code, 'BODY_MALFORMED');
  assert.match(e.message, /JSON body is malformed/);
  assert.equal(e.docs, 'docs/errors/BODY_MALFORMED.md');
});

test('body limits per app and per route', async () => {
  const app = createApp({ env: 'test', maxBodySize: 100 });
  app.post('/small', async (req) => `${(await req.text()).length}`, { csrf: false });
  app.post('/big', async (req) => `${(await req.text()).length}`, { maxBodySize: 1000, csrf: false });
  const c = app.test();
  assert.equal((await c.post('/small', { body: 'x'.repeat(101), headers: { 'content-type': 'text/plain' } })).status, 413);
  assert.equal((await c.post('/big', { body: 'x'.repeat(500), headers: { 'content-type': 'text/plain' } })).text, '500');
});

test('an error page that replaces a refused response still gets the security headers', async () => {
  const app = createApp({ env: 'test' });
  app.get('/go', () => Response.redirect('https://evil.example/'));
  app.get('/sneaky', () => new Response('<p>x</p>', { headers: { 'content-type': 'text/html' } }));
  const c = app.test();
  for (const p of ['/go', '/sneaky']) {
    const r = await c.get(p);
    assert.ok(r.status >= 400, p);
    assert.match(r.header('content-security-policy') ?? '', /script-src/, p);
    assert.equal(r.header('x-frame-options'), 'SAMEORIGIN', p);
  }
});

test('an early refusal (foreign host) renders its page with the CSP nonce on its style', async () => {
  const app = createApp({ env: 'test' });
  app.get('/', () => 'ok');
  const r = await app.test().get('/', { headers: { host: 'evil.example' } });
  assert.equal(r.status, 400);
  const nonce = /'nonce-([^']+)'/.exec(r.header('content-security-policy') ?? '')?.[1];
  assert.ok(nonce);
  assert.ok(r.text.includes(`<style nonce="${nonce}">`));
});
