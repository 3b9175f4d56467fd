import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Request, type RequestSettings } from '../../src/http/request.js';
import { HttpError } from '../../src/errors.js';

const settings: RequestSettings = { trustProxy: false, maxBodySize: 1024, jsonMaxDepth: 64, https: false };

function make(init: Partial<ConstructorParameters<typeof Request>[0]> = {}, s: Partial<RequestSettings> = {}): Request {
  return new Request({ method: 'GET', url: '/', headers: { host: 'app.test' }, ...init }, { ...settings, ...s });
}

async function rejectsWith(p: Promise<unknown>, code: string, status: number): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HttpError, `expected HttpError, got ${err}`);
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return err;
  }
  assert.fail(`expected ${code}`);
}

test('path and query are split; query keeps repeated keys', () => {
  const r = make({ url: '/a/b?x=1&x=2&y=' });
  assert.equal(r.path, '/a/b');
  assert.equal(r.queryString, 'x=1&x=2&y=');
  assert.deepEqual(r.query.getAll('x'), ['1', '2']);
  assert.equal(r.query.get('y'), '');
});

test('cookies are parsed into a null-prototype object; bad pairs are skipped', () => {
  const r = make({ headers: { cookie: 'a=1; __proto__=2; bad; b=%E2%9C%93; c=%zz' } });
  assert.equal(Object.getPrototypeOf(r.cookies), null);
  assert.equal(r.cookies.a, '1');
  assert.equal(r.cookies['__proto__'], '2');
  assert.equal(r.cookies.b, '✓');
  assert.equal(r.cookies.c, '%zz');
});

test('forwarded headers count only with trustProxy', () => {
  const headers = { host: 'internal:8000', 'x-forwarded-for': '203.0.113.9, 10.0.0.2', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'example.com' };
  const plain = make({ headers, remoteAddress: '10.0.0.1' });
  assert.equal(plain.ip, '10.0.0.1');
  assert.equal(plain.protocol, 'http');
  assert.equal(plain.host, 'internal:8000');
  const one = make({ headers, remoteAddress: '10.0.0.1' }, { trustProxy: true });
  assert.equal(one.ip, '10.0.0.2');
  assert.equal(one.protocol, 'https');
  assert.equal(one.secure, true);
  assert.equal(one.origin, 'https://example.com');
  const two = make({ headers, remoteAddress: '10.0.0.1' }, { trustProxy: 2 });
  assert.equal(two.ip, '203.0.113.9');
});

test('attack: a client cannot choose the scheme, host or address behind a trusted proxy by sending its own X-Forwarded-* first', () => {
  // The proxy appends what it saw to what the client sent; the client's part is on the left.
  const spoofed = {
    host: 'internal:8000',
    'x-forwarded-proto': 'https, http',
    'x-forwarded-host': 'evil.example, notes.example.com',
    'x-forwarded-for': '198.51.100.66, 203.0.113.9',
  };
  const r = make({ headers: spoofed, remoteAddress: '10.0.0.1' }, { trustProxy: 1 });
  assert.equal(r.protocol, 'http', 'the proxy saw plain HTTP');
  assert.equal(r.secure, false);
  assert.equal(r.host, 'notes.example.com');
  assert.equal(r.ip, '203.0.113.9');
  assert.equal(r.origin, 'http://notes.example.com');
  // Control: what the trusted proxy itself wrote is believed, for all three.
  const honest = make(
    {
      headers: {
        host: 'internal:8000',
        'x-forwarded-proto': 'http, https',
        'x-forwarded-host': 'notes.example.com, evil.example',
        'x-forwarded-for': '203.0.113.9, 198.51.100.66',
      },
      remoteAddress: '10.0.0.1',
    },
    { trustProxy: 1 },
  );
  assert.equal(honest.protocol, 'https');
  assert.equal(honest.host, 'evil.example');
  assert.equal(honest.ip, '198.51.100.66');
});

test('one rule for protocol, host and ip: the value the farthest trusted proxy wrote', () => {
  // [trustProxy, header list] -> index of the value used
  const cases: [number, string[], number][] = [
    [1, ['a'], 0],
    [1, ['a', 'b'], 1],
    [2, ['a', 'b', 'c'], 1],
    [2, ['a', 'b'], 0],
    [2, ['a'], 0], // shorter than the chain: the proxies replaced the header, the value is theirs
    [3, ['a', 'b', 'c', 'd', 'e'], 2],
  ];
  for (const [trust, list, at] of cases) {
    const proto = list.map((_, i) => (i === at ? 'https' : 'http'));
    const hosts = list.map((x) => `${x}.example`);
    const ips = list.map((_, i) => `192.0.2.${i + 1}`);
    const r = make(
      {
        headers: { host: 'internal', 'x-forwarded-proto': proto.join(', '), 'x-forwarded-host': hosts.join(','), 'x-forwarded-for': ips.join(' , ') },
        remoteAddress: '10.0.0.1',
      },
      { trustProxy: trust },
    );
    const what = `trustProxy ${trust}, ${list.length} values`;
    assert.equal(r.protocol, 'https', what);
    assert.equal(r.host, hosts[at], what);
    assert.equal(r.ip, ips[at], what);
  }
  // Repeated header lines are one list, in order.
  const repeated = make({ headers: { host: 'internal', 'x-forwarded-proto': ['https', 'http'] } }, { trustProxy: true });
  assert.equal(repeated.protocol, 'http');
});

