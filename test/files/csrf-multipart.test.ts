// An upload form's CSRF token travels as the `csrf_token` multipart field. The CSRF check
// reads it before the handler; req.files() then parses the same body. Without the token
// the upload is refused (403) and leaves no file behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, csrfToken } from '../../src/index.js';
import { MULTIPART_TYPE, filesUnder, freshTmp, multipart, removeDir } from './helpers.js';

const tmpDir = freshTmp();
after(() => removeDir(tmpDir));

const app = createApp({ env: 'test', secretKey: 'files-csrf-test-secret'.padEnd(40, 'x'), uploads: { tmpDir } });
app.get('/form', async (req) => {
  await req.session.set('user', 'ada');
  return { token: csrfToken() };
});
app.post('/upload', async (req) => {
  const { fields, files } = await req.files();
  return { token: fields.has('csrf_token'), files: files.map((f) => [f.filename, f.size]) };
});

test('the csrf_token field of a multipart form satisfies the CSRF check; the handler gets the files', async () => {
  const c = app.test();
  const { token } = (await c.get('/form')).json<{ token: string }>();
  const body = multipart([
    { name: 'csrf_token', data: token },
    { name: 'doc', filename: 'a.txt', data: 'hello' },
  ]);
  const res = await c.post('/upload', { body, headers: { 'content-type': MULTIPART_TYPE }, csrf: false });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json(), { token: true, files: [['a.txt', 5]] });
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('control: the same upload without the token is refused, and no file is left', async () => {
  const c = app.test();
  await c.get('/form');
  const body = multipart([{ name: 'doc', filename: 'a.txt', data: 'hello' }]);
  const res = await c.post('/upload', { body, headers: { 'content-type': MULTIPART_TYPE }, csrf: false });
  assert.equal(res.status, 403);
  assert.deepEqual(filesUnder(tmpDir), []);
});
