/**
 * Body grammars for the HTTP fuzzer: urlencoded forms, JSON, multipart/form-data, text
 * and bytes, each well-formed or broken, with symbolic runs for the huge and the deeply
 * nested; and the framing that carries them (Content-Length right or wrong, chunked
 * right or wrong, both, neither). RFC 9112 §6–7, RFC 7578, RFC 8259.
 */
import fc from 'fast-check';
import { CSRF_TOKEN } from './headers.js';
import type { BodyKind } from './targets.js';
import { lit, mutated, oddPiece, run, slowShape, word, type Piece, type Text } from './text.js';

export interface MultipartPart {
  name: Text;
  filename: Text | null;
  type: Text | null;
  data: Text;
  /** Extra header lines in the part, `times` repeats of one line. */
  junk: { line: Text; times: number } | null;
}

export type Body =
  | { kind: 'none' }
  | { kind: 'form'; pairs: [Text, Text][]; many: number }
  | { kind: 'json'; json: Text }
  | {
      kind: 'multipart';
      boundary: string;
      /** How the Content-Type names the boundary. */
      typeBoundary: 'same' | 'missing' | 'other' | 'quoted';
      preamble: Text;
      parts: MultipartPart[];
      close: 'ok' | 'missing' | 'no-crlf' | 'junk';
    }
  | { kind: 'text' | 'bytes'; data: Text };

/** How the body is framed on the wire. */
export type Framing =
  | { kind: 'length' }
  | { kind: 'none' }
  /** Content-Length off by `delta` bytes (short: the rest is read as the next request; long: truncated). */
  | { kind: 'length-off'; delta: number }
  | { kind: 'length-text'; value: Text }
  | { kind: 'length-twice'; delta: number }
  | { kind: 'chunked'; cuts: number[]; ext: boolean; end: 'ok' | 'missing' | 'no-crlf' | 'bad-size' | 'trailer' | 'huge-size' }
  | { kind: 'chunked-and-length' }
  | { kind: 'te-text'; value: Text };

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const oneOf = (...xs: string[]): fc.Arbitrary<Text> => fc.constantFrom(...xs).map(lit);

/** Field names the fixture's forms read, and names that poison careless parsers. */
export const fieldName: fc.Arbitrary<Text> = mutated(
  fc.oneof(
    { weight: 3, arbitrary: oneOf('name', 'password', 'note', 'title', 'priority', 'pinned', 'due', 'q', 'a', 'f', 'id') },
    {
      weight: 1,
      arbitrary: oneOf('__proto__', 'constructor', 'constructor[prototype][x]', '__proto__[x]', 'a[]', 'csrf_token', '', 'toString', 'hasOwnProperty'),
    },
    { weight: 1, arbitrary: word(ALNUM, 10).map(lit) },
  ),
  2,
  3000,
);
/** Field values: words, hostile pieces, percent sequences, long runs. */
export const fieldValue: fc.Arbitrary<Text> = mutated(
  fc.oneof(
    { weight: 3, arbitrary: word([...ALNUM, ' ', '-', '.'], 16).map(lit) },
    { weight: 1, arbitrary: oneOf('low', 'normal', 'high', 'on', 'true', '2024-02-30', '1e999', '') },
    { weight: 2, arbitrary: fc.array(oddPiece, { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: slowShape(200_000) },
  ),
  3,
  200_000,
);

const form = fc.record({
  kind: fc.constant('form' as const),
  pairs: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 5 }),
  many: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 120_000 }) }),
});

// JSON (RFC 8259): values, keys that poison prototypes, numbers that overflow, escapes that
// decode to lone surrogates, and nesting deeper than any limit (symbolic runs).
const jsonKey = oneOf('"a"', '"__proto__"', '"constructor"', '"\\u005f_proto__"', '"prototype"', '"notes"', '""', '"\\ud800"', '"x');
const jsonScalar = oneOf(
  '1',
  '-0',
  '1e999',
  '-1e999',
  '0x10',
  '1.',
  '.5',
  'NaN',
  '9007199254740993',
  'true',
  'null',
  'nul',
  '"x"',
  '"\\u0000"',
  '"\\ud800"',
  '"\\x"',
  '"é"',
  '"€"',
  "'a'",
  '""',
);
const jsonValue: fc.Arbitrary<Text> = fc.letrec<{ value: Text; array: Text; object: Text }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonScalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((xs): Text => ['[', ...xs.flatMap((x, i) => (i === 0 ? [...x] : [',', ...x])), ']']),
  object: fc
    .array(fc.tuple(jsonKey, tie('value')), { maxLength: 4 })
    .map((kvs): Text => ['{', ...kvs.flatMap(([k, v], i) => [...(i === 0 ? [] : [',']), ...k, ':', ...v]), '}']),
})).value;
const deepJSON = fc.tuple(fc.constantFrom('[', '{"a":', '[{"a":'), fc.integer({ min: 2, max: 200_000 }), fc.boolean()).map(([open, n, closed]): Text => {
  const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
  return closed ? [{ run: open, n }, '1', { run: close, n }] : [{ run: open, n }];
});
const json = fc.record({
  kind: fc.constant('json' as const),
  json: mutated(fc.oneof({ weight: 4, arbitrary: jsonValue }, { weight: 1, arbitrary: deepJSON }), 2, 100_000),
});

