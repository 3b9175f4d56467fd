import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { currentScope, runInScope, type RequestScope } from '../../src/http/context.js';
import { createApp, csrfToken, Response, type Request } from '../../src/index.js';

const scopeOf = (name: string): RequestScope => ({ request: name });
const name = (): unknown => currentScope()?.request;

test('the scope is current in the synchronous part and gone after it', () => {
  assert.equal(name(), undefined);
  assert.equal(runInScope(scopeOf('a'), name), 'a');
  assert.equal(
    runInScope(scopeOf('a'), (x: number, y: string) => `${String(name())}${x}${y}`, 1, 'b'),
    'a1b',
  );
  assert.equal(name(), undefined);
});

test('nested scopes and a throwing function restore the outer scope', () => {
  runInScope(scopeOf('outer'), () => {
    assert.equal(runInScope(scopeOf('inner'), name), 'inner');
    assert.throws(
      () =>
        runInScope(scopeOf('boom'), () => {
          throw new Error('x');
        }),
      /x/,
    );
    assert.equal(name(), 'outer');
  });
  assert.equal(name(), undefined);
});

/** Resolves with what `schedule` sees when it calls back. */
const later = (schedule: (cb: () => void) => void): Promise<unknown> => new Promise((ok) => schedule(() => ok(name())));

// Every way a request's code continues after its synchronous part, each run for two
// interleaved scopes: each continuation must see its own scope, never the other's.
const continuations: [string, () => Promise<unknown>][] = [
  [
    'await a timer',
    async () => {
      await sleep(5);
      return name();
    },
  ],
  [
    'several awaits',
    async () => {
      await sleep(3);
      await null;
      await sleep(1);
      return name();
    },
  ],
  ['.then callback', () => sleep(4).then(() => name())],
  [
    'Promise.all',
    async () => {
      await Promise.all([sleep(2), sleep(6)]);
      return name();
    },
  ],
  [
    'a thenable',
    async () => {
      await { then: (ok: (v: unknown) => void) => setTimeout(() => ok(1), 3) };
      return name();
    },
  ],
  [
    'an async generator',
    async () => {
      async function* gen() {
        for (let i = 0; i < 3; i++) {
          await sleep(1);
          yield name();
        }
      }
      const seen: unknown[] = [];
      for await (const v of gen()) seen.push(v);
      return new Set(seen).size === 1 ? seen[0] : seen;
    },
  ],
  [
    'a promise made before the request, awaited in it',
    (() => {
      const shared = sleep(8);
      return async () => {
        await shared;
        return name();
      };
    })(),
  ],
  ['setTimeout', () => later((cb) => setTimeout(cb, 3))],
  [
    'setInterval',
    () =>
      later((cb) => {
        const t = setInterval(() => {
          clearInterval(t);
          cb();
        }, 2);
      }),
  ],
  ['setImmediate', () => later((cb) => setImmediate(cb))],
  ['queueMicrotask', () => later((cb) => queueMicrotask(cb))],
  ['process.nextTick', () => later((cb) => process.nextTick(cb))],
  [
    'an event listener, the event emitted from a timer',
    () => {
      const e = new EventEmitter();
      setTimeout(() => e.emit('done'), 3);
      return later((cb) => e.once('done', cb));
    },
  ],
  [
    'a callback-style API',
    () =>
      later((cb) => {
        setTimeout(() => cb(), 2);
      }),
  ],
];

for (const [label, cont] of continuations) {
  test(`the scope follows ${label}`, async () => {
    const [a, b] = await Promise.all([runInScope(scopeOf('a'), cont), runInScope(scopeOf('b'), cont)]);
    assert.equal(a, 'a');
    assert.equal(b, 'b');
    assert.equal(name(), undefined);
  });
}

/** A promise with its resolve function, for handing turns between two requests. */
function gate(): { open: () => void; passed: Promise<void> } {
  let open!: () => void;
  const passed = new Promise<void>((ok) => (open = ok));
  return { open, passed };
}

test('two concurrent requests, made to take turns, each see only their own scope at every turn (over HTTP)', async () => {
  const app = createApp({ env: 'test' });
  // A runs, waits for B, runs again, waits for B…; each turn records whose scope it saw.
  const turns = Array.from({ length: 8 }, gate);
  const seen: string[] = [];
  app.get('/turns/:who', async (req) => {
    const mine = req.params.who === 'a' ? 0 : 1;
    for (let t = mine; t < turns.length; t += 2) {
      if (t > 0) await turns[t - 1]!.passed;
      // A timer and an event hop between turns, so more than the promise chain is involved.
      await new Promise<void>((ok) => setTimeout(ok, 1));
      const own = currentScope()?.request as Request | undefined;
      seen.push(`${t}:${req.params.who}:${own?.params.who}`);
      turns[t]!.open();
    }
    return { who: req.params.who, last: (currentScope()?.request as Request).params.who };
  });
  const s = await app.listen({ port: 0 });
  try {
    const [a, b] = await Promise.all(['a', 'b'].map((w) => fetch(`${s.url}/turns/${w}`).then((r) => r.json())));
    assert.deepEqual(a, { who: 'a', last: 'a' });
    assert.deepEqual(b, { who: 'b', last: 'b' });
  } finally {
    await s.close();
  }
  assert.deepEqual(seen, ['0:a:a', '1:b:b', '2:a:a', '3:b:b', '4:a:a', '5:b:b', '6:a:a', '7:b:b']);
  assert.equal(name(), undefined);
});

