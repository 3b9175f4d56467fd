// Headers a security decision reads once, sent twice, over a real socket. node keeps only
// the first copy of some (Host, Content-Type, Authorization…) and would drop the second
// unseen, while a proxy in front may have used it; the adapter has node join them instead,
// as fetch does. Each is then refused, or fails the check that reads it:
// - Host: a 400 (RFC 9112 §3.2), whatever allowedHosts says;
// - Content-Length twice, Content-Length with Transfer-Encoding, Transfer-Encoding that
//   does not end in chunked: node's parser answers 400 before the app sees the request;
// - Content-Type: the joined value is no media type, so the body parsers answer 415;
// - Origin, Sec-Fetch-Site: the CSRF check compares exact values, so a list fails it (403).
// Each has a control: the same request with the header once is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, csrfToken } from '../../src/index.js';
import { rawExchange, statusOf } from '../faults/net-helpers.js';

function bodyOf(raw: string): string {
  return raw.slice(raw.indexOf('\r\n\r\n') + 4);
}

async function withServer(allowedHosts: string[] | undefined, fn: (send: (req: string) => Promise<string>) => Promise<void>): Promise<void> {
  const app = createApp({ env: 'test', ...(allowedHosts ? { allowedHosts } : {}) });
  app.get('/', (req) => `host=${req.host}`);
  app.post('/echo', async (req) => ({ body: await req.text() }), { csrf: false });
  app.post('/json', async (req) => ({ got: await req.json() }), { csrf: false });
  app.post('/form', async (req) => ({ n: (await req.form()).size }), { csrf: false });
  app.post('/state', () => 'changed');
  app.get('/token', () => csrfToken());
  const s = await app.listen({ port: 0 });
  try {
    await fn(async (req) => (await rawExchange(s.port, [req], { giveUpMs: 5000 })).data);
  } finally {
    await s.close();
  }
}

test('two Host headers are a 400, in either order and with equal values, even with allowedHosts ["*"]; one is served', async () => {
  for (const allowed of [undefined, ['*']]) {
    await withServer(allowed, async (send) => {
      const one = await send('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      assert.equal(statusOf(one), 200);
      assert.equal(bodyOf(one), 'host=localhost');
      for (const hosts of [
        ['localhost', 'evil.example'],
        ['evil.example', 'localhost'],
        ['localhost', 'localhost'],
      ]) {
        const r = await send(`GET / HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Accept: application/json\r\nConnection: close\r\n\r\n`);
        assert.equal(statusOf(r), 400, `${hosts.join(' + ')} with allowedHosts ${JSON.stringify(allowed)}`);
        assert.match(bodyOf(r), /"code":"HTTP_BAD_REQUEST".*more than one Host header/);
      }
      // One Host line holding a list is no host either.
      assert.equal(statusOf(await send('GET / HTTP/1.1\r\nHost: localhost, evil.example\r\nConnection: close\r\n\r\n')), 400);
    });
  }
});

test('the test client and app.fetch refuse a Host list as the server does', async () => {
  const app = createApp({ env: 'test', allowedHosts: ['*'] });
  app.get('/', () => 'ok');
  assert.equal((await app.test().get('/', { headers: { host: 'localhost, evil.example' } })).status, 400);
  const headers = new Headers();
  headers.append('host', 'localhost');
  headers.append('host', 'evil.example');
  assert.equal((await app.fetch(new Request('http://localhost/', { headers }))).status, 400);
  assert.equal((await app.fetch(new Request('http://localhost/'))).status, 200);
});

test('framing headers: Content-Length twice, with Transfer-Encoding, or a coding after chunked is a 400 from the parser', async () => {
  await withServer(undefined, async (send) => {
    const H = 'POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n';
    const ok = await send(`${H}Content-Length: 2\r\n\r\nab`);
    assert.equal(statusOf(ok), 200);
    assert.equal(bodyOf(ok), '{"body":"ab"}');
    const chunked = await send(`${H}Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n`);
    assert.equal(bodyOf(chunked), '{"body":"ab"}');
    for (const [what, head, body] of [
      ['Content-Length twice, equal', 'Content-Length: 2\r\nContent-Length: 2\r\n', 'ab'],
      ['Content-Length twice, different', 'Content-Length: 2\r\nContent-Length: 3\r\n', 'abc'],
      ['Content-Length and Transfer-Encoding', 'Content-Length: 3\r\nTransfer-Encoding: chunked\r\n', '2\r\nab\r\n0\r\n\r\n'],
      ['Transfer-Encoding and Content-Length', 'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', '2\r\nab\r\n0\r\n\r\n'],
      ['chunked twice', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '2\r\nab\r\n0\r\n\r\n'],
      ['a coding after chunked', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n', '2\r\nab\r\n0\r\n\r\n'],
    ] as const) {
      assert.equal(statusOf(await send(`${H}${head}\r\n${body}`)), 400, what);
    }
  });
});

test('Content-Type twice: neither copy is used, so the body parsers answer 415', async () => {
  await withServer(undefined, async (send) => {
    const post = (path: string, types: string[], body: string) =>
      send(
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${types.map((t) => `Content-Type: ${t}\r\n`).join('')}Content-Length: ${body.length}\r\nAccept: application/json\r\nConnection: close\r\n\r\n${body}`,
      );
    assert.equal(statusOf(await post('/json', ['application/json'], '{}')), 200);
    assert.equal(statusOf(await post('/form', ['application/x-www-form-urlencoded'], 'a=1')), 200);
    for (const [path, types, body] of [
      ['/json', ['application/json', 'text/plain'], '{}'],
      ['/json', ['text/plain', 'application/json'], '{}'],
      ['/form', ['application/x-www-form-urlencoded', 'application/json'], 'a=1'],
      ['/json', ['application/json', 'application/json'], '{}'],
    ] as const) {
      const r = await post(path, [...types], body);
      assert.equal(statusOf(r), 415, `${path} ${types.join(' + ')}`);
      assert.match(bodyOf(r), /BODY_UNSUPPORTED_MEDIA_TYPE/);
    }
  });
});

test("Origin or Sec-Fetch-Site twice fails the CSRF origin check (403), even when both copies are the app's own", async () => {
  await withServer(undefined, async (send) => {
    const token = await (async () => {
      const r = await send('GET /token HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      return { value: bodyOf(r), cookie: /set-cookie: ([^;\r\n]+)/i.exec(r)![1]! };
    })();
    const post = (extra: string) =>
      send(
        `POST /state HTTP/1.1\r\nHost: localhost\r\nCookie: ${token.cookie}\r\nX-CSRF-Token: ${token.value}\r\n${extra}Content-Length: 0\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
      );
    // Controls: each header once, as a browser sends it.
    assert.equal(statusOf(await post('Origin: http://localhost\r\n')), 200);
    assert.equal(statusOf(await post('Sec-Fetch-Site: same-origin\r\n')), 200);
    for (const extra of [
      'Origin: http://localhost\r\nOrigin: http://localhost\r\n',
      'Origin: http://localhost\r\nOrigin: https://evil.example\r\n',
      'Sec-Fetch-Site: same-origin\r\nSec-Fetch-Site: same-origin\r\n',
      'Sec-Fetch-Site: same-origin\r\nSec-Fetch-Site: cross-site\r\n',
    ]) {
      const r = await post(extra);
      assert.equal(statusOf(r), 403, extra);
      assert.match(bodyOf(r), /CSRF_ORIGIN_MISMATCH/, extra);
    }
  });
});
