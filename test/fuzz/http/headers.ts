/**
 * Header grammars for the HTTP fuzzer: for each header Palisade or node reads, values in
 * its own syntax (RFC 9110 and the Fetch Metadata, cookie and forwarding specs), from
 * correct to broken, then mutated (text.ts). Optional whitespace is a slot of its own that
 * is sometimes a run thousands long: backtracking parsers go slow exactly there.
 */
import fc from 'fast-check';
import { lit, mutated, oddPiece, run, seq, slowShape, word, type Text } from './text.js';

/** Stand-ins replaced when the request is sent: the session cookie pair and a CSRF token that fit it. */
export const SESSION_COOKIE = '\ue000session\ue000';
export const CSRF_TOKEN = '\ue000token\ue000';

const DIGITS = '0123456789'.split('');
/** Mutated, with runs short enough that several fit in node's 16 KiB of headers. */
const inHeader = (base: fc.Arbitrary<Text>, rate: number): fc.Arbitrary<Text> => mutated(base, rate, 3000);
const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');

/**
 * Optional whitespace (RFC 9110 §5.6.3): usually none or a little, often a run of hundreds
 * or thousands. Two long runs in one value are what makes adjacent `\s*` go cubic.
 */
export const ows: fc.Arbitrary<Text> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.constant<Text>([]) },
  { weight: 2, arbitrary: fc.constantFrom<Text>([' '], ['\t'], ['  ']) },
  { weight: 1, arbitrary: run(64, [' ', '\t', ' \t']).map((p): Text => [p]) },
  {
    weight: 4,
    arbitrary: fc.record({ run: fc.constantFrom(' ', '\t', ' \t'), n: fc.integer({ min: 500, max: 1200 }) }).map((p): Text => [p]),
  },
);
/** Whitespace around list separators: long runs more rarely (a header has many of these). */
const listOws: fc.Arbitrary<Text> = fc.oneof(
  { withCrossShrink: true },
  { weight: 6, arbitrary: fc.constant<Text>([]) },
  { weight: 3, arbitrary: fc.constantFrom<Text>([' '], ['\t'], ['  ']) },
  { weight: 1, arbitrary: run(1200, [' ', '\t', ' \t']).map((p): Text => [p]) },
);
/** Something after the value that makes a whole-value match fail at the very end. */
const junkTail: fc.Arbitrary<Text> = fc.oneof({ weight: 1, arbitrary: fc.constant<Text>([]) }, { weight: 1, arbitrary: oddPiece.map((p): Text => [p]) });
// Digits, or none: a range's first and last positions may each be absent (RFC 9110 §14.1.1).
const digits = (max = 20): fc.Arbitrary<Text> =>
  fc.oneof(
    { withCrossShrink: true },
    fc.constant<Text>([]),
    fc.integer({ min: 0, max: 300_000 }).map((n): Text => [String(n)]),
    word(DIGITS, max).map(lit),
    run(4000, ['0', '9']).map((p): Text => [p]),
  );
const tokenText = (max = 16): fc.Arbitrary<Text> => word(TOKEN_CHARS, max).map(lit);
const oneOf = (...xs: string[]): fc.Arbitrary<Text> => fc.constantFrom(...xs).map(lit);
const list = (item: fc.Arbitrary<Text>, sep = ','): fc.Arbitrary<Text> =>
  fc.array(fc.tuple(item, listOws), { minLength: 1, maxLength: 4 }).map((xs) => xs.flatMap(([x, w], i) => (i === 0 ? [...x] : [sep, ...w, ...x])));

// RFC 9110 §14.2: Range = ranges-specifier (bytes=first-last, suffix, several ranges).
const rangeSpec = fc.oneof(seq(digits(), ows, '-', ows, digits(), ows), seq(digits(), ows, '-', ows), seq('-', ows, digits()), seq(ows, '-', ows, ows));
export const range: fc.Arbitrary<Text> = inHeader(
  seq(ows, fc.constantFrom('bytes', 'bytes', 'bytes', 'BYTES', 'items', ''), ows, fc.constantFrom('=', '=', '=', '=='), ows, list(rangeSpec), ows, junkTail),
  3,
);

