/**
 * Hostile requests for the load and soak runs: raw bytes that are not HTTP, broken
 * request lines, bad Content-Length and chunked framing, smuggling attempts, bad headers,
 * and well-framed requests whose bodies are malformed JSON, forms or multipart.
 * Deterministic for a given seed. Used by test/faults/malformed-load.test.ts and
 * scripts/soak.ts.
 */

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const H = 'Host: 127.0.0.1\r\n';
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const randomBytes = (rnd: () => number, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));

function post(path: string, type: string, body: string | Buffer, extra = ''): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${H}Content-Type: ${type}\r\nContent-Length: ${b.length}\r\n${extra}\r\n`), b]);
}

// (`1e99999`, which parses to Infinity, is left out: test/fuzz/json.test.ts covers it on its own.)
const BAD_JSON = [
  '{',
  '{"a":',
  '[1,2',
  '{"a" 1}',
  "{'a':1}",
  '{"a":1,}',
  'nul',
  '"\\x"',
  '{"__proto__":{"p":1}}',
  '{"constructor":{"prototype":{"p":1}}}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]',
  '\ud800',
  '{"a":"\u0000"}',
  '',
];
const CATEGORIES = ['garbage', 'request-line', 'content-length', 'smuggling', 'chunked', 'header', 'host', 'json', 'form', 'multipart', 'url'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The i-th hostile request: its category and its bytes. */
export function malformedRequest(i: number, rnd: () => number): { category: Category; bytes: Buffer } {
  const category = CATEGORIES[i % CATEGORIES.length]!;
  return { category, bytes: build(category, rnd) };
}

function build(category: Category, rnd: () => number): Buffer {
  switch (category) {
    case 'garbage':
      return rnd() < 0.5 ? randomBytes(rnd, 1 + Math.floor(rnd() * 400)) : Buffer.from(`${randomBytes(rnd, 20).toString('latin1')}\r\n\r\n`, 'latin1');
    case 'request-line':
      return Buffer.from(
        pick(rnd, [
          'GET / HTTP/9.9\r\n\r\n',
          'GET\r\n\r\n',
          'GET /\r\n\r\n',
          'G@T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          ' GET / HTTP/1.1\r\n\r\n',
          'GET  /  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'GET / HTTP/1.1 extra\r\n\r\n',
          'GET / http/1.1\r\n\r\n',
          '\r\n\r\n\r\n\r\n',
          'GET / HTTP/1.1\n\n',
          'GET /\x00 HTTP/1.1\r\n\r\n',
          'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
          'GET / HTTP/1.1\rHost: x\r\r',
          `${'A'.repeat(64)} / HTTP/1.1\r\n\r\n`,
        ]),
        'latin1',
      );
    case 'content-length':
      return Buffer.from(
        pick(rnd, [
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 1, 2\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"a":1}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 0x10\r\n\r\n{}`,
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{}`,
        ]),
      );
    case 'smuggling':
      return Buffer.from(
        pick(rnd, [
          `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /__stats HTTP/1.1\r\n${H}\r\n`,
          `POST /json HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n`,
          `POST /json HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
          `POST /json HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`,
          `POST /json HTTP/1.1\r\n${H}Transfer-Encoding:\tchunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
        ]),
      );
    case 'chunked':
      return Buffer.from(
        `POST /json HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
          pick(rnd, [
            'zz\r\n{}\r\n0\r\n\r\n',
            '2\r\n{}0\r\n\r\n',
            '2;ext="\r\n{}\r\n0\r\n\r\n',
            '2\r\n{}\r\n',
            'fffffffffffffffffff\r\nab\r\n',
            '-2\r\n{}\r\n0\r\n\r\n',
            '2\r\n{}\r\n0\r\nTrailer: x\r\n',
            '2\n{}\n0\n\n',
            '\r\n',
          ]),
      );
    case 'header':
      return Buffer.from(
        `GET / HTTP/1.1\r\n${H}` +
          pick(rnd, [
            'NoColon\r\n',
            'X-A : b\r\n',
            'X-A: b\x00c\r\n',
            'X-A: b\r\n continued\r\n',
            ': empty\r\n',
            'X-\x01: y\r\n',
            'X-A: \x7f\r\n',
            'Content-Type: text/html\r\nContent-Type: application/json\r\n',
          ]) +
          '\r\n',
        'latin1',
      );
    case 'host':
      return Buffer.from(
        pick(rnd, [
          'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n',
          'GET / HTTP/1.1\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: [::1\r\n\r\n',
          'GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
          'GET / HTTP/1.1\r\nHost: 127.0.0.1@evil\r\n\r\n',
        ]),
      );
    case 'json': {
      const body = pick(rnd, BAD_JSON);
      const type = pick(rnd, [
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/json; charset="',
        'application/x-www-form-urlencoded',
      ]);
      return rnd() < 0.2 ? post('/json', 'application/json', randomBytes(rnd, 50)) : post('/json', type, body);
    }
    case 'form':
      return post(
        '/form',
        pick(rnd, ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']),
        rnd() < 0.5 ? randomBytes(rnd, 80) : 'a=%zz&%%%=&&==&__proto__[x]=1',
      );
    case 'multipart': {
      const b = 'xyzBOUNDARY';
      const bodies = [
        `--${b}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nunterminated`,
        `--wrong\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--wrong--\r\n`,
        `--${b}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${b}--\r\n`,
        `--${b}\r\n${'X-Junk: y\r\n'.repeat(2000)}\r\nx\r\n--${b}--\r\n`,
        `--${b}\r\nContent-Disposition: form-data; name="f"; filename="../../etc/passwd"\r\nContent-Type: text/html\r\n\r\n<script>x</script>\r\n--${b}`,
        randomBytes(rnd, 200).toString('latin1'),
        '',
      ];
      const type = pick(rnd, [
        `multipart/form-data; boundary=${b}`,
        'multipart/form-data',
        `multipart/form-data; boundary="${'b'.repeat(80)}"`,
        `multipart/mixed; boundary=${b}`,
      ]);
      return post('/upload', type, Buffer.from(pick(rnd, bodies), 'latin1'));
    }
    case 'url':
      return Buffer.from(
        `GET ${pick(rnd, ['/%zz', '/%', '/..%2f..%2fetc%2fpasswd', '/%00', '/%c0%ae%c0%ae/', '/\u00e9', '/?a=%zz&&=&__proto__=1', '/json?%ff=%fe', '//evil.example/', '/*', '/' + 'a/'.repeat(500)])} HTTP/1.1\r\n${H}\r\n`,
        'latin1',
      );
  }
}
