// The fused URL-in-attribute escaper must write exactly what its two steps write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHTML } from '../../src/escape/html.js';
import { filterAndNormalizeURL, filterAndNormalizeURLForAttr } from '../../src/escape/url.js';

const CASES = [
  '',
  '/notes/42?q=a&b=<c>',
  'https://example.com/a b',
  ' \tjava\nscript:alert(1)',
  'JavaScript:x',
  'mailto:a@b.c',
  "/it's",
  '"quoted"',
  '\u0000x',
  'a\rb',
  'http://x/\u007f',
  '//evil.example',
  'data:text/html,<x>',
  '?q=1&r=2',
  '#frag',
  'é/ü?ß=1',
];

test('filterAndNormalizeURLForAttr equals escapeHTML(filterAndNormalizeURL(url))', () => {
  for (const u of CASES) assert.equal(filterAndNormalizeURLForAttr(u), escapeHTML(filterAndNormalizeURL(u)), JSON.stringify(u));
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (u) => filterAndNormalizeURLForAttr(u) === escapeHTML(filterAndNormalizeURL(u))),
    { seed: 42, numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.constantFrom('http:', 'javascript:', 'JAVA\tSCRIPT:', ' mailto:', ''), fc.string({ maxLength: 20 }), (a, b) => {
      const u = a + b;
      return filterAndNormalizeURLForAttr(u) === escapeHTML(filterAndNormalizeURL(u));
    }),
    { seed: 7, numRuns: 2000 },
  );
});
