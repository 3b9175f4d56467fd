// 10,000 hostile requests mixed into a valid keep-alive load, against the app in a child
// process: every valid request must succeed, no hostile one may get a 5xx, nothing may be
// left in the upload directory, and the server's RSS must settle (reported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepAliveAgent, rawExchange, send, startChild, statusOf, type SimpleResponse } from './net-helpers.js';
import { malformedRequest, prng, type Category } from './malformed.js';
import { filesUnder, multipart } from '../files/helpers.js';

const MALFORMED = Number(process.env.FAULTS_MALFORMED ?? 10_000);
const CONCURRENCY = 48;
const VALID_CLIENTS = 4;

const boundary = 'validBoundary0123';
const upload = multipart(
  [
    { name: 'id', data: '7' },
    { name: 'f', filename: 'note.txt', contentType: 'text/plain', data: 'hello upload' },
  ],
  { boundary },
);

/** The valid requests each client cycles through, with the answer each must get. */
const VALID: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; expect: (r: SimpleResponse) => boolean }[] = [
  { method: 'GET', path: '/', expect: (r) => r.body === 'ok' },
  { method: 'GET', path: '/json', expect: (r) => r.body === '{"ok":true,"n":42}' },
  {
    method: 'POST',
    path: '/json',
    headers: { 'content-type': 'application/json' },
    body: '{"a":[1,2,{"b":"é"}]}',
    expect: (r) => r.body === '{"got":{"a":[1,2,{"b":"é"}]}}',
  },
  { method: 'POST', path: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2&a=3', expect: (r) => r.body === '{"n":3}' },
  {
    method: 'POST',
    path: '/upload',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: upload,
    expect: (r) => r.body === '{"files":[{"name":"note.txt","size":12}]}',
  },
  { method: 'GET', path: '/stream', expect: (r) => r.body.length === 8 * 4096 },
];

test(`${MALFORMED} malformed requests mixed into a valid keep-alive load: every valid request succeeds, RSS settles`, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'palisade-load-uploads-'));
  const app = await startChild('test/faults/fixtures/load-app.ts', { UPLOAD_TMP: tmp });
  const stats = async () => JSON.parse((await send(app.port, 'GET', '/__stats')).body) as { rss: number; heap: number; handled: number };
  const mb = (n: number) => Math.round(n / 1024 / 102.4) / 10;
  try {
    // Warm up, then take the baseline.
    const agent = keepAliveAgent(VALID_CLIENTS);
    for (let i = 0; i < 200; i++) {
      const v = VALID[i % VALID.length]!;
      assert.ok(v.expect(await send(app.port, v.method, v.path, { agent, headers: v.headers, body: v.body })));
    }
    const before = await stats();

    let malformedDone = 0;
    const byCategory = new Map<Category, Map<string, number>>();
    const fiveHundreds: string[] = [];
    let gaveUp = 0;
    const rnd = prng(20250611);
    let next = 0;
    const started = Date.now();
    const hostile = Array.from({ length: CONCURRENCY }, async () => {
      while (next < MALFORMED) {
        const { category, bytes } = malformedRequest(next++, rnd);
        const r = await rawExchange(app.port, [bytes], { end: true, giveUpMs: 15_000 });
        const status = statusOf(r.data);
        const key = r.gaveUp ? 'no answer' : status === undefined ? 'closed' : String(status);
        if (r.gaveUp) gaveUp++;
        const m = byCategory.get(category) ?? new Map<string, number>();
        m.set(key, (m.get(key) ?? 0) + 1);
        byCategory.set(category, m);
        if (status !== undefined && status >= 500) fiveHundreds.push(`${category} → ${status}: ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`);
        malformedDone++;
      }
    });

    // The valid load runs for as long as the hostile one does.
    let validSent = 0;
    let validOk = 0;
    const validFailures: string[] = [];
    const valid = Array.from({ length: VALID_CLIENTS }, async (_, c) => {
      let i = c;
      while (malformedDone < MALFORMED) {
        const v = VALID[i++ % VALID.length]!;
        validSent++;
        try {
          const r = await send(app.port, v.method, v.path, { agent, headers: v.headers, body: v.body });
          if (r.status === 200 && v.expect(r)) validOk++;
          else validFailures.push(`${v.method} ${v.path} → ${r.status} ${r.body.slice(0, 100)}`);
        } catch (err) {
          validFailures.push(`${v.method} ${v.path} → ${(err as Error).message}`);
        }
      }
    });
    await Promise.all([...hostile, ...valid]);
    const seconds = (Date.now() - started) / 1000;
    const during = await stats();
    agent.destroy();
    // Let the server settle: idle sockets close, GC runs.
    await new Promise((r) => setTimeout(r, 1500));
    const after = await stats();

    const table = [...byCategory].map(([cat, m]) => `#   ${cat.padEnd(15)} ${[...m].map(([k, n]) => `${k}×${n}`).join(' ')}`).join('\n');
    console.log(
      `# load: ${malformedDone} malformed + ${validSent} valid requests in ${seconds.toFixed(1)} s; valid ok ${validOk}/${validSent}; ` +
        `server handled ${after.handled} handler calls\n` +
        `# RSS (after GC): before ${mb(before.rss)} MB, right after ${mb(during.rss)} MB, settled ${mb(after.rss)} MB; heap ${mb(before.heap)} → ${mb(after.heap)} MB\n` +
        `# answers to malformed requests by category:\n${table}`,
    );
    assert.deepEqual(validFailures.slice(0, 10), [], `${validFailures.length} valid requests failed`);
    assert.equal(validOk, validSent);
    assert.ok(validSent >= VALID_CLIENTS, 'the valid load ran');
    assert.deepEqual(fiveHundreds.slice(0, 10), [], `${fiveHundreds.length} malformed requests got a 5xx`);
    assert.equal(gaveUp, 0, 'some malformed requests were neither answered nor closed');
    assert.deepEqual(filesUnder(tmp), [], 'temporary upload files left behind');
    assert.ok(after.rss < 2 * before.rss + 50 * 1024 * 1024, `RSS did not settle: ${mb(before.rss)} → ${mb(after.rss)} MB`);
  } finally {
    app.child.kill('SIGKILL');
    await app.exited;
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an absolute-form request target naming another host is refused like a foreign Host header', async () => {
  // RFC 9112 §3.2.2: with an absolute-form target the server must use its authority, not
  // Host. Palisade's host check reads only Host, and the router matches '/' while req.path
  // is 'http://evil.example/'.
  const { createApp } = await import('../../src/index.js');
  const app = createApp({ env: 'test' });
  app.get('/', (req) => `path=${req.path} host=${req.host}`);
  const s = await app.listen({ port: 0 });
  try {
    const control = await rawExchange(s.port, ['GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n'], { end: true });
    assert.equal(statusOf(control.data), 400, 'control: a foreign Host header is refused');
    const r = await rawExchange(s.port, ['GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'], { end: true });
    assert.equal(statusOf(r.data), 400, `absolute-form target to another host answered: ${r.data.split('\r\n\r\n')[1]}`);
  } finally {
    await s.close();
  }
});
