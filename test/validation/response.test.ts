// Response schemas: checked in development and test (a 500 naming the route and the issue),
// skipped in production unless asked, and never changing what is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { createApp, jsonify, Response, type AppOptions, type PalisadeError } from '../../src/index.js';

const Note = z.object({ id: z.number().int(), title: z.string() });
const prod: AppOptions = { env: 'production', secretKey: randomBytes(32).toString('base64url'), allowedHosts: ['localhost'], logger: false };

function notesApp(options: AppOptions) {
  const app = createApp(options);
  const bad = { id: 'seven', title: 'x' } as unknown as z.input<typeof Note>;
  app.get('/good', () => ({ id: 1, title: 'a', extra: 'kept' }), { schema: { response: Note } });
  app.get('/bad', () => bad, { schema: { response: Note } });
  app.get('/bad-async', async () => bad, { schema: { response: Note } });
  app.post('/created', () => jsonify({ id: 'x' }, { status: 201 }), { schema: { response: { 201: Note } } });
  app.get('/other-status', () => jsonify({ nope: true }, { status: 404 }), { schema: { response: { 200: Note } } });
  app.get('/text', () => new Response('plain', { status: 200 }), { schema: { response: Note } });
  app.get('/fetch-response', () => globalThis.Response.json({ id: 'z' }), { schema: { response: Note } });
  app.get('/async-schema', () => ({ id: 1, title: 'a' }), {
    schema: { response: Note.refine(async (n) => (await Promise.resolve(n.title)) !== 'a', 'title must not be "a"') },
  });
  return app;
}

test('in test mode a response that breaks its schema is a 500 naming the route and the issue', async () => {
  const c = notesApp({ env: 'test', logger: false }).test();
  const good = await c.get('/good');
  assert.equal(good.status, 200);
  assert.deepEqual(good.json(), { id: 1, title: 'a', extra: 'kept' }, 'the check never changes what is sent');
  for (const [path, route, status] of [
    ['/bad', 'GET /bad', 200],
    ['/bad-async', 'GET /bad-async', 200],
    ['/created', 'POST /created', 201],
    ['/fetch-response', 'GET /fetch-response', 200],
  ] as const) {
    const r = path === '/created' ? await c.post(path) : await c.get(path);
    assert.equal(r.status, 500, path);
    const e = r.error as PalisadeError;
    assert.equal(e.code, 'VALIDATION_RESPONSE', path);
    assert.match(e.message, new RegExp(`^The response of ${route} \\(status ${status}\\) does not match its schema: response\\.id: `), path);
  }
  assert.equal((await c.get('/other-status')).status, 404, 'a status without a schema is not checked');
  const text = await c.get('/text');
  assert.equal(text.status, 500);
  assert.match(text.error!.message, /must be JSON; the handler sent text\/plain/);
  const asyncSchema = await c.get('/async-schema');
  assert.equal(asyncSchema.status, 500);
  assert.match(asyncSchema.error!.message, /title must not be "a"/);
});

test('development shows the issue on the error page', async () => {
  const r = await notesApp({ env: 'development', logger: false })
    .test()
    .get('/bad', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 500);
  assert.match(r.text, /VALIDATION_RESPONSE/);
  assert.match(r.text, /GET \/bad/);
});

test('production skips the check unless validation.responses asks for it', async () => {
  const skipped = await notesApp(prod).test().get('/bad');
  assert.equal(skipped.status, 200);
  assert.deepEqual(skipped.json(), { id: 'seven', title: 'x' });
  const checked = await notesApp({ ...prod, validation: { responses: true } })
    .test()
    .get('/bad', { headers: { accept: 'application/json' } });
  assert.equal(checked.status, 500);
  assert.doesNotMatch(checked.text, /seven|GET \/bad/, 'production says nothing of it to the client');
  const off = await notesApp({ env: 'test', logger: false, validation: { responses: false } })
    .test()
    .get('/bad');
  assert.equal(off.status, 200);
});

test('an XSSI-prefixed JSON response is read past its prefix', async () => {
  const app = createApp({ env: 'test', logger: false });
  app.get('/x', () => jsonify({ id: 1, title: 't' }, { xssiPrefix: true }), { schema: { response: Note } });
  app.get('/y', () => jsonify({ id: 'no', title: 't' }, { xssiPrefix: true }), { schema: { response: Note } });
  const c = app.test();
  assert.equal((await c.get('/x')).status, 200);
  assert.equal((await c.get('/y')).status, 500);
});
