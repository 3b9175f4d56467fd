// Faults over real sockets: clients that go away mid-request, mid-upload and mid-response.
// Nothing may leak: no socket, no file handle, no temporary upload file, no stream left
// producing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, Response } from '../../src/index.js';
import { handleCounts, openSocket, rawExchange, recordingRoute, send, settleHandles, waitFor } from './net-helpers.js';
import { filesUnder, multipart } from '../files/helpers.js';

/** Every regular file under `dir`, recursively. */
test('a client that disconnects mid-request body: the handler gets BODY_ABORTED, no handle leaks', async () => {
  const app = createApp({ env: 'test' });
  const outcomes: string[] = [];
  recordingRoute(app, '/body', outcomes, async (req) => ({ body: `${(await req.bytes()).length}` }));
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const head = 'POST /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n';
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => rawExchange(s.port, [head, Buffer.alloc(1000 * (i + 1), 'x')], { gapMs: 10, destroyAfterWrite: true })),
    );
    await waitFor(() => outcomes.length === 30, 5000, 'handlers left waiting');
    assert.deepEqual([...new Set(outcomes)], ['BODY_ABORTED']);
    assert.deepEqual(await settleHandles(baseline), [], 'handles left after clients went away');
    assert.equal((await send(s.port, 'GET', '/')).status, 200);
  } finally {
    await s.close();
  }
});

test('a client that disconnects mid-response: the streamed body stops producing, no handle leaks', async () => {
  const app = createApp({ env: 'test' });
  let open = 0;
  let stopped = 0;
  let generatorsDone = 0;
  // An endless Readable.
  app.get('/endless', () => {
    open++;
    let i = 0;
    return new Response(
      new Readable({
        read() {
          setTimeout(() => this.push(Buffer.alloc(16 * 1024, i++ % 256)), 2);
        },
        destroy(err, cb) {
          stopped++;
          cb(err);
        },
      }),
      { headers: { 'content-type': 'application/octet-stream' } },
    );
  });
  // An endless async generator: its finally block must run.
  app.get('/generator', () => {
    open++;
    async function* gen() {
      try {
        for (;;) {
          await sleep(2);
          yield Buffer.alloc(8 * 1024, 'g');
        }
      } finally {
        generatorsDone++;
      }
    }
    return new Response(gen(), { headers: { 'content-type': 'application/octet-stream' } });
  });
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const clients = Array.from({ length: 20 }, async (_, i) => {
      const sock = await openSocket(s.port);
      const path = i % 2 === 0 ? '/endless' : '/generator';
      let received = 0;
      await new Promise<void>((resolve) => {
        sock.on('data', (d: Buffer) => {
          received += d.length;
          if (received > 64 * 1024) sock.destroy();
        });
        sock.on('close', () => resolve());
        sock.on('error', () => {});
        sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      });
      return received;
    });
    const got = await Promise.all(clients);
    assert.ok(got.every((n) => n > 64 * 1024));
    await waitFor(
      () => stopped === 10 && generatorsDone === 10,
      5000,
      `streams still producing (readables stopped ${stopped}/10, generators ${generatorsDone}/10)`,
    );
    assert.equal(open, 20);
    assert.deepEqual(await settleHandles(baseline), [], 'handles left after clients went away');
    assert.equal((await send(s.port, 'GET', '/')).status, 200);
  } finally {
    await s.close();
  }
});

test('a keep-alive client that leaves before a slow handler answers: the late answer is dropped, no leak', async () => {
  const app = createApp({ env: 'test' });
  let finished = 0;
  app.get('/slow', async () => {
    await sleep(300);
    finished++;
    return 'late';
  });
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        rawExchange(s.port, ['GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'], {
          gapMs: 30,
          destroyAfterWrite: true,
        }),
      ),
    );
    await waitFor(() => finished === 20, 5000, 'slow handlers');
    await sleep(50);
    assert.deepEqual(await settleHandles(baseline), []);
    assert.equal((await send(s.port, 'GET', '/')).status, 200);
  } finally {
    await s.close();
  }
});

