// The HTTP fuzzer's own parts, tested (a fuzzer that cannot fail proves nothing): its
// response parser and judge refuse what they must, and the bytes it prints are the bytes it
// sent. The finds-*.test.ts files run it against a deliberately broken app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RawResult } from '../../faults/net-helpers.js';
import { anyString } from '../fuzz-options.js';
import { judgeExchange, type FailureKind } from './judge.js';
import { fill, requestFor, requestText } from './requests.js';
import { parseResponses } from './response-parser.js';
import { textBytes, toJSExpression, type Piece } from './text.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Content-Type-Options: nosniff\r\n\r\nok';

test('the response parser accepts well-formed responses', () => {
  const good: [string, string[], boolean][] = [
    [OK, ['GET'], false],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n1;x=y\r\n!\r\n0\r\nX-T: 1\r\n\r\n', ['GET'], false],
    [`HTTP/1.1 100 Continue\r\n\r\n${OK}`, ['POST'], false],
    ['HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n', ['HEAD'], false],
    [`${OK}${OK}`, ['GET', 'GET'], false],
    ['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end', ['GET'], true],
    ['HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n', ['GET'], false],
    ['HTTP/1.1 204 \r\n\r\n', ['DELETE'], false],
    // A HEAD the server could not parse gets a 400 with a body; the next response follows it.
    [`HTTP/1.1 400 Bad Request\r\nContent-Length: 4\r\n\r\nBad.${OK}`, ['HEAD', 'GET'], false],
  ];
  for (const [data, methods, closed] of good) {
    const r = parseResponses(data, methods, closed);
    assert.equal(r.error, null, `${JSON.stringify(data)}: ${r.error}`);
    assert.equal(r.partial, null, JSON.stringify(data));
    assert.equal(r.finals, methods.length, JSON.stringify(data));
  }
});

test('the response parser names every violation', () => {
  const bad: [string, RegExp][] = [
    ['HTTP/1.0 200 OK\r\n\r\n', /status line/],
    ['HTTP/1.1 20 OK\r\n\r\n', /status line/],
    ['garbage\r\n\r\n', /status line/],
    ['HTTP/1.1 200 OK\r\nX-A: a\nX-B: b\r\nContent-Length: 0\r\n\r\n', /field line/],
    ['HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 0\r\n\r\n', /field line/],
    ['HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n', /field line/],
    ['HTTP/1.1 200 OK\r\nX-A: a\r\n folded\r\nContent-Length: 0\r\n\r\n', /field line/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok', /content-length sent twice/],
    ['HTTP/1.1 302 Found\r\nLocation: /a\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n', /location sent twice/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok', /Content-Length/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /Transfer-Encoding/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n', /both/],
    ['HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n', /204 with Content-Length/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n', /chunk-size/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX0\r\n\r\n', /not followed by CRLF/],
    [`HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n${OK}`, /after a response that said Connection: close/],
    [`${OK}junk\r\n\r\n`, /status line/],
    // What follows a HEAD's answer is not taken for its body when that answer has no length.
    [`HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n${OK}`, /after a response that said Connection: close/],
  ];
  for (const [data, error] of bad) {
    const r = parseResponses(data, data.includes('Connection: close\r\n\r\nHTTP') ? ['HEAD', 'GET'] : ['GET', 'GET'], true);
    assert.match(r.error ?? 'no error', error, JSON.stringify(data));
  }
});

test('the response parser says where the bytes stop short', () => {
  assert.equal(parseResponses('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', ['GET'], true).partial?.status, 200);
  assert.equal(parseResponses('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n', ['GET'], true).partial?.status, 200);
  assert.equal(parseResponses('HTTP/1.1 40', ['GET'], true).partial?.status, undefined);
  assert.notEqual(parseResponses('HTTP/1.1 40', ['GET'], true).partial, null);
});

test('a printed request is exactly the bytes that were sent', () => {
  const piece: fc.Arbitrary<Piece> = fc.oneof(anyString(12), fc.record({ run: anyString(3).filter((r) => r !== ''), n: fc.integer({ min: 1, max: 40 }) }));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 6 }), (text) => {
      const printed = new Function(`return ${toJSExpression(text)}`)() as string;
      assert.deepEqual(Buffer.from(printed, 'latin1'), textBytes(text));
      assert.doesNotMatch(toJSExpression(text), /'/, 'the expression survives shell single quotes');
    }),
    { seed: 7, numRuns: 500 },
  );
});