// RFC 9110 §8.8.3: entity tags, W/ weak prefix, lists, `*`.
const etag = fc.oneof(
  fc.constantFrom<Text>(['"x"'], ['*'], ['""'], ['W/"x"'], ['"unterminated'], ['W/'], ['w/"x"']),
  word(ALNUM, 12).map((w): Text => [`"${w}"`]),
);
export const ifNoneMatch: fc.Arbitrary<Text> = inHeader(list(etag), 3);
// RFC 9110 §5.6.7: HTTP-date, and what Date.parse also accepts.
export const httpDate: fc.Arbitrary<Text> = inHeader(
  fc.oneof(
    fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d): Text => [d.toUTCString()]),
    oneOf('Thu, 01 Jan 1970 00:00:00 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994', '0', '-1', 'now', '2024-13-45', '9999999999999999'),
  ),
  3,
);
export const ifRange: fc.Arbitrary<Text> = fc.oneof(etag, httpDate);

// RFC 6265 §4.2: cookie-string = cookie-pair *( ";" SP cookie-pair ).
const cookieName = fc.oneof(oneOf('theme', 'session', '__Host-session', '__proto__', 'constructor', 'toString', 'a', ''), tokenText());
const cookieValue = fc.oneof(
  oneOf('dark', '"quoted"', '"', '%E2%82%AC', '%zz', '%00', 'a=b', ''),
  word(ALNUM, 20).map(lit),
  run(2000, ['a', '=', '%', '"']).map((p): Text => [p]),
);
const cookiePair = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Text>([SESSION_COOKIE]) },
  { weight: 1, arbitrary: inHeader(fc.constant<Text>([SESSION_COOKIE]), 10) },
  { weight: 4, arbitrary: seq(cookieName, listOws, '=', listOws, cookieValue) },
);
export const cookie: fc.Arbitrary<Text> = inHeader(list(cookiePair, ';'), 3);

// RFC 9110 §8.3.1: media-type = type "/" subtype parameters.
const param = fc.oneof(
  seq(
    oneOf('charset', 'CHARSET', 'boundary', 'q', 'version'),
    ows,
    '=',
    ows,
    fc.oneof(oneOf('utf-8', '"utf-8"', 'latin1', 'utf-16', 'x', '"', '""', '"a\\"b"'), tokenText()),
  ),
  seq(tokenText(), ows, '=', ows, tokenText()),
);
export const mediaType: fc.Arbitrary<Text> = inHeader(
  seq(
    oneOf(
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'text/plain',
      'text/html',
      'application/problem+json',
      'application/json-seq',
      '*/*',
      'application',
      '/',
      '',
    ),
    fc.array(seq(listOws, ';', listOws, param), { maxLength: 3 }).map((ps) => ps.flat()),
    junkTail,
  ),
  3,
);
// RFC 9110 §12.5.1: Accept = #( media-range [ weight ] ).
export const accept: fc.Arbitrary<Text> = inHeader(
  list(fc.oneof(oneOf('application/json', 'text/html', '*/*', 'text/*', 'application/json;q=0.9', 'text/html;q=0', 'application/xhtml+xml'), mediaType)),
  2,
);

const ORIGINS = [
  'http://127.0.0.1',
  'http://localhost',
  'https://127.0.0.1',
  'http://127.0.0.1:1',
  'null',
  'http://evil.example',
  'http://127.0.0.1.evil.example',
  'http://localhost.',
  'file://',
  '',
  'HTTP://127.0.0.1',
];
export const origin: fc.Arbitrary<Text> = inHeader(oneOf(...ORIGINS), 3);
export const referer: fc.Arbitrary<Text> = inHeader(
  fc.tuple(oneOf(...ORIGINS), fc.constantFrom('/', '/form-csrf', '/?q=1', '')).map(([o, p]) => [...o, p]),
  3,
);
// RFC 9110 §7.2: Host = uri-host [ ":" port ].
export const host: fc.Arbitrary<Text> = inHeader(
  fc.oneof(
    { weight: 6, arbitrary: oneOf('127.0.0.1', 'localhost', '127.0.0.1:8000', 'localhost:80') },
    {
      weight: 2,
      arbitrary: oneOf(
        '[::1]',
        'a.localhost',
        'LOCALHOST.',
        'evil.example',
        '127.0.0.1:99999',
        '127.0.0.1@evil.example',
        '127.0.0.1:',
        '[::1',
        '',
        ' 127.0.0.1',
        '127.0.0.1, evil.example',
      ),
    },
    { weight: 1, arbitrary: seq(word(ALNUM, 8), '.localhost:', digits(6)) },
  ),
  2,
);

