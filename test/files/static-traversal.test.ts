/**
 * A search for a URL that reads outside the static folder, a dotfile, or a precompressed
 * sibling the file's own checks would refuse: fast-check builds paths from traversal
 * pieces in every encoding (percent, double percent, overlong UTF-8, backslashes, NUL,
 * Unicode dots and slashes) and sends them verbatim over a socket. Every answer must be a
 * 404/400 or exactly a file that lives in the folder. The control serves the same folder
 * with a naive join and finds the secret.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createApp } from '../../src/index.js';
import { freshTmp, removeDir } from './helpers.js';

const root = realpathSync(freshTmp());
after(() => removeDir(root));
const dir = join(root, 'static');
mkdirSync(join(dir, 'css'), { recursive: true });
writeFileSync(join(dir, 'css', 'site.css'), 'body{}');
writeFileSync(join(dir, 'a.txt'), 'public-a');
writeFileSync(join(dir, '.env'), 'SECRET-DOTFILE');
writeFileSync(join(dir, '.env.br'), brotliCompressSync('SECRET-DOTFILE-BR'));
writeFileSync(join(root, 'secret.txt'), 'SECRET-OUTSIDE');
writeFileSync(join(root, 'secret.txt.br'), brotliCompressSync('SECRET-OUTSIDE-BR'));
symlinkSync(join(root, 'secret.txt'), join(dir, 'link.txt'));
// A precompressed sibling that is a link out, beside a real file.
writeFileSync(join(dir, 'b.txt'), 'public-b');
symlinkSync(join(root, 'secret.txt.br'), join(dir, 'b.txt.br'));
const PUBLIC = new Set(['body{}', 'public-a', 'public-b']);

/** Sends `path` verbatim and returns the status and body (undefined when the server closed without a status line). */
function raw(url: URL, path: string, acceptEncoding = 'identity'): Promise<{ status: number; body: string } | undefined> {
  return new Promise((ok, fail) => {
    const s = connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', fail);
    s.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m === null) return ok(undefined);
      let body: Buffer = all.subarray(end + 4);
      // A file sent compressed is read back as it would be by the client.
      const coding = /\r\ncontent-encoding: *(\S+)/i.exec(head)?.[1];
      if (/\r\ntransfer-encoding: *chunked/i.test(head)) body = unchunk(body);
      if (coding === 'br') body = brotliDecompressSync(body);
      else if (coding === 'gzip') body = gunzipSync(body);
      ok({ status: Number(m[1]), body: body.toString('latin1') });
    });
    s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: ${acceptEncoding}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

/** The bytes of a chunked body. */
function unchunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    const n = parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (!(n > 0)) return Buffer.concat(out);
    out.push(b.subarray(eol + 2, eol + 2 + n));
    at = eol + 2 + n + 2;
  }
}

const PIECES = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '%e0%80%ae',
  '%uff0e',
  '\u2024\u2024',
  '\uff0e\uff0e',
  '%e2%80%a4%e2%80%a4',
  '%ef%bc%8e%ef%bc%8e',
  '/',
  '%2f',
  '%2F',
  '%252f',
  '%5c',
  '\\',
  '%c0%af',
  '%ef%bc%8f',
  '\u2215',
  '%00',
  '%2500',
  '%0a',
  '',
  'css',
  'a.txt',
  'b.txt',
  'link.txt',
  '.env',
  '.env.br',
  'secret.txt',
  'secret.txt.br',
  'static',
  ';',
  '?',
  '#',
  '%3f',
  '%23',
  '~',
];

const pathArb = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((ps) => {
  // Characters a request line cannot hold are sent percent-encoded, as a client would.
  const p = ps.join('');
  return `/static/${[...p].map((ch) => (ch.charCodeAt(0) > 0x7e || ch.charCodeAt(0) <= 0x20 ? encodeURIComponent(ch) : ch)).join('')}`;
});

function leaked(body: string): boolean {
  return body.includes('SECRET');
}

test('property: no URL under /static reads outside the folder, a dotfile or a linked sibling', async () => {
  const app = createApp({ env: 'test', logger: false, static: { dir } });
  const s = await app.listen({ port: 0 });
  const port = new URL(s.url);
  try {
    // Controls: the files the folder does serve come back.
    assert.deepEqual(await raw(port, '/static/a.txt'), { status: 200, body: 'public-a' });
    assert.equal((await raw(port, '/static/b.txt', 'br'))?.body, 'public-b', 'the linked .br sibling is not used');
    await fc.assert(
      fc.asyncProperty(pathArb, fc.constantFrom('identity', 'br', 'gzip, br'), async (path, ae) => {
        const r = await raw(port, path, ae);
        if (r === undefined) return;
        assert.ok(!leaked(r.body), `${path} (${ae}) leaked: ${r.status}`);
        if (r.status === 200) assert.ok(PUBLIC.has(r.body), `${path} (${ae}): 200 with a body that is no public file`);
        else assert.ok(r.status === 404 || r.status === 400 || r.status === 304, `${path}: ${r.status}`);
      }),
      { numRuns: 400, seed: 8 },
    );
  } finally {
    await s.close();
  }
});

test('control: a naive static handler (decode the path and join) is found leaking by the same search', async () => {
  const app = createApp({ env: 'test', logger: false, static: false });
  app.get('/static/*', (req) => {
    try {
      return readFileSync(join(dir, decodeURIComponent(req.path.slice('/static/'.length)))).toString('latin1');
    } catch {
      return 'missing';
    }
  });
  const s = await app.listen({ port: 0 });
  const port = new URL(s.url);
  try {
    let found: string | undefined;
    await fc.assert(
      fc.asyncProperty(pathArb, async (path) => {
        const r = await raw(port, path);
        if (r !== undefined && leaked(r.body)) found ??= path;
      }),
      { numRuns: 400, seed: 8 },
    );
    assert.ok(found !== undefined, 'the search finds a leak in the naive handler');
  } finally {
    await s.close();
  }
});
