// The fuzz judge's fidelity verdict for regular expressions (e2e/fuzz/verdict.ts), without a
// browser: an observation is what the judge page reports, so it can be written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fidelity } from './verdict.js';
import type { Observation } from './judge.js';
import { REF } from './slot.js';

const seen = (source: string, flags = ''): Observation => ({
  shape: [],
  decls: [],
  bad: [],
  read: JSON.stringify({ source, flags }),
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
