// The examples in docs/json.md, run: each claim the page makes about them is checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'parse5';
import { XSSI_PREFIX } from '../../src/index.js';

test('docs/examples/json/app.ts behaves as docs/json.md says', async () => {
  const { app } = await import('../../docs/examples/json/app.js');
  const c = app.test();
  const notes = await c.get('/api/notes');
  assert.equal(notes.header('content-type'), 'application/json; charset=utf-8');
  assert.equal(notes.header('cross-origin-resource-policy'), 'same-origin');
  assert.deepEqual((await c.get('/api/tags')).json(), ['work', 'home']);
  assert.ok((await c.get('/api/legacy/notes')).text.startsWith(XSSI_PREFIX));

  const created = await c.post('/api/notes', { json: { title: 'Second' } });
  assert.equal(created.status, 201);
  assert.deepEqual(created.json(), { note: { id: 2, title: 'Second' } });
  const malformed = await c.post('/api/notes', { body: '{"title": "a",}', headers: { 'content-type': 'application/json', accept: 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.equal(
    (malformed.json() as { error: { message: string } }).error.message,
    'The JSON body is malformed at line 1, column 15: a trailing comma is not allowed.',
  );
  assert.equal((await c.post('/api/notes', { body: '{"title":"x"}', headers: { 'content-type': 'text/plain' } })).status, 415);

  const script = { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'script' };
  assert.equal((await c.get('/api/notes', { headers: script })).status, 403);
  const badge = await c.get('/badge.svg', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' } });
  assert.equal(badge.status, 200);
  assert.equal(badge.header('cross-origin-resource-policy'), 'cross-origin');

  const pre = await c.options('/api/notes', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.header('access-control-allow-credentials'), 'true');
  const evil = await c.get('/api/notes', { headers: { origin: 'https://evil.example' } });
  assert.equal(evil.header('access-control-allow-origin'), undefined);
});

test('docs/examples/json/page.ts keeps hostile values inside the script', async () => {
  const { page } = await import('../../docs/examples/json/page.js');
  const html = page({ name: '</script><script>alert(1)</script>' });
  const doc = parse(html) as unknown as { childNodes: { childNodes?: unknown[] }[] };
  const text = JSON.stringify(doc, (k, v) => (k === 'parentNode' ? undefined : v));
  assert.equal((text.match(/"nodeName":"script"/g) ?? []).length, 1);
  const js = html.slice('<script>'.length, -'</script>'.length);
  assert.deepEqual(new Function(`${js}; return user;`)(), { name: '</script><script>alert(1)</script>' });
});