// multipart/form-data (RFC 7578, RFC 2046 §5.1.1 boundaries of 1–70 bchars).
const BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?".split('');
const filename: fc.Arbitrary<Text | null> = fc.oneof(
  { withCrossShrink: true },
  fc.constant(null),
  mutated(oneOf('a.txt', 'note.txt', 'photo.png', '../../etc/passwd', 'C:\\x\\y.txt', 'é.txt', '文件.pdf', '.htaccess', 'CON', '', 'a"b', 'index.html'), 3),
);
const part: fc.Arbitrary<MultipartPart> = fc.record({
  name: fieldName,
  filename,
  type: fc.oneof(
    { withCrossShrink: true },
    fc.constant(null),
    mutated(oneOf('text/plain', 'image/png', 'text/html', 'application/octet-stream', 'image/svg+xml'), 3),
  ),
  data: fc.oneof(
    { weight: 4, arbitrary: fieldValue },
    { weight: 1, arbitrary: oneOf('\x89PNG\r\n\x1a\n', '<script>alert(1)</script>', '--', '\r\n--') },
    { weight: 1, arbitrary: run(2_500_000, ['x', '\0', '-']).map((p): Text => [p]) },
  ),
  junk: fc.oneof(
    { withCrossShrink: true },
    { weight: 6, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.record({
        line: mutated(oneOf('X-Junk: y', 'Content-Transfer-Encoding: base64', 'Content-Disposition: form-data', ''), 3),
        times: fc.integer({ min: 1, max: 5000 }),
      }),
    },
  ),
});
const multipart = fc.record({
  kind: fc.constant('multipart' as const),
  boundary: fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...BCHARS), minLength: 1, maxLength: 70 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'b'.repeat(71), 'a b', 'a"b', 'é', '--', 'x\r\ny') },
  ),
  typeBoundary: fc.constantFrom<'same' | 'missing' | 'other' | 'quoted'>('same', 'same', 'same', 'quoted', 'missing', 'other'),
  preamble: fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constant<Text>([]) }, { weight: 1, arbitrary: fieldValue }),
  parts: fc.array(part, { maxLength: 4 }),
  close: fc.constantFrom<'ok' | 'missing' | 'no-crlf' | 'junk'>('ok', 'ok', 'ok', 'missing', 'no-crlf', 'junk'),
});

const raw = (kind: 'text' | 'bytes') =>
  fc.record({
    kind: fc.constant(kind),
    data: fc.oneof(
      fieldValue,
      fc.uint8Array({ maxLength: 300 }).map((b): Text => [Buffer.from(b).toString('latin1')]),
      run(2_500_000, ['x', '\0']).map((p): Text => [p]),
      run(400, ['GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n']).map((p): Text => [p]),
    ),
  });

const BY_KIND: Record<BodyKind, fc.Arbitrary<Body>> = { form, json, multipart, text: raw('text'), bytes: raw('bytes') };

/** A body for a route that parses `kinds` (any kind now and then, none for most GETs). */
export function bodyFor(kinds: readonly BodyKind[], hasBodyUsually: boolean): fc.Arbitrary<Body> {
  const own = kinds.length > 0 ? fc.oneof(...kinds.map((k) => BY_KIND[k])) : null;
  const any = fc.oneof(form, json, multipart, raw('text'), raw('bytes'));
  const none = fc.constant<Body>({ kind: 'none' });
  if (!hasBodyUsually)
    return fc.oneof({ withCrossShrink: true }, { weight: 8, arbitrary: none }, { weight: 1, arbitrary: own ?? any }, { weight: 1, arbitrary: any });
  return fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: none }, { weight: 6, arbitrary: own ?? any }, { weight: 2, arbitrary: any });
}

