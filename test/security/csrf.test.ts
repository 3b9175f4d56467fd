import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type App } from '../../src/index.js';
import { Blueprint } from '../../src/app/blueprint.js';
import type { AppOptions } from '../../src/app/config.js';
import { csrfToken } from '../../src/security/csrf.js';
import { CsrfTokens } from '../../src/security/csrf-token.js';
import { Signer } from '../../src/security/signing.js';
import type { TestClient, TestRequestOptions } from '../../src/testing/client.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const SECRET = 'k'.repeat(40);
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const BOUNDARY = 'XyZ123';

interface Bank {
  app: App;
  balance: () => number;
}

/** A toy bank: GET /form hands out a token, every unsafe method on /transfer moves money. */
function bank(opts: AppOptions = {}): Bank {
  let balance = 100;
  const app = createApp({ env: 'test', secretKey: SECRET, ...opts });
  app.get('/form', async (req) => {
    await req.session.set('user', 'ada');
    return { token: csrfToken() };
  });
  app.get('/token', () => ({ token: csrfToken() }));
  for (const m of UNSAFE) {
    app.route(m, '/transfer', () => {
      balance -= 10;
      return { balance };
    });
  }
  app.post(
    '/hook',
    () => {
      balance -= 1;
      return 'ok';
    },
    { csrf: false },
  );
  app.post(
    '/named',
    () => {
      balance -= 1;
      return 'ok';
    },
    { name: 'named' },
  );
  app.post('/by-path', () => {
    balance -= 1;
    return 'ok';
  });
  app.post('/login', async (req) => {
    await req.session.regenerate();
    return 'ok';
  });
  app.post('/json', async (req) => {
    const body = await req.json<{ amount: number }>();
    balance -= body.amount;
    return { balance };
  });
  const api = new Blueprint('api', { prefix: '/api', routeDefaults: { csrf: false } });
  api.post('/ping', () => {
    balance -= 1;
    return 'ok';
  });
  app.register(api);
  return { app, balance: () => balance };
}

async function tokenOf(c: TestClient): Promise<string> {
  return (await c.get('/form')).json<{ token: string }>().token;
}

function code(res: { json<T>(): T }): string {
  return res.json<{ error: { code: string } }>().error.code;
}

const JSON_ACCEPT = { accept: 'application/json' };

// ---- Layer 1: origin -----------------------------------------------------------------

const ORIGIN_CASES: { name: string; headers: Record<string, string>; ok: boolean }[] = [
  { name: 'no browser headers (curl, a server)', headers: {}, ok: true },
  { name: 'Sec-Fetch-Site: same-origin', headers: { 'sec-fetch-site': 'same-origin' }, ok: true },
  { name: 'Sec-Fetch-Site: none (typed URL, bookmark)', headers: { 'sec-fetch-site': 'none' }, ok: true },
  { name: 'Sec-Fetch-Site: same-site', headers: { 'sec-fetch-site': 'same-site', origin: 'http://sub.localhost' }, ok: false },
  { name: 'Sec-Fetch-Site: cross-site', headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }, ok: false },
  { name: 'Sec-Fetch-Site: cross-site without Origin', headers: { 'sec-fetch-site': 'cross-site' }, ok: false },
  { name: 'Sec-Fetch-Site: an unknown value', headers: { 'sec-fetch-site': 'weird' }, ok: false },
  { name: 'Sec-Fetch-Site wins over a matching Origin', headers: { 'sec-fetch-site': 'cross-site', origin: 'http://localhost' }, ok: false },
  { name: 'old browser, own Origin', headers: { origin: 'http://localhost' }, ok: true },
  { name: 'old browser, foreign Origin', headers: { origin: 'http://evil.example' }, ok: false },
  { name: 'old browser, Origin: null', headers: { origin: 'null' }, ok: false },
  { name: 'old browser, other port', headers: { origin: 'http://localhost:8080' }, ok: false },
  { name: 'old browser, other scheme', headers: { origin: 'https://localhost' }, ok: false },
  { name: 'old browser, look-alike host', headers: { origin: 'http://localhost.evil.example' }, ok: false },
];

