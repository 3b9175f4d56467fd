import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventEmitter } from 'node:events';
import { bindScope, currentScope, runInScope, type RequestScope } from '../../src/http/context.js';
import { createApp, csrfToken, Response } from '../../src/index.js';

const scopeOf = (name: string): RequestScope => ({ request: name });
const name = (): unknown => currentScope()?.request;

test('the scope is current in the synchronous part and gone after it', () => {
  assert.equal(name(), undefined);
  assert.equal(runInScope(scopeOf('a'), name), 'a');
  assert.equal(name(), undefined);
});

test('nested scopes and a throwing function restore the outer scope', () => {
  runInScope(scopeOf('outer'), () => {
    assert.equal(runInScope(scopeOf('inner'), name), 'inner');
    assert.throws(() => runInScope(scopeOf('boom'), () => { throw new Error('x'); }), /x/);
    assert.equal(name(), 'outer');
  });
  assert.equal(name(), undefined);
});

// The ways a handler continues after its synchronous part, each run for two interleaved
// scopes: every continuation must see its own scope, never the other's.
const continuations: [string, () => Promise<unknown>][] = [
  ['await a timer', async () => { await sleep(5); return name(); }],
  ['several awaits', async () => { await sleep(3); await null; await sleep(1); return name(); }],
  ['.then callback', () => sleep(4).then(() => name())],
  ['Promise.all', async () => { await Promise.all([sleep(2), sleep(6)]); return name(); }],
  ['a thenable', async () => { await { then: (ok: (v: unknown) => void) => setTimeout(() => ok(1), 3) }; return name(); }],
  ['an async generator', async () => {
    async function* gen() { for (let i = 0; i < 3; i++) { await sleep(1); yield name(); } }
    const seen: unknown[] = [];
    for await (const v of gen()) seen.push(v);
    return new Set(seen).size === 1 ? seen[0] : seen;
  }],
  ['a promise made before the request, awaited in it', (() => {
    const shared = sleep(8);
    return async () => { await shared; return name(); };
  })()],
  ['a promise resolved by an event', async () => {
    const e = new EventEmitter();
    setTimeout(() => e.emit('done'), 3);
    await new Promise((ok) => e.once('done', ok));
    return name();
  }],
];

for (const [label, cont] of continuations) {
  test(`the scope follows ${label}`, async () => {
    const [a, b] = await Promise.all([runInScope(scopeOf('a'), cont), runInScope(scopeOf('b'), cont)]);
    assert.equal(a, 'a');
    assert.equal(b, 'b');
    assert.equal(name(), undefined);
  });
}

test('a callback outside the promise chain needs bindScope', async () => {
  const seen = await runInScope(scopeOf('a'), () => new Promise<unknown[]>((done) => {
    const out: unknown[] = [];
    setTimeout(() => out.push(name()), 1);
    setTimeout(bindScope(() => out.push(name())), 2);
    process.nextTick(bindScope(() => out.push(name())));
    setTimeout(() => done(out), 5);
  }));
  assert.deepEqual(seen, ['a', undefined, 'a']);
});

test('bindScope outside a request returns the function itself, and passes this and arguments', () => {
  const f = (x: number): number => x + 1;
  assert.equal(bindScope(f), f);
  const bound = runInScope(scopeOf('a'), () => bindScope(function (this: { k: number }, x: number) { return [this.k, x, name()]; }));
  assert.deepEqual(bound.call({ k: 7 }, 2), [7, 2, 'a']);
  assert.equal(name(), undefined);
});

test('concurrent requests each see their own scope after awaits', async () => {
  const app = createApp({ env: 'test' });
  app.get('/r/:id', async (req) => {
    for (let i = 0; i < 3; i++) await sleep(Math.floor(Math.random() * 4));
    return { id: req.params.id, same: currentScope()?.request === req };
  });
  const client = app.test();
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => client.get(`/r/${i}`)));
  answers.forEach((r, i) => assert.deepEqual(r.json(), { id: String(i), same: true }));
  assert.equal(name(), undefined);
});

test('a streamed body (an async generator) is read in its request scope, in the test client and over HTTP', async () => {
  const app = createApp({ env: 'test', secretKey: 'context-stream-secret'.padEnd(40, 'x') });
  app.get('/stream/:id', (req) => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${currentScope()?.request === req}`);
      await sleep(2);
      yield Buffer.from(` ${currentScope()?.request === req}`);
      yield Buffer.from(` ${csrfToken().length > 0}`);
    }
    return new Response(body(), { headers: { 'content-type': 'text/plain' } });
  });
  const client = app.test();
  const viaClient = await Promise.all([client.get('/stream/1'), client.get('/stream/2')]);
  for (const r of viaClient) assert.equal(r.text, 'true true true');
  const s = await app.listen({ port: 0 });
  try {
    const overHTTP = await Promise.all([1, 2, 3].map((i) => fetch(`http://127.0.0.1:${s.port}/stream/${i}`).then((r) => r.text())));
    assert.deepEqual(overHTTP, ['true true true', 'true true true', 'true true true']);
  } finally {
    await s.close();
  }
  assert.equal(name(), undefined);
});
