import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Params, parseUrlencoded } from '../../src/http/params.js';

test('repeated keys are kept in order', () => {
  const p = parseUrlencoded('a=1&b=2&a=3');
  assert.equal(p.get('a'), '1');
  assert.deepEqual(p.getAll('a'), ['1', '3']);
  assert.equal(p.size, 3);
  assert.deepEqual(
    [...p],
    [
      ['a', '1'],
      ['a', '3'],
      ['b', '2'],
    ],
  );
});

test('__proto__ and constructor are plain keys', () => {
  const p = parseUrlencoded('__proto__=x&constructor=y&toString=z');
  assert.equal(p.get('__proto__'), 'x');
  assert.equal(p.get('constructor'), 'y');
  const o = p.toObject();
  assert.equal(Object.getPrototypeOf(o), null);
  assert.equal(o['__proto__' as keyof typeof o], 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(new Params().get('toString'), undefined);
  assert.equal(new Params().has('hasOwnProperty'), false);
});

test('decoding follows the urlencoded rules', () => {
  const p = parseUrlencoded('q=a+b%20c&bad=%zz&e=%E2%9C%93');
  assert.equal(p.get('q'), 'a b c');
  assert.equal(p.get('bad'), '%zz');
  assert.equal(p.get('e'), '✓');
});
