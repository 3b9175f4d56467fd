/**
 * Requests for the HTTP fuzzer: a structured request (method, target, version, headers,
 * body, framing, CSRF credentials) generated for one of the app's targets, and exchanges
 * (one connection: one to three pipelined requests, how they are cut and paced, how the
 * client ends) that serialize to the exact bytes sent. The hostile corpus of
 * test/faults/malformed.ts is one more source of exchanges.
 */
import fc from 'fast-check';
import { malformedRequest, prng } from '../../faults/malformed.js';
import { bodyContentType, bodyFor, bodyText, framing, usuallyBodiless, type Body, type Framing } from './bodies.js';
import { anyValue, CSRF_TOKEN, HEADER_VALUES, headerName, host, NAME_SPELLINGS, SESSION_COOKIE } from './headers.js';
import type { Target } from './targets.js';
import { expand, lit, mutated, oddPiece, run, slowShape, textLength, word, PERCENT, type Piece, type Text } from './text.js';

export interface HeaderLine {
  name: Text;
  value: Text;
  /** The line is sent this many times. */
  times: number;
}

export interface FuzzRequest {
  method: Text;
  target: Text;
  /** Send the target as generated, without percent-encoding what a client would encode. */
  rawTarget: boolean;
  version: Text;
  /** The Host header's value, or null for none. */
  host: Text | null;
  headers: HeaderLine[];
  /** Replaces the body's own Content-Type (null: send none). */
  contentType: Text | null | undefined;
  body: Body;
  framing: Framing;
  /** Same-origin credentials: none, the token in X-CSRF-Token, or in the body's csrf_token field. */
  csrf: 'none' | 'header' | 'field';
  eol: '\r\n' | '\n';
}

export interface SendPlan {
  /** Where the bytes are cut into pieces, as fractions. */
  cuts: number[];
  /** Pause before each piece after the first. */
  gapMs: number;
  /** After the last piece: wait for the answer, half-close at once, or drop the connection. */
  finish: 'wait' | 'half-close' | 'abort';
}

export interface Exchange {
  /** Requests sent on one connection (pipelined), or a request of the hostile corpus. */
  requests: FuzzRequest[];
  corpus: number | null;
  send: SendPlan;
}

/** What the stand-ins in a request are replaced by when it is sent. */
export interface Credentials {
  /** `name=value` of a session cookie. */
  sessionCookie: string;
  /** A CSRF token bound to that session. */
  csrfToken: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const oneOf = (...xs: string[]): fc.Arbitrary<Text> => fc.constantFrom(...xs).map(lit);
/** `arb` with probability `p`, else null; shrinks to null. */
const maybe = <T>(p: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ withCrossShrink: true }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) }, { weight: Math.round(p * 100), arbitrary: arb });

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'PRI', 'M-SEARCH'];
const method = (own: string): fc.Arbitrary<Text> =>
  fc.oneof({ withCrossShrink: true }, { weight: 8, arbitrary: fc.constant<Text>([own]) }, { weight: 2, arbitrary: mutated(oneOf(...METHODS), 1, 300) });

