// The error registry and docs/errors/ must agree: every code has a page in three parts,
// every page has a code. New codes are covered without anyone remembering to add a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { ERROR_CODES, HttpError, PalisadeError, docsLink, type ErrorCode } from '../src/errors.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const pages = readdirSync('docs/errors')
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => f.slice(0, -3));

test('every code has a docs page with the three parts', () => {
  const missing = codes.filter((c) => !pages.includes(c));
  assert.deepEqual(missing, [], `codes without docs/errors/<CODE>.md: ${missing.join(', ')}`);
  for (const c of codes) {
    const text = readFileSync(`docs/errors/${c}.md`, 'utf8');
    assert.match(text, new RegExp(`^# ${c}\\n`), `${c}: title`);
    for (const part of ['## Message', '## Smallest example', '## Cause and fix']) {
      assert.ok(text.includes(part), `${c}: missing "${part}"`);
    }
  }
});

test('every docs page names a code in the registry', () => {
  const orphans = pages.filter((p) => !(p in ERROR_CODES));
  assert.deepEqual(orphans, [], `pages without a code: ${orphans.join(', ')}`);
});

test('codes carry their area prefix, status and link', () => {
  for (const c of codes) {
    assert.match(c, /^(HTTP|BODY|CONFIG|TEMPLATE|ESCAPE|SESSION|CSRF|JSON|UPLOAD|FORM|HEADERS|AUTH|RATE|VALIDATION|WS|SSE)_[A-Z0-9_]+$/);
    const e = new PalisadeError(c);
    assert.equal(e.code, c);
    assert.equal(e.status, ERROR_CODES[c].status);
    assert.equal(e.docs, docsLink(c));
    assert.ok(e.status >= 400 && e.status < 600);
  }
});

test('a status or an unknown code given for a code is a TypeError that says what codes are', () => {
  for (const bad of [404, 'HTTP_NOT_FOUNDD', 'toString', '__proto__']) {
    assert.throws(
      () => new HttpError(bad as never, 'x'),
      (e: unknown) => e instanceof TypeError && /is not a Palisade error code .*'HTTP_NOT_FOUND'/.test(e.message),
      String(bad),
    );
  }
});