const BODIES: { name: string; opts: TestRequestOptions }[] = [
  { name: 'urlencoded', opts: { form: { amount: '10' } } },
  { name: 'multipart', opts: { body: multipart([['amount', '10']]), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } } },
  { name: 'text/plain', opts: { body: '{"amount":10}', headers: { 'content-type': 'text/plain' } } },
  { name: 'application/json', opts: { json: { amount: 10 } } },
  { name: 'no Content-Type', opts: { body: 'x' } },
  { name: 'no body', opts: {} },
];

test('layer 1: every header combination, every method, every body type', async () => {
  for (const oc of ORIGIN_CASES) {
    for (const method of UNSAFE) {
      for (const b of BODIES) {
        const { app, balance } = bank();
        const c = app.test();
        const token = await tokenOf(c);
        const before = balance();
        const res = await c.request(method, '/transfer', {
          ...b.opts,
          headers: { ...(b.opts.headers ?? {}), ...oc.headers, ...JSON_ACCEPT, 'x-csrf-token': token },
        });
        const label = `${oc.name} / ${method} / ${b.name}`;
        if (oc.ok) {
          assert.equal(res.status, 200, label);
          assert.equal(balance(), before - 10, label);
        } else {
          assert.equal(res.status, 403, label);
          assert.equal(code(res), 'CSRF_ORIGIN_MISMATCH', label);
          assert.equal(balance(), before, label);
        }
      }
    }
  }
});

test('layer 1 runs for requests without any cookie (login CSRF)', async () => {
  const { app, balance } = bank();
  const c = app.test();
  const res = await c.post('/transfer', { csrf: false, headers: { 'sec-fetch-site': 'cross-site', ...JSON_ACCEPT } });
  assert.equal(res.status, 403);
  assert.equal(code(res), 'CSRF_ORIGIN_MISMATCH');
  assert.equal(balance(), 100);
});

