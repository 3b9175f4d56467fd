import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSRF_FIELD, CSRF_HEADER, CSRF_HEADER_KEY } from '../../src/http/csrf-names.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * Places that may write the names out. `csrf_token` is also the name of the template
 * function that returns the token: that is the template API's name, not the field's.
 * (The test fails on a stale entry.)
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'http/csrf-names.ts': 'the one definition',
  'templates/compile.ts': "the template function csrf_token()'s own name",
};

// A quoted 'csrf_token', a name=csrf_token attribute in HTML text, the header in any case.
const SPELLED_OUT = /(['"`])csrf_token\1|name=\\?["']?csrf_token\b|x-csrf-token/i;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('the CSRF field and header names are written out in one place', () => {
  assert.equal(CSRF_FIELD, 'csrf_token');
  assert.equal(CSRF_HEADER_KEY, CSRF_HEADER.toLowerCase());
  const found = new Set<string>();
  const stray: string[] = [];
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file).split('\\').join('/');
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\*|\/\/|\/\*)/.test(line) || !SPELLED_OUT.test(line)) return; // comments may name them
        if (rel in ALLOWED) found.add(rel);
        else stray.push(`src/${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(stray, [], 'use CSRF_FIELD, CSRF_HEADER or CSRF_HEADER_KEY from src/http/csrf-names.ts');
  assert.deepEqual([...found].sort(), Object.keys(ALLOWED).sort(), 'an allowed place that no longer spells a name out leaves the list');
});