test('a request framed by a right Content-Length carries exactly that many bytes', () => {
  const target = { method: 'POST', path: '/x/:id', query: ['q'], body: ['form', 'json', 'multipart', 'text', 'bytes'] as const, csrf: true, file: false };
  const framed = requestFor({ ...target, body: [...target.body] }).filter((r) => r.framing.kind === 'length' && r.body.kind !== 'none' && r.eol === '\r\n');
  fc.assert(
    fc.property(framed, (r) => {
      const creds = { sessionCookie: 'session=é€', csrfToken: 't€' };
      const bytes = textBytes(fill(requestText(r, creds), creds));
      const end = bytes.indexOf('\r\n\r\n');
      const length = /\r\nContent-Length: (\d+)\r\n/.exec(bytes.subarray(0, end + 2).toString('latin1'))?.[1];
      assert.equal(Number(length), bytes.length - end - 4);
    }),
    { seed: 7, numRuns: 300 },
  );
});

const raw = (data: string, extra: Partial<RawResult> = {}): RawResult => ({
  data,
  closed: true,
  error: undefined,
  gaveUp: false,
  complete: false,
  halfClosed: false,
  ...extra,
});
const kinds = (data: string, extra: Partial<RawResult> = {}, finish: 'wait' | 'half-close' | 'abort' = 'wait'): FailureKind[] =>
  judgeExchange({ methods: ['GET'], finish, result: raw(data, extra) }).findings.map((f) => f.kind);
const response = (status: string, headers: string[], body = '') =>
  `HTTP/1.1 ${status}\r\n${[...headers, `Content-Length: ${body.length}`].join('\r\n')}\r\n\r\n${body}`;
const NOSNIFF = 'X-Content-Type-Options: nosniff';

test('the judge: a 5xx is a failure unless the handler marked it as on purpose', () => {
  assert.deepEqual(kinds(response('500 Internal Server Error', [NOSNIFF], 'Error code: <code>HTTP_INTERNAL</code>')), ['server-error']);
  assert.deepEqual(kinds(response('503 Service Unavailable', [NOSNIFF], '{"error":{"code":"HTTP_TIMEOUT"}}')), ['server-error']);
  assert.deepEqual(kinds(response('500 Internal Server Error', [NOSNIFF, 'x-fuzz-on-purpose: 1'], 'failed on purpose')), []);
  assert.deepEqual(kinds(response('404 Not Found', [NOSNIFF], 'Error code: <code>HTTP_NOT_FOUND</code>')), []);
  const v = judgeExchange({ methods: ['GET'], finish: 'wait', result: raw(response('403 Forbidden', [NOSNIFF], '{"error":{"code":"CSRF_TOKEN_MISSING"}}')) });
  assert.deepEqual([v.statuses, v.codes], [[403], ['CSRF_TOKEN_MISSING']]);
});

test('the judge: a body without nosniff, a redirect off the site, a cut response, no answer', () => {
  assert.deepEqual(kinds(response('200 OK', [], 'ok')), ['missing-nosniff']);
  assert.deepEqual(kinds(response('400 Bad Request', [])), []); // nothing to sniff
  for (const to of ['//evil.example/', '/\\evil.example', 'http://evil.example', 'javascript:alert(1)', 'https://127.0.0.1.evil.example/']) {
    assert.deepEqual(kinds(response('302 Found', [NOSNIFF, `Location: ${to}`])), ['open-redirect'], to);
  }
  for (const to of ['/', '/notes?a=1', 'http://127.0.0.1:8000/x', 'http://a.localhost/', '%zz']) {
    assert.deepEqual(kinds(response('302 Found', [NOSNIFF, `Location: ${to}`])), [], to);
  }
  const cut = 'HTTP/1.1 200 OK\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 100\r\n\r\nabc';
  assert.deepEqual(kinds(cut), ['cut-response']);
  assert.deepEqual(kinds(cut, { halfClosed: true }), [], 'the client cut it');
  assert.deepEqual(kinds(cut, {}, 'abort'), [], 'the client dropped it');
  assert.deepEqual(kinds(cut.replace('\r\n\r\n', '\r\nx-fuzz-may-cut: 1\r\n\r\n')), [], 'cut on purpose');
  assert.deepEqual(kinds('', { closed: false, gaveUp: true }), ['no-answer']);
  assert.deepEqual(kinds(''), [], 'closed without an answer: the request was not one');
});
