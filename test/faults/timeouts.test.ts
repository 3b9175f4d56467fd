// Faults over real sockets: slowloris, slow bodies, oversized headers, handlers that
// throw, reject or never answer. Each test also shows the server still serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, Response } from '../../src/index.js';
import { handleCounts, rawExchange, recordingRoute, send, settleHandles, statusOf, waitFor } from './net-helpers.js';

function appWith(server: Record<string, number>) {
  const app = createApp({ env: 'test', server });
  app.get('/', () => 'ok');
  app.post('/body', async (req) => `${(await req.bytes()).length}`, { csrf: false });
  return app;
}

test('slowloris: 40 connections dribbling headers are all cut off by headersTimeout while others are served', async () => {
  const app = appWith({ headersTimeout: 400, requestTimeout: 1500 });
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const started = Date.now();
    // Each sends the request line, then one header line every 100 ms, forever.
    const drips = Array.from({ length: 40 }, () =>
      rawExchange(s.port, ['GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', ...Array.from({ length: 200 }, (_, i) => `X-Drip-${i}: y\r\n`)], {
        gapMs: 100,
        giveUpMs: 15_000,
      }),
    );
    // Meanwhile, ordinary requests are answered.
    for (let i = 0; i < 10; i++) assert.equal((await send(s.port, 'GET', '/')).status, 200);
    const results = await Promise.all(drips);
    const waited = Date.now() - started;
    for (const r of results) {
      assert.equal(r.gaveUp, false, 'the server never cut the connection');
      assert.ok(r.closed);
      const status = statusOf(r.data);
      assert.ok(status === undefined || status === 408, `answered ${status}`);
    }
    console.log(`# slowloris: 40 connections cut after ~${waited} ms (headersTimeout 400 ms); 408s: ${results.filter((r) => statusOf(r.data) === 408).length}`);
    assert.equal((await send(s.port, 'GET', '/')).status, 200);
    assert.deepEqual(await settleHandles(baseline), [], 'sockets left open');
  } finally {
    await s.close();
  }
});

test('slow body: a body dribbled byte by byte is cut off by requestTimeout; the handler is not left waiting', async () => {
  const app = createApp({ env: 'test', server: { headersTimeout: 300, requestTimeout: 800 } });
  const outcomes: string[] = [];
  recordingRoute(app, '/body', outcomes, async (req) => {
    const b = await req.bytes();
    return { label: `read ${b.length}`, body: `${b.length}` };
  });
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const head = 'POST /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n';
    const slow = Array.from({ length: 10 }, () => rawExchange(s.port, [head, ...Array.from({ length: 1000 }, () => 'x')], { gapMs: 50, giveUpMs: 15_000 }));
    for (let i = 0; i < 5; i++) assert.equal((await send(s.port, 'GET', '/')).status, 200);
    const results = await Promise.all(slow);
    for (const r of results) {
      assert.equal(r.gaveUp, false, 'the server never cut the slow body');
      const status = statusOf(r.data);
      assert.ok(status === undefined || status === 408 || status === 400, `answered ${status}: ${r.data.slice(0, 80)}`);
    }
    // Every handler finished (with BODY_ABORTED), none is still waiting for bytes.
    await waitFor(() => outcomes.length >= 10, 5000, 'handlers still waiting for the body');
    assert.ok(
      outcomes.every((o) => o === 'BODY_ABORTED'),
      outcomes.join(', '),
    );
    console.log(
      `# slow body: 10 connections cut; handler outcomes: ${[...new Set(outcomes)].join(', ')}; first answer: ${JSON.stringify(results[0]!.data.split('\r\n')[0])}`,
    );
    outcomes.length = 0;
    assert.equal((await send(s.port, 'POST', '/body', { body: 'abc', headers: { 'content-type': 'text/plain' } })).body, '3');
    assert.deepEqual(await settleHandles(baseline), [], 'sockets left open');
  } finally {
    await s.close();
  }
});

