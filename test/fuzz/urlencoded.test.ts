// Fuzz: urlencoded bodies and query strings (src/http/params.ts), directly and through
// the test client's req.form() and req.query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApp } from '../../src/index.js';
import { parseUrlencoded } from '../../src/http/params.js';
import { anyString, check, isWellFormed, piecesOf, prototypeKeys, unicodeString } from './fuzz-options.js';

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const HOSTILE = [
  '&',
  '=',
  '%',
  '%2',
  '%zz',
  '%00',
  '%C3',
  '%C3%A9',
  '%ED%A0%80',
  '+',
  ';',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  '[',
  ']',
  '.',
  'a',
  '\ud800',
  '\u{1F600}',
];

test('parseUrlencoded never throws, whatever the text', () => {
  check(
    fc.property(fc.oneof(anyString(100), piecesOf(HOSTILE, 40)), (s) => {
      const p = parseUrlencoded(s);
      let n = 0;
      for (const [k, v] of p) {
        assert.equal(typeof k, 'string');
        assert.equal(typeof v, 'string');
        n++;
      }
      assert.equal(n, p.size);
    }),
    { scale: 4 },
  );
});

test('__proto__, constructor and friends are plain keys and never pollute a prototype', () => {
  const before = prototypeKeys();
  const pair = fc.tuple(
    fc.oneof(
      fc.constantFrom(...DANGEROUS_KEYS),
      fc.constantFrom(...DANGEROUS_KEYS).map((k) => `${k}[polluted]`),
      fc.string({ maxLength: 6 }),
    ),
    fc.oneof(fc.constant('polluted'), fc.string({ maxLength: 6 })),
  );
  check(
    fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
      const text = new URLSearchParams(pairs).toString();
      const p = parseUrlencoded(text);
      for (const k of DANGEROUS_KEYS) {
        const sent = pairs.filter(([key]) => key === k).map(([, v]) => v);
        assert.equal(p.has(k), sent.length > 0, `has(${k})`);
        assert.deepEqual(p.getAll(k), sent, `getAll(${k})`);
        assert.equal(p.get(k), sent[0]);
      }
      const o = p.toObject();
      assert.equal(Object.getPrototypeOf(o), null);
      for (const k of Object.keys(o)) assert.equal(typeof o[k], 'string');
      assert.equal(prototypeKeys(), before, 'Object.prototype changed');
    }),
    { scale: 2 },
  );
});

test('generated pairs round-trip through URLSearchParams encoding', () => {
  const wellFormed = unicodeString(20).filter(isWellFormed);
  check(
    fc.property(fc.array(fc.tuple(wellFormed, wellFormed), { maxLength: 10 }), (pairs) => {
      const text = new URLSearchParams(pairs).toString();
      const p = parseUrlencoded(text);
      assert.equal(p.size, pairs.length);
      const keys = [...new Set(pairs.map(([k]) => k))];
      assert.deepEqual(p.keys().slice().sort(), keys.slice().sort());
      for (const k of keys) {
        assert.deepEqual(
          p.getAll(k),
          pairs.filter(([key]) => key === k).map(([, v]) => v),
          `values of ${JSON.stringify(k)}`,
        );
      }
    }),
    { scale: 3 },
  );
});

test('through the test client: any form body or query is a 200, 400 or 415, never a 500', async () => {
  const app = createApp({ env: 'test' });
  app.post('/form', async (req) => ({ n: (await req.form()).size }), { csrf: false });
  app.get('/q', (req) => ({ n: req.query.size, k: req.query.keys().length }));
  const client = app.test();
  const before = prototypeKeys();
  const body = fc.oneof(
    anyString(100).map((s) => Buffer.from(s)),
    piecesOf(HOSTILE, 40).map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  );
  const contentType = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'APPLICATION/X-WWW-FORM-URLENCODED',
    'application/x-www-form-urlencoded; charset="',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  );
  await check(
    fc.asyncProperty(body, contentType, piecesOf(HOSTILE, 20), async (b, ct, q) => {
      const headers: Record<string, string> = ct === '' ? {} : { 'content-type': ct };
      const res = await client.post('/form', { body: b, headers });
      assert.ok([200, 400, 415].includes(res.status), `POST /form ${ct} ${JSON.stringify(b.toString())} → ${res.status} ${res.text}`);
      const qs = q.replace(/[#\s]/g, '');
      const r2 = await client.get(`/q?${qs}`);
      assert.equal(r2.status, 200, `GET /q?${qs} → ${r2.status}`);
      assert.equal(prototypeKeys(), before);
    }),
    { scale: 1 },
  );
});

test('Params keeps the order in which keys were first sent (as URLSearchParams does), integer-like keys included', () => {
  // Object.keys() puts integer-like keys first, so a plain-object map reorders '3' before 'a'.
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.nat(50).map(String));
  check(
    fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 4 })), { maxLength: 8 }), (pairs) => {
      const p = parseUrlencoded(new URLSearchParams(pairs).toString());
      const firstSeen = [...new Set(pairs.map(([k]) => k))];
      assert.deepEqual(p.keys(), firstSeen, `sent ${JSON.stringify(pairs)}`);
    }),
  );
});