test('layer 1: trusted origins pass, the configured public origin replaces the Host', async () => {
  const { app } = bank({ csrf: { trustedOrigins: ['https://admin.example.com'] } });
  const c = app.test();
  const ok = await c.post('/transfer', { headers: { 'sec-fetch-site': 'same-site', origin: 'https://admin.example.com' } });
  assert.equal(ok.status, 200);
  const no = await c.post('/transfer', { headers: { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' } });
  assert.equal(no.status, 403);

  // Behind a proxy that rewrites Host, the public origin is configured.
  const proxied = bank({ origin: 'https://bank.example', allowedHosts: ['localhost', 'internal:3000'] }).app.test();
  assert.equal((await proxied.post('/transfer', { headers: { origin: 'https://bank.example' } })).status, 200);
  assert.equal((await proxied.post('/transfer', { headers: { origin: 'http://localhost' } })).status, 403);
});

test('a refusal says which check failed and how to fix it, in HTML or JSON, and is logged', async () => {
  const { app } = bank();
  const logged: unknown[] = [];
  app.logger.warn = ((obj: unknown) => void logged.push(obj)) as typeof app.logger.warn;
  const c = app.test();
  const html = await c.post('/transfer', { headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' } });
  assert.equal(html.status, 403);
  assert.match(html.header('content-type')!, /text\/html/);
  assert.match(html.text, /CSRF_ORIGIN_MISMATCH/);
  assert.match(html.text, /another site/);
  assert.match(html.text, /trustedOrigins/);
  const json = await c.post('/transfer', { csrf: false, headers: JSON_ACCEPT });
  assert.equal(code(json), 'CSRF_TOKEN_MISSING');
  assert.match(json.json<{ error: { message: string } }>().error.message, /X-CSRF-Token/);
  assert.equal(logged.length, 2);
  assert.deepEqual((logged[0] as { code: string }).code, 'CSRF_ORIGIN_MISMATCH');
});

// ---- Layer 2: token ------------------------------------------------------------------

test('layer 2: a request without a token is refused, whatever its body', async () => {
  for (const b of BODIES) {
    const { app, balance } = bank();
    const c = app.test();
    await tokenOf(c);
    const res = await c.post('/transfer', { ...b.opts, csrf: false, headers: { ...(b.opts.headers ?? {}), ...JSON_ACCEPT, 'sec-fetch-site': 'same-origin' } });
    assert.equal(res.status, 403, b.name);
    assert.equal(code(res), 'CSRF_TOKEN_MISSING', b.name);
    assert.equal(balance(), 100, b.name);
  }
});

test('layer 2: the token is accepted from the header, a urlencoded field, or a multipart field', async () => {
  const { app, balance } = bank();
  const c = app.test();
  const token = await tokenOf(c);
  const viaHeader = await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } });
  assert.equal(viaHeader.status, 200);
  const viaForm = await c.post('/transfer', { csrf: false, form: { amount: '10', csrf_token: token } });
  assert.equal(viaForm.status, 200);
  const viaMultipart = await c.post('/transfer', {
    csrf: false,
    body: multipart(
      [
        ['amount', '10'],
        ['csrf_token', token],
      ],
      { name: 'f', filename: 'a.txt', content: 'hello' },
    ),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  assert.equal(viaMultipart.status, 200);
  assert.equal(balance(), 70);
  const multipartNoToken = await c.post('/transfer', {
    csrf: false,
    body: multipart(
      [
        ['amount', '10'],
        ['csrf', token],
      ],
      { name: 'f', filename: 'a.txt', content: 'csrf_token' },
    ),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...JSON_ACCEPT },
  });
  assert.equal(code(multipartNoToken), 'CSRF_TOKEN_MISSING');
  // The token is read before the files: one that only comes after a file is not there.
  const tokenAfterFile = await c.post('/transfer', {
    csrf: false,
    body: multipart(
      [
        ['amount', '10'],
        ['csrf_token', token],
      ],
      { name: 'f', filename: 'a.txt', content: 'hello' },
      true,
    ),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...JSON_ACCEPT },
  });
  assert.equal(code(tokenAfterFile), 'CSRF_TOKEN_MISSING');
  assert.match(tokenAfterFile.text, /before its first file/);
  const badMultipart = await c.post('/transfer', { csrf: false, body: 'x', headers: { 'content-type': 'multipart/form-data', ...JSON_ACCEPT } });
  assert.equal(badMultipart.status, 400);
  assert.equal(balance(), 70);
});

test('layer 2: after the check read csrf_token from a multipart body, the handler still gets every field and file', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.get('/t', () => ({ token: csrfToken() }));
  app.post('/upload', async (req) => {
    const body = await req.files();
    return { title: body.fields.get('title') ?? null, file: (await body.file('f')?.text()) ?? null };
  });
  const c = app.test();
  const token = (await c.get('/t')).json<{ token: string }>().token;
  const res = await c.post('/upload', {
    csrf: false,
    body: multipart(
      [
        ['csrf_token', token],
        ['title', 'Hi'],
      ],
      { name: 'f', filename: 'a.txt', content: 'hello' },
    ),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  assert.deepEqual(res.json(), { title: 'Hi', file: 'hello' });
  const refused = await c.post('/upload', {
    csrf: false,
    body: multipart([['title', 'Hi']], { name: 'f', filename: 'a.txt', content: 'hello' }),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...JSON_ACCEPT },
  });
  assert.equal(code(refused), 'CSRF_TOKEN_MISSING');
});

test('layer 2: the header wins over the field; a bad header is not rescued by a good field', async () => {
  const { app } = bank();
  const c = app.test();
  const token = await tokenOf(c);
  const res = await c.post('/transfer', { csrf: false, form: { csrf_token: token }, headers: { 'x-csrf-token': 'nope', ...JSON_ACCEPT } });
  assert.equal(code(res), 'CSRF_TOKEN_INVALID');
});

test('layer 2: tampered tokens are refused', async () => {
  const { app, balance } = bank();
  const c = app.test();
  const token = await tokenOf(c);
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const bad = [flip(token, 0), flip(token, 40), flip(token, 85), token.slice(1), token + 'A', token.toUpperCase(), 'x'.repeat(86), '', '…'.repeat(86)];
  for (const t of bad) {
    const res = await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': t, ...JSON_ACCEPT } });
    assert.equal(res.status, 403, t);
    assert.ok(['CSRF_TOKEN_INVALID', 'CSRF_TOKEN_MISSING'].includes(code(res)), t);
  }
  assert.equal(balance(), 100);
  assert.equal((await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 200, 'control');
});

test('layer 2: a token from another session is refused', async () => {
  const { app, balance } = bank();
  const victim = app.test();
  const attacker = app.test();
  await tokenOf(victim);
  const attackersToken = await tokenOf(attacker);
  const res = await victim.post('/transfer', { csrf: false, headers: { 'x-csrf-token': attackersToken, ...JSON_ACCEPT } });
  assert.equal(code(res), 'CSRF_TOKEN_INVALID');
  assert.equal(balance(), 100);
});

test('layer 2: a token without the session cookie, or with an expired session, is refused', async () => {
  const { app } = bank();
  const c = app.test();
  const token = await tokenOf(c);
  const cookie = c.cookies.session!;
  c.setCookie('session', undefined);
  const noCookie = await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token, ...JSON_ACCEPT } });
  assert.equal(code(noCookie), 'CSRF_TOKEN_INVALID');
  // The same session, its cookie re-signed 15 days ago (past the 14-day max age).
  const payload = cookie.split('.').slice(0, -2).join('.');
  c.setCookie('session', new Signer([SECRET], { purpose: 'palisade.session.cookie' }).sign(payload, Date.now() - 15 * 86400_000));
  const expired = await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token, ...JSON_ACCEPT } });
  assert.equal(code(expired), 'CSRF_TOKEN_INVALID');
  c.setCookie('session', cookie);
  assert.equal((await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 200, 'control');
});