test('oversized headers → 431 (one huge header, many headers, a huge URL); just under the limit → 200', async () => {
  const max = 4096;
  const app = appWith({ maxHeaderSize: max });
  const s = await app.listen({ port: 0 });
  try {
    const cases = {
      'one huge header': `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(max * 2)}\r\n\r\n`,
      'many headers': `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 600 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
      'huge URL': `GET /${'a'.repeat(max * 2)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      'huge cookie': `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${'s=1; '.repeat(2000)}\r\n\r\n`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const r = await rawExchange(s.port, [text], { giveUpMs: 5000 });
      assert.equal(statusOf(r.data), 431, `${name}: ${r.data.split('\r\n')[0]}`);
      assert.match(r.data, /x-content-type-options: nosniff/i);
    }
    // Dribbled in small pieces, the limit still applies.
    const pieces = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(max * 2)}\r\n\r\n`.match(/[\s\S]{1,512}/g)!;
    const dribbled = await rawExchange(s.port, pieces, { gapMs: 5, giveUpMs: 5000 });
    assert.equal(statusOf(dribbled.data), 431, 'dribbled');
    const under = await send(s.port, 'GET', '/', { headers: { 'x-fits': 'a'.repeat(max - 400) } });
    assert.equal(under.status, 200);
  } finally {
    await s.close();
  }
});

test('a handler that never answers is bounded by handlerTimeout (503 HTTP_TIMEOUT); a late answer is dropped safely', async () => {
  const app = createApp({ env: 'test', server: { handlerTimeout: 300 } });
  let late = 0;
  app.get('/never', () => new Promise<string>(() => {}));
  app.get('/late', async () => {
    await sleep(1600);
    late++;
    return 'too late';
  });
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    const never = await Promise.all(
      Array.from({ length: 20 }, () => send(s.port, 'GET', '/never', { headers: { accept: 'application/json' }, timeoutMs: 10_000 })),
    );
    for (const r of never) {
      assert.equal(r.status, 503);
      assert.match(r.body, /HTTP_TIMEOUT/);
    }
    const lateRes = await send(s.port, 'GET', '/late', { timeoutMs: 10_000 });
    assert.equal(lateRes.status, 503);
    await waitFor(() => late > 0, 5000, 'late handler');
    await sleep(50);
    assert.equal((await send(s.port, 'GET', '/')).status, 200, 'still serving after the late answer');
    assert.deepEqual(await settleHandles(baseline), [], 'sockets left open');
  } finally {
    await s.close();
  }
});

test('handlers that throw or reject (anything, anywhere) → 500, and the server keeps serving', async () => {
  const app = createApp({ env: 'test' });
  const thrown: Record<string, () => unknown> = {
    error: () => {
      throw new Error('boom');
    },
    string: () => {
      throw 'a string';
    },
    null: () => {
      throw null;
    },
    undefined: () => {
      throw undefined;
    },
    reject: () => Promise.reject(new Error('async boom')),
    'reject-nothing': () => Promise.reject(),
    'bad-return': () => Symbol('nope'),
    'throwing-getter': () => ({
      get x() {
        throw new Error('getter');
      },
    }),
    cycle: () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
  };
  for (const [name, fn] of Object.entries(thrown)) app.get(`/t/${name}`, fn as () => string);
  app.get('/after-hook', () => 'x');
  app.after((_req, res) => {
    if (res.getHeader('x-break') === undefined && _req.path === '/after-hook') throw new Error('after hook');
    return undefined;
  });
  app.onError(500, () => {
    throw new Error('the error handler fails too');
  });
  app.get('/teapot', () => {
    throw Object.assign(new Error('teapot'), { status: 418 });
  });
  // (every 500 above also goes through this failing error handler: the default page must still come out)
  // A streamed body that fails half-way: the response is cut, the server lives on.
  app.get('/stream-fails', () => {
    let n = 0;
    return new Response(
      new Readable({
        read() {
          if (n++ < 3) this.push(Buffer.alloc(1024, 'x'));
          else this.destroy(new Error('stream broke'));
        },
      }),
      { headers: { 'content-type': 'application/octet-stream' } },
    );
  });
  app.get('/', () => 'ok');
  const s = await app.listen({ port: 0 });
  const baseline = handleCounts();
  try {
    for (const name of Object.keys(thrown)) {
      const r = await send(s.port, 'GET', `/t/${name}`);
      assert.equal(r.status, 500, `${name} → ${r.status}`);
      assert.doesNotMatch(r.body, /boom|getter|a string/, 'no internals leak in test/production mode');
    }
    assert.equal((await send(s.port, 'GET', '/after-hook')).status, 500);
    assert.equal((await send(s.port, 'GET', '/teapot')).status, 500);
    await assert.rejects(send(s.port, 'GET', '/stream-fails'), 'a failed stream ends the response early');
    for (let i = 0; i < 50; i++) assert.equal((await send(s.port, 'GET', '/')).status, 200);
    assert.deepEqual(await settleHandles(baseline), [], 'sockets left open');
  } finally {
    await s.close();
  }
});

test('the handler-timeout 503 is answered in JSON to a client that asks for JSON, like every other error', async () => {
  const app = createApp({ env: 'test', server: { handlerTimeout: 200 } });
  app.get('/never', () => new Promise<string>(() => {}));
  app.get('/missing-json', () => {
    throw new Error('x');
  });
  const s = await app.listen({ port: 0 });
  try {
    const control = await send(s.port, 'GET', '/missing-json', { headers: { accept: 'application/json' } });
    assert.match(String(control.headers['content-type']), /^application\/json/, 'control: other errors honour Accept');
    const r = await send(s.port, 'GET', '/never', { headers: { accept: 'application/json' } });
    assert.equal(r.status, 503);
    assert.match(String(r.headers['content-type']), /^application\/json/, `got ${r.headers['content-type']}: ${r.body.slice(0, 60)}`);
    assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'HTTP_TIMEOUT');
  } finally {
    await s.close();
  }
});
