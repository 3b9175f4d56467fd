// sendUpload: every upload is an attachment with nosniff, a sandbox CSP and an allow-listed
// type; inline only for raster images whose bytes match. Controls show what a naive
// sendFile would have sent for the same files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, sendFile, sendUpload } from '../../src/index.js';
import { contentDisposition } from '../../src/files/send-upload.js';
import { sniffType } from '../../src/files/content-sniff.js';
import { freshTmp, removeDir } from './helpers.js';

const dir = freshTmp();
after(() => removeDir(dir));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const FILES: Record<string, string | Buffer> = {
  'page.html': '<script>alert(1)</script>',
  'logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  'notes.txt': 'plain <script>alert(1)</script>',
  'photo.png': PNG,
  'fake.png': '<html><script>alert(1)</script>',
  'photo.jpg': JPEG,
  'doc.pdf': '%PDF-1.7\n',
  'app.js': 'alert(1)',
  noext: 'x',
};
for (const [name, data] of Object.entries(FILES)) writeFileSync(join(dir, name), data);

const app = createApp({ env: 'test' });
app.get('/u/:name', (req) => sendUpload(req, join(dir, req.params.name), { filename: req.params.name, inline: req.query.has('inline') }));
app.get('/typed/:name', (req) => sendUpload(req, join(dir, req.params.name), { filename: 'x', contentType: req.query.get('type') }));
app.get('/naive/:name', (req) => sendFile(req, join(dir, req.params.name)));
const client = app.test();

const EXPECTED_TYPE: Record<string, string> = {
  'page.html': 'application/octet-stream',
  'logo.svg': 'application/octet-stream',
  'notes.txt': 'text/plain; charset=utf-8',
  'photo.png': 'image/png',
  'fake.png': 'image/png',
  'photo.jpg': 'image/jpeg',
  'doc.pdf': 'application/pdf',
  'app.js': 'application/octet-stream',
  noext: 'application/octet-stream',
};

for (const [name, type] of Object.entries(EXPECTED_TYPE)) {
  test(`sendUpload ${name}: attachment, nosniff, sandbox CSP, ${type}`, async () => {
    const res = await client.get(`/u/${name}`);
    assert.equal(res.status, 200);
    assert.equal(res.header('content-type'), type);
    assert.match(res.header('content-disposition')!, /^attachment; filename="/);
    assert.equal(res.header('x-content-type-options'), 'nosniff');
    assert.match(res.header('content-security-policy')!, /(^|, )sandbox; default-src 'none'(,|$)/);
    assert.ok(res.body.equals(Buffer.from(FILES[name]!)));
  });
}

test('control: a naive sendFile labels the same HTML and SVG as documents the browser renders', async () => {
  assert.equal((await client.get('/naive/page.html')).header('content-type'), 'text/html; charset=utf-8');
  assert.equal((await client.get('/naive/logo.svg')).header('content-type'), 'image/svg+xml');
  assert.equal((await client.get('/naive/page.html')).header('content-disposition'), undefined);
});

test('sendUpload inline: a real PNG or JPEG is shown inline', async () => {
  for (const name of ['photo.png', 'photo.jpg']) {
    const res = await client.get(`/u/${name}?inline`);
    assert.match(res.header('content-disposition')!, /^inline; filename="/, name);
    assert.equal(res.header('content-type'), EXPECTED_TYPE[name]);
  }
});

test('sendUpload inline: refused (attachment) for HTML named .png, for SVG, text and PDF', async () => {
  for (const name of ['fake.png', 'logo.svg', 'notes.txt', 'doc.pdf', 'page.html']) {
    const res = await client.get(`/u/${name}?inline`);
    assert.match(res.header('content-disposition')!, /^attachment;/, name);
  }
});

test('sendUpload contentType: only allow-listed types pass; parameters are replaced', async () => {
  const T: [string, string][] = [
    ['image/png', 'image/png'],
    ['IMAGE/PNG', 'image/png'],
    ['text/plain; charset=iso-8859-1', 'text/plain; charset=utf-8'],
    ['text/html', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['text/xml', 'application/octet-stream'],
    ['application/javascript', 'application/octet-stream'],
  ];
  for (const [given, sent] of T) {
    const res = await client.get(`/typed/notes.txt?type=${encodeURIComponent(given)}`);
    assert.equal(res.header('content-type'), sent, given);
  }
});

test('contentDisposition: ASCII fallback plus RFC 8187 filename*', () => {
  const T: [string, string][] = [
    ['report.pdf', 'attachment; filename="report.pdf"'],
    ['résumé.pdf', `attachment; filename="resume.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`],
    ['文件.pdf', `attachment; filename="download.pdf"; filename*=UTF-8''%E6%96%87%E4%BB%B6.pdf`],
    ['a "quoted" name.txt', `attachment; filename="a_quoted_name.txt"; filename*=UTF-8''a%20%22quoted%22%20name.txt`],
    ['../../etc/passwd', `attachment; filename="etc_passwd"; filename*=UTF-8''.._.._etc_passwd`],
    ['evil\r\nSet-Cookie: x=1', `attachment; filename="evilSet-Cookie_x1"; filename*=UTF-8''evilSet-Cookie%3A%20x%3D1`],
    ["it's (1)*.txt", `attachment; filename="its_1.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`],
    ['', 'attachment; filename="download"'],
    ['\ud800broken.txt', `attachment; filename="broken.txt"; filename*=UTF-8''%EF%BF%BDbroken.txt`],
  ];
  for (const [name, want] of T) assert.equal(contentDisposition('attachment', name), want, JSON.stringify(name));
});

test('sniffType: signatures, and nothing else', () => {
  const T: [Buffer, string | undefined][] = [
    [PNG, 'image/png'],
    [JPEG, 'image/jpeg'],
    [Buffer.from('GIF89a....'), 'image/gif'],
    [Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'image/webp'],
    [Buffer.from('\0\0\0\x1cftypavif'), 'image/avif'],
    [Buffer.from('BM\0\0\0\0\0\0\0\0\0\0\0\0'), 'image/bmp'],
    [Buffer.from('%PDF-1.4'), 'application/pdf'],
    [Buffer.from('<svg'), undefined],
    [Buffer.from('<html>'), undefined],
    [Buffer.from('\x89PN'), undefined],
    [Buffer.alloc(0), undefined],
  ];
  for (const [b, want] of T) assert.equal(sniffType(b), want, b.toString('hex'));
});

test('sendUpload: a missing file is a 404; options without filename are a TypeError', async () => {
  assert.equal((await client.get('/u/missing.txt')).status, 404);
  await assert.rejects(sendUpload({} as never, join(dir, 'notes.txt'), {} as never), TypeError);
});
