// Header names and values are checked when they are set: every character, one at a time,
// against RFC 9110's rules as Palisade applies them, and against node's own writeHead
// rules, so that nothing setHeader accepts can make node throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { Response } from '../../src/index.js';

const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

function nodeAccepts(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

test('values: tab, space and visible ASCII only; everything setHeader accepts node accepts', () => {
  const units = [...Array(0x200).keys(), 0x2028, 0x2029, 0x20ac, 0xd800, 0xdfff, 0xfeff, 0xfffd, 0xffff];
  for (const c of units) {
    const v = `a${String.fromCharCode(c)}b`;
    const allowed = c === 9 || (c >= 0x20 && c <= 0x7e);
    let threw: unknown;
    try {
      new Response('').setHeader('x-test', v);
    } catch (err) {
      threw = err;
    }
    if (allowed) {
      assert.equal(threw, undefined, `U+${c.toString(16)} refused`);
      assert.ok(nodeAccepts('x-test', v), `U+${c.toString(16)}: accepted here, refused by node`);
    } else {
      assert.equal((threw as { code?: string } | undefined)?.code, 'HTTP_INVALID_HEADER', `U+${c.toString(16)} accepted`);
      assert.equal((threw as { details: { header: string } }).details.header, 'x-test');
    }
  }
  // Astral characters (a surrogate pair) and lists.
  assert.throws(() => new Response('').setHeader('x-test', '😀'), { code: 'HTTP_INVALID_HEADER' });
  assert.throws(() => new Response('').setHeader('link', ['</a>; rel=preload', '</b>\n']), { code: 'HTTP_INVALID_HEADER' });
  assert.throws(() => new Response('').appendHeader('vary', 'a\rb'), { code: 'HTTP_INVALID_HEADER' });
  assert.throws(() => new Response('', { headers: { 'x-a': 'é' } }), { code: 'HTTP_INVALID_HEADER' });
  assert.throws(() => new Response('').setHeader('x-test', undefined as unknown as string), { code: 'HTTP_INVALID_HEADER' });
  assert.equal(new Response('').setHeader('content-length', 42 as unknown as string).headers['content-length'], '42');
});

test('names: tokens only; the message names the header', () => {
  for (let c = 0; c <= 0xff; c++) {
    const name = `x${String.fromCharCode(c)}`;
    const allowed = TCHAR.includes(String.fromCharCode(c));
    if (allowed) {
      assert.doesNotThrow(() => new Response('').setHeader(name, 'v'), name);
      assert.ok(nodeAccepts(name, 'v'), `${JSON.stringify(name)}: accepted here, refused by node`);
    } else {
      assert.throws(() => new Response('').setHeader(name, 'v'), { code: 'HTTP_INVALID_HEADER' }, JSON.stringify(name));
    }
  }
  assert.throws(() => new Response('').setHeader('', 'v'), { code: 'HTTP_INVALID_HEADER' });
  assert.throws(() => new Response('').setHeader('x-name', 'a\nb'), /The header x-name has a control character \(U\+000A\) at position 1/);
});

test('cookies: the value is encoded; names and options that cannot be written are refused when set', () => {
  const ok = new Response('').setCookie('c', 'a;b\r\n€ é');
  assert.equal(ok.cookies.length, 1);
  for (const bad of [
    () => new Response('').setCookie('a b', 'v'),
    () => new Response('').setCookie('c', 'v', { path: '/a;b' }),
    () => new Response('').setCookie('c', 'v', { path: '/\n' }),
    () => new Response('').setCookie('c', 'v', { domain: 'a;b.example' }),
    () => new Response('').setCookie('c', 'v', { maxAge: 1.5 }),
    () => new Response('').setCookie('c', 'v', { expires: new Date(NaN) }),
    () => new Response('').setCookie('c', '\ud800'),
  ]) {
    assert.throws(bad, (err: { code?: string; details?: { header?: string } }) => err.code === 'HTTP_INVALID_HEADER' && err.details?.header === 'set-cookie');
  }
});
