// Fuzz: JSON request bodies (src/http/json-body.ts parseJSONBody, and req.json() through the
// test client): a value or a 400 BODY_MALFORMED, never another exception; valid JSON
// round-trips; deep nesting is refused; no prototype pollution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApp, HttpError } from '../../src/index.js';
import { parseJSONBody, DEFAULT_MAX_DEPTH } from '../../src/http/json-body.js';
import { anyString, check, piecesOf, prototypeKeys } from './fuzz-options.js';

const HOSTILE = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '\\',
  '\\u',
  '\\u00',
  '0',
  '-',
  '1e',
  '.5',
  'true',
  'nul',
  'null',
  ' ',
  '\n',
  '"__proto__"',
  '"constructor"',
  '"prototype"',
  '\ud800',
  'é',
  '\0',
  '\x7f',
];

/** Calls parseJSONBody; returns the value or the BODY_MALFORMED error; fails on anything else. */
function parseOrMalformed(text: string, maxDepth?: number): { ok: true; value: unknown } | { ok: false; err: HttpError } {
  try {
    return { ok: true, value: parseJSONBody(text, maxDepth === undefined ? {} : { maxDepth }) };
  } catch (err) {
    assert.ok(err instanceof HttpError, `not an HttpError for ${JSON.stringify(text)}: ${String(err)}`);
    assert.equal(err.code, 'BODY_MALFORMED');
    assert.equal(err.status, 400);
    const { line, column } = err.details as { line?: number; column?: number };
    if (line !== undefined) assert.ok(line >= 1 && column! >= 1, `position ${line}:${column}`);
    return { ok: false, err };
  }
}

/** Valid JSON text with a random edit: a likely near-miss. */
const mutatedJSON = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.nat(), fc.constantFrom('delete', 'insert', 'replace', 'truncate'), fc.constantFrom(...HOSTILE))
  .map(([v, at, op, piece]) => {
    const s = JSON.stringify(v);
    const i = s.length === 0 ? 0 : at % s.length;
    if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
    if (op === 'insert') return s.slice(0, i) + piece + s.slice(i);
    if (op === 'replace') return s.slice(0, i) + piece + s.slice(i + 1);
    return s.slice(0, i);
  });

test('parseJSONBody: arbitrary text is a value or a 400 BODY_MALFORMED, never another exception', () => {
  const before = prototypeKeys();
  check(
    fc.property(fc.oneof(anyString(100), piecesOf(HOSTILE, 40), mutatedJSON), (text) => {
      const r = parseOrMalformed(text);
      if (r.ok) {
        // Whatever it accepted, JSON.parse agrees it is JSON with the same value.
        assert.deepEqual(r.value, JSON.parse(text));
      } else {
        // And whatever it refused is really malformed, too deep, or a prototype key.
        let jsonOk = true;
        try {
          JSON.parse(text);
        } catch {
          jsonOk = false;
        }
        if (jsonOk) assert.match(r.err.message, /deeper|__proto__|prototype/, `valid JSON refused: ${JSON.stringify(text)} (${r.err.message})`);
      }
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 5 },
  );
});

/** JSON values without keys that are refused on purpose (checked by the pollution test below). */
const plainJSON = fc.jsonValue({ maxDepth: 6 }).filter((v) => !/"(__proto__|constructor)"/.test(JSON.stringify(v)));

test('parseJSONBody: generated JSON values round-trip, with any whitespace', () => {
  check(
    fc.property(plainJSON, fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n'), (v, indent) => {
      const text = typeof indent === 'string' ? JSON.stringify(v, null, 1).replace(/\n/g, indent) : JSON.stringify(v, null, indent);
      const r = parseOrMalformed(text);
      assert.ok(r.ok, `refused valid JSON: ${text}`);
      assert.deepEqual(r.value, JSON.parse(text));
    }),
    { scale: 3 },
  );
});

test('parseJSONBody: nesting deeper than the limit is refused, at the limit accepted', () => {
  const shape = fc.record({
    limit: fc.integer({ min: 1, max: 200 }),
    extra: fc.integer({ min: 0, max: 3 }),
    kinds: fc.array(fc.constantFrom('[', '{'), { minLength: 1, maxLength: 8 }),
    ws: fc.constantFrom('', ' ', '\n\t'),
    leaf: fc.constantFrom('1', '"x"', '"[[[{"', 'null', '{}', '[]'),
  });
  check(
    fc.property(shape, ({ limit, extra, kinds, ws, leaf }) => {
      // depth = limit + extra - 1 (the leaf's own brackets count as one more when it is {} or []).
      const leafDepth = leaf === '{}' || leaf === '[]' ? 1 : 0;
      const depth = limit + extra - leafDepth;
      let text: string = leaf;
      for (let d = depth - 1; d >= 0; d--) {
        const k = kinds[d % kinds.length]!;
        text = k === '[' ? `[${ws}${text}${ws}]` : `{${ws}"k${d}":${ws}${text}${ws}}`;
      }
      const total = depth + leafDepth;
      const r = parseOrMalformed(text, limit);
      if (total > limit) {
        assert.equal(r.ok, false, `depth ${total} > ${limit} accepted`);
        if (!r.ok) assert.equal((r.err.details as { maxDepth?: number }).maxDepth, limit);
      } else {
        assert.equal(r.ok, true, `depth ${total} ≤ ${limit} refused: ${r.ok ? '' : r.err.message}`);
      }
    }),
    { scale: 2 },
  );
});

