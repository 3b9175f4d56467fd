// Uploads in a real browser. Chromium uploads an HTML file, an SVG carrying a script and a
// text file that starts with <script>, through an ordinary multipart form; then opens each
// download URL. Served by sendUpload, each one is a download: no script runs and nothing
// renders as a page. The control serves the very same saved files the naive way (inline,
// type from the extension, and for the text file no type at all, so the browser sniffs)
// and shows every script running. A real PNG shown with { inline: true } still displays.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { createApp } from '../src/index.js';
import type { RunningServer } from '../src/adapters/node.js';
import { escapeHTML } from '../src/escape/html.js';
import { Response } from '../src/http/response.js';
import { sendUpload } from '../src/files/send-upload.js';

const work = mkdtempSync(join(tmpdir(), 'palisade-e2e-uploads-'));
const uploadDir = join(work, 'uploads');
const clientDir = join(work, 'client');
const PNG_1x1 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f9' + '5b4b0000000049454e44ae426082',
  'hex',
);
/** Each hostile file announces itself on the console if its script ever runs. */
const HOSTILE: Record<string, string> = {
  'evil.html': '<!doctype html><title>evil</title><script>console.log("PWNED:evil.html")</script><p id="rendered">rendered</p>',
  'evil.svg':
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>console.log("PWNED:evil.svg")</script><rect width="10" height="10"/></svg>',
  'evil.txt': '<script>console.log("PWNED:evil.txt")</script> just some notes',
};

interface Stored {
  id: number;
  name: string;
  path: string;
}

let browser: Browser;
let palisade: RunningServer;
let naive: Server;
let naiveUrl: string;
const stored: Stored[] = [];

before(async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(uploadDir);
  mkdirSync(clientDir);
  for (const [name, body] of Object.entries(HOSTILE)) writeFileSync(join(clientDir, name), body);
  writeFileSync(join(clientDir, 'dot.png'), PNG_1x1);

  const app = createApp({ env: 'test', uploads: { tmpDir: work } });
  app.get('/', () =>
    Response.unsafeHTML(
      '<!doctype html><form method="post" action="/upload" enctype="multipart/form-data">' +
        '<input type="file" name="files" multiple><button>Upload</button></form>',
    ),
  );
  // The browser's form carries no CSRF token in this test; CSRF has its own e2e suite.
  app.post(
    '/upload',
    async (req) => {
      const { files } = await req.files();
      for (const f of files) {
        const path = await f.save(uploadDir);
        stored.push({ id: stored.length + 1, name: f.filename, path });
      }
      return Response.redirect('/list', { status: 303 });
    },
    { csrf: false, uploads: true },
  );
  app.get('/list', () =>
    Response.unsafeHTML(
      '<!doctype html><ul>' +
        stored.map((s) => `<li><a data-name="${escapeHTML(s.name)}" href="/files/${s.id}">${escapeHTML(s.name)}</a></li>`).join('') +
        '</ul>',
    ),
  );
  app.get('/files/:id', (req) => {
    const s = stored.find((x) => String(x.id) === req.params.id);
    if (s === undefined) return Response.text('no such file', { status: 404 });
    return sendUpload(req, s.path, { filename: s.name, inline: req.query.has('inline') });
  });
  app.get('/gallery/:id', (req) => Response.unsafeHTML(`<!doctype html><img id="img" src="/files/${encodeURIComponent(req.params.id)}?inline">`));
  palisade = await app.listen({ port: 0 });

  // The control: a bare node:http server that serves the same saved files inline, typed
  // by extension, with no nosniff, and the text file with no Content-Type at all.
  const TYPES: Record<string, string> = { '.html': 'text/html', '.svg': 'image/svg+xml' };
  naive = createServer((req, res) => {
    const s = stored.find((x) => `/files/${x.id}` === req.url);
    if (s === undefined) return res.writeHead(404).end();
    const type = TYPES[extname(s.path)];
    res.writeHead(200, type === undefined ? {} : { 'content-type': type });
    res.end(readFileSync(s.path));
  });
  await new Promise<void>((r) => naive.listen(0, '127.0.0.1', r));
  const addr = naive.address() as { port: number };
  naiveUrl = `http://127.0.0.1:${addr.port}`;

  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await palisade?.close();
  await new Promise((r) => naive?.close(r));
  rmSync(work, { recursive: true, force: true });
});

async function uploadAll(page: Page): Promise<Map<string, string>> {
  await page.goto(`${palisade.url}/`);
  await page.setInputFiles(
    'input[type=file]',
    [...Object.keys(HOSTILE), 'dot.png'].map((n) => join(clientDir, n)),
  );
  await Promise.all([page.waitForURL(`${palisade.url}/list`), page.click('button')]);
  const links = await page.$$eval('a', (as) => as.map((a) => [a.getAttribute('data-name')!, a.getAttribute('href')!] as [string, string]));
  return new Map(links);
}

test('uploaded HTML, SVG and text open as downloads: no script runs, nothing renders', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  const links = await uploadAll(page);
  assert.deepEqual([...links.keys()].sort(), ['dot.png', 'evil.html', 'evil.svg', 'evil.txt']);

  for (const name of Object.keys(HOSTILE)) {
    await page.goto('about:blank');
    const url = `${palisade.url}${links.get(name)}`;
    const download = page.waitForEvent('download');
    // Navigating to an attachment starts a download and aborts the navigation.
    await page.goto(url).then(
      () => assert.fail(`${name} was navigated to, not downloaded`),
      (err: Error) => assert.match(err.message, /Download is starting|ERR_ABORTED/),
    );
    const d = await download;
    assert.equal(d.suggestedFilename(), name);
    assert.equal(page.url(), 'about:blank', `${name}: the page stayed where it was`);
    assert.ok(!(await page.content()).includes('PWNED'), `${name} did not render`);
  }
  // Also what a direct fetch sees: the headers that keep the browser from rendering.
  const res = await page.request.get(`${palisade.url}${links.get('evil.svg')}`);
  assert.equal(res.headers()['content-type'], 'application/octet-stream');
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');
  assert.match(res.headers()['content-security-policy']!, /sandbox/);
  assert.deepEqual(
    consoleLines.filter((l) => l.startsWith('PWNED')),
    [],
    'no uploaded script ran',
  );
  await ctx.close();
});

test('a real PNG shown with { inline: true } displays as an image', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const id = stored.find((s) => s.name === 'dot.png')!.id;
  await page.goto(`${palisade.url}/gallery/${id}`);
  await page.waitForFunction(() => (document.getElementById('img') as HTMLImageElement).complete);
  assert.equal(await page.$eval('#img', (img) => (img as HTMLImageElement).naturalWidth), 1);
  await ctx.close();
});

test('control: the same files served naively run their scripts in the browser', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  for (const name of Object.keys(HOSTILE)) {
    const id = stored.find((s) => s.name === name)!.id;
    const ran = page.waitForEvent('console', { predicate: (m) => m.text() === `PWNED:${name}` });
    await page.goto(`${naiveUrl}/files/${id}`);
    await ran;
  }
  await ctx.close();
});