const segment: fc.Arbitrary<Text> = mutated(
  fc.oneof(word(ALNUM, 8).map(lit), oneOf('..', '.', '%2e%2e', '%2f', 'a%00b', '', 'é', '€', '%E2%82%AC', '~', 'a;b=c')),
  3,
  3000,
);
/** A value that names a place: what `next` parameters and redirects get. */
const placeValue: fc.Arbitrary<Text> = mutated(
  oneOf(
    '/',
    '/notes',
    '//evil.example',
    '/\\evil.example',
    '\\/evil.example',
    'http://evil.example/',
    'https://127.0.0.1/',
    'javascript:alert(1)',
    'data:text/html,x',
    '/%E2%82%AC',
    '/€',
    '/a b',
    '',
    '?x',
    '#x',
    '/%0d%0aSet-Cookie:%20x=1',
    'http://127.0.0.1:1/',
    'HTTP://localhost/x',
  ),
  5,
  4000,
);
const numberValue: fc.Arbitrary<Text> = mutated(oneOf('0', '1', '3', '8', '200', '301', '302', '303', '308', '-1', '1e3', '99999999', 'NaN', ''), 2, 4000);
// (Runs stay under 4000: the request line counts toward node's 16 KiB of headers, and a
// character beyond ASCII is percent-encoded to up to 12 bytes.)
const anyQueryValue: fc.Arbitrary<Text> = mutated(
  fc.oneof(
    { weight: 3, arbitrary: word([...ALNUM, '-', '_'], 12).map(lit) },
    { weight: 3, arbitrary: fc.array(fc.oneof(oddPiece, fc.constantFrom(...PERCENT)), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: slowShape(4000) },
  ),
  4,
  4000,
);
function queryValueFor(key: string): fc.Arbitrary<Text> {
  if (key === 'next' || key === 'url' || key === 'path') return fc.oneof(placeValue, anyQueryValue);
  if (key === 'status' || key === 'n' || key === 'ms' || key === 'size' || key === 'id') return fc.oneof(numberValue, anyQueryValue);
  return anyQueryValue;
}

function targetText(t: Target): fc.Arbitrary<Text> {
  const segs = t.path.split('/').map((s) => (s.startsWith(':') ? segment : fc.constant<Text>([s])));
  const path = fc.tuple(...segs).map((ss) => ss.flatMap((s, i): Piece[] => (i === 0 ? [...s] : ['/', ...s])));
  const keys =
    t.query.length > 0
      ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...t.query) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'a', '', 'q[]') })
      : fc.constantFrom('q', 'a', '__proto__');
  const pair = keys.chain((k) => queryValueFor(k).map((v): Text => [k, '=', ...v]));
  const query = fc.array(pair, { maxLength: 4 }).map((ps): Text => (ps.length === 0 ? [] : ['?', ...ps.flatMap((p, i) => (i === 0 ? [...p] : ['&', ...p]))]));
  const own = fc.tuple(path, query).map(([p, q]): Text => [...p, ...q]);
  const other = mutated(
    fc.oneof(
      oneOf(
        '*',
        '/',
        '//',
        '/static/../package.json',
        'http://127.0.0.1/',
        'http://evil.example/',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/static/%2e%2e/x',
        'a',
        '/?',
        '/__proto__',
      ),
      run(20_000, ['a/', '/', '%2f', '../']).map((p): Text => ['/', p]),
    ),
    3,
    6000,
  );
  return fc.oneof({ withCrossShrink: true }, { weight: 12, arbitrary: own }, { weight: 1, arbitrary: other });
}

const version: fc.Arbitrary<Text> = fc.oneof(
  { withCrossShrink: true },
  { weight: 30, arbitrary: fc.constant<Text>(['HTTP/1.1']) },
  { weight: 2, arbitrary: oneOf('HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'http/1.1', 'HTTP/1.10', 'HTTP/1.1 x', '', 'HTTP/0.9') },
);

/** The headers a target makes worth sending, each with the chance it is sent. */
function headerChances(t: Target): [string, number][] {
  const out: [string, number][] = [];
  if (t.file) out.push(['range', 0.8], ['if-range', 0.1], ['if-none-match', 0.12], ['if-modified-since', 0.1]);
  if (t.method !== 'GET') out.push(['origin', 0.3], ['sec-fetch-site', 0.3], ['sec-fetch-mode', 0.15], ['sec-fetch-dest', 0.15], ['referer', 0.1]);
  else out.push(['sec-fetch-site', 0.1], ['sec-fetch-dest', 0.15], ...(t.file ? [] : [['range', 0.05] as [string, number]]));
  out.push(
    ['accept', 0.3],
    ['cookie', 0.3],
    ['x-forwarded-for', 0.08],
    ['x-forwarded-proto', 0.08],
    ['x-forwarded-host', 0.08],
    ['forwarded', 0.04],
    ['accept-language', 0.08],
    ['accept-encoding', 0.08],
    ['connection', 0.1],
    ['expect', 0.04],
    ['upgrade', 0.03],
    ['user-agent', 0.08],
    ['sec-fetch-user', 0.03],
    ['x-csrf-token', 0.08],
  );
  return out;
}

const spelled = (name: string): fc.Arbitrary<Text> => {
  const names = NAME_SPELLINGS[name] ?? [name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())];
  return fc.constantFrom(...names).map(lit);
};

const extraLine: fc.Arbitrary<HeaderLine> = fc.record({
  name: headerName,
  value: anyValue,
  times: fc.oneof({ withCrossShrink: true }, { weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3000 }) }),
});

