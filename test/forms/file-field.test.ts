// File fields through a real multipart upload: types checked by the file's first bytes
// (a script declared as image/png is refused; a PNG declared as text/plain is a PNG), size,
// required, several files in a list, and the CSRF token travelling as a multipart field.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, csrfToken, defineForm, fields as f } from '../../src/index.js';
import { MULTIPART_TYPE, filesUnder, freshTmp, multipart, removeDir, type Part } from '../files/helpers.js';

const tmpDir = freshTmp();
after(() => removeDir(tmpDir));

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
const HTML = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');

const form = defineForm({
  caption: f.string({ maxLength: 50 }).optional(),
  avatar: f.file({ maxSize: 1000, types: ['image/png', 'image/jpeg'] }),
  attachments: f.list(f.file({ types: ['image/*', 'text/plain'] }), { max: 2 }).optional(),
});

const app = createApp({ env: 'test', secretKey: 'forms-file-secret'.padEnd(40, 'x'), uploads: { tmpDir } });
app.get('/token', () => ({ token: csrfToken() }));
let handled = 0; // how many requests reached the handler
app.post('/upload', async (req) => {
  handled++;
  const r = await form.validate(req);
  if (!r.ok) return { ok: false, errors: r.errors, formErrors: r.formErrors, values: r.values };
  return {
    ok: true,
    avatar: [r.data.avatar.filename, r.data.avatar.sniffedType, r.data.avatar.size],
    attachments: r.data.attachments.map((a) => a.filename),
    caption: r.data.caption ?? null,
  };
});

async function send(parts: Part[], withToken = true): Promise<Record<string, unknown>> {
  const c = app.test();
  const token = (await c.get('/token')).json<{ token: string }>().token;
  const body = multipart(withToken ? [{ name: 'csrf_token', data: token }, ...parts] : parts);
  const res = await c.post('/upload', { body, headers: { 'content-type': MULTIPART_TYPE }, csrf: false });
  if (!withToken) return { status: res.status };
  assert.equal(res.status, 200, res.text);
  return res.json();
}

test('a PNG is accepted, typed by its bytes whatever the browser declared', async () => {
  const r = await send([
    { name: 'caption', data: 'me' },
    { name: 'avatar', filename: 'me.png', contentType: 'text/plain', data: PNG },
  ]);
  assert.deepEqual(r, { ok: true, avatar: ['me.png', 'image/png', PNG.length], attachments: [], caption: 'me' });
});

test('HTML declared as image/png is refused; too large, missing and two files are refused', async () => {
  const rows: [string, Part[], RegExp][] = [
    ['spoofed type', [{ name: 'avatar', filename: 'x.png', contentType: 'image/png', data: HTML }], /of type image\/png, image\/jpeg/],
    ['too large', [{ name: 'avatar', filename: 'big.jpg', contentType: 'image/jpeg', data: Buffer.concat([JPEG, Buffer.alloc(1000)]) }], /at most 1000 bytes/],
    ['missing', [{ name: 'caption', data: 'x' }], /required/],
    ['empty file input', [{ name: 'avatar', filename: '', contentType: 'application/octet-stream', data: '' }], /required/],
    ['a text value, not a file', [{ name: 'avatar', data: 'C:\\fakepath\\x.png' }], /required/],
    [
      'two files',
      [
        { name: 'avatar', filename: 'a.png', data: PNG },
        { name: 'avatar', filename: 'b.png', data: PNG },
      ],
      /one file/,
    ],
  ];
  for (const [label, parts, msg] of rows) {
    const r = (await send(parts)) as { ok: boolean; errors: Record<string, string[]> };
    assert.equal(r.ok, false, label);
    assert.match(r.errors.avatar?.join(' ') ?? '', msg, label);
  }
});

test('a list of files: image/* by bytes (never SVG), text/plain by declared type, at most 2', async () => {
  const svg = { name: 'attachments', filename: 'a.svg', contentType: 'image/svg+xml', data: '<svg onload="alert(1)"/>' };
  const ok = await send([
    { name: 'avatar', filename: 'a.png', data: PNG },
    { name: 'attachments', filename: 'p.jpg', data: JPEG },
    { name: 'attachments', filename: 'n.txt', contentType: 'text/plain', data: 'notes' },
  ]);
  assert.deepEqual(ok.attachments, ['p.jpg', 'n.txt']);
  const bad = (await send([{ name: 'avatar', filename: 'a.png', data: PNG }, svg])) as { errors: Record<string, string[]> };
  assert.match(bad.errors.attachments!.join(), /of type/);
  const many = (await send([
    { name: 'avatar', filename: 'a.png', data: PNG },
    ...[1, 2, 3].map((i) => ({ name: 'attachments', filename: `${i}.jpg`, data: JPEG })),
  ])) as {
    errors: Record<string, string[]>;
  };
  assert.match(many.errors.attachments!.join(), /at most 2/);
});

test('without the token field the upload is refused before the handler, and no byte of it is stored', async () => {
  const before = handled;
  const c = app.test();
  const res = await c.post('/upload', {
    body: multipart([{ name: 'avatar', filename: 'a.png', data: PNG }]),
    headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' },
    csrf: false,
  });
  assert.equal(res.status, 403);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_MISSING');
  assert.equal(handled, before, 'the handler ran');
  assert.deepEqual(filesUnder(tmpDir), [], 'the refused file was written to the upload folder');
  // Control: the same upload with its token reaches the handler.
  assert.equal((await send([{ name: 'avatar', filename: 'a.png', data: PNG }])).ok, true);
  assert.equal(handled, before + 1);
});

test("on a route exempt from the CSRF protection, the form checks an upload's token itself: it must come before the files", async () => {
  const exempt = createApp({ env: 'test', secretKey: 'forms-file-secret'.padEnd(40, 'x'), uploads: { tmpDir } });
  exempt.get('/token', () => ({ token: csrfToken() }));
  exempt.post(
    '/upload',
    async (req) => {
      await req.files(); // the handler parses the whole body first; the form's check comes after
      const r = await form.validate(req);
      return { ok: r.ok, csrfFailed: !r.ok && r.csrfFailed === true };
    },
    { csrf: false },
  );
  const c = exempt.test();
  const token = (await c.get('/token')).json<{ token: string }>().token;
  const avatar: Part = { name: 'avatar', filename: 'me.png', data: PNG };
  const first = await c.post('/upload', {
    body: multipart([{ name: 'csrf_token', data: token }, avatar]),
    headers: { 'content-type': MULTIPART_TYPE },
    csrf: false,
  });
  assert.deepEqual(first.json(), { ok: true, csrfFailed: false });
  const last = await c.post('/upload', {
    body: multipart([avatar, { name: 'csrf_token', data: token }]),
    headers: { 'content-type': MULTIPART_TYPE },
    csrf: false,
  });
  assert.deepEqual(last.json(), { ok: false, csrfFailed: true });
});
