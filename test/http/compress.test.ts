// Compression: Accept-Encoding negotiation as a table, then over real sockets what is and
// is not compressed, streaming without buffering, precompressed static files and their
// staleness, and the per-route and app switches.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, brotliDecompressSync, createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { createApp, type App } from '../../src/index.js';
import type { AppOptions } from '../../src/app/config.js';
import type { RunningServer } from '../../src/adapters/node.js';
import { negotiateEncoding } from '../../src/http/accept-encoding.js';
import { Response } from '../../src/http/response.js';
import { sse } from '../../src/realtime/sse.js';
import { resolveCompress } from '../../src/http/compress.js';
import { sendFile } from '../../src/files/send-file.js';
import { PROTECTIONS } from '../../src/util/symbols.js';

const SECRET = 'compress-test-secret-'.padEnd(40, 'c');
const OFFER = ['br', 'gzip'] as const;

test('Accept-Encoding: weights, wildcards, identity, aliases', () => {
  const rows: [string | undefined, string[], boolean][] = [
    [undefined, [], false],
    ['', [], false],
    ['gzip, deflate, br, zstd', ['br', 'gzip'], false],
    ['gzip', ['gzip'], false],
    ['GZIP, Br', ['br', 'gzip'], false],
    ['gzip;q=1, br;q=0.5', ['gzip', 'br'], false],
    ['br;q=0, gzip', ['gzip'], false],
    ['br;q=0.001, gzip;q=0.0', ['br'], false],
    ['*', ['br', 'gzip'], false],
    ['*;q=0.5, gzip', ['gzip', 'br'], false],
    ['*;q=0', [], true],
    ['*;q=0, identity', [], false],
    ['identity;q=0, gzip', ['gzip'], true],
    ['identity', [], false],
    ['x-gzip', ['gzip'], false],
    ['br;q=abc, gzip', ['gzip'], false], // a bad weight drops its element
    ['br;q=1.5, gzip;q=0.9', ['gzip'], false],
    ['gzip;q=0.5;foo=bar, br ; q = 0.7', ['br', 'gzip'], false],
    ['br, br;q=0', ['br'], false], // the first weight counts
    [`${'x, '.repeat(400)}br`, [], false], // over 1 KiB: read as no header
  ];
  for (const [header, codings, refused] of rows) {
    const n = negotiateEncoding(header, OFFER);
    assert.deepEqual([...n.codings], codings, String(header));
    assert.equal(n.identityRefused, refused, String(header));
  }
});

test('the compress setting: defaults, true, false, and refused values', () => {
  assert.deepEqual(
    { ...resolveCompress(undefined) },
    { responses: false, static: true, threshold: 1024, encodings: ['br', 'gzip'], brotliQuality: 4, gzipLevel: 6 },
  );
  assert.equal(resolveCompress(true).responses, true);
  assert.equal(resolveCompress(false).static, false);
  for (const bad of [{ level: 3 }, { encodings: ['deflate'] }, { brotliQuality: 12 }, { threshold: -1 }, { responses: 'yes' }, 'on']) {
    assert.throws(() => resolveCompress(bad), { code: 'CONFIG_INVALID' }, JSON.stringify(bad));
  }
});

const PAGE = `<p>${'Hello, compressible world. '.repeat(200)}</p>`;
const TEXT = 'plain text that repeats. '.repeat(100);
const PNG = Buffer.alloc(4096, 7);
let staticDir: string;