/** A request for one target. */
export function requestFor(t: Target): fc.Arbitrary<FuzzRequest> {
  const known = fc
    .tuple(...headerChances(t).map(([name, p]) => maybe(p, fc.record<HeaderLine>({ name: spelled(name), value: HEADER_VALUES[name]!, times: fc.constant(1) }))))
    .map((hs) => hs.filter((h): h is HeaderLine => h !== null));
  const headers = fc.tuple(known, fc.array(extraLine, { maxLength: 2 })).map(([a, b]) => [...a, ...b]);
  return fc.record({
    method: method(t.method),
    target: targetText(t),
    rawTarget: fc.oneof({ withCrossShrink: true }, { weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    version,
    host: fc.oneof(
      { withCrossShrink: true },
      { weight: 12, arbitrary: fc.constant<Text | null>(['127.0.0.1']) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: host },
    ),
    headers,
    contentType: fc.oneof(
      { withCrossShrink: true },
      { weight: 12, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: HEADER_VALUES['content-type']! },
    ),
    body: bodyFor(t.body, usuallyBodiless(t.method)),
    framing,
    csrf: t.csrf
      ? fc.constantFrom<'none' | 'header' | 'field'>('header', 'header', 'field', 'field', 'none')
      : fc.constantFrom<'none' | 'header'>('none', 'none', 'none', 'header'),
    eol: fc.oneof({ withCrossShrink: true }, { weight: 40, arbitrary: fc.constant<'\r\n'>('\r\n') }, { weight: 1, arbitrary: fc.constant<'\n'>('\n') }),
  });
}

const sendPlan: fc.Arbitrary<SendPlan> = fc.record({
  cuts: fc.oneof(
    { withCrossShrink: true },
    { weight: 5, arbitrary: fc.constant<number[]>([]) },
    { weight: 2, arbitrary: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }) },
  ),
  gapMs: fc.constantFrom(0, 0, 0, 1, 5, 30),
  finish: fc.constantFrom<'wait' | 'half-close' | 'abort'>('wait', 'wait', 'wait', 'wait', 'wait', 'half-close', 'abort'),
});

/** An exchange on one connection: one request, two or three pipelined, or a request of the corpus. */
export function exchangeFor(targets: readonly Target[]): fc.Arbitrary<Exchange> {
  const request = fc.oneof(...targets.map(requestFor));
  // Mostly one request; sometimes more, pipelined on the same connection.
  const pipelined = fc.oneof(
    { withCrossShrink: true },
    { weight: 5, arbitrary: fc.constant<FuzzRequest[]>([]) },
    { weight: 1, arbitrary: fc.array(request, { minLength: 1, maxLength: 2 }) },
  );
  return fc.oneof(
    { withCrossShrink: true },
    {
      weight: 12,
      arbitrary: fc.record({ requests: fc.tuple(request, pipelined).map(([r, more]) => [r, ...more]), corpus: fc.constant(null), send: sendPlan }),
    },
    { weight: 1, arbitrary: fc.record({ requests: fc.constant<FuzzRequest[]>([]), corpus: fc.nat(1_000_000), send: sendPlan }) },
  );
}

/** A fuzz case: a few exchanges sent at the same time. */
export function caseFor(targets: readonly Target[]): fc.Arbitrary<Exchange[]> {
  return fc.array(exchangeFor(targets), { minLength: 1, maxLength: 5 });
}

// ---- serialization ----------------------------------------------------------------

/** Characters a client leaves as they are in a request target (RFC 3986 pchar, `/`, `?`, and `%`). */
const TARGET_KEEP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/;

