// Server-sent events over real sockets: the wire format, heartbeats, Last-Event-ID,
// cleanup when the client leaves, the handler timeout, the request scope, refused fields,
// HEAD, and graceful shutdown.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { get, request, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type App } from '../../src/index.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { sse } from '../../src/realtime/sse.js';
import { csrfToken } from '../../src/security/csrf.js';

const SECRET = 'sse-test-secret-'.padEnd(40, 's');

/** What the generators of the app below saw, by name. */
const seen: Record<string, { finally?: boolean; aborted?: boolean; lastEventId?: string | undefined }> = {};

function makeApp(handlerTimeout = 30_000): App {
  const app = createApp({ env: 'test', secretKey: SECRET, server: { handlerTimeout } });
  app.get('/format', () =>
    sse(
      async function* () {
        yield 'plain';
        yield { event: 'note', id: 7, data: 'two\nlines\r\nand\rthree' };
        yield { data: { n: 1, s: 'x' } };
        yield { retry: 500, data: '' };
      },
      { retry: 2000, heartbeat: 0 },
    ),
  );
  app.get('/quiet', () =>
    sse(
      async function* () {
        await sleep(450);
        yield 'late';
      },
      { heartbeat: 100 },
    ),
  );
  app.get('/resume', () =>
    sse(async function* ({ lastEventId }) {
      seen.resume = { lastEventId };
      const from = lastEventId === undefined ? 1 : Number(lastEventId) + 1;
      for (let i = from; i < from + 3; i++) yield { id: i, data: `event ${i}` };
    }),
  );
  for (const where of ['yield', 'await'] as const) {
    app.get(`/forever-${where}`, () =>
      sse(async function* ({ signal }) {
        seen[where] = {};
        try {
          for (let i = 0; !signal.aborted; i++) {
            if (where === 'yield') yield `tick ${i}`;
            else {
              if (i === 0) yield 'first';
              await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            }
          }
        } finally {
          seen[where]!.finally = true;
          seen[where]!.aborted = signal.aborted;
        }
      }),
    );
  }
  app.get('/long', () =>
    sse(async function* () {
      for (let i = 0; i < 12; i++) {
        yield `t${i}`;
        await sleep(200);
      }
    }),
  );
  app.get('/scope', () =>
    sse(async function* () {
      await sleep(20);
      yield { event: 'token', data: csrfToken().length > 20 ? 'has token' : 'no token' };
    }),
  );
  app.get('/inject', (req) =>
    sse(async function* () {
      yield { id: 1, data: 'ok' };
      yield { id: req.query.get('id') ?? '', data: 'after' };
    }),
  );
  return app;
}

let server: RunningServer;
before(async () => {
  server = await makeApp().listen({ port: 0, handleSignals: false });
});
after(() => server.close());

/** Reads a stream for at most `ms` (or to its end); returns the response and the text. */
function read(
  url: string,
  opts: { ms?: number; headers?: Record<string, string>; method?: string } = {},
): Promise<{ res: IncomingMessage; text: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let text = '';
      let ended = false;
      res.on('error', () => {}); // a stream the server cut (a refused field) ends here
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const done = () => {
        clearTimeout(timer);
        resolve({ res, text, ended });
      };
      res.on('end', () => {
        ended = true;
        done();
      });
      const timer = setTimeout(() => {
        req.destroy();
        done();
      }, opts.ms ?? 5000);
    });
    req.on('error', reject);
    req.end();
  });
}

test('events go out in the event-stream format: retry, event, id, one data line per line, JSON', async () => {
  const { res, text, ended } = await read(`${server.url}/format`);
  assert.equal(ended, true);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-accel-buffering'], 'no');
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(
    text,
    'retry: 2000\n\n' +
      'data: plain\n\n' +
      'event: note\nid: 7\ndata: two\ndata: lines\ndata: and\ndata: three\n\n' +
      'data: {"n":1,"s":"x"}\n\n' +
      'retry: 500\ndata: \n\n',
  );
});

test('a comment line goes out when nothing else did for the heartbeat interval', async () => {
  const { text } = await read(`${server.url}/quiet`);
  const beats = text.split(':\n\n').length - 1;
  assert.ok(beats >= 2 && beats <= 5, `${beats} heartbeats in ${JSON.stringify(text)}`);
  assert.ok(text.endsWith('data: late\n\n'));
});

test('Last-Event-ID reaches the generator on reconnect', async () => {
  const first = await read(`${server.url}/resume`);
  assert.match(first.text, /^id: 1\ndata: event 1\n\nid: 2\n/);
  assert.equal(seen.resume!.lastEventId, undefined);
  const again = await read(`${server.url}/resume`, { headers: { 'last-event-id': '3' } });
  assert.match(again.text, /^id: 4\ndata: event 4\n\n/);
  assert.equal(seen.resume!.lastEventId, '3');
  await read(`${server.url}/resume`, { headers: { 'last-event-id': 'x'.repeat(1025) } });
  assert.equal(seen.resume!.lastEventId, undefined, 'an overlong Last-Event-ID is ignored');
});

test('when the client leaves, the generator is returned (finally runs) and its signal aborted, at a yield or in an await', async () => {
  for (const where of ['yield', 'await'] as const) {
    const { text } = await read(`${server.url}/forever-${where}`, { ms: 150 });
    assert.ok(text.length > 0);
    for (let i = 0; i < 50 && seen[where]?.finally !== true; i++) await sleep(20);
    assert.deepEqual(seen[where], { finally: true, aborted: true }, where);
  }
});

test('a stream is not cut by the handler timeout', async () => {
  const s = await makeApp(1000).listen({ port: 0, handleSignals: false });
  try {
    const t0 = Date.now();
    const { res, text, ended } = await read(`${s.url}/long`, { ms: 10_000 });
    assert.equal(res.statusCode, 200);
    assert.equal(ended, true);
    assert.ok(Date.now() - t0 >= 2200, 'the stream lasted longer than the handler timeout');
    assert.equal(text.split('\n\n').filter(Boolean).length, 12);
  } finally {
    await s.close();
  }
});

test('the generator runs in the request scope', async () => {
  const { text } = await read(`${server.url}/scope`);
  assert.equal(text, 'event: token\ndata: has token\n\n');
});

test('an id holding a line break is refused: no forged field reaches the client, the stream ends', async () => {
  const { text } = await read(`${server.url}/inject?id=${encodeURIComponent('2\ndata: forged\nevent: admin')}`);
  assert.equal(text, 'id: 1\ndata: ok\n\n');
});

test('HEAD answers the headers without running the generator', async () => {
  seen.resume = {};
  const { res, text } = await read(`${server.url}/resume`, { method: 'HEAD' });
  assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.equal(text, '');
  await sleep(50);
  assert.deepEqual(seen.resume, {});
});

test('graceful shutdown ends open streams (the browser reconnects elsewhere) without waiting for shutdownTimeout', async () => {
  const s = await makeApp().listen({ port: 0, handleSignals: false });
  seen.yield = {};
  const reading = new Promise<{ ended: boolean; text: string }>((resolve) => {
    get(`${s.url}/forever-await`, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ ended: true, text }));
      res.on('error', () => resolve({ ended: false, text }));
    });
  });
  await sleep(100);
  const t0 = Date.now();
  await s.close();
  const r = await reading;
  assert.ok(Date.now() - t0 < 3000, `shutdown took ${Date.now() - t0} ms`);
  assert.deepEqual(r, { ended: true, text: 'data: first\n\n' });
  assert.equal(seen.await?.finally, true);
});
