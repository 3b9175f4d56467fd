// Fuzz: the strict media-type parser (src/http/media-type.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMediaType, isJSONMediaType } from '../../src/http/media-type.js';
import { anyString, check, piecesOf, token } from './fuzz-options.js';

const ESSENCE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;
const PARAM_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

// Pieces of real and broken Content-Type headers, so the random strings often come close.
const HOSTILE = [
  'text',
  'application',
  'json',
  'multipart',
  'form-data',
  '/',
  ';',
  '=',
  '"',
  '\\',
  ' ',
  '\t',
  ',',
  'charset',
  'boundary',
  'utf-8',
  '+json',
  '\0',
  '\r\n',
  'é',
  '\u{1F600}',
  '\ud800',
  '*',
  '()',
  '<>',
];

/** A header value from arbitrary strings or hostile pieces. */
const rawHeader = fc.oneof(anyString(80), piecesOf(HOSTILE, 30));

function assertWellFormed(header: string): void {
  const mt = parseMediaType(header);
  if (mt === null) return;
  assert.match(mt.essence, ESSENCE, `essence of ${JSON.stringify(header)}`);
  assert.equal(mt.essence, `${mt.type}/${mt.subtype}`);
  assert.equal(Object.getPrototypeOf(mt.params), null, 'params are null-prototype');
  for (const name of Object.keys(mt.params)) {
    assert.match(name, PARAM_NAME, `parameter name of ${JSON.stringify(header)}`);
    assert.equal(typeof mt.params[name], 'string');
  }
  assert.equal(typeof isJSONMediaType(mt), 'boolean');
}

test('parseMediaType never throws and yields a lower-case token/token essence', () => {
  check(
    fc.property(rawHeader, (header) => {
      assertWellFormed(header);
      // Case never changes the verdict; the essence is the same lower-case text.
      const upper = parseMediaType(header.toUpperCase());
      const base = parseMediaType(header);
      if (base !== null && upper !== null) assert.equal(upper.essence, base.essence);
    }),
    { scale: 4 },
  );
});

test('parseMediaType: a prefix of a valid header with garbage appended is still well-formed or null', () => {
  check(
    fc.property(token(), token(), rawHeader, (type, subtype, tail) => {
      assertWellFormed(`${type}/${subtype}${tail}`);
      assertWellFormed(`${type}/${subtype}; ${tail}`);
      assertWellFormed(`${type}/${subtype}; a="${tail}`);
    }),
    { scale: 2 },
  );
});

// ---- round trip of generated valid headers ---------------------------------------------

/** A parameter value: a token (sent bare or quoted) or any quotable text (sent quoted). */
const paramValue = fc.oneof(
  token(20).map((v) => ({ value: v, quote: false })),
  token(20).map((v) => ({ value: v, quote: true })),
  // qdtext / quoted-pair: HTAB, SP, VCHAR and obs-text (RFC 9110 §5.6.4).
  fc
    .string({
      unit: fc.oneof(
        fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        fc.constant('\t'),
        fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
      ),
      maxLength: 30,
    })
    .map((v) => ({ value: v, quote: true })),
);
const ows = fc.constantFrom('', ' ', '\t', '  ', ' \t');
const randomCase = (s: string, flips: boolean[]): string =>
  [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c.toLowerCase())).join('');

test('parseMediaType round-trips generated valid headers', () => {
  const header = fc.record({
    type: token(),
    subtype: token(),
    flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    params: fc.uniqueArray(fc.record({ name: token(12), v: paramValue, before: ows, after: ows }), {
      maxLength: 5,
      selector: (p) => p.name.toLowerCase(),
    }),
    lead: ows,
    trail: fc.constantFrom('', ';', ' ;', '; '),
  });
  check(
    fc.property(header, (h) => {
      let text = `${h.lead}${randomCase(h.type, h.flips)}/${randomCase(h.subtype, h.flips)}`;
      for (const p of h.params) {
        const v = p.v.quote ? `"${p.v.value.replace(/["\\]/g, (c) => `\\${c}`)}"` : p.v.value;
        text += `${p.before};${p.after}${randomCase(p.name, h.flips)}=${v}`;
      }
      text += h.trail;
      const mt = parseMediaType(text);
      assert.notEqual(mt, null, `valid header refused: ${JSON.stringify(text)}`);
      assert.equal(mt!.essence, `${h.type}/${h.subtype}`.toLowerCase());
      assert.equal(mt!.type, h.type.toLowerCase());
      assert.equal(mt!.subtype, h.subtype.toLowerCase());
      assert.deepEqual(Object.keys(mt!.params).sort(), h.params.map((p) => p.name.toLowerCase()).sort(), `parameter names of ${JSON.stringify(text)}`);
      for (const p of h.params) assert.equal(mt!.params[p.name.toLowerCase()], p.v.value, `value of ${p.name} in ${JSON.stringify(text)}`);
    }),
    { scale: 3 },
  );
});

test('parseMediaType refuses a header whose type or subtype is not a token', () => {
  const nonTokenChar = fc.constantFrom(' ', '"', '(', ')', ',', '/', ':', '<', '=', '>', '?', '@', '[', '\\', ']', '{', '}', '\0', 'é', '\x7f');
  check(
    fc.property(token(), token(), nonTokenChar, fc.nat(), fc.boolean(), (type, subtype, bad, at, inType) => {
      // Insert one non-token character strictly inside the type or the subtype.
      const target = inType ? type : subtype;
      const i = 1 + (at % Math.max(1, target.length));
      if (i >= target.length) return; // only interior positions (edges may be trimmed OWS)
      const broken = target.slice(0, i) + bad + target.slice(i);
      const header = inType ? `${broken}/${subtype}` : `${type}/${broken}`;
      if (bad === '/' && inType) return; // `a/b/c`: the first slash splits; covered by the subtype case
      assert.equal(parseMediaType(header), null, JSON.stringify(header));
    }),
  );
});
