// JSON input: a table of malformed bodies with their line and column, prototype poisoning,
// the depth limit (app and route), and the strict content type, through req.json().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, HttpError } from '../../src/index.js';
import { locateError, parseJSONBody } from '../../src/http/json-body.js';

const malformed: [string, number, number, RegExp][] = [
  ['{"a":}', 1, 6, /expected a value, found "}"/],
  ['{"a":1', 1, 7, /expected "," or "}", found the end/],
  ['[1,2,]', 1, 6, /trailing comma/],
  ['{"a":1,}', 1, 8, /trailing comma/],
  ['{"a" 1}', 1, 6, /expected ":"/],
  ["{'a':1}", 1, 2, /property name in double quotes/],
  ["['a']", 1, 2, /double quotes/],
  ['', 1, 1, /found the end of the text/],
  ['"abc', 1, 5, /not closed/],
  ['{\n  "a": [1, 2\n  "b"\n}', 3, 3, /expected "," or "]"/],
  ['01', 1, 2, /number/],
  ['NaN', 1, 1, /expected a value/],
  ['"\\x"', 1, 3, /not a valid escape/],
  ['"\\u12"', 1, 4, /four hex digits/],
  ['[1] 2', 1, 5, /after the end/],
  ['{"a":"\u0001"}', 1, 7, /control character/],
  ['{"a": 1} // note', 1, 10, /after the end/],
];

test('malformed JSON is a 400 naming line, column and reason', () => {
  for (const [text, line, column, re] of malformed) {
    let err: unknown;
    try {
      parseJSONBody(text);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof HttpError, `${JSON.stringify(text)} was accepted`);
    assert.equal(err.code, 'BODY_MALFORMED');
    assert.equal(err.status, 400);
    assert.deepEqual([err.details.line, err.details.column], [line, column], `${JSON.stringify(text)}: ${err.message}`);
    assert.ok(err.message.includes(`at line ${line}, column ${column}:`), err.message);
    assert.match(err.message, re);
  }
});

test('the locator agrees with JSON.parse on what is valid', () => {
  const valid = ['{}', '[]', ' true ', 'null', '-0.5e+3', '"\\u00e9\\n"', '{"a":[1,{"b":null}],"c":"d"}', '[[[[]]]]'];
  for (const t of valid) {
    assert.doesNotThrow(() => JSON.parse(t));
    assert.equal(locateError(t), null, t);
  }
  for (const [t] of malformed) assert.throws(() => JSON.parse(t), SyntaxError, t);
  // Deep input does not overflow the locator's stack.
  assert.equal(locateError('['.repeat(200_000) + ']'.repeat(200_000)), null);
  assert.equal(locateError('['.repeat(200_000))?.reason, 'expected a value, found the end of the text');
});

test('prototype poisoning keys are refused', () => {
  for (const t of ['{"__proto__":{"admin":true}}', '{"a":{"constructor":{"prototype":{"admin":true}}}}']) {
    assert.throws(
      () => parseJSONBody(t),
      (e: unknown) => e instanceof HttpError && e.code === 'BODY_MALFORMED' && /__proto__/.test(e.message),
    );
  }
  // Control: plain JSON.parse keeps the key, and a later merge poisons the object.
  const parsed = JSON.parse('{"__proto__":{"admin":true}}');
  const merged = Object.assign({}, parsed) as { admin?: boolean };
  assert.equal(merged.admin, true);
  // A key named constructor without prototype is ordinary data.
  assert.deepEqual(parseJSONBody('{"constructor":"x"}'), { constructor: 'x' });
});

test('nesting past the limit is refused before parsing, with the position', () => {
  const ok = '['.repeat(64) + ']'.repeat(64);
  assert.equal((parseJSONBody(ok) as unknown[]).length, 1);
  assert.throws(
    () => parseJSONBody('['.repeat(65) + ']'.repeat(65)),
    (e: unknown) => e instanceof HttpError && e.code === 'BODY_MALFORMED' && e.details.column === 65 && /deeper than 64/.test(e.message),
  );
  // Brackets inside strings do not count.
  assert.deepEqual(parseJSONBody(JSON.stringify({ s: '['.repeat(100) })), { s: '['.repeat(100) });
  assert.throws(() => parseJSONBody('[[[1]]]', { maxDepth: 2 }), /deeper than 2/);
});

test('req.json(): strict content type, 400 with position, depth per app and per route', async () => {
  const app = createApp({ env: 'test', jsonMaxDepth: 3 });
  app.post('/a', async (req) => ({ got: await req.json() }), { csrf: false });
  app.post('/deep', async (req) => ({ got: await req.json() }), { jsonMaxDepth: 10, csrf: false });
  const c = app.test();
  const send = (path: string, body: string, type = 'application/json') => c.post(path, { body, headers: { 'content-type': type, accept: 'application/json' } });

  assert.deepEqual((await send('/a', '{"x":[1]}')).json(), { got: { x: [1] } });
  assert.deepEqual((await send('/a', '{"x":1}', 'application/merge-patch+json; charset=utf-8')).json(), { got: { x: 1 } });

  const bad = await send('/a', '{"x":\n  [1,]}');
  assert.equal(bad.status, 400);
  const err = (bad.json() as { error: { code: string; message: string } }).error;
  assert.equal(err.code, 'BODY_MALFORMED');
  assert.match(err.message, /line 2, column 6: a trailing comma/);

  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/json;;']) {
    const r = await send('/a', '{"x":1}', type);
    assert.equal(r.status, 415, type);
  }

  const four = '[[[[1]]]]';
  assert.equal((await send('/a', four)).status, 400, 'app limit 3');
  assert.deepEqual((await send('/deep', four)).json(), { got: [[[[1]]]] }, 'route limit 10');

  const proto = await send('/a', '{"__proto__":{"admin":true}}');
  assert.equal(proto.status, 400);
});
