// An upload form's CSRF token travels as the `csrf_token` multipart field. The CSRF check
// reads it before the handler; req.files() then parses the same body. Without the token
// the upload is refused (403) and leaves no file behind.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, watch } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { MemoryStore, createApp, csrfToken } from '../../src/index.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { MULTIPART_TYPE, eventually, filesUnder, freshTmp, multipart, removeDir } from './helpers.js';

const tmpDir = freshTmp();
after(() => removeDir(tmpDir));

const app = createApp({ env: 'test', secretKey: 'files-csrf-test-secret'.padEnd(40, 'x'), uploads: { tmpDir } });
app.get('/form', async (req) => {
  await req.session.set('user', 'ada');
  return { token: csrfToken() };
});
app.post('/upload', async (req) => {
  const { fields, files } = await req.files();
  return { token: fields.has('csrf_token'), files: files.map((f) => [f.filename, f.size]) };
});

test('the csrf_token field of a multipart form satisfies the CSRF check; the handler gets the files', async () => {
  const c = app.test();
  const { token } = (await c.get('/form')).json<{ token: string }>();
  const body = multipart([
    { name: 'csrf_token', data: token },
    { name: 'doc', filename: 'a.txt', data: 'hello' },
  ]);
  const res = await c.post('/upload', { body, headers: { 'content-type': MULTIPART_TYPE }, csrf: false });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json(), { token: true, files: [['a.txt', 5]] });
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('control: the same upload without the token is refused, and no file is left', async () => {
  const c = app.test();
  await c.get('/form');
  const body = multipart([{ name: 'doc', filename: 'a.txt', data: 'hello' }]);
  const res = await c.post('/upload', { body, headers: { 'content-type': MULTIPART_TYPE }, csrf: false });
  assert.equal(res.status, 403);
  assert.deepEqual(filesUnder(tmpDir), []);
});

// ---- over a real socket: a refused upload is refused before its body is read -------------
//
// The CSRF check reads `csrf_token` as the multipart body streams: it decides as soon as
// the field has arrived (or a file part has, without it), and a refused body is neither read
// to its end nor written to disk. A route that takes no uploads holds a multipart body to
// maxBodySize. Each case sends the request's start (the fields, a file part's first bytes)
// and then waits: the answer must come while most of the 5 MB body is still unsent.

const FILE = 5 * 1024 * 1024;
const socketTmp = freshTmp();
after(() => removeDir(socketTmp));
const live = createApp({ env: 'test', secretKey: 'files-csrf-test-secret'.padEnd(40, 'x'), uploads: { tmpDir: socketTmp } });
live.get('/t', async (req) => {
  await req.session.set('user', 'ada');
  return { token: csrfToken() };
});
live.post('/logout', async (req) => {
  await req.session.destroy();
  return { out: true };
});
live.post('/upload', async (req) => ({ sizes: (await req.files()).files.map((f) => f.size) }), { uploads: true });
/** What the server had read from the socket when it wrote each answer's head. */
const readAtAnswer: number[] = [];
let server: RunningServer;
before(async () => {
  server = await live.listen({ port: 0 });
  server.server.prependListener('request', (nreq: IncomingMessage, nres: ServerResponse) => {
    const writeHead = nres.writeHead;
    nres.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      readAtAnswer.push(nreq.socket.bytesRead);
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof nres.writeHead;
  });
});
after(() => server.close());

/** A session cookie and its token, as the app's own page would give a browser. */
async function session(): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${server.url}/t`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, token: ((await res.json()) as { token: string }).token };
}

/** A multipart body: the text fields, then one file part of `size` bytes. */
function uploadBody(fields: [string, string][], size: number): Buffer {
  return multipart([
    ...fields.map(([name, data]) => ({ name, data })),
    { name: 'doc', filename: 'big.bin', contentType: 'application/octet-stream', data: Buffer.alloc(size, 'x') },
  ]);
}

/**
 * Sends the head and the body's first `sendFirst` bytes, then nothing more until the
 * server answers (or `waitMs` passes); then the rest, unless the connection is gone.
 * Resolves with the answer's text, and whether it came while the body was still unsent.
 */
function sendSlowly(
  path: string,
  body: Buffer,
  opts: { cookie?: string; chunked?: boolean; sendFirst?: number; waitMs?: number } = {},
): Promise<{ reply: string; early: boolean }> {
  const { sendFirst = 64 * 1024, waitMs = 3000 } = opts;
  const head =
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${MULTIPART_TYPE}\r\n` +
    (opts.chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${body.length}\r\n`) +
    (opts.cookie ? `Cookie: ${opts.cookie}\r\n` : '') +
    'Origin: http://localhost\r\nAccept: application/json\r\n\r\n';
  const frame = (b: Buffer): Buffer => (opts.chunked ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]) : b);
  return new Promise((resolve, reject) => {
    const sock = connect(server.port, '127.0.0.1');
    const got: Buffer[] = [];
    let early = false;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      resolve({ reply: Buffer.concat(got).toString('latin1'), early });
    };
    sock.on('data', (c: Buffer) => {
      if (got.length === 0 && timer !== undefined) early = true; // answered while we held the rest back
      got.push(c);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? done() : reject(err)));
    sock.on('close', done);
    sock.write(Buffer.concat([Buffer.from(head), frame(body.subarray(0, sendFirst))]));
    timer = setTimeout(() => {
      timer = undefined;
      if (sock.destroyed) return;
      sock.write(Buffer.concat([frame(body.subarray(sendFirst)), opts.chunked ? Buffer.from('0\r\n\r\n') : Buffer.alloc(0)]));
    }, waitMs);
  });
}

/** Runs `send` while watching the upload directory; returns what it resolved to and the files created. */
async function watching<T>(send: () => Promise<T>): Promise<[T, string[]]> {
  if (readdirSync(socketTmp).length === 0) {
    const { cookie, token } = await session();
    await sendSlowly('/upload', uploadBody([['csrf_token', token]], 10), { cookie, waitMs: 0 });
  }
  const [dir] = readdirSync(socketTmp);
  const written: string[] = [];
  const watcher = watch(join(socketTmp, dir!), (event, name) => {
    if (event === 'rename' && name !== null) written.push(String(name));
  });
  try {
    return [await send(), written];
  } finally {
    await new Promise((r) => setTimeout(r, 50));
    watcher.close();
  }
}

test('control: over a socket, a 5 MB upload with its token is read whole and written to a temporary file', async () => {
  const { cookie, token } = await session();
  const [{ reply, early }, written] = await watching(() => sendSlowly('/upload', uploadBody([['csrf_token', token]], FILE), { cookie, waitMs: 200 }));
  assert.match(reply, /^HTTP\/1\.1 200 /, reply.slice(0, 300));
  assert.ok(reply.includes(`{"sizes":[${FILE}]}`), reply.slice(-200));
  assert.equal(early, false, 'answered before the body was sent');
  assert.ok(
    written.some((n) => n.endsWith('.upload')),
    `the watch saw no temporary file: ${written.join(', ')}`,
  );
  await eventually(() => filesUnder(socketTmp).length === 0, 'the temp file is deleted after the response');
});

const REFUSED: [
  what: string,
  path: string,
  fields: (t: string) => [string, string][],
  opts: { chunked?: boolean; withSession?: boolean },
  status: number,
  code: string,
][] = [
  [
    'a bogus token, to a route that takes no uploads (the Content-Length says 5 MB)',
    '/logout',
    () => [['csrf_token', 'bogus']],
    { withSession: true },
    413,
    'BODY_TOO_LARGE',
  ],
  [
    'a bogus token, to a route that takes no uploads (chunked)',
    '/logout',
    () => [['csrf_token', 'bogus']],
    { chunked: true, withSession: true },
    403,
    'CSRF_TOKEN_INVALID',
  ],
  ['a bogus token, to a route that takes uploads', '/upload', () => [['csrf_token', 'bogus']], { withSession: true }, 403, 'CSRF_TOKEN_INVALID'],
  ['a token but no session cookie', '/upload', (t) => [['csrf_token', t]], {}, 403, 'CSRF_TOKEN_INVALID'],
  ['no token before the file', '/upload', () => [['note', 'hello']], { withSession: true }, 403, 'CSRF_TOKEN_MISSING'],
  ['no token before the file (chunked)', '/upload', () => [], { chunked: true, withSession: true }, 403, 'CSRF_TOKEN_MISSING'],
];

for (const [what, path, fields, opts, status, code] of REFUSED) {
  test(`over a socket: ${what} is refused (${status} ${code}) before the body is read, and no file is written`, async () => {
    const { cookie, token } = await session();
    const [{ reply, early }, written] = await watching(() =>
      sendSlowly(path, uploadBody(fields(token), FILE), { chunked: opts.chunked, ...(opts.withSession ? { cookie } : {}) }),
    );
    assert.match(reply, new RegExp(`^HTTP/1\\.1 ${status} `), reply.slice(0, 300));
    assert.ok(reply.includes(code), reply.slice(0, 600));
    assert.ok(early, 'the answer came only after the whole body was sent');
    assert.deepEqual(written, [], 'a temporary file was created');
    assert.deepEqual(filesUnder(socketTmp), []);
  });
}

test('over a socket: a client that sends the whole 5 MB at once is answered after the server read a fraction of it', async (t) => {
  const { cookie } = await session();
  readAtAnswer.length = 0;
  const body = uploadBody([['csrf_token', 'bogus']], FILE);
  const { reply } = await sendSlowly('/upload', body, { cookie, sendFirst: body.length, waitMs: 0 });
  assert.match(reply, /^HTTP\/1\.1 403 /, reply.slice(0, 300) + reply.slice(-300));
  assert.equal(readAtAnswer.length, 1);
  assert.ok(readAtAnswer[0]! < 1024 * 1024, `the server had read ${readAtAnswer[0]} of ${body.length} bytes when it answered`);
  t.diagnostic(`read ${readAtAnswer[0]} of ${body.length} bytes before answering`);
  assert.deepEqual(filesUnder(socketTmp), []);
});

test('with a session store that answers slowly, file parts wait for the token check: kept whole when it passes, never written when it fails', async () => {
  const tmp = freshTmp();
  after(() => removeDir(tmp));
  const memory = new MemoryStore();
  const slow = {
    name: 'slow',
    get: async (id: string) => {
      await new Promise((r) => setTimeout(r, 100));
      return memory.get(id);
    },
    set: (id: string, v: string, ttl: number) => memory.set(id, v, ttl),
    delete: (id: string) => memory.delete(id),
  };
  const app = createApp({ env: 'test', secretKey: 'files-csrf-test-secret'.padEnd(40, 'x'), session: { store: slow }, uploads: { tmpDir: tmp } });
  app.get('/t', async (req) => {
    await req.session.set('user', 'ada');
    return { token: csrfToken() };
  });
  app.post('/upload', async (req) => ({ sizes: (await req.files()).files.map((f) => f.size) }), { uploads: true });
  const c = app.test();
  const token = (await c.get('/t')).json<{ token: string }>().token;
  const data = Buffer.alloc(512 * 1024, 'y'); // several chunks: the parse reaches the file while the store is still answering
  const ok = await c.post('/upload', {
    body: multipart([
      { name: 'csrf_token', data: token },
      { name: 'f', filename: 'f.bin', data },
    ]),
    headers: { 'content-type': MULTIPART_TYPE },
    csrf: false,
  });
  assert.deepEqual(ok.json(), { sizes: [data.length] });
  const dir = join(tmp, readdirSync(tmp)[0]!);
  const written: string[] = [];
  const watcher = watch(dir, (event, name) => event === 'rename' && name !== null && written.push(String(name)));
  const bad = await c.post('/upload', {
    body: multipart([
      { name: 'csrf_token', data: `${token.slice(0, -2)}xx` },
      { name: 'f', filename: 'f.bin', data },
    ]),
    headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' },
    csrf: false,
  });
  await new Promise((r) => setTimeout(r, 50));
  watcher.close();
  assert.equal(bad.status, 403);
  assert.equal(bad.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');
  assert.deepEqual(written, [], 'a file part was written before the check failed');
  assert.deepEqual(filesUnder(tmp), []);
});