function encodeTarget(s: string): string {
  let out = '';
  for (const ch of s) {
    if (TARGET_KEEP.test(ch)) out += ch;
    else if (ch.charCodeAt(0) <= 0xff && ch.length === 1 && ch.charCodeAt(0) >= 0x80) out += `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(/[\ud800-\udfff]/.test(ch) && ch.length === 1 ? '\ufffd' : ch);
  }
  return out;
}

const encodePieces = (t: Text): Text => t.map((p) => (typeof p === 'string' ? encodeTarget(p) : { run: encodeTarget(p.run), n: p.n }));

/** The request as Text, with the credentials in place of the stand-ins (before any length is counted). */
export function requestText(r: FuzzRequest, c: Credentials): Text {
  const eol = r.eol;
  const out: Piece[] = [...r.method, ' ', ...(r.rawTarget ? r.target : encodePieces(r.target)), ...(r.version.length > 0 ? [' ', ...r.version] : []), eol];
  const line = (name: Text, value: Text, times = 1) => {
    if (times === 1) out.push(...name, ': ', ...value, eol);
    else out.push({ run: `${expand(name)}: ${expand(value).slice(0, 4000)}${eol}`, n: times });
  };
  if (r.host !== null) line(['Host'], r.host);
  for (const h of r.headers) line(h.name, h.value, h.times);
  if (r.csrf !== 'none') {
    if (!r.headers.some((h) => expand(h.name).toLowerCase() === 'sec-fetch-site')) line(['Sec-Fetch-Site'], ['same-origin']);
    line(['Cookie'], [SESSION_COOKIE]);
    if (r.csrf === 'header' || (r.body.kind !== 'form' && r.body.kind !== 'multipart')) line(['X-CSRF-Token'], [CSRF_TOKEN]);
  }
  const type = r.contentType === undefined ? bodyContentType(r.body) : r.contentType;
  if (type !== null) line(['Content-Type'], type);
  const body = fill(bodyText(r.body, r.csrf === 'field' && (r.body.kind === 'form' || r.body.kind === 'multipart')), c);
  const f = r.framing;
  const size = () => toBytesLength(body);
  if (r.body.kind === 'none' && f.kind === 'length') {
    // A request without a body: no framing headers, as a client sends a GET.
    if (!isBodiless(expand(r.method))) line(['Content-Length'], ['0']);
    out.push(eol);
    return out;
  }
  switch (f.kind) {
    case 'length':
      line(['Content-Length'], [String(size())]);
      out.push(eol, ...body);
      break;
    case 'none':
      out.push(eol, ...body);
      break;
    case 'length-off':
      line(['Content-Length'], [String(Math.max(0, size() + f.delta))]);
      out.push(eol, ...body);
      break;
    case 'length-text':
      line(['Content-Length'], f.value);
      out.push(eol, ...body);
      break;
    case 'length-twice':
      line(['Content-Length'], [String(size())]);
      line(['Content-Length'], [String(Math.max(0, size() + f.delta))]);
      out.push(eol, ...body);
      break;
    case 'chunked-and-length':
      line(['Content-Length'], [String(size())]);
      line(['Transfer-Encoding'], ['chunked']);
      out.push(eol, ...chunked(body, [0.5], false, 'ok'));
      break;
    case 'te-text':
      line(['Transfer-Encoding'], f.value);
      out.push(eol, ...chunked(body, [], false, 'ok'));
      break;
    case 'chunked':
      line(['Transfer-Encoding'], ['chunked']);
      out.push(eol, ...chunked(body, f.cuts, f.ext, f.end));
      break;
  }
  return out;
}

function isBodiless(m: string): boolean {
  return m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || m === 'DELETE' || m === 'TRACE';
}

function toBytesLength(t: Text): number {
  let n = 0;
  for (const p of t) {
    const s = typeof p === 'string' ? p : p.run;
    const len = Buffer.byteLength(s.replace(/[\x80-\xff]/g, 'x'), 'utf8');
    n += typeof p === 'string' ? len : len * p.n;
  }
  return n;
}

/** RFC 9112 §7.1 chunked coding of `body`, cut at fractions of its length (and broken on request). */
function chunked(body: Text, cuts: number[], ext: boolean, end: 'ok' | 'missing' | 'no-crlf' | 'bad-size' | 'trailer' | 'huge-size'): Text {
  const extension = ext ? ';ext="v"' : '';
  const out: Piece[] = [];
  const total = textLength(body);
  if (cuts.length === 0 || total > 4096) {
    // One chunk, the body's runs kept (a printed failure stays short).
    if (total > 0) out.push(`${end === 'bad-size' ? 'zz' : toBytesLength(body).toString(16)}${extension}\r\n`, ...body, '\r\n');
  } else {
    const bytes = expand(body);
    const at = [...new Set(cuts.map((c) => Math.floor(c * total)))].filter((c) => c > 0 && c < total).sort((a, b) => a - b);
    let from = 0;
    for (const to of [...at, total]) {
      const piece = bytes.slice(from, to);
      if (piece.length === 0) continue;
      out.push(`${end === 'bad-size' && from === 0 ? 'zz' : toBytesLength([piece]).toString(16)}${extension}\r\n`, piece, '\r\n');
      from = to;
    }
  }
  if (end === 'huge-size') out.push('fffffffffffffffffff\r\nab\r\n');
  if (end === 'missing') return out;
  if (end === 'no-crlf') out.push('0\r\n');
  else if (end === 'trailer') out.push('0\r\nX-Trailer: y\r\n\r\n');
  else out.push('0\r\n\r\n');
  return out;
}

/** Replaces the stand-ins with real credentials. */
export function fill(t: Text, c: Credentials): Text {
  const sub = (s: string) => (s.includes('\ue000') ? s.replaceAll(SESSION_COOKIE, c.sessionCookie).replaceAll(CSRF_TOKEN, c.csrfToken) : s);
  return t.map((p) => (typeof p === 'string' ? sub(p) : { run: sub(p.run), n: p.n }));
}

/** What an exchange sends: its Text (credentials filled in) and the method of each request. */
export function exchangeText(e: Exchange, c: Credentials): { text: Text; methods: string[] } {
  if (e.corpus !== null) {
    const { bytes } = malformedRequest(e.corpus, prng(e.corpus));
    const s = bytes.toString('latin1');
    return { text: [s], methods: [s.slice(0, s.indexOf(' ')).toUpperCase()] };
  }
  const text = e.requests.flatMap((r) => [...fill(requestText(r, c), c)]);
  return { text, methods: e.requests.map((r) => expand(r.method)) };
}