/** Framing: mostly right, often wrong in every way RFC 9112 §6 names. */
export const framing: fc.Arbitrary<Framing> = fc.oneof(
  { withCrossShrink: true },
  { weight: 14, arbitrary: fc.constant<Framing>({ kind: 'length' }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('chunked' as const),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
      ext: fc.boolean(),
      end: fc.constant<'ok'>('ok'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('chunked' as const),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
      ext: fc.boolean(),
      end: fc.constantFrom<'missing' | 'no-crlf' | 'bad-size' | 'trailer' | 'huge-size'>('missing', 'no-crlf', 'bad-size', 'trailer', 'huge-size'),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Framing>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('length-off' as const), delta: fc.integer({ min: -40, max: 40 }).filter((d) => d !== 0) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('length-text' as const),
      value: mutated(oneOf('abc', '-1', '1, 2', '0x10', '99999999999999999999', '+5', ' 5', '5 5', '2000000', ''), 3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('length-twice' as const), delta: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant<Framing>({ kind: 'chunked-and-length' }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('te-text' as const),
      value: mutated(oneOf('chunked', 'Chunked', 'chunked, identity', 'identity', 'gzip, chunked', 'xchunked', 'chunked\t', ''), 3),
    }),
  },
);

/** The body's own Content-Type, or null. */
export function bodyContentType(b: Body): Text | null {
  switch (b.kind) {
    case 'none':
      return null;
    case 'form':
      return ['application/x-www-form-urlencoded'];
    case 'json':
      return ['application/json'];
    case 'text':
      return ['text/plain; charset=utf-8'];
    case 'bytes':
      return ['application/octet-stream'];
    case 'multipart':
      switch (b.typeBoundary) {
        case 'same':
          return [`multipart/form-data; boundary=${b.boundary}`];
        case 'quoted':
          return [`multipart/form-data; boundary="${b.boundary}"`];
        case 'missing':
          return ['multipart/form-data'];
        case 'other':
          return [`multipart/form-data; boundary=${b.boundary}x`];
      }
  }
}

/** The body's bytes as Text; `csrfField` puts a `csrf_token` field first. */
export function bodyText(b: Body, csrfField: boolean): Text {
  switch (b.kind) {
    case 'none':
      return [];
    case 'form': {
      const out: Piece[] = csrfField ? [`csrf_token=${CSRF_TOKEN}`] : [];
      for (const [k, v] of b.pairs) out.push(...(out.length > 0 ? ['&'] : []), ...k, '=', ...v);
      if (b.many > 0) out.push(...(out.length > 0 ? ['&'] : []), { run: 'x=1&', n: b.many });
      return out;
    }
    case 'json':
      return b.json;
    case 'text':
    case 'bytes':
      return b.data;
    case 'multipart': {
      const d = `--${b.boundary}`;
      const out: Piece[] = [...b.preamble, ...(b.preamble.length > 0 ? ['\r\n'] : [])];
      const parts = csrfField ? [{ name: ['csrf_token'], filename: null, type: null, data: [CSRF_TOKEN], junk: null } as MultipartPart, ...b.parts] : b.parts;
      for (const p of parts) {
        out.push(`${d}\r\nContent-Disposition: form-data; name="`, ...p.name, '"');
        if (p.filename !== null) out.push('; filename="', ...p.filename, '"');
        out.push('\r\n');
        if (p.type !== null) out.push('Content-Type: ', ...p.type, '\r\n');
        if (p.junk !== null) out.push(p.junk.times === 1 ? expandLine(p.junk.line) : { run: expandLine(p.junk.line), n: p.junk.times });
        out.push('\r\n', ...p.data, '\r\n');
      }
      if (b.close === 'ok') out.push(`${d}--\r\n`);
      else if (b.close === 'no-crlf') out.push(`${d}--`);
      else if (b.close === 'junk') out.push(`${d}-x\r\n`);
      return out;
    }
  }
}

function expandLine(t: Text): string {
  return `${t.map((p) => (typeof p === 'string' ? p : p.run.repeat(Math.min(p.n, 200)))).join('')}\r\n`;
}

/** True when a request with this body usually has no body (GET, HEAD…). */
export function usuallyBodiless(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE';
}