test('parseJSONBody: a very deep body is refused quickly and without a stack overflow', () => {
  for (const n of [DEFAULT_MAX_DEPTH + 1, 10_000, 1_000_000]) {
    for (const open of ['[', '{"a":']) {
      const r = parseOrMalformed(open.repeat(n));
      assert.equal(r.ok, false);
    }
  }
});

/** Writes some characters of a key as \uXXXX escapes, which decode to the same key. */
const disguisedKey = (key: string) =>
  fc
    .array(fc.boolean(), { minLength: key.length, maxLength: key.length })
    .map((flags) => [...key].map((c, i) => (flags[i] ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join(''));

test('parseJSONBody: __proto__ and constructor.prototype keys never pollute, however they are spelled', () => {
  const before = prototypeKeys();
  const attack = fc
    .tuple(disguisedKey('__proto__'), disguisedKey('constructor'), disguisedKey('prototype'), fc.constantFrom('proto', 'ctor', 'both'), fc.nat(4), plainJSON)
    .map(([proto, ctor, prot, kind, depth, filler]) => {
      const payload = `{"polluted":"yes","toString":1}`;
      let inner =
        kind === 'proto'
          ? `{"${proto}":${payload}}`
          : kind === 'ctor'
            ? `{"${ctor}":{"${prot}":${payload}}}`
            : `{"a":${JSON.stringify(filler)},"${proto}":${payload},"${ctor}":{"${prot}":${payload}}}`;
      for (let i = 0; i < depth; i++) inner = i % 2 === 0 ? `[${inner}]` : `{"x":${inner}}`;
      return inner;
    });
  check(
    fc.property(attack, (text) => {
      const r = parseOrMalformed(text);
      assert.equal(r.ok, false, `prototype key accepted: ${text}`);
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 2 },
  );
});

test('req.json() through the test client: any body is a 200 or a 400/415 with a code, never a 500', async () => {
  const app = createApp({ env: 'test' });
  app.post('/echo', async (req) => ({ got: await req.json() }), { csrf: false, allowTopLevelArray: true });
  const client = app.test();
  const before = prototypeKeys();
  const body = fc.oneof(
    anyString(80).map((s) => Buffer.from(s)),
    piecesOf(HOSTILE, 30).map((s) => Buffer.from(s)),
    mutatedJSON.map((s) => Buffer.from(s)),
    plainJSON.map((v) => Buffer.from(JSON.stringify(v))),
    fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  );
  const ct = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'text/plain', 'application/json; charset="');
  await check(
    fc.asyncProperty(body, ct, async (b, contentType) => {
      const res = await client.post('/echo', { body: b, headers: { 'content-type': contentType, accept: 'application/json' } });
      assert.ok([200, 400, 415].includes(res.status), `${contentType} ${JSON.stringify(b.toString())} → ${res.status} ${res.text}`);
      if (res.status === 200) {
        // Compared after a JSON round trip: the response cannot carry -0.
        assert.deepEqual((res.json() as { got: unknown }).got, JSON.parse(JSON.stringify(JSON.parse(b.toString('utf8')))));
      } else {
        const err = (res.json() as { error: { code: string } }).error;
        assert.equal(err.code, res.status === 415 ? 'BODY_UNSUPPORTED_MEDIA_TYPE' : 'BODY_MALFORMED');
      }
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 1 },
  );
});

test('a JSON number that overflows to Infinity is refused at input, not turned into a 500 on the way out', async () => {
  // JSON.parse('1e400') is Infinity, which JSON cannot carry back out: an app that echoes or
  // stores the value fails later with JSON_UNSERIALIZABLE (500). Hostile input must stay a 400.
  const app = createApp({ env: 'test' });
  app.post('/echo', async (req) => ({ got: await req.json() }), { csrf: false });
  const client = app.test();
  for (const text of ['1e400', '-1e400', '{"n":1e99999}', '[1E+999]']) {
    const res = await client.post('/echo', { body: text, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.notEqual(res.status, 500, `${text} → 500 ${res.text}`);
    assert.equal(res.status, 400, `${text} → ${res.status}`);
  }
});
