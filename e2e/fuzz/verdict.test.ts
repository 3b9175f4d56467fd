// The fuzz judge's fidelity verdict (e2e/fuzz/verdict.ts) for regular expressions, URLs and raw text, without a
// browser: an observation is what the judge page reports, so it can be written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fidelity } from './verdict.js';
import type { Observation } from './judge.js';
import { REF } from './slot.js';

const seen = (source: string, flags = ''): Observation => reading(JSON.stringify({ source, flags }));
const reading = (read: string): Observation => ({
  shape: [],
  decls: [],
  bad: [],
  read,
  loaded: true,
  navigated: false,
  mayNavigate: false,
  canary: [],
  dialogs: [],
  errors: [],
});

const regexp = { kind: 'regexp' } as const;

test('a value escaped into a regular expression that matches itself is faithful', () => {
  assert.equal(fidelity(regexp, 'id', 'a.b', seen(`(?:${REF})`), seen('(?:a\\.b)')), null);
  assert.equal(fidelity(regexp, 'id', 'x y', seen(`a${REF}`), seen('ax\\u0020y')), null);
});

test('a value left as regular-expression syntax is reported', () => {
  const g = fidelity(regexp, 'id', 'a+', seen(REF), seen('a+'));
  assert.equal(g?.kind, 'fidelity');
  assert.match(g.detail, /does not match "a\+" as itself/);
});

test('a reference whose static parts are regular-expression syntax is not compared', () => {
  // seed 1062321110 (CI, stop 27): a loop around `?:{{ v }}` inside `(` … `)` repeats `?:`
  // after the value, so the reference's own text is not a literal to match.
  assert.equal(fidelity(regexp, 'id', 'emoji 😀', seen(`(?:${REF}?:${REF})`), seen('(?:emoji\\u0020😀?:emoji\\u0020😀)')), null);
  // and its shrunk form, with the group's `?:` removed
  assert.equal(fidelity(regexp, 'id', '', seen(`(${REF})`), seen('((?:))')), null);
});

const url = (raw: string, u: string) => reading(JSON.stringify({ raw, u, base: 'http://127.0.0.1:1/fuzz/' }));

test('a URL value after static text is compared as a component of the URL', () => {
  // seed 73287905 (CI, stop 28): a layout block wrote `d` before a value meant to start the
  // URL; the escaper encodes the `:` that would make `d` a scheme.
  const read = { kind: 'url', name: 'href', part: false } as const;
  assert.equal(fidelity(read, 'id', ':', url(`d${REF}`, `http://127.0.0.1:1/fuzz/d${REF}`), url('d%3A', 'http://127.0.0.1:1/fuzz/d%3A')), null);
  // At the start, the same value is compared whole: `:` kept as it is would be a scheme.
  const g = fidelity(read, 'id', 'a:b', url(REF, `http://127.0.0.1:1/fuzz/${REF}`), url('a%3Ab', 'http://127.0.0.1:1/fuzz/a%3Ab'));
  assert.equal(g?.kind, 'fidelity');
});

test('a reference that is no URL is not compared (it does not crash the judge)', () => {
  const read = { kind: 'url', name: 'href', part: true } as const;
  assert.equal(fidelity(read, 'upper', 'x', reading(`invalid URL: /p/${REF.toUpperCase()}/e`), reading('invalid URL: /p/X/e')), null);
});

test('<plaintext> text is compared up to the end of its own value', () => {
  // seed 2622073174 (a 20-minute run): the page's later holes are inside the <plaintext>,
  // written for their own contexts (a blank srcset written empty, `\\` in JSON as \u005c).
  const raw = { kind: 'raw' } as const;
  assert.equal(fidelity(raw, 'id', ' ', reading(`${REF}<img srcset="${REF}">`), reading(' <img srcset="">')), null);
  const g = fidelity(raw, 'id', 'a b', reading(`${REF}<img srcset="${REF}">`), reading('a_b<img srcset="">'));
  assert.equal(g?.kind, 'fidelity');
  // One value only: compared whole.
  assert.equal(fidelity(raw, 'id', 'a', reading(`${REF}</x>`), reading('a</y>'))?.kind, 'fidelity');
});

test('two values in one URL are not compared', () => {
  // a 20-minute run: a layout block wrote the value at the start of the URL and the page a
  // second time after super(); the second is written as a component (`/` as %2F).
  const read = { kind: 'url', name: 'background', part: false } as const;
  assert.equal(fidelity(read, 'upper', '/a', url(` ${REF.toUpperCase()}${REF.toUpperCase()}`, 'x'), url('/A%2FA', 'http://127.0.0.1:1/A%2FA')), null);
});

test("a hole that writes the value without the slot's filter is expected as the plain value", () => {
  // an 18-minute run: `<plaintext id="t">{{- v|upper -}}{{ v }}` read the upper-cased
  // reference, then the plain one, and the judge expected the plain reference to stay.
  const raw = { kind: 'raw' } as const;
  assert.equal(fidelity(raw, 'upper', '', reading(`${REF.toUpperCase()}${REF}</body></html>`), reading('</body></html>')), null);
  assert.equal(fidelity({ kind: 'text' }, 'upper', 'ab', reading(`${REF.toUpperCase()} ${REF}`), reading('AB ab')), null);
});