test('concurrent requests each see their own scope after awaits', async () => {
  const app = createApp({ env: 'test' });
  app.get('/r/:id', async (req) => {
    for (let i = 0; i < 3; i++) await sleep(Math.floor(Math.random() * 4));
    await new Promise<void>((ok) => queueMicrotask(ok));
    return { id: req.params.id, same: currentScope()?.request === req };
  });
  const client = app.test();
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client.get(`/r/${i}`)));
  answers.forEach((r, i) => assert.deepEqual(r.json(), { id: String(i), same: true }));
  assert.equal(name(), undefined);
});

/** An app whose routes stream bodies that record, at every read, whether they run in their request's scope. */
function streamingApp() {
  const app = createApp({ env: 'test', secretKey: 'context-stream-secret'.padEnd(40, 'x') });
  // A generator, read step by step by whoever writes the response.
  app.get('/gen/:id', (req) => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${currentScope()?.request === req}`);
      await sleep(2);
      yield Buffer.from(` ${currentScope()?.request === req}`);
      yield Buffer.from(` ${csrfToken().length > 0}`);
    }
    return new Response(body(), { headers: { 'content-type': 'text/plain' } });
  });
  // A node Readable of 4 MiB in 64 KiB chunks, pushed from timers: the reader's back
  // pressure pauses it, and node calls _read again from the socket's drain.
  app.get('/readable/:id', (req) => {
    let n = 0;
    let wrong = 0;
    const body = new Readable({
      read() {
        if (currentScope()?.request !== req) wrong++;
        if (n++ === 64) {
          this.push(Buffer.from(`\nwrong scope in ${wrong} reads\n`));
          this.push(null);
          return;
        }
        setImmediate(() => this.push(Buffer.alloc(64 * 1024, 'x')));
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/plain' } });
  });
  return app;
}

const tail = (text: string): string => text.slice(text.lastIndexOf('\n', text.length - 2) + 1);

test('a streamed body (an async generator, a node Readable) runs in its request scope: test client, app.fetch, HTTP', async () => {
  const app = streamingApp();
  const client = app.test();
  const viaClient = await Promise.all([client.get('/gen/1'), client.get('/gen/2'), client.get('/readable/1'), client.get('/readable/2')]);
  assert.deepEqual(
    viaClient.map((r) => (r.text.length > 100 ? tail(r.text) : r.text)),
    ['true true true', 'true true true', 'wrong scope in 0 reads\n', 'wrong scope in 0 reads\n'],
  );
  const viaFetch = await Promise.all(['/gen/3', '/readable/3'].map((p) => app.fetch(new globalThis.Request(`http://localhost${p}`)).then((r) => r.text())));
  assert.deepEqual(
    viaFetch.map((t) => (t.length > 100 ? tail(t) : t)),
    ['true true true', 'wrong scope in 0 reads\n'],
  );
  const s = await app.listen({ port: 0 });
  try {
    const overHTTP = await Promise.all([1, 2, 3].map((i) => fetch(`${s.url}/gen/${i}`).then((r) => r.text())));
    assert.deepEqual(overHTTP, ['true true true', 'true true true', 'true true true']);
    // Two slow readers at once: the server's writes fill the socket, wait for drain, resume.
    const slow = (path: string): Promise<string> =>
      new Promise((ok, fail) => {
        httpRequest(`${s.url}${path}`, (res) => {
          let text = '';
          res.setEncoding('latin1');
          res.on('data', (c: string) => {
            text += c;
            res.pause();
            setTimeout(() => res.resume(), 1);
          });
          res.on('end', () => ok(text));
          res.on('error', fail);
        })
          .on('error', fail)
          .end();
      });
    const texts = await Promise.all([slow('/readable/1'), slow('/readable/2')]);
    for (const t of texts) {
      assert.equal(t.length, 64 * 64 * 1024 + '\nwrong scope in 0 reads\n'.length);
      assert.equal(tail(t), 'wrong scope in 0 reads\n');
    }
  } finally {
    await s.close();
  }
  assert.equal(name(), undefined);
});

test('req.nonce, req.csrfToken() and req.urlFor() read the request without the ambient scope', async () => {
  const app = createApp({ env: 'test', secretKey: 'context-explicit-secret'.padEnd(40, 'x') });
  app.get('/notes/:id', () => 'note', { name: 'note' });
  let kept: Request | undefined;
  app.get('/explicit', (req) => {
    kept = req;
    return { nonce: req.nonce, token: req.csrfToken(), url: req.urlFor('note', { id: 7 }, { tab: 'files' }) };
  });
  const client = app.test();
  const res = await client.get('/explicit');
  const body = res.json() as { nonce: string; token: string; url: string };
  assert.equal(body.url, '/notes/7?tab=files');
  assert.ok((res.header('content-security-policy') ?? '').includes(`'nonce-${body.nonce}'`));
  assert.ok(body.token.length > 20);
  // After the request, outside any scope, the request still answers from its own scope.
  assert.equal(name(), undefined);
  assert.equal(kept!.urlFor('note', { id: 1 }), '/notes/1');
  assert.equal(kept!.nonce, body.nonce);
  assert.ok(kept!.csrfToken().length > 20);
  const off = createApp({ env: 'test', csrf: { enabled: false } });
  off.get('/t', (req) => req.csrfToken());
  const refused = await off.test().get('/t');
  assert.equal(refused.status, 500);
  assert.match(String(refused.error), /CSRF protection/);
});
