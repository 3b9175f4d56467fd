// Runs the example of docs/files.md.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MULTIPART_TYPE, freshTmp, multipart, removeDir } from './helpers.js';

const uploads = freshTmp();
after(() => removeDir(uploads));

test('files example: upload, download as attachment, inline image, traversal refused', async () => {
  process.env.UPLOAD_DIR = uploads;
  const { app } = await import('../../docs/examples/files/app.js');
  const c = app.test();
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const res = await c.post('/attachments', {
    body: multipart([
      { name: 'note', data: 'see attached' },
      { name: 'file', filename: '../Résumé 2024.html', contentType: 'text/html', data: '<script>alert(1)</script>' },
      { name: 'file', filename: 'photo.png', contentType: 'image/png', data: png },
    ]),
    headers: { 'content-type': MULTIPART_TYPE },
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json(), {
    note: 'see attached',
    saved: [
      { name: 'Résumé 2024.html', stored: 'Resume_2024.html', size: 25 },
      { name: 'photo.png', stored: 'photo.png', size: png.length },
    ],
  });
  assert.equal(readFileSync(join(uploads, 'Resume_2024.html'), 'utf8'), '<script>alert(1)</script>');

  const html = await c.get('/attachments/Resume_2024.html');
  assert.equal(html.header('content-type'), 'application/octet-stream');
  assert.equal(html.header('content-disposition'), 'attachment; filename="Resume_2024.html"');
  const img = await c.get('/attachments/photo.png?inline');
  assert.equal(img.header('content-type'), 'image/png');
  assert.match(img.header('content-disposition')!, /^inline;/);
  assert.equal((await c.get('/attachments/..%2f..%2fetc%2fpasswd')).status, 404);

  const tooMany = await c.post('/attachments', {
    body: multipart([1, 2, 3, 4].map((i) => ({ name: 'file', filename: `${i}.txt`, data: 'x' }))),
    headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' },
  });
  assert.equal(tooMany.status, 413);
  assert.equal(tooMany.json<{ error: { code: string } }>().error.code, 'UPLOAD_TOO_MANY_FILES');
});

test('limits example: a route that takes uploads reads 2 MiB; one that takes none stops at maxBodySize; form limits hold in multipart', async () => {
  const { app } = await import('../../docs/examples/files/limits.js');
  const c = app.test();
  const big = multipart([
    { name: 'theme', data: 'dark' },
    { name: 'photo', filename: 'p.jpg', data: Buffer.alloc(2 * 1024 * 1024, 1) },
  ]);
  const photos = await c.post('/photos', { body: big, headers: { 'content-type': MULTIPART_TYPE } });
  assert.deepEqual(photos.json(), { photos: 1 });
  const settings = await c.post('/settings', { body: big, headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' } });
  assert.equal(settings.status, 413);
  assert.equal(settings.json<{ error: { code: string } }>().error.code, 'BODY_TOO_LARGE');
  const small = await c.post('/settings', { body: multipart([{ name: 'theme', data: 'dark' }]), headers: { 'content-type': MULTIPART_TYPE } });
  assert.deepEqual(small.json(), { theme: 'dark' });
  const longValue = multipart([{ name: 'theme', data: 'x'.repeat(20_001) }]);
  const refused = await c.post('/photos', { body: longValue, headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' } });
  assert.equal(refused.json<{ error: { code: string } }>().error.code, 'FORM_VALUE_TOO_LONG');
});
