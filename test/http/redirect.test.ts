// The Location of a redirect: refused with a control character, percent-encoded as a
// browser would encode it, and checked as a browser would resolve it. Each encoded target
// must resolve, in the WHATWG URL parser, to the URL the raw target resolves to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeLocation, redirectLocation } from '../../src/http/redirect.js';

const policy = { origin: 'https://app.example', path: '/login', allowHosts: ['bücher.example'] };

test('targets are written as browsers read them, and resolve to the same URL', () => {
  const table: [string, string][] = [
    ['/notes', '/notes'],
    ['/€', '/%E2%82%AC'],
    ['/é?q=ü#ß', '/%C3%A9?q=%C3%BC#%C3%9F'],
    ['/a b', '/a%20b'],
    ['  /a  ', '/a'],
    ['/%E2%82%AC', '/%E2%82%AC'],
    ['/\ud800x', '/%EF%BF%BDx'],
    ['/😀', '/%F0%9F%98%80'],
    ['notes/1', 'notes/1'],
    ['?page=2', '?page=2'],
    ['https://app.example/ü', 'https://app.example/%C3%BC'],
    ['https://bücher.example/x', 'https://b%C3%BCcher.example/x'],
  ];
  for (const [target, sent] of table) {
    const got = redirectLocation(target, policy);
    assert.equal(got, sent, target);
    const base = policy.origin + policy.path;
    assert.equal(new URL(got, base).href, new URL(target, base).href, `${target} resolves elsewhere once encoded`);
  }
});

test('control characters are refused, whatever they would have done', () => {
  for (let c = 0; c < 0x20; c++) {
    for (const t of [`/${String.fromCharCode(c)}`, `/a${String.fromCharCode(c)}b`, `${String.fromCharCode(c)}//evil.example`]) {
      assert.throws(() => redirectLocation(t, policy), { code: 'HTTP_OPEN_REDIRECT' }, JSON.stringify(t));
    }
  }
  assert.throws(() => redirectLocation('/\x7f', policy), /control character \(U\+007F\)/);
  assert.throws(() => redirectLocation('/\t/evil.example', policy), { code: 'HTTP_OPEN_REDIRECT' });
});

test('other hosts stay refused after encoding; listed hosts pass', () => {
  for (const t of ['//evil.example', ' //evil.example', '/\\evil.example', 'https://évil.example/', '//%65vil.example', 'https://app.example@evil.example/']) {
    assert.throws(() => redirectLocation(t, policy), { code: 'HTTP_OPEN_REDIRECT' }, t);
  }
  assert.equal(redirectLocation('https://xn--bcher-kva.example/', policy), 'https://xn--bcher-kva.example/');
});

test('encodeLocation leaves ASCII text as it is', () => {
  const ascii = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
  assert.equal(encodeLocation(ascii), ascii);
  assert.equal(encodeLocation('/a b'), '/a%20b');
});