test('uploads: a client that disconnects mid-upload leaves no temporary file; unsaved uploads are deleted too', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'palisade-faults-uploads-'));
  const app = createApp({ env: 'test', uploads: { tmpDir: tmp, maxFileSize: 50 * 1024 * 1024, maxTotalSize: 60 * 1024 * 1024 } });
  const outcomes: string[] = [];
  let started = 0;
  recordingRoute(
    app,
    '/upload',
    outcomes,
    async (req) => {
      started++;
      const body = await req.files();
      return { label: 'parsed', body: { files: body.files.map((f) => f.size) } };
    },
    { uploads: true },
  );
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const boundary = 'faultboundary12345';
    const full = multipart(
      [
        { name: 'title', data: 'hello' },
        { name: 'a', filename: 'a.bin', contentType: 'application/octet-stream', data: Buffer.alloc(2 * 1024 * 1024, 'a') },
        { name: 'b', filename: 'b.bin', contentType: 'application/octet-stream', data: Buffer.alloc(1024 * 1024, 'b') },
      ],
      { boundary },
    );
    const head = `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${full.length}\r\n\r\n`;
    // Cut at many points: in the first file, between files, in the second, just before the end.
    const cuts = [200, 5000, 300_000, 1_500_000, 2 * 1024 * 1024 + 300, 2_500_000, full.length - 10];
    await Promise.all(
      cuts.map((cut) => {
        const chunks: Buffer[] = [Buffer.from(head)];
        for (let i = 0; i < cut; i += 64 * 1024) chunks.push(full.subarray(i, Math.min(cut, i + 64 * 1024)));
        return rawExchange(s.port, chunks, { gapMs: 2, destroyAfterWrite: true });
      }),
    );
    await waitFor(() => outcomes.length === cuts.length, 10_000, `upload handlers: ${started} started, outcomes ${outcomes.join(',')}`);
    assert.deepEqual([...new Set(outcomes)], ['BODY_ABORTED'], outcomes.join(', '));
    await waitFor(() => filesUnder(tmp).length === 0, 5000, `temporary files left: ${filesUnder(tmp).join(', ')}`);

    // Complete uploads that the handler does not save are deleted when the response is done.
    const ok = await send(s.port, 'POST', '/upload', { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: full });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(JSON.parse(ok.body), { files: [2 * 1024 * 1024, 1024 * 1024] });
    await waitFor(() => filesUnder(tmp).length === 0, 5000, `unsaved uploads left: ${filesUnder(tmp).join(', ')}`);
    assert.deepEqual(await settleHandles(baseline), [], 'handles left after the uploads');
  } finally {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('uploads: req.files() settles (BODY_ABORTED) when the client left before the handler asked for the files', async () => {
  // Deterministic form of the race above: the handler awaits something first (a session,
  // a database) and only then reads the upload; by then the client has gone.
  const app = createApp({ env: 'test' });
  const outcomes: Record<string, string> = {};
  for (const path of ['/bytes', '/files']) {
    app.post(
      path,
      async (req) => {
        await sleep(150);
        outcomes[path] = 'waiting';
        try {
          if (path === '/files') await req.files();
          else await req.bytes();
          outcomes[path] = 'read';
        } catch (err) {
          outcomes[path] = (err as { code?: string }).code ?? String(err);
        }
        return 'x';
      },
      { csrf: false },
    );
  }
  const s = await app.listen({ port: 0 });
  try {
    for (const path of ['/bytes', '/files']) {
      const text =
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000\r\n\r\n` +
        `--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\npartial`;
      await rawExchange(s.port, [text], { destroyAfterWrite: true });
    }
    await waitFor(() => outcomes['/bytes'] === 'BODY_ABORTED', 3000, `control: req.bytes() → ${outcomes['/bytes']}`);
    await waitFor(() => outcomes['/files'] !== undefined && outcomes['/files'] !== 'waiting', 3000, `req.files() never settled (${outcomes['/files']})`);
    assert.equal(outcomes['/files'], 'BODY_ABORTED');
  } finally {
    await s.close();
  }
});
