// Upload limits and aborts over a real socket (node:http on 127.0.0.1, port 0): a refused
// upload is answered with a 413 the client can read, and a client that disconnects halfway
// leaves no partial file anywhere. Routes use { csrf: false }: these raw clients carry no token.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../src/index.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { BOUNDARY, MULTIPART_TYPE, eventually, filesUnder, freshTmp, multipart, rawRequest, removeDir } from './helpers.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
  dirs.forEach(removeDir);
});

async function serve(uploads: AppOptions['uploads'] = {}) {
  const tmpDir = freshTmp();
  const dest = freshTmp();
  dirs.push(tmpDir, dest);
  const app = createApp({ env: 'test', uploads: { ...uploads, tmpDir } });
  const seen = { handled: 0, failed: 0 };
  app.post(
    '/up',
    async (req) => {
      try {
        const { files } = await req.files();
        seen.handled++;
        const saved = await Promise.all(files.map((f) => f.save(dest)));
        return { saved: saved.map((p) => statSync(p).size) };
      } catch (err) {
        seen.failed++;
        throw err;
      }
    },
    { csrf: false, uploads: true },
  );
  const server = await app.listen({ port: 0 });
  servers.push(server);
  return { server, tmpDir, dest, seen };
}

function head(contentLength: number | 'chunked'): string {
  const len = contentLength === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${contentLength}`;
  return `POST /up HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${MULTIPART_TYPE}\r\n${len}\r\nConnection: close\r\n\r\n`;
}

test('a big file streams to disk and is saved whole', async () => {
  const { server, dest } = await serve({ maxFileSize: 8 * 1024 * 1024 });
  const data = Buffer.alloc(5 * 1024 * 1024, 'abcdefgh');
  const body = multipart([{ name: 'f', filename: 'big.bin', data }]);
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const r = request(`${server.url}/up`, { method: 'POST', headers: { 'content-type': MULTIPART_TYPE, 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
    });
    r.on('error', reject);
    r.end(body);
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(JSON.parse(res.text), { saved: [data.length] });
  assert.ok(readFileSync(join(dest, 'big.bin')).equals(data));
});

test('over a socket: a file past maxFileSize is a 413 the client reads; no file is left', async () => {
  const { server, tmpDir, seen } = await serve({ maxFileSize: 1000 });
  const body = multipart([{ name: 'f', filename: 'big.bin', data: Buffer.alloc(50_000, 1) }]);
  const reply = await rawRequest(server.port, Buffer.concat([Buffer.from(head(body.length)), body]));
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.ok(reply.includes('UPLOAD_FILE_TOO_LARGE'));
  assert.equal(seen.handled, 0);
  await eventually(() => filesUnder(tmpDir).length === 0, 'the temp dir is empty');
});

test('over a socket: a chunked body past maxTotalSize is a 413 (no Content-Length to check first)', async () => {
  const { server, tmpDir } = await serve({ maxTotalSize: 10_000, maxFileSize: 1_000_000 });
  const body = multipart([{ name: 'f', filename: 'big.bin', data: Buffer.alloc(40_000, 2) }]);
  const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  const reply = await rawRequest(server.port, Buffer.concat([Buffer.from(head('chunked')), chunked]));
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.ok(reply.includes('UPLOAD_TOTAL_TOO_LARGE'));
  await eventually(() => filesUnder(tmpDir).length === 0, 'the temp dir is empty');
});

test('over a socket: a declared Content-Length past the limit is refused before reading', async () => {
  const { server, tmpDir } = await serve({ maxTotalSize: 10_000 });
  const reply = await rawRequest(server.port, Buffer.from(head(50_000_000)));
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('over a socket: a client that disconnects mid-upload leaves no partial file', async () => {
  const { server, tmpDir, seen } = await serve();
  const partial = Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="half.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.alloc(200_000, 3),
  ]);
  const { connect } = await import('node:net');
  const sock = connect(server.port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write(head(1_000_000));
  sock.write(partial);
  // The control: the partial file really exists on disk before the client goes away.
  await eventually(() => filesUnder(tmpDir).some((f) => statSync(f).size > 0), 'a partial temp file appears');
  sock.destroy();
  await eventually(() => seen.failed === 1, 'the handler saw the upload fail');
  await eventually(() => filesUnder(tmpDir).length === 0, 'the partial file is deleted');
  assert.equal(seen.handled, 0);
});

test('over a socket: a second file past maxFiles is refused and the first file is deleted too', async () => {
  const { server, tmpDir, dest } = await serve({ maxFiles: 1 });
  const body = multipart([
    { name: 'a', filename: 'one.bin', data: Buffer.alloc(30_000, 4) },
    { name: 'b', filename: 'two.bin', data: Buffer.alloc(30_000, 5) },
  ]);
  const reply = await rawRequest(server.port, Buffer.concat([Buffer.from(head(body.length)), body]));
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.ok(reply.includes('UPLOAD_TOO_MANY_FILES'));
  await eventually(() => filesUnder(tmpDir).length === 0, 'the temp dir is empty');
  assert.deepEqual(filesUnder(dest), []);
});