function makeApp(opts: AppOptions = {}): App {
  const app = createApp({ env: 'test', secretKey: SECRET, static: { dir: staticDir }, ...opts });
  app.get('/page', () => Response.unsafeHTML(PAGE));
  app.get('/text', () => TEXT);
  app.get('/small', () => 'tiny');
  app.get('/json', () => ({ items: Array.from({ length: 200 }, (_, i) => ({ i, name: `item ${i}` })) }));
  app.get('/png', () => new Response(PNG, { headers: { 'content-type': 'image/png' } }));
  app.get('/encoded', () => new Response(gzipSync(TEXT), { headers: { 'content-type': 'text/plain; charset=utf-8', 'content-encoding': 'gzip' } }));
  app.get('/no-transform', () => new Response(TEXT, { headers: { 'cache-control': 'no-transform' } }));
  app.get('/off', () => TEXT, { compress: false });
  app.get('/on', () => TEXT, { compress: true });
  app.get('/empty', () => new Response(null, { status: 204 }));
  app.get(
    '/stream',
    () =>
      new Response(
        (async function* () {
          for (let i = 0; i < 3; i++) {
            yield Buffer.from(`chunk ${i} `.repeat(300));
            await sleep(300);
          }
        })(),
        { headers: { 'content-type': 'text/plain; charset=utf-8' } },
      ),
  );
  app.get('/download', (req) => sendFile(req, join(staticDir, 'app.js'), { precompressed: ['gzip'] }));
  app.get('/events', () =>
    sse(async function* () {
      yield 'x'.repeat(4000);
    }),
  );
  return app;
}

interface Got {
  status: number;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  /** The body decoded by its Content-Encoding. */
  text: string;
}

