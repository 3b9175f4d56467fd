/**
 * Attacks on the CSRF protection that the tables of csrf.test.ts do not write down: a
 * property over any string an attacker can send as a token, origins spelled every way a
 * browser never does, and every path by which a request could reach an unsafe handler
 * under a safe method's name. Each attack has a control in which the same request passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApp } from '../../src/index.js';
import { CsrfTokens, CSRF_TOKEN_LENGTH } from '../../src/security/csrf-token.js';

const SECRET = 'csrf-attacks-secret'.padEnd(40, 'k');

/** Strings an attacker would try as a token for session B, given a real token of session A. */
function hostileTokens(ofA: string): fc.Arbitrary<string> {
  const b64 = fc.uint8Array({ minLength: 0, maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url'));
  const mutated = fc
    .tuple(fc.nat(CSRF_TOKEN_LENGTH + 2), fc.string({ maxLength: 3, unit: 'binary' }), fc.nat(3))
    .map(([at, ins, del]) => ofA.slice(0, at) + ins + ofA.slice(at + del));
  return fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }),
    b64,
    mutated,
    fc.constantFrom(
      ofA.toUpperCase(),
      ofA.toLowerCase(),
      `${ofA}=`,
      `${ofA}==`,
      ofA.replace(/-/g, '+').replace(/_/g, '/'),
      ` ${ofA}`,
      `${ofA}\0`,
      ofA.slice(43) + ofA.slice(0, 43),
      'A'.repeat(CSRF_TOKEN_LENGTH),
      '\u{1F600}'.repeat(43),
    ),
    fc.integer({ min: 1, max: 2_000_000 }).map((n) => 'A'.repeat(n)),
  );
}

test('property: no string is a token of session B unless it was minted for B; odd input never throws', () => {
  const t = new CsrfTokens([SECRET]);
  const ofA = t.mint('session-a');
  assert.equal(t.verify(ofA, 'session-a'), true, 'control: the real token verifies');
  fc.assert(
    fc.property(hostileTokens(ofA), (s) => {
      assert.equal(t.verify(s, 'session-b'), false);
    }),
    { numRuns: 3000 },
  );
  // The same strings for A: only exact re-spellings of a masked token may pass, and none of
  // the hostile ones is one (a swapped mask and body unmask to the same MAC, by design).
  fc.assert(
    fc.property(hostileTokens(ofA), (s) => {
      const ok = t.verify(s, 'session-a');
      if (ok) {
        const b = Buffer.from(s, 'base64url');
        assert.equal(b.toString('base64url'), s, 'only the canonical spelling verifies');
      }
    }),
    { numRuns: 3000 },
  );
});

test('a 2 MB token is refused in constant time (the length is checked first)', () => {
  const t = new CsrfTokens([SECRET]);
  const huge = 'A'.repeat(2_000_000);
  const start = performance.now();
  for (let i = 0; i < 1000; i++) t.verify(huge, 'session-a');
  assert.ok(performance.now() - start < 200, 'a thousand checks of a huge token take no time');
});

function app() {
  let moved = 0;
  const a = createApp({ env: 'test', secretKey: SECRET, logger: false });
  a.get('/token', async (req) => {
    await req.session.set('u', 1);
    return { token: req.csrfToken() };
  });
  a.post('/move', () => ({ moved: ++moved }));
  a.delete('/move', () => ({ moved: ++moved }));
  a.put('/move', () => ({ moved: ++moved }));
  a.get('/read', () => ({ moved }));
  return { a, moved: () => moved };
}

// Origins no browser sends for the app's own page (browsers serialise an origin in lower
// case, without a default port or a path), and repeated or joined headers.
const FOREIGN_ORIGINS: Record<string, string>[] = [
  { origin: 'HTTP://LOCALHOST' },
  { origin: 'http://localhost/' },
  { origin: 'http://localhost:80' },
  { origin: 'http://localhost.' },
  { origin: 'http://localhost, http://evil.example' },
  { origin: 'http://evil.example, http://localhost' },
  { origin: 'null' },
  { origin: 'NULL' },
  { origin: '' },
  { origin: 'http://localhost\t' },
  { origin: 'http://user@localhost' },
  { origin: 'http://127.0.0.1' },
  { origin: 'http://[::1]' },
  { origin: 'http://xn--localhost' },
  { 'sec-fetch-site': 'Same-Origin' },
  { 'sec-fetch-site': 'SAME-ORIGIN' },
  { 'sec-fetch-site': 'same-origin, cross-site' },
  { 'sec-fetch-site': 'cross-site, same-origin' },
  { 'sec-fetch-site': 'same-origin,' },
  { 'sec-fetch-site': '' },
  { 'sec-fetch-site': 'same-site', origin: 'http://localhost' },
];

test('origins spelled as no browser spells its own, and repeated values, are refused (with a token)', async () => {
  for (const headers of FOREIGN_ORIGINS) {
    const { a, moved } = app();
    const c = a.test();
    const token = (await c.get('/token')).json<{ token: string }>().token;
    const res = await c.post('/move', { csrf: false, headers: { ...headers, 'x-csrf-token': token, accept: 'application/json' } });
    // An empty header value is no header at all to some readers: then it is a non-browser request, and the token decides.
    if (Object.values(headers).includes('')) assert.ok(res.status === 403 || moved() === 1, JSON.stringify(headers));
    else assert.equal(res.status, 403, JSON.stringify(headers));
    if (res.status === 403) assert.equal(moved(), 0, JSON.stringify(headers));
  }
  // Control: the app's own origin, as a browser sends it, with the same token.
  const { a, moved } = app();
  const c = a.test();
  const token = (await c.get('/token')).json<{ token: string }>().token;
  assert.equal((await c.post('/move', { csrf: false, headers: { origin: 'http://localhost', 'x-csrf-token': token } })).status, 200);
  assert.equal(moved(), 1);
});

test('no safe method reaches an unsafe handler: overrides, HEAD, OPTIONS and lower-case methods', async () => {
  const { a, moved } = app();
  const c = a.test();
  const cross = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
  const tries: [string, string, Record<string, string>, string?][] = [
    ['GET', '/move', { ...cross, 'x-http-method-override': 'DELETE' }],
    ['GET', '/move', { ...cross, 'x-http-method': 'PUT' }],
    ['GET', '/move?_method=DELETE', cross],
    ['HEAD', '/move', cross],
    ['OPTIONS', '/move', cross],
    ['POST', '/move', { ...cross, 'x-http-method-override': 'GET', 'content-type': 'application/x-www-form-urlencoded' }, '_method=GET'],
    ['POST', '/read?_method=GET', { ...cross, 'content-type': 'application/x-www-form-urlencoded' }, '_method=GET'],
  ];
  for (const [method, path, headers, body] of tries) {
    await c.request(method, path, { csrf: false, headers, ...(body !== undefined ? { body } : {}) });
    assert.equal(moved(), 0, `${method} ${path} ${JSON.stringify(headers)}`);
  }
  // Through app.fetch, a method in lower case is not made upper case by fetch (only the six
  // standard ones are): it must not be read as PATCH, PUT or DELETE unchecked.
  for (const m of ['put', 'delete', 'Post', 'pOST']) {
    await a.fetch(new globalThis.Request('http://localhost/move', { method: m, headers: cross }));
    assert.equal(moved(), 0, m);
  }
  // Control: the same POST with a token from the app's own page moves.
  const token = (await c.get('/token')).json<{ token: string }>().token;
  assert.equal((await c.post('/move', { csrf: false, headers: { 'x-csrf-token': token } })).status, 200);
  assert.equal(moved(), 1);
});