// Fetch Metadata (W3C): Sec-Fetch-Site, -Mode, -Dest, -User.
export const secFetchSite = inHeader(oneOf('same-origin', 'same-site', 'cross-site', 'none', 'SAME-ORIGIN', 'same-origin, cross-site', ''), 2);
export const secFetchMode = inHeader(oneOf('navigate', 'cors', 'no-cors', 'same-origin', 'websocket'), 2);
export const secFetchDest = inHeader(oneOf('document', 'script', 'style', 'image', 'empty', 'iframe', 'worker', 'json', 'font', 'object'), 2);
export const secFetchUser = inHeader(oneOf('?1', '?0', '1'), 2);

// X-Forwarded-* (de facto) and RFC 7239 Forwarded.
const ip = oneOf('1.2.3.4', '127.0.0.1', '::1', '[::1]:80', 'unknown', '', '999.1.1.1', '_hidden');
export const forwardedFor: fc.Arbitrary<Text> = inHeader(list(ip), 3);
export const forwardedProto: fc.Arbitrary<Text> = inHeader(list(oneOf('http', 'https', 'HTTPS', 'ftp', '')), 2);
export const forwardedHost: fc.Arbitrary<Text> = inHeader(list(oneOf('localhost', '127.0.0.1:8000', 'evil.example', 'a.localhost', '', 'localhost:99999')), 2);
export const forwarded: fc.Arbitrary<Text> = inHeader(
  list(seq(oneOf('for', 'proto', 'host', 'by'), '=', fc.oneof(oneOf('1.2.3.4', 'https', 'evil.example', '"[::1]:80"', '"'), tokenText()))),
  2,
);

export const csrfToken: fc.Arbitrary<Text> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Text>([CSRF_TOKEN]) },
  { weight: 2, arbitrary: inHeader(fc.constant<Text>([CSRF_TOKEN]), 10) },
  { weight: 1, arbitrary: oneOf('', 'x', 'a.b.c', '\u00ff') },
);

/** An RFC 9110 token, or a name that is not one. */
export const headerName: fc.Arbitrary<Text> = fc.oneof(
  { weight: 4, arbitrary: seq('X-', tokenText(12)) },
  {
    weight: 2,
    arbitrary: oneOf(
      'Host',
      'Content-Length',
      'Transfer-Encoding',
      'Cookie',
      'Origin',
      'Sec-Fetch-Site',
      'Content-Type',
      'Range',
      'X-Forwarded-Host',
      'Expect',
      'Connection',
      'Upgrade',
      'TE',
      'Trailer',
      'X-CSRF-Token',
      'Authorization',
      '__proto__',
      'constructor',
    ),
  },
  { weight: 1, arbitrary: mutated(oneOf('X-A', 'Accept'), 10, 200) },
);
/** Any header value: printable text, hostile pieces, long runs. */
export const anyValue: fc.Arbitrary<Text> = inHeader(fc.oneof(word(TOKEN_CHARS, 24).map(lit), fc.array(oddPiece, { maxLength: 4 }), slowShape(3000)), 6);

/** The header grammars by lower-case name. */
export const HEADER_VALUES: Readonly<Record<string, fc.Arbitrary<Text>>> = {
  range: range,
  'if-range': ifRange,
  'if-none-match': ifNoneMatch,
  'if-modified-since': httpDate,
  cookie,
  'content-type': mediaType,
  accept,
  origin,
  referer,
  'sec-fetch-site': secFetchSite,
  'sec-fetch-mode': secFetchMode,
  'sec-fetch-dest': secFetchDest,
  'sec-fetch-user': secFetchUser,
  'x-forwarded-for': forwardedFor,
  'x-forwarded-proto': forwardedProto,
  'x-forwarded-host': forwardedHost,
  forwarded,
  'x-csrf-token': csrfToken,
  'accept-language': inHeader(list(oneOf('en-US', 'en;q=0.9', 'nl', '*', 'x-klingon;q=0')), 2),
  'accept-encoding': inHeader(list(oneOf('gzip', 'br', 'deflate', 'identity;q=0', '*')), 2),
  connection: inHeader(oneOf('keep-alive', 'close', 'Upgrade', 'close, keep-alive', 'TE', 'keep-alive, Upgrade'), 2),
  upgrade: inHeader(oneOf('websocket', 'h2c', 'HTTP/2.0', 'TLS/1.0'), 2),
  expect: inHeader(oneOf('100-continue', '100-Continue', '200-ok', ''), 2),
  'user-agent': anyValue,
};

/** Header names (as sent) worth casing differently. */
export const NAME_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  range: ['Range', 'range', 'RANGE'],
  cookie: ['Cookie', 'cookie', 'COOKIE'],
  'content-type': ['Content-Type', 'content-type', 'Content-type'],
};
