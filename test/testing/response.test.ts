// A failing request says what broke: the test client's response carries the error the
// page was made from (code, message, template file and line, stack), expectStatus prints
// it, and the app logs it to stderr in test mode. The error never leaves the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, HttpError, render, TemplateError } from '../../src/index.js';

function templatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-response-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('a template error behind a 500 is on res.error with its file and line, and expectStatus shows it', async (t) => {
  const dir = templatesDir({ 'page.html': '<!doctype html>\n<h1>Notes</h1>\n<p>Hello, {{ user.name }}</p>\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const app = createApp({ env: 'test', logger: false, templates: { dir } });
  app.get('/page', () => render('page.html', {}));
  const res = await app.test().get('/page');
  assert.equal(res.status, 500);
  assert.ok(res.error instanceof TemplateError, String(res.error));
  assert.equal(res.error.code, 'TEMPLATE_UNDEFINED');
  assert.equal(res.error.file, 'page.html');
  assert.equal(res.error.line, 3);
  assert.throws(
    () => res.expectStatus(200),
    (e: Error) => {
      assert.equal(e.name, 'AssertionError');
      assert.match(e.message, /^GET \/page answered 500, expected 200\./);
      assert.match(e.message, /page\.html:3:\d+: .*"user".*\[TEMPLATE_UNDEFINED\]/);
      assert.match(e.message, /\n\s+at /, 'the stack');
      return true;
    },
  );
  // What the client was sent says only the code, as in production.
  assert.doesNotMatch(res.text, /page\.html|user/);
  assert.equal(res.expectStatus(500), res);
});

test("a handler's exception is on res.error with its stack; its message is not in the page", async () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/boom', () => {
    throw new RangeError('the secret ledger is empty');
  });
  const res = await app.test().get('/boom', { headers: { accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.ok(res.error instanceof RangeError);
  assert.match(res.error.stack ?? '', /response\.test\.ts/);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'HTTP_INTERNAL');
  assert.doesNotMatch(res.text, /ledger/);
  assert.throws(() => res.expectStatus(200), /RangeError: the secret ledger is empty\n\s+at .*response\.test\.ts/);
});

test('the error stays in the process: over a socket the page carries no message or stack', async () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/boom', () => {
    throw new Error('the secret ledger is empty');
  });
  const server = await app.listen({ port: 0 });
  try {
    const text = await (await fetch(`${server.url}/boom`)).text();
    assert.doesNotMatch(text, /ledger|at .*\.ts/);
    assert.match(text, /HTTP_INTERNAL/);
  } finally {
    await server.close();
  }
});

test('refused requests and error handlers keep their error; a plain response has none', async () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/teapot', () => {
    throw new HttpError('HTTP_BAD_REQUEST', 'No tea here.');
  });
  app.get('/handled', () => {
    throw new TypeError('handled below');
  });
  app.onError(TypeError, () => 'sorry');
  app.post('/form', () => 'ok');
  const c = app.test();
  const bad = await c.get('/teapot');
  assert.equal(bad.status, 400);
  assert.equal((bad.error as HttpError).code, 'HTTP_BAD_REQUEST');
  assert.throws(() => bad.expectStatus(200), /\[HTTP_BAD_REQUEST, see docs\/errors\/HTTP_BAD_REQUEST\.md\] HttpError: No tea here\./);
  const handled = await c.get('/handled');
  assert.equal(handled.status, 500);
  assert.equal(handled.text, 'sorry');
  assert.match(String(handled.error), /TypeError: handled below/);
  const refused = await c.post('/form', { csrf: false });
  assert.equal(refused.status, 403);
  assert.equal((refused.error as HttpError).code, 'CSRF_TOKEN_MISSING');
  const ok = await c.get('/missing');
  assert.equal(ok.status, 404);
  const fine = await c.post('/form');
  assert.equal(fine.error, undefined);
  // Without an error, the assertion quotes the body.
  fine.expectStatus(200);
  assert.throws(() => fine.expectStatus(201), /POST \/form answered 200, expected 201\.\nIts body: ok/);
});

test('test mode logs a failing request at error level to stderr, readably, with the stack', async () => {
  const app = createApp({ env: 'test' });
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  app.get('/fine', () => 'fine');
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await app.test().get('/fine');
    await app.test().get('/boom');
  } finally {
    process.stderr.write = write;
  }
  const text = written.join('');
  assert.match(text, /ERROR request failed .*method=GET path=\/boom/);
  assert.match(text, /\n\s+Error: kaput\n\s+at /);
  assert.doesNotMatch(text, /\/fine/, 'requests that succeed are not logged in test mode');
  assert.equal(app.isLogging('error'), true);
  assert.equal(app.isLogging('warn'), false);
});
