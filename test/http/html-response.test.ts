// Every way a handler can send HTML must go through Markup (a template, the html tag) or
// an explicit trusting call (Response.unsafeHTML): an HTML content type on a plain string
// is a 500 HTTP_UNSAFE_HTML_RESPONSE, however the content type got there, in every mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, html, Markup, Response, type App } from '../../src/index.js';

const PAYLOAD = '<img src=x onerror=alert(1)>';
const JSON_ACCEPT = { accept: 'application/json' };

function app(env: 'test' | 'production'): App {
  const a = createApp(
    env === 'production'
      ? { env, secretKey: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', allowedHosts: ['localhost'], logger: false }
      : { env, logger: false },
  );
  a.get('/header-later', (req) => {
    const res = Response.text(`<p>${req.query.get('q')}</p>`);
    res.setHeader('Content-Type', 'TEXT/HTML; charset=UTF-8');
    return res;
  });
  a.get('/xhtml', () => new Response(PAYLOAD, { headers: { 'content-type': 'application/xhtml+xml' } }));
  a.get('/xml', () => new Response(PAYLOAD, { headers: { 'content-type': 'text/xml' } }));
  a.get('/fetch-response', () => new globalThis.Response(PAYLOAD, { headers: { 'content-type': 'text/html' } }));
  a.get('/after-hook', () => 'plain text', { name: 'after-hook' });
  a.get('/body-replaced', () => html`<p>trusted</p>`);
  a.after((req, res) => {
    if (req.path === '/after-hook') res.setHeader('content-type', 'text/html');
    // A Markup response whose body a hook replaces with a string is no longer trusted.
    if (req.path === '/body-replaced') res.body = PAYLOAD;
    return res;
  });
  a.get('/bytes', () => new Response(new TextEncoder().encode(PAYLOAD), { headers: { 'content-type': 'text/html' } }));
  // What passes:
  a.get('/tag', (req) => html`<p>${req.query.get('q')}</p>`);
  a.get('/html', (req) => Response.html(html`<p>${req.query.get('q')}</p>`, { status: 201 }));
  a.get('/unsafe', () => Response.unsafeHTML('<p>mine</p>'));
  a.get('/text', (req) => `<p>${req.query.get('q')}</p>`);
  return a;
}

for (const env of ['test', 'production'] as const) {
  test(`${env}: an HTML content type on a plain body is refused, however it was set`, async () => {
    const c = app(env).test();
    for (const p of ['/header-later', '/xhtml', '/xml', '/fetch-response', '/after-hook', '/bytes', '/body-replaced']) {
      const r = await c.get(p, { query: { q: PAYLOAD }, headers: JSON_ACCEPT });
      assert.equal(r.status, 500, p);
      assert.equal(r.json<{ error: { code: string } }>().error.code, 'HTTP_UNSAFE_HTML_RESPONSE', p);
      assert.ok(!r.text.includes(PAYLOAD), p);
    }
  });

  test(`${env}: Markup and explicit trust pass; a plain string is text/plain`, async () => {
    const c = app(env).test();
    const tag = await c.get('/tag', { query: { q: PAYLOAD } });
    assert.equal(tag.status, 200);
    assert.equal(tag.header('content-type'), 'text/html; charset=utf-8');
    assert.equal(tag.text, '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    const h = await c.get('/html', { query: { q: 'x' } });
    assert.equal(h.status, 201);
    assert.equal(h.text, '<p>x</p>');
    assert.equal((await c.get('/unsafe')).text, '<p>mine</p>');
    const head = await c.head('/tag');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const t = await c.get('/text', { query: { q: PAYLOAD } });
    assert.equal(t.header('content-type'), 'text/plain; charset=utf-8');
    assert.equal(t.header('x-content-type-options'), 'nosniff');
  });
}

test('Response.html refuses a string, even one cast to Markup', () => {
  assert.throws(
    () => Response.html('<p>x</p>' as unknown as Markup),
    (e: unknown) => (e as { code?: string }).code === 'HTTP_UNSAFE_HTML_RESPONSE',
  );
});
