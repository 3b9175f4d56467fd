import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, Response } from '../../src/index.js';

test('setCookie has secure defaults; Secure follows HTTPS', async () => {
  for (const [base, https, secure] of [
    ['http://localhost', false, false],
    ['https://localhost', false, true],
    ['http://localhost', true, true],
  ] as const) {
    const app = createApp({ env: 'test', https });
    app.get('/', () => new Response('ok').setCookie('theme', 'dark'));
    const r = await app.test({ baseUrl: base }).get('/');
    const line = r.setCookies[0]!;
    assert.match(line, /^theme=dark; /);
    assert.match(line, /; Path=\//);
    assert.match(line, /; HttpOnly/);
    assert.match(line, /; SameSite=Lax/);
    assert.equal(/; Secure/.test(line), secure, `${base} https=${https}`);
  }
});

test('cookies: explicit options, SameSite=None forces Secure, deletion, bad names', async () => {
  const app = createApp({ env: 'test' });
  app.get('/', () =>
    new Response('ok').setCookie('a', '1', { httpOnly: false, sameSite: 'strict', maxAge: 60 }).setCookie('b', '2', { sameSite: 'none' }).deleteCookie('old'),
  );
  const r = await app.test().get('/');
  const [a, b, old] = r.setCookies;
  assert.ok(!/HttpOnly/.test(a!) && /SameSite=Strict/.test(a!) && /Max-Age=60/.test(a!));
  assert.match(b!, /SameSite=None; Secure|Secure; SameSite=None|Secure.*SameSite=None|SameSite=None.*Secure/);
  assert.match(old!, /^old=; .*Max-Age=0/);
  assert.throws(() => new Response('').setCookie('bad name', 'x'), /invalid cookie name/);
  assert.throws(() => new Response('').setHeader('x', 'a\r\nSet-Cookie: evil=1'), { code: 'HTTP_INVALID_HEADER' });
});

test('redirects: same host allowed, other hosts refused unless listed', async () => {
  const app = createApp({ env: 'test', redirectHosts: ['partner.example'] });
  app.get('/go', (req) => Response.redirect(req.query.get('next') ?? '/'));
  app.get('/go-listed', () => Response.redirect('https://docs.example/x', { allowHosts: ['docs.example'] }));
  const c = app.test();
  const go = (next: string) => c.get('/go', { query: { next }, headers: { accept: 'application/json' } });
  for (const ok of ['/notes', 'notes/1', '?page=2', 'http://localhost/x', 'https://partner.example/a']) {
    const r = await go(ok);
    assert.equal(r.status, 302, ok);
    assert.equal(r.location, ok);
  }
  for (const bad of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    ' //evil.example',
    '\t//evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,x',
    'http://localhost.evil.example/',
    'https://localhost@evil.example/',
  ]) {
    const r = await go(bad);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'HTTP_OPEN_REDIRECT', bad);
    assert.equal(r.location, undefined);
  }
  assert.equal((await c.get('/go-listed')).status, 302);
});

test('the test client follows redirects on request and keeps cookies', async () => {
  const app = createApp({ env: 'test' });
  app.get('/login', () => Response.redirect('/home', { status: 303 }).setCookie('sid', 'abc'));
  app.get('/home', (req) => `home ${req.cookies.sid}`);
  const c = app.test();
  const r = await c.get('/login', { followRedirects: true });
  assert.equal(r.status, 200);
  assert.equal(r.text, 'home abc');
  assert.equal(r.url, '/home');
  assert.equal(c.cookies.sid, 'abc');
});

test('a redirect with a fallback goes there instead of a refused target', async () => {
  const app = createApp({ env: 'test' });
  app.get('/login', (req) => Response.redirect(req.query.get('next') ?? '/', { status: 303, fallback: '/home' }));
  const c = app.test();
  assert.equal((await c.get('/login', { query: { next: '/notes/1' } })).location, '/notes/1');
  for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
    const r = await c.get('/login', { query: { next: bad } });
    assert.equal(r.status, 303, bad);
    assert.equal(r.location, '/home', bad);
  }
  for (const badFallback of ['//evil.example', 'https://x.example/', '/\\x', 'home']) {
    assert.throws(() => Response.redirect('/', { fallback: badFallback }), /fallback must be a path/, badFallback);
  }
});
