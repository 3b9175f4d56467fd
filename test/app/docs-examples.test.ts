// The examples of docs/deployment.md#logging and docs/deployment.md#serving-with-appfetch, run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test("request log example: the proxy's request id, on the response and the log line; the card redacted", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-reqlog-'));
  process.env.LOG_FILE = join(dir, 'app.log');
  try {
    const { app } = await import('../../docs/examples/deployment/request-log.js');
    const res = await app.test().post('/pay', { json: { card: '4111 1111 1111 1111' }, headers: { 'x-request-id': 'lb-7f3a' } });
    assert.deepEqual(res.expectStatus(200).json(), { receipt: 'lb-7f3a' });
    assert.equal(res.header('x-request-id'), 'lb-7f3a');
    const lines = readFileSync(process.env.LOG_FILE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const paid = lines.find((l) => l.msg === 'payment taken')!;
    assert.deepEqual([paid.reqId, paid.card], ['lb-7f3a', '[Redacted]']);
    assert.equal(lines.find((l) => l.path === '/pay')!.reqId, 'lb-7f3a');
    const fresh = await app.test().post('/pay', { json: { card: '1' } });
    assert.match(fresh.header('x-request-id')!, /^[0-9a-f-]{36}$/);
  } finally {
    delete process.env.LOG_FILE;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fetch example', async () => {
  const { app, greet } = await import('../../docs/examples/deployment/fetch.js');
  assert.equal(await greet('Ada'), 'Hello, Ada!');
  const res = await app.fetch(new Request('http://localhost/nowhere', { headers: { accept: 'application/json' } }));
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('routing errors example: HttpError, a plain 403, register with a prefix, deleteCookie', async () => {
  const { app } = await import('../../docs/examples/routing/errors.js');
  const c = app.test();
  assert.equal((await c.get('/notes/1')).expectStatus(200).text, 'Groceries');
  const missing = await c.get('/notes/2', { headers: { accept: 'application/json' } });
  assert.deepEqual(missing.expectStatus(404).json<{ error: { code: string; message: string } }>().error.code, 'HTTP_NOT_FOUND');
  assert.equal(missing.json<{ error: { message: string } }>().error.message, 'There is no such note.');
  assert.equal((await c.get('/admin')).expectStatus(403).text, 'Admins only.');
  assert.deepEqual((await c.get('/api/v1/ping')).expectStatus(200).json(), { ok: true });
  assert.equal(app.urlFor('api.ping'), '/api/v1/ping');
  const out = (await c.post('/logout')).expectStatus(204);
  assert.match(out.setCookies[0]!, /^theme=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
});

test("templates example: the app's templates setting, render(), app.render(), globals, filters and a render environment", async () => {
  const { app, reminderEmail } = await import('../../docs/examples/templates/app.js');
  const { welcomeEmail } = await import('../../docs/examples/templates/email.js');
  const page = (await app.test().get('/notes/7')).expectStatus(200);
  assert.match(page.text, /<title>Note 7 · Notes<\/title>/);
  assert.match(page.text, /<p>By AL\. <a href="\/notes\/7">Link<\/a><\/p>/);
  assert.match(page.text, new RegExp(`© ${new Date().getUTCFullYear()} Notes`));
  // The file ends with a line break, which a template drops, as Jinja does.
  assert.equal(reminderEmail('<Milk>'), '<p>Notes reminds you of “&lt;Milk&gt;”.</p>');
  assert.equal(welcomeEmail('<Ada>'), '<p>Welcome, &lt;Ada&gt;. <a href="https://notes.example/notes/1">Your first note</a></p>');
  assert.deepEqual(app.templates!.precompile().sort(), ['note.html', 'reminder.html', 'welcome.html']);
});
