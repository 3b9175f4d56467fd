// jsonify: the content type, the top-level rule with its opt-ins, and a clear error for
// every value JSON cannot carry, with the path to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, jsonify, PalisadeError } from '../../src/index.js';
import { toJSONText, XSSI_PREFIX } from '../../src/json/jsonify.js';

const failure = (fn: () => unknown): PalisadeError => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PalisadeError, String(e));
    return e;
  }
  assert.fail('expected a PalisadeError');
};

test('jsonify sends application/json; charset=utf-8 with the status and headers given', async () => {
  const res = jsonify({ a: 'é' }, { status: 201, headers: { 'x-a': '1' } });
  assert.equal(res.status, 201);
  assert.equal(res.getHeader('content-type'), 'application/json; charset=utf-8');
  assert.equal(res.getHeader('x-a'), '1');
  assert.equal(res.body, '{"a":"é"}');
  const app = createApp({ env: 'test' });
  app.get('/', () => ({ ok: true }));
  const r = await app.test().get('/');
  assert.equal(r.header('content-type'), 'application/json; charset=utf-8');
  assert.equal(r.header('x-content-type-options'), 'nosniff');
});

test('every non-object at the top level is refused with the hijacking explanation and the opt-ins', () => {
  for (const [v, kind] of [
    [[1], 'an array'],
    ['s', 'a string'],
    [1, 'a number'],
    [true, 'a boolean'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ toJSON: () => [1] }, 'an array'],
  ] as const) {
    const e = failure(() => jsonify(v));
    assert.equal(e.code, 'JSON_TOP_LEVEL_NOT_OBJECT');
    assert.ok(e.message.includes(`refuses ${kind} at the top level`), e.message);
    assert.match(e.message, /<script src>/);
    assert.match(e.message, /hijacking/);
    assert.match(e.message, /\{ allowTopLevelArray: true \}/);
  }
});

test('the opt-in: per response and per route', async () => {
  assert.equal(jsonify([1, 'a'], { allowTopLevelArray: true }).body, '[1,"a"]');
  const app = createApp({ env: 'test' });
  app.get('/open', () => ['a'], { allowTopLevelArray: true });
  app.get('/closed', () => ['a']);
  const c = app.test();
  assert.equal((await c.get('/open')).text, '["a"]');
  const closed = await c.get('/closed', { headers: { accept: 'application/json' } });
  assert.equal(closed.status, 500);
  assert.equal((closed.json() as { error: { code: string } }).error.code, 'JSON_TOP_LEVEL_NOT_OBJECT');
});

test('values JSON cannot carry are errors naming the path, never silent nulls', () => {
  const cyc: Record<string, unknown> = { a: { b: {} } };
  (cyc.a as { b: Record<string, unknown> }).b.c = cyc;
  const cases: [unknown, string, RegExp][] = [
    [{ f: () => 1 }, 'f', /a function/],
    [{ s: Symbol('x') }, 's', /a symbol/],
    [{ notes: [{ id: 1n }] }, 'notes[0].id', /a BigInt/],
    [{ list: [1, undefined] }, 'list[1]', /undefined inside an array/],
    [{ n: NaN }, 'n', /NaN/],
    [{ n: -Infinity }, 'n', /-Infinity/],
    [{ m: new Map([[1, 2]]) }, 'm', /a Map .*Object\.fromEntries/],
    [{ 'odd key': new Set() }, '["odd key"]', /a Set/],
    [cyc, 'a.b.c', /cycle/],
  ];
  for (const [v, path, re] of cases) {
    const e = failure(() => toJSONText(v));
    assert.equal(e.code, 'JSON_UNSERIALIZABLE');
    assert.equal(e.details.path, path, e.message);
    assert.match(e.message, re);
    assert.ok(e.message.includes(path), e.message);
  }
  const top = failure(() => toJSONText(undefined, { allowTopLevelArray: true }));
  assert.equal(top.code, 'JSON_UNSERIALIZABLE');
  assert.match(top.message, /undefined at the top level/);
  // Control: plain JSON.stringify turns all of these into silent data loss.
  assert.equal(JSON.stringify({ list: [1, undefined], n: NaN, m: new Map([[1, 2]]) }), '{"list":[1,null],"n":null,"m":{}}');
});

test('undefined properties are left out and toJSON is honoured', () => {
  assert.equal(toJSONText({ a: undefined, d: new Date(0) }), '{"d":"1970-01-01T00:00:00.000Z"}');
});

test('pretty printing in development, compact otherwise', async () => {
  for (const [env, body] of [
    ['development', '{\n  "a": 1\n}'],
    ['production', '{"a":1}'],
  ] as const) {
    const app = createApp({ env, secretKey: 'kq3Vb8yTzN1wR5pX0cL7hJ2mF9sD4gA6eU3iO8tY1rQ', allowedHosts: ['localhost'], logger: false });
    app.get('/', () => ({ a: 1 }));
    assert.equal((await app.test().get('/')).text, body);
  }
});

test('jsonify can add the XSSI prefix itself', () => {
  assert.equal(jsonify({ a: 1 }, { xssiPrefix: true }).body, `${XSSI_PREFIX}{"a":1}`);
});