function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        const text = (enc === 'br' ? brotliDecompressSync(raw) : enc === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let on: RunningServer; // compress: true
let def: RunningServer; // the default setting
before(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'palisade-compress-'));
  writeFileSync(join(staticDir, 'app.js'), 'console.log("the original file"); '.repeat(100));
  writeFileSync(join(staticDir, 'app.js.br'), brotliCompressSync('console.log("the br sibling");'));
  writeFileSync(join(staticDir, 'app.js.gz'), gzipSync('console.log("the gz sibling");'));
  writeFileSync(join(staticDir, 'old.css'), 'body { color: red } '.repeat(100));
  writeFileSync(join(staticDir, 'old.css.br'), brotliCompressSync('body { color: stale }'));
  const past = new Date(Date.now() - 3600_000);
  utimesSync(join(staticDir, 'old.css.br'), past, past); // compressed before the file last changed
  writeFileSync(join(staticDir, 'plain.txt'), 'static text. '.repeat(200));
  writeFileSync(join(staticDir, 'elsewhere.txt'), 'outside?');
  writeFileSync(join(staticDir, 'linked.txt'), 'the linked file. '.repeat(100));
  symlinkSync(join(staticDir, 'elsewhere.txt'), join(staticDir, 'linked.txt.gz'));
  on = await makeApp({ compress: true }).listen({ port: 0, handleSignals: false });
  def = await makeApp().listen({ port: 0, handleSignals: false });
});
after(async () => {
  await on?.close();
  await def?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

test('a page, text and JSON are compressed with the best coding the client accepts', async () => {
  for (const [path, body] of [
    ['/page', PAGE],
    ['/text', TEXT],
  ] as const) {
    const br = await get(on.url, path, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(br.headers['vary'], 'Accept-Encoding');
    assert.equal(br.text, body);
    assert.equal(Number(br.headers['content-length']), br.raw.length);
    assert.ok(br.raw.length < body.length / 4, `${path}: ${br.raw.length} of ${body.length} bytes`);
    const gz = await get(on.url, path, { 'accept-encoding': 'gzip;q=1, br;q=0.5' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.text, body);
    const none = await get(on.url, path);
    assert.equal(none.headers['content-encoding'], undefined);
    assert.equal(none.headers['vary'], 'Accept-Encoding');
    assert.equal(none.text, body);
  }
  const json = await get(on.url, '/json', { 'accept-encoding': 'br' });
  assert.equal(json.headers['content-encoding'], 'br');
  assert.equal((JSON.parse(json.text) as { items: unknown[] }).items.length, 200);
});

test('below the threshold nothing is compressed, unless the client refuses identity', async () => {
  const small = await get(on.url, '/small', { 'accept-encoding': 'br, gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.text, 'tiny');
  const forced = await get(on.url, '/small', { 'accept-encoding': 'gzip, identity;q=0' });
  assert.equal(forced.headers['content-encoding'], 'gzip');
  assert.equal(forced.text, 'tiny');
});

test('never compressed: images, already encoded bodies, no-transform, 204, HEAD, event streams, { compress: false }', async () => {
  const ae = { 'accept-encoding': 'br, gzip' };
  const png = await get(on.url, '/png', ae);
  assert.equal(png.headers['content-encoding'], undefined);
  assert.equal(png.headers['vary'], undefined, 'an image is the same whatever the client accepts');
  assert.deepEqual(png.raw, PNG);
  const enc = await get(on.url, '/encoded', ae);
  assert.equal(enc.headers['content-encoding'], 'gzip');
  assert.equal(enc.text, TEXT, 'compressed once, not twice');
  assert.equal((await get(on.url, '/no-transform', ae)).headers['content-encoding'], undefined);
  assert.equal((await get(on.url, '/empty', ae)).status, 204);
  const head = await get(on.url, '/text', ae, 'HEAD');
  assert.equal(head.headers['content-encoding'], undefined);
  assert.equal(head.headers['vary'], 'Accept-Encoding');
  assert.equal(head.raw.length, 0);
  const ev = await get(on.url, '/events', ae);
  assert.equal(ev.headers['content-encoding'], undefined);
  assert.equal(ev.text, `data: ${'x'.repeat(4000)}\n\n`);
  const off = await get(on.url, '/off', ae);
  assert.equal(off.headers['content-encoding'], undefined);
  assert.equal(off.text, TEXT);
});

test('by default what handlers return is not compressed (BREACH); a route may ask for it; the static folder is', async () => {
  const ae = { 'accept-encoding': 'br, gzip' };
  for (const path of ['/page', '/text', '/json']) assert.equal((await get(def.url, path, ae)).headers['content-encoding'], undefined, path);
  const asked = await get(def.url, '/on', ae);
  assert.equal(asked.headers['content-encoding'], 'br');
  assert.equal(asked.text, TEXT);
  const file = await get(def.url, '/static/plain.txt', ae);
  assert.equal(file.headers['content-encoding'], 'br');
  assert.equal(file.text, 'static text. '.repeat(200));
  const none = await get((await offServer()).url, '/static/plain.txt', ae);
  assert.equal(none.headers['content-encoding'], undefined);
});

let off: RunningServer | undefined;
async function offServer(): Promise<RunningServer> {
  off ??= await makeApp({ compress: false }).listen({ port: 0, handleSignals: false });
  return off;
}
after(() => off?.close());

test('a streamed body is compressed chunk by chunk as it is produced, not buffered', async () => {
  const t0 = Date.now();
  const firstText = await new Promise<{ at: number; text: string; all: Promise<string> }>((resolve, reject) => {
    request(`${on.url}/stream`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(res.headers['content-length'], undefined);
      const gunzip = createGunzip();
      res.pipe(gunzip);
      let text = '';
      let resolved = false;
      const all = new Promise<string>((done) => gunzip.on('end', () => done(text)));
      gunzip.on('data', (c: Buffer) => {
        text += c.toString();
        if (!resolved) {
          resolved = true;
          resolve({ at: Date.now() - t0, text, all });
        }
      });
    })
      .on('error', reject)
      .end();
  });
  assert.ok(firstText.at < 250, `the first chunk arrived after ${firstText.at} ms (the second is made at 300 ms)`);
  assert.equal(firstText.text, 'chunk 0 '.repeat(300));
  assert.equal(await firstText.all, [0, 1, 2].map((i) => `chunk ${i} `.repeat(300)).join(''));
});

test('static files: a fresh .br or .gz sibling is sent; a stale one, a linked one, or a range is not', async () => {
  const br = await get(def.url, '/static/app.js', { 'accept-encoding': 'gzip, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.text, 'console.log("the br sibling");');
  assert.equal(br.headers['vary'], 'Accept-Encoding');
  assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
  const gz = await get(def.url, '/static/app.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.text, 'console.log("the gz sibling");');
  assert.notEqual(br.headers['etag'], gz.headers['etag']);
  const plain = await get(def.url, '/static/app.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.text, 'console.log("the original file"); '.repeat(100));
  assert.equal(plain.headers['vary'], 'Accept-Encoding');
  // A 304 for the sibling's ETag.
  const again = await get(def.url, '/static/app.js', { 'accept-encoding': 'br', 'if-none-match': br.headers['etag']! });
  assert.equal(again.status, 304);

  const stale = await get(def.url, '/static/old.css', { 'accept-encoding': 'br' });
  assert.equal(stale.headers['content-encoding'], 'br', 'compressed as it is sent instead');
  assert.equal(stale.text, 'body { color: red } '.repeat(100));
  assert.match(stale.headers['etag']!, /^W\//, 'the ETag of bytes compressed on the fly is weak');

  const linked = await get(def.url, '/static/linked.txt', { 'accept-encoding': 'gzip' });
  assert.equal(linked.text, 'the linked file. '.repeat(100), 'a sibling that is a symbolic link is never followed');

  const routed = await get(def.url, '/download', { 'accept-encoding': 'br, gzip' });
  assert.equal(routed.headers['content-encoding'], 'gzip', 'sendFile from a route: the codings it was given');
  assert.equal(routed.text, 'console.log("the gz sibling");');

  const range = await get(def.url, '/static/app.js', { 'accept-encoding': 'br', range: 'bytes=0-10' });
  assert.equal(range.status, 206);
  assert.equal(range.headers['content-encoding'], undefined);
  assert.equal(range.text, 'console.log');
});

test('palisade check says when handler responses are compressed, and not otherwise', () => {
  const findings = (app: App) => app[PROTECTIONS].flatMap((p) => p.audit?.(app.routes) ?? []).filter((f) => f.startsWith('compress'));
  assert.deepEqual(findings(makeApp()), []);
  const on = findings(makeApp({ compress: true }));
  assert.equal(on.length, 2, on.join('\n'));
  assert.match(on[0]!, /BREACH/);
  assert.match(on[1]!, /GET \/on is compressed/);
});

test('attacks that hold: a sibling asked for by name, hostile Accept-Encoding, traversal to a sibling, a range on a compressible file', async () => {
  // The sibling itself: its bytes as they are, never labelled as the script it stands for.
  const sib = await get(def.url, '/static/app.js.br', { 'accept-encoding': 'br' });
  assert.equal(sib.status, 200);
  assert.equal(sib.headers['content-encoding'], undefined);
  assert.doesNotMatch(sib.headers['content-type'] ?? '', /javascript|html/);
  assert.equal(sib.headers['x-content-type-options'], 'nosniff');
  // Weights that are not qvalues are ignored; `*;q=0` and a refused identity are honoured.
  assert.equal((await get(def.url, '/static/app.js', { 'accept-encoding': 'br;q=1.0001, gzip' })).text, 'console.log("the gz sibling");');
  assert.equal((await get(def.url, '/static/app.js', { 'accept-encoding': 'br;q=0, gzip;q=0, *;q=1' })).headers['content-encoding'], undefined);
  assert.equal((await get(def.url, '/static/plain.txt', { 'accept-encoding': '*;q=0, identity;q=1' })).headers['content-encoding'], undefined);
  assert.equal(
    (await get(def.url, '/static/app.js', { 'accept-encoding': 'x'.repeat(2000) + ', br' })).headers['content-encoding'],
    undefined,
    'an overlong header is read as none',
  );
  // Paths to a sibling outside the folder, or hidden in an encoding.
  for (const path of ['/static/..%2fapp.js.br', '/static/app.js%00.br', '/static/.%2e/app.js', '/static/app.js.br%2f']) {
    assert.equal((await get(def.url, path, { 'accept-encoding': 'br' })).status, 404, path);
  }
  // A range of a file compressed on the fly is a range of its bytes, never of compressed ones.
  const r = await get(on.url, '/static/plain.txt', { 'accept-encoding': 'gzip', range: 'bytes=7-11' });
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.equal(r.text, 'text.');
  // Control: without the range, the same request is compressed.
  assert.equal((await get(on.url, '/static/plain.txt', { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
});
