import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createApp, type AppOptions } from '../../src/index.js';
import { ConfigError } from '../../src/errors.js';
import { HostMatcher, LOCAL_HOSTS, splitHost } from '../../src/security/hosts.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const SECRET = 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ';

test('host patterns: exact, with port, subdomain wildcard, any', () => {
  const table: [string[], string, boolean][] = [
    [['example.com'], 'example.com', true],
    [['example.com'], 'EXAMPLE.com', true],
    [['example.com'], 'example.com:8080', true],
    [['example.com'], 'example.com.', true],
    [['example.com'], 'www.example.com', false],
    [['example.com'], 'example.com.evil.test', false],
    [['example.com'], 'evilexample.com', false],
    [['example.com'], '', false],
    [['example.com'], 'example.com@evil.test', false],
    [['example.com'], 'example.com/evil', false],
    [['example.com'], 'example.com:80:80', false],
    [['example.com'], 'example.com ', false],
    [['example.com:8443'], 'example.com:8443', true],
    [['example.com:8443'], 'example.com', false],
    [['example.com:8443'], 'example.com:8080', false],
    [['.example.com'], 'example.com', true],
    [['.example.com'], 'a.b.example.com:3000', true],
    [['.example.com'], 'badexample.com', false],
    [['.example.com'], 'example.com.evil.test', false],
    [['127.0.0.1'], '127.0.0.1:5173', true],
    [['[::1]'], '[::1]:8000', true],
    [['[::1]'], '[::2]', false],
    [[...LOCAL_HOSTS], 'app.localhost:3000', true],
    [[...LOCAL_HOSTS], 'localhost.evil.test', false],
    [['*'], 'anything.test', true],
    [['*'], '', false],
    [[], 'localhost', false],
  ];
  for (const [patterns, host, expected] of table) {
    assert.equal(new HostMatcher(patterns).allows(host), expected, `${JSON.stringify(patterns)} / ${JSON.stringify(host)}`);
  }
  // A cached positive answer is not reused for a different value.
  const m = new HostMatcher(['example.com']);
  assert.equal(m.allows('example.com'), true);
  assert.equal(m.allows('example.com'), true);
  assert.equal(m.allows('evil.test'), false);
  assert.deepEqual(splitHost('[::1]:80'), { name: '[::1]', port: '80' });
});

test('bad patterns are a start-up error', () => {
  for (const p of ['http://example.com', 'example.com/', '.', 'exa mple.com', '.example.com:80']) {
    assert.throws(
      () => createApp({ env: 'test', allowedHosts: [p] }),
      (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_INVALID',
      p,
    );
  }
});

function resetApp(opts: AppOptions) {
  const app = createApp({ env: 'test', logger: false, ...opts });
  // The classic victim: a password-reset link built from the request's own origin.
  app.get('/reset-link', (req) => `${req.origin}/reset?token=abc`);
  return app;
}

test('a foreign Host is refused with 400 HTTP_BAD_HOST (and the reset link is not poisoned)', async () => {
  const c = resetApp({ allowedHosts: ['example.com'] }).test({ baseUrl: 'http://example.com' });
  assert.equal((await c.get('/reset-link')).text, 'http://example.com/reset?token=abc');
  const res = await c.get('/reset-link', { headers: { host: 'evil.example', accept: 'application/json' } });
  assert.equal(res.status, 400);
  const body = res.json<{ error: { code: string; message: string } }>();
  assert.equal(body.error.code, 'HTTP_BAD_HOST');
  assert.match(body.error.message, /evil\.example/);
  assert.doesNotMatch(res.text, /example\.com/); // the allowed list is not revealed
});

test('control: with allowedHosts ["*"] the same request poisons the link', async () => {
  const c = resetApp({ allowedHosts: ['*'] }).test();
  const res = await c.get('/reset-link', { headers: { host: 'evil.example' } });
  assert.equal(res.status, 200);
  assert.equal(res.text, 'http://evil.example/reset?token=abc');
});

test('X-Forwarded-Host is validated when trusted and ignored otherwise', async () => {
  const poisoned = { headers: { 'x-forwarded-host': 'evil.example' } };
  const trusting = resetApp({ allowedHosts: ['example.com'], trustProxy: true }).test({ baseUrl: 'http://example.com' });
  assert.equal((await trusting.get('/reset-link', poisoned)).status, 400);
  const ok = await trusting.get('/reset-link', { headers: { 'x-forwarded-host': 'example.com', 'x-forwarded-proto': 'https' } });
  assert.equal(ok.text, 'https://example.com/reset?token=abc');
  const untrusting = resetApp({ allowedHosts: ['example.com'] }).test({ baseUrl: 'http://example.com' });
  const ignored = await untrusting.get('/reset-link', poisoned);
  assert.equal(ignored.status, 200);
  assert.equal(ignored.text, 'http://example.com/reset?token=abc');
});

test('development and test mode default to localhost and loopback addresses', async () => {
  for (const env of ['development', 'test'] as const) {
    const c = resetApp({ env }).test();
    for (const host of ['localhost', 'localhost:3000', 'app.localhost', '127.0.0.1:8000', '[::1]:8000']) {
      assert.equal((await c.get('/reset-link', { headers: { host } })).status, 200, `${env}: ${host}`);
    }
    assert.equal((await c.get('/reset-link', { headers: { host: 'example.com' } })).status, 400, env);
  }
});

test('production needs allowedHosts; PALISADE_ALLOWED_HOSTS fills it', async () => {
  assert.throws(
    () => createApp({ env: 'production', secretKey: SECRET, logger: false }),
    (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG_ALLOWED_HOSTS_MISSING' && /PALISADE_ALLOWED_HOSTS/.test(e.message),
  );
  const before = process.env.PALISADE_ALLOWED_HOSTS;
  process.env.PALISADE_ALLOWED_HOSTS = 'example.com, .example.org';
  try {
    const c = resetApp({ env: 'production', secretKey: SECRET }).test({ baseUrl: 'http://www.example.org' });
    assert.equal((await c.get('/reset-link')).status, 200);
    assert.equal((await c.get('/reset-link', { headers: { host: 'localhost' } })).status, 400);
  } finally {
    if (before === undefined) delete process.env.PALISADE_ALLOWED_HOSTS;
    else process.env.PALISADE_ALLOWED_HOSTS = before;
  }
});

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.end(text);
  });
}

test('over a real socket: a wrong or missing Host is a 400, the right one served', async () => {
  const server = await resetApp({ allowedHosts: ['example.com'] }).listen({ port: 0 });
  try {
    const good = await raw(server.port, 'GET /reset-link HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
    assert.match(good, /^HTTP\/1.1 200 /);
    assert.match(good, /http:\/\/example\.com\/reset/);
    const bad = await raw(server.port, 'GET /reset-link HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    assert.match(bad, /^HTTP\/1.1 400 /);
    assert.match(bad, /HTTP_BAD_HOST/);
    const none = await raw(server.port, 'GET /reset-link HTTP/1.0\r\n\r\n');
    assert.match(none, /^HTTP\/1.1 400 /);
    assert.match(none, /no Host header/);
  } finally {
    await server.close();
  }
});

test('audit reports "*"', () => {
  const find = (hosts: string[]) => createApp({ env: 'test', allowedHosts: hosts })[PROTECTIONS].find((p) => p.name === 'hosts')!.audit!([]);
  assert.deepEqual(find(['example.com']), []);
  assert.match(find(['*'])[0]!, /^hosts-any: /);
});