test('layer 2: tokens from before login stop working after regenerate()', async () => {
  const { app } = bank();
  const c = app.test();
  const before = await tokenOf(c);
  assert.equal((await c.post('/login', { csrf: false, headers: { 'x-csrf-token': before } })).status, 200);
  const res = await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': before, ...JSON_ACCEPT } });
  assert.equal(code(res), 'CSRF_TOKEN_INVALID');
  const after = await tokenOf(c);
  assert.equal((await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': after } })).status, 200);
});

test('tokens are masked: each render differs, all verify', async () => {
  const { app } = bank();
  const c = app.test();
  const tokens = new Set<string>();
  for (let i = 0; i < 5; i++) tokens.add(await tokenOf(c));
  assert.equal(tokens.size, 5);
  for (const t of tokens) assert.equal((await c.post('/transfer', { csrf: false, headers: { 'x-csrf-token': t } })).status, 200);
});

test('tokens verify in another process that shares the secret, and across key rotation', async () => {
  const one = bank().app.test();
  const token = await tokenOf(one);
  const two = bank().app.test();
  two.setCookie('session', one.cookies.session);
  assert.equal((await two.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 200);
  const rotated = bank({ secretKey: ['r'.repeat(40), SECRET] }).app.test();
  rotated.setCookie('session', one.cookies.session);
  assert.equal((await rotated.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 200);
  const dropped = bank({ secretKey: ['r'.repeat(40)] }).app.test();
  dropped.setCookie('session', one.cookies.session);
  assert.equal((await dropped.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 403);
  const otherSecret = bank({ secretKey: 'o'.repeat(40) }).app.test();
  otherSecret.setCookie('session', one.cookies.session);
  assert.equal((await otherSecret.post('/transfer', { csrf: false, headers: { 'x-csrf-token': token } })).status, 403);
});

test('the token unit: binding, keys', () => {
  const t = new CsrfTokens([SECRET]);
  const tok = t.mint('session-a');
  assert.equal(tok.length, 86);
  assert.equal(t.verify(tok, 'session-a'), true);
  assert.equal(t.verify(tok, 'session-b'), false);
  assert.equal(new CsrfTokens(['z'.repeat(40)]).verify(tok, 'session-a'), false);
});

// ---- JSON bodies ---------------------------------------------------------------------

test('a text/plain body shaped like JSON is not parsed as JSON, even with CSRF off (control)', async () => {
  for (const enabled of [true, false]) {
    const { app, balance } = bank({ csrf: { enabled } });
    const c = app.test();
    const res = await c.post('/json', { body: '{"amount":50}', headers: { 'content-type': 'text/plain', ...JSON_ACCEPT } });
    assert.equal(res.status, 415, `csrf enabled: ${enabled}`);
    assert.equal(balance(), 100);
    assert.equal((await c.post('/json', { json: { amount: 50 } })).status, 200, 'control: real JSON');
    assert.equal(balance(), 50);
  }
});

// ---- Exemptions and switches -----------------------------------------------------------

test('exempt routes: route option, blueprint routeDefaults, exact names and paths', async () => {
  const { app, balance } = bank({ csrf: { exempt: ['named', 'POST /by-path'] } });
  const c = app.test();
  const cross = { csrf: false, headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' } };
  for (const path of ['/hook', '/api/ping', '/named', '/by-path']) {
    assert.equal((await c.post(path, cross)).status, 200, path);
  }
  assert.equal(balance(), 96);
  assert.equal((await c.post('/transfer', cross)).status, 403, 'control: other routes stay protected');
});

test('exemptions are exact routes, never patterns', () => {
  for (const exempt of [['/api/*'], ['POST /api/*'], ['POST  /x y']]) {
    assert.throws(() => createApp({ env: 'test', csrf: { exempt } }), /exact routes/);
  }
  assert.throws(() => createApp({ env: 'test', csrf: { trustedOrigins: ['https://a.example/path'] } }), /trustedOrigins/);
  assert.throws(() => createApp({ env: 'test', csrf: { enabled: 'no' as never } }), /csrf.enabled/);
  assert.throws(() => createApp({ env: 'test', csrf: { tokens: false } as never }), /Unknown setting "csrf.tokens"/);
});

test('audit lists exempt routes, a disabled token layer and exemptions that name no route', () => {
  const { app } = bank({ csrf: { exempt: ['named', 'POST /nowhere'], token: false } });
  const csrf = app[PROTECTIONS].find((p) => p.name === 'csrf')!;
  const findings = csrf.audit!(app.routes);
  assert.ok(findings.some((f) => f.includes('token layer is switched off')));
  assert.ok(findings.some((f) => f.includes('POST /hook')));
  assert.ok(findings.some((f) => f.includes('POST /api/ping')));
  assert.ok(findings.some((f) => f.includes('POST /named (named)')));
  assert.ok(findings.some((f) => f.includes('"POST /nowhere", which names no route')));
  assert.ok(!findings.some((f) => f.includes('/transfer')));
});

test('token: false keeps the origin check only', async () => {
  const { app } = bank({ csrf: { token: false } });
  const c = app.test();
  assert.equal((await c.post('/transfer', { csrf: false })).status, 200);
  assert.equal((await c.post('/transfer', { csrf: false, headers: { 'sec-fetch-site': 'cross-site' } })).status, 403);
});

test('control: with CSRF switched off, the cross-site request goes through', async () => {
  const { app, balance } = bank({ csrf: { enabled: false } });
  const res = await app
    .test()
    .post('/transfer', { csrf: false, form: { amount: '10' }, headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' } });
  assert.equal(res.status, 200);
  assert.equal(balance(), 90);
  assert.equal(
    app[PROTECTIONS].find((p) => p.name === 'csrf'),
    undefined,
    'absent, which palisade check reports as csrf-off',
  );
});

test('safe methods and unknown routes are not checked', async () => {
  const { app } = bank();
  const c = app.test();
  const cross = { csrf: false, headers: { 'sec-fetch-site': 'cross-site' } };
  assert.equal((await c.get('/token', cross)).status, 200);
  assert.equal((await c.head('/token', cross)).status, 200);
  assert.equal((await c.post('/nowhere', cross)).status, 404);
  assert.equal((await c.post('/token', cross)).status, 405);
});

test('the test client carries the token by default and can leave it out', async () => {
  const { app } = bank();
  const c = app.test();
  assert.equal((await c.post('/transfer')).status, 200, 'no page visited first: the client makes a session');
  assert.ok(c.cookies.session);
  assert.equal((await c.post('/transfer', { csrf: false })).status, 403);
});

// ---- helpers -----------------------------------------------------------------------------

/** A multipart body: the fields, then the file (as a browser sends a form whose file input comes last), or the file first. */
function multipart(fields: [string, string][], file?: { name: string; filename: string; content: string }, fileFirst = false): string {
  const filePart = file
    ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`
    : '';
  let s = fileFirst ? filePart : '';
  for (const [k, v] of fields) s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  if (!fileFirst) s += filePart;
  return `${s}--${BOUNDARY}--\r\n`;
}
