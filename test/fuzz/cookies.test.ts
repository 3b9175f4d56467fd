// Fuzz: Cookie header parsing and Set-Cookie building (src/http/cookies.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCookies, serializeCookie } from '../../src/http/cookies.js';
import { createApp, Response } from '../../src/index.js';
import { anyString, check, isWellFormed, piecesOf, prototypeKeys, token, unicodeString } from './fuzz-options.js';

const HOSTILE = ['=', ';', ' ', '"', '%', '%zz', '%E0%A4%A', '%00', ',', '\t', 'a', 'b', '__proto__', 'constructor', '\\', '\ud800', 'é', '\r\n'];

test('parseCookies never throws and returns a null-prototype object of strings', () => {
  const before = prototypeKeys();
  check(
    fc.property(fc.oneof(anyString(120), piecesOf(HOSTILE, 40)), (header) => {
      const c = parseCookies(header);
      assert.equal(Object.getPrototypeOf(c), null);
      for (const k of Object.keys(c)) assert.equal(typeof c[k], 'string');
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 4 },
  );
});

/** The `name=value` part of a Set-Cookie line, as a browser would send it back. */
function cookiePair(setCookie: string): string {
  return setCookie.split(';', 1)[0]!;
}

test('serializeCookie → parseCookies round-trips valid names and arbitrary (well-formed) values', () => {
  const value = unicodeString(40).filter(isWellFormed);
  const opts = fc.record(
    {
      maxAge: fc.nat(1e6),
      path: fc.constantFrom('/', '/a', '/a/b'),
      httpOnly: fc.boolean(),
      secure: fc.constantFrom(true, false, 'auto' as const),
      sameSite: fc.constantFrom('lax' as const, 'strict' as const, 'none' as const),
    },
    { requiredKeys: [] },
  );
  check(
    fc.property(token(20), value, opts, fc.boolean(), (name, v, o, secureReq) => {
      const line = serializeCookie({ name, value: v, options: o }, secureReq);
      assert.doesNotMatch(line, /[\r\n\0]/, 'no header injection');
      const back = parseCookies(cookiePair(line));
      assert.equal(back[name], v, `${JSON.stringify(name)}=${JSON.stringify(v)} via ${JSON.stringify(line)}`);
      // Defaults: HttpOnly unless turned off; SameSite=None always Secure.
      if (o.httpOnly !== false) assert.match(line, /; HttpOnly/i);
      if (o.sameSite === 'none') assert.match(line, /; Secure/i);
      // Several cookies in one header come back separately.
      const other = parseCookies(`zz=1; ${cookiePair(line)}; yy=2`);
      if (name !== 'zz' && name !== 'yy') assert.equal(other[name], v);
    }),
    { scale: 3 },
  );
});

test('through the test client: any Cookie header is served (never a 500), and a set cookie comes back intact', async () => {
  const app = createApp({ env: 'test' });
  app.get('/read', (req) => ({ n: Object.keys(req.cookies).length }));
  app.get('/set', (req) => new Response('ok').setCookie('v', req.query.get('v') ?? ''));
  app.get('/echo', (req) => ({ v: req.cookies.v ?? null }));
  await check(
    fc.asyncProperty(
      fc.oneof(anyString(100), piecesOf(HOSTILE, 40)).map((s) => s.replace(/[\r\n\0]/g, '')),
      unicodeString(30).filter(isWellFormed),
      async (header, v) => {
        const client = app.test();
        const r = await client.get('/read', { headers: { cookie: header } });
        assert.equal(r.status, 200, `Cookie: ${JSON.stringify(header)} → ${r.status}`);
        const set = await client.get('/set', { query: { v } });
        assert.equal(set.status, 200);
        const echo = await client.get('/echo');
        assert.deepEqual(echo.json(), { v }, `value ${JSON.stringify(v)} via ${set.setCookies.join(' | ')}`);
      },
    ),
    { scale: 0.5 },
  );
});
