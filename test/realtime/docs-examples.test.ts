// Runs the examples of docs/realtime.md and the compression example of docs/deployment.md
// over real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { closeOf, mustOpen, nextText, openSocket } from './ws-helpers.js';

test('chat example: a logged-in user’s messages reach everyone in the room; another site cannot join', async () => {
  const { app } = await import('../../docs/examples/realtime/chat.js');
  const c = app.test();
  assert.equal((await c.post('/login', { form: { name: 'Ada' } })).text, 'welcome');
  const cookie = `session=${c.cookies.session}`;
  const server = await app.listen({ port: 0, handleSignals: false });
  try {
    const url = `${server.url.replace('http:', 'ws:')}/chat`;
    const ada = await mustOpen(url, { headers: { cookie }, origin: server.url });
    const guest = await mustOpen(url, { origin: server.url });
    await new Promise((r) => setTimeout(r, 50)); // both handlers have joined the room
    ada.send('hello');
    assert.equal(await nextText(ada), 'Ada: hello');
    assert.equal(await nextText(guest), 'Ada: hello');
    guest.send('hi');
    assert.equal(await nextText(ada), 'anonymous: hi');
    const evil = await openSocket(url, { headers: { cookie }, origin: 'https://evil.example' });
    assert.equal(evil.ok ? 101 : evil.status, 403);
    ada.close();
    guest.close();
    await Promise.all([closeOf(ada), closeOf(guest)]);
  } finally {
    await server.close();
  }
});

test('events example: news as events with ids, resumed from Last-Event-ID', async () => {
  const { app } = await import('../../docs/examples/realtime/events.js');
  const server = await app.listen({ port: 0, handleSignals: false });
  try {
    const read = (headers: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${server.url}/news`, { headers }, (res) => {
          assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
            if (text.includes('Events too')) {
              req.destroy();
              resolve(text);
            }
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
        req.end();
      });
    const all = await read({});
    assert.equal(
      all,
      'retry: 5000\n\n' +
        'event: news\nid: 0\ndata: {"title":"Palisade 1.0"}\n\n' +
        'event: news\nid: 1\ndata: {"title":"Sockets are in"}\n\n' +
        'event: news\nid: 2\ndata: {"title":"Events too"}\n\n',
    );
    const resumed = await read({ 'last-event-id': '1' });
    assert.equal(resumed, 'retry: 5000\n\nevent: news\nid: 2\ndata: {"title":"Events too"}\n\n');
  } finally {
    await server.close();
  }
});

test('compression example: the report is compressed, the page with a secret next to the query is not', async () => {
  const { app } = await import('../../docs/examples/deployment/compress.js');
  const server = await app.listen({ port: 0, handleSignals: false });
  try {
    const get = (path: string) =>
      new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
        request(`${server.url}${path}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (b: Buffer) => chunks.push(b));
          res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    const report = await get('/report');
    assert.equal(report.enc, 'br');
    assert.match(brotliDecompressSync(report.body).toString(), /<tr><td>Row 499<\/td><\/tr><\/table>$/);
    const account = await get(`/account?q=${'a'.repeat(2000)}`);
    assert.equal(account.enc, undefined);
    assert.match(account.body.toString(), /Your key/);
  } finally {
    await server.close();
  }
});
