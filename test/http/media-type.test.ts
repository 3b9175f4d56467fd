import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMediaType, isJSONMediaType } from '../../src/http/media-type.js';

test('parses valid media types', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['text/plain', 'text/plain', {}],
    ['Application/JSON', 'application/json', {}],
    ['application/json; charset=utf-8', 'application/json', { charset: 'utf-8' }],
    ['multipart/form-data; boundary="a b;c"', 'multipart/form-data', { boundary: 'a b;c' }],
    ['text/html;charset=UTF-8;q=1', 'text/html', { charset: 'UTF-8', q: '1' }],
    ['application/x-www-form-urlencoded ;', 'application/x-www-form-urlencoded', {}],
    ['text/plain; A="x\\"y"', 'text/plain', { a: 'x"y' }],
  ];
  for (const [input, essence, params] of cases) {
    const mt = parseMediaType(input);
    assert.ok(mt, input);
    assert.equal(mt.essence, essence, input);
    assert.deepEqual({ ...mt.params }, params, input);
  }
});

test('refuses malformed media types', () => {
  for (const bad of [
    '',
    'text',
    '/plain',
    'text/',
    'text /plain',
    'te xt/plain',
    'text/plain; charset',
    'text/plain; a="unterminated',
    'text/plain; a=b c',
    'text/plain, application/json',
    'text/plain; =x',
    'application/json\u0000',
  ]) {
    assert.equal(parseMediaType(bad), null, JSON.stringify(bad));
  }
  assert.equal(parseMediaType(undefined), null);
});

test('JSON media types', () => {
  assert.ok(isJSONMediaType(parseMediaType('application/json')));
  assert.ok(isJSONMediaType(parseMediaType('application/ld+json; charset=utf-8')));
  assert.ok(!isJSONMediaType(parseMediaType('text/plain')));
  assert.ok(!isJSONMediaType(parseMediaType('text/json')));
  assert.ok(!isJSONMediaType(null));
});