test('the app can be configured as HTTPS', () => {
  assert.equal(make({}, { https: true }).secure, true);
  assert.equal(make({ encrypted: true }).protocol, 'https');
});

test('text, form and json read the body once and cache it', async () => {
  const r = make({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' }, body: Buffer.from('a=1&a=2') });
  const f = await r.form();
  assert.deepEqual(f.getAll('a'), ['1', '2']);
  assert.equal(await r.text(), 'a=1&a=2');
  assert.equal(await r.form(), f);
});

test('body limit: Content-Length over the limit is refused before reading', async () => {
  let read = false;
  const body = new Readable({
    read() {
      read = true;
      this.push(null);
    },
  });
  const r = make({ method: 'POST', headers: { 'content-length': '5000' }, body });
  const err = await rejectsWith(r.text(), 'BODY_TOO_LARGE', 413);
  assert.match(err.message, /1024 bytes/);
  assert.equal(read, false);
});

test('body limit: a streamed body over the limit is refused', async () => {
  const body = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
  const r = make({ method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body });
  await rejectsWith(r.bytes(), 'BODY_TOO_LARGE', 413);
});

test('per-request limit overrides the app limit', async () => {
  const r = make({ method: 'POST', headers: {}, body: Buffer.alloc(2000) });
  r.maxBodySize = 4096;
  assert.equal((await r.bytes()).length, 2000);
});

test('a body that ends early is a 400', async () => {
  const r = make({ method: 'POST', headers: { 'content-length': '10' }, body: Readable.from([Buffer.from('abc')]) });
  await rejectsWith(r.bytes(), 'BODY_ABORTED', 400);
  const broken = new Readable({
    read() {
      this.destroy(new Error('ECONNRESET'));
    },
  });
  await rejectsWith(make({ method: 'POST', headers: {}, body: broken }).bytes(), 'BODY_ABORTED', 400);
});

test('wrong Content-Type for the parser is a 415', async () => {
  const plain = () => make({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.from('{"a":1}') });
  await rejectsWith(plain().json(), 'BODY_UNSUPPORTED_MEDIA_TYPE', 415);
  await rejectsWith(plain().form(), 'BODY_UNSUPPORTED_MEDIA_TYPE', 415);
  await rejectsWith(make({ method: 'POST', headers: {}, body: Buffer.from('{}') }).json(), 'BODY_UNSUPPORTED_MEDIA_TYPE', 415);
  await rejectsWith(
    make({ method: 'POST', headers: { 'content-type': 'application/json;;x' }, body: Buffer.from('{}') }).json(),
    'BODY_UNSUPPORTED_MEDIA_TYPE',
    415,
  );
});

test('json: malformed, poisoned, deep and non-UTF-8 bodies are 400s', async () => {
  const j = (s: string | Buffer) => make({ method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(s) }).json();
  assert.deepEqual(await j('{"a":[1,2]}'), { a: [1, 2] });
  const bad = await rejectsWith(j('{\n  "a": 1,\n  "b": }'), 'BODY_MALFORMED', 400);
  assert.match(bad.message, /malformed/);
  await rejectsWith(j('{"__proto__": {"admin": true}}'), 'BODY_MALFORMED', 400);
  await rejectsWith(j('{"constructor": {"prototype": {"admin": true}}}'), 'BODY_MALFORMED', 400);
  await rejectsWith(j('['.repeat(65) + ']'.repeat(65)), 'BODY_MALFORMED', 400);
  assert.deepEqual(await j('['.repeat(64) + ']'.repeat(64)), JSON.parse('['.repeat(64) + ']'.repeat(64)));
  await rejectsWith(j(Buffer.from([0x7b, 0xff, 0x7d])), 'BODY_MALFORMED', 400);
});

test('a streamed body cannot also be read', async () => {
  const r = make({ method: 'POST', headers: {}, body: Buffer.from('x') });
  r.stream();
  await rejectsWith(r.text(), 'BODY_ALREADY_READ', 500);
  assert.throws(() => r.stream(), /already consumed/);
});

test('a malformed Content-Length is a 400', () => {
  assert.throws(
    () => make({ headers: { 'content-length': '12abc' } }).contentLength,
    (e: unknown) => e instanceof HttpError && e.status === 400,
  );
});

test('an absolute-form target names the host and keeps only path and query', () => {
  const r = make({ url: 'http://evil.example/a/b?x=1', headers: { host: 'app.test' } });
  assert.equal(r.host, 'evil.example');
  assert.equal(r.path, '/a/b');
  assert.equal(r.query.get('x'), '1');
  assert.equal(make({ url: 'HTTPS://user@other.example:8443?q', headers: { host: 'app.test' } }).host, 'other.example:8443');
  assert.equal(make({ url: 'http://x.example', headers: {} }).path, '/');
  assert.equal(make({ url: '/plain', headers: { host: 'app.test' } }).host, 'app.test');
});

test('header() reads any case, and inherited names are not headers', () => {
  const headers = Object.assign(Object.create(Object.prototype) as Record<string, string>, { 'x-a': '1' });
  const r = make({ headers });
  assert.equal(r.header('X-A'), '1');
  assert.equal(r.header('x-a'), '1');
  assert.equal(r.header('constructor'), undefined);
  assert.equal(r.header('toString'), undefined);
  assert.equal(make({ headers: { 'set-thing': ['a', 'b'] } }).header('Set-Thing'), 'a, b');
});
