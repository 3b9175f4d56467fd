// Request ids: X-Request-Id is believed only from a trusted proxy (trustProxy), and only
// when it looks like an id; otherwise each request gets a random UUID. The id is echoed
// in the response, is req.id, and is on every log line of the request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function app(trustProxy: boolean) {
  const a = createApp({ env: 'test', logger: false, trustProxy });
  a.get('/', (req) => ({ id: req.id }));
  a.get('/missing-page', () => {
    throw new Error('x');
  });
  return a.test();
}

test('every response gets a fresh id, error pages too; it is req.id', async () => {
  const c = app(false);
  const a = await c.get('/');
  const b = await c.get('/');
  assert.match(a.header('x-request-id')!, UUID);
  assert.equal(a.json<{ id: string }>().id, a.header('x-request-id'));
  assert.notEqual(a.header('x-request-id'), b.header('x-request-id'));
  assert.match((await c.get('/nowhere')).header('x-request-id')!, UUID);
  assert.match((await c.get('/missing-page')).header('x-request-id')!, UUID);
});

test("a client's own X-Request-Id is not believed without a trusted proxy; a trusted proxy's is", async () => {
  // The attack: a client names its request after another one, to confuse the logs.
  const forged = { headers: { 'x-request-id': 'victim-request-7' } };
  const direct = await app(false).get('/', forged);
  assert.notEqual(direct.header('x-request-id'), 'victim-request-7');
  assert.match(direct.header('x-request-id')!, UUID);
  // The control: behind a trusted proxy, which sets the header itself, the same header is kept.
  const proxied = await app(true).get('/', forged);
  assert.equal(proxied.header('x-request-id'), 'victim-request-7');
  assert.equal(proxied.json<{ id: string }>().id, 'victim-request-7');
});

test('a trusted id must look like one: anything else gets a generated id', async () => {
  const c = app(true);
  for (const bad of ['', 'has space', 'a'.repeat(129), 'quote"d', 'semi;colon', 'new\u00e9', 'a, b']) {
    const res = await c.get('/', { headers: { 'x-request-id': bad } });
    assert.match(res.header('x-request-id')!, UUID, JSON.stringify(bad));
  }
  for (const good of ['f3b6c1d2-aaaa-4bbb-8ccc-0123456789ab', 'Root=1-67891233-abcdef012345678912345678', 'abc.DEF_123:4/5+6=']) {
    assert.equal((await c.get('/', { headers: { 'x-request-id': good } })).header('x-request-id'), good);
  }
});
