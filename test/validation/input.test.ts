// Route schemas on the inputs: the handler gets validated values, any issue in any part is
// one 422 in RFC 9457 shape, coercion happens only where the schema asks, and every reader's
// limits and refusals come before a schema sees anything (attacks with controls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import * as v from 'valibot';
import { createApp, type PalisadeError } from '../../src/index.js';
import type { AnySchema } from '../../src/validation/types.js';

const app = () => createApp({ env: 'test', logger: false });

/** A schema that records every value it is asked about (to show a refusal came first). */
function spy(inner: AnySchema): { schema: AnySchema; seen: unknown[] } {
  const seen: unknown[] = [];
  const schema: AnySchema = { '~standard': { version: 1, vendor: 'spy', validate: (x: unknown) => (seen.push(x), inner['~standard'].validate(x)) } };
  return { schema, seen };
}

const Note = z.object({ title: z.string().trim().min(1).max(200), tags: z.array(z.string()).max(5).default([]) });

test('a valid body reaches the handler as the schema output; an invalid one is a 422 that never does', async () => {
  const a = app();
  let calls = 0;
  a.post(
    '/api/notes',
    (req) => {
      calls++;
      return { title: req.valid.body.title, tags: req.valid.body.tags };
    },
    { schema: { body: Note } },
  );
  const c = a.test();
  const ok = await c.post('/api/notes', { json: { title: '  hello  ' } });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json(), { title: 'hello', tags: [] });

  const bad = await c.post('/api/notes', { json: { title: '', tags: ['a', 1] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.header('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(bad.header('x-content-type-options'), 'nosniff');
  const p = bad.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: string;
    errors: { in: string; path: unknown[]; pointer: string; message: string }[];
  };
  assert.equal(p.type, 'about:blank');
  assert.equal(p.title, 'Unprocessable Content');
  assert.equal(p.status, 422);
  assert.equal(p.code, 'VALIDATION_FAILED');
  assert.match(p.detail, /^The request does not match the schema of POST \/api\/notes: body\.title: .+ \(and 1 more issue\)$/);
  assert.deepEqual(
    p.errors.map((e) => [e.in, e.path, e.pointer]),
    [
      ['body', ['title'], '#/title'],
      ['body', ['tags', 1], '#/tags/1'],
    ],
  );
  assert.ok(p.errors.every((e) => typeof e.message === 'string' && e.message !== ''));
  assert.equal(calls, 1, 'the invalid request never reached the handler');
});

test('every input kind answers in the same shape, all issues in one answer', async () => {
  const a = app();
  a.get('/items/:id', (req) => ({ id: req.valid.params.id, page: req.valid.query.page, key: req.valid.headers['x-api-key'] }), {
    schema: {
      params: z.object({ id: z.string().regex(/^\d+$/) }),
      query: z.object({ page: z.coerce.number().int().min(1) }),
      headers: z.object({ 'x-api-key': z.string().length(8) }),
    },
  });
  const c = a.test();
  const ok = await c.get('/items/42?page=3', { headers: { 'X-Api-Key': 'abcdefgh' } });
  assert.deepEqual(ok.json(), { id: '42', page: 3, key: 'abcdefgh' });
  const bad = await c.get('/items/x?page=0', { headers: { 'X-Api-Key': 'short' } });
  assert.equal(bad.status, 422);
  const errors = (bad.json() as { errors: { in: string; pointer: string }[] }).errors;
  assert.deepEqual(
    errors.map((e) => `${e.in} ${e.pointer}`),
    ['params #/id', 'query #/page', 'headers #/x-api-key'],
  );
  // The same 422 whatever the client accepts: one shape for scripts and browsers.
  const html = await c.get('/items/x?page=1', { headers: { 'X-Api-Key': 'abcdefgh', accept: 'text/html' } });
  assert.equal(html.status, 422);
  assert.match(html.header('content-type')!, /^application\/problem\+json/);
});

test('query values are strings: a number is coerced only where the schema asks (Zod and Valibot)', async () => {
  const cases: [string, AnySchema, AnySchema][] = [
    ['zod', z.object({ n: z.coerce.number() }), z.object({ n: z.number() })],
    ['valibot', v.object({ n: v.pipe(v.string(), v.toNumber()) }), v.object({ n: v.number() })],
  ];
  for (const [lib, coercing, strict] of cases) {
    const a = app();
    a.get('/coerced', (req) => ({ n: (req.valid as { query: { n: unknown } }).query.n }), { schema: { query: coercing } });
    a.get('/strict', (req) => ({ n: (req.valid as { query: { n: unknown } }).query.n }), { schema: { query: strict } });
    const c = a.test();
    assert.deepEqual((await c.get('/coerced?n=3')).json(), { n: 3 }, lib);
    const r = await c.get('/strict?n=3');
    assert.equal(r.status, 422, `${lib}: "3" is not silently made a number`);
  }
});

test('the coercions docs/validation.md recommends read text as it means (and the ones it warns of do not)', async () => {
  const bools: [string, AnySchema][] = [
    ['zod stringbool', z.object({ b: z.stringbool() })],
    [
      'valibot picklist',
      v.object({
        b: v.pipe(
          v.picklist(['true', 'false']),
          v.transform((s) => s === 'true'),
        ),
      }),
    ],
  ];
  for (const [name, schema] of bools) {
    const a = app();
    a.get('/b', (req) => ({ b: (req.valid as { query: { b: boolean } }).query.b }), { schema: { query: schema } });
    const c = a.test();
    assert.deepEqual((await c.get('/b?b=true')).json(), { b: true }, name);
    assert.deepEqual((await c.get('/b?b=false')).json(), { b: false }, name);
  }
  // What the page warns of: both read "false" as true.
  assert.equal(z.coerce.boolean().parse('false'), true);
  assert.equal(v.parse(v.pipe(v.string(), v.toBoolean()), 'false'), true);
});

test('a name sent twice is a list; a name the schema declares as an array is a list when sent once', async () => {
  const a = app();
  a.get('/search', (req) => ({ tags: req.valid.query.tags, q: req.valid.query.q ?? null }), {
    schema: { query: z.object({ tags: z.array(z.string()).default([]), q: z.string().optional() }) },
  });
  const c = a.test();
  assert.deepEqual((await c.get('/search?tags=a')).json(), { tags: ['a'], q: null });
  assert.deepEqual((await c.get('/search?tags=a&tags=b&q=x')).json(), { tags: ['a', 'b'], q: 'x' });
  assert.equal((await c.get('/search?q=x&q=y')).status, 422);
});

test('limits come first: a body too large, too deep, of the wrong type or malformed never reaches the schema', async () => {
  const a = app();
  const s = spy(z.object({ x: z.unknown() }));
  a.post('/in', () => ({ ok: true }), { schema: { body: s.schema }, maxBodySize: 64 });
  const c = a.test();
  const cases: [string, Parameters<typeof c.post>[1], number, string][] = [
    ['too large', { json: { x: 'a'.repeat(100) } }, 413, 'BODY_TOO_LARGE'],
    ['text/plain', { body: '{"x":1}', headers: { 'content-type': 'text/plain' } }, 415, 'BODY_UNSUPPORTED_MEDIA_TYPE'],
    ['malformed', { body: '{"x":', headers: { 'content-type': 'application/json' } }, 400, 'BODY_MALFORMED'],
  ];
  for (const [name, opts, status, code] of cases) {
    const r = await c.post('/in', opts);
    assert.equal(r.status, status, name);
    assert.equal((r.error as PalisadeError).code, code, name);
  }
  const deep = createApp({ env: 'test', logger: false });
  deep.post('/in', () => ({ ok: true }), { schema: { body: s.schema } });
  const r = await deep.test().post('/in', { json: { x: JSON.parse('['.repeat(70) + ']'.repeat(70)) } });
  assert.equal(r.status, 400);
  assert.match(r.error!.message, /nests deeper than 64/);
  assert.deepEqual(s.seen, [], 'the schema saw none of them');
});

test('the form limits hold on a validated query', async () => {
  const a = createApp({ env: 'test', logger: false, forms: { maxFields: 10 } });
  const s = spy(z.record(z.string(), z.string()));
  a.get('/q', () => ({ ok: true }), { schema: { query: s.schema } });
  const many = Array.from({ length: 20 }, (_, i) => `k${i}=v`).join('&');
  const r = await a.test().get(`/q?${many}`);
  assert.equal(r.status, 413);
  assert.deepEqual(s.seen, []);
});

// The attack: a schema that lets part of its input through as it is (`z.any()`, a
// passthrough), and a handler that merges it with Object.assign, which reads a "__proto__"
// key as the target's prototype. Palisade refuses the key before the schema runs; the
// control feeds the same schema and handler what JSON.parse and a plain query object give.
const Settings = z.object({ settings: z.any() });
const merge = (settings: unknown) => (Object.assign({}, settings) as { isAdmin?: unknown }).isAdmin === true;

test('prototype poisoning through a JSON body is refused before the schema (with a control)', async () => {
  const a = app();
  const s = spy(Settings);
  a.post('/prefs', (req) => ({ admin: merge((req.valid as { body: { settings: unknown } }).body.settings) }), { schema: { body: s.schema } });
  const attack = '{"settings": {"__proto__": {"isAdmin": true}}}';
  const r = await a.test().post('/prefs', { body: attack, headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.match(r.error!.message, /__proto__/);
  assert.deepEqual(s.seen, []);
  // Control: the same schema and handler on JSON.parse's value make the user an admin.
  const parsed = Settings.parse(JSON.parse(attack));
  assert.equal(merge(parsed.settings), true);
});

test('a "__proto__" name in the query or headers is refused before the schema (with a control)', async () => {
  const a = app();
  const sq = spy(z.any());
  const sh = spy(z.any());
  a.get('/q', (req) => ({ admin: merge(req.valid.query) }), { schema: { query: sq.schema } });
  a.get('/h', () => ({ ok: true }), { schema: { headers: sh.schema } });
  const r = await a.test().get('/q?__proto__=x&__proto__=y');
  assert.equal(r.status, 400);
  assert.equal((r.error as PalisadeError).code, 'HTTP_BAD_REQUEST');
  assert.deepEqual(sq.seen, []);
  // Control: a query object with that name, passed through, replaces the merged object's prototype.
  const q: Record<string, unknown> = Object.create(null);
  q['__proto__'] = { isAdmin: true };
  assert.equal(merge(z.any().parse(q)), true);

  const h = await a.test().get('/h', { headers: JSON.parse('{"__proto__": "x"}') as Record<string, string> });
  assert.equal(h.status, 400);
  assert.match(h.error!.message, /has a header named "__proto__"/);
  assert.deepEqual(sh.seen, []);
});

test('refusals that come before validation keep their order: CSRF 403 and login 401 before a 422', async () => {
  const a = createApp({ env: 'test', logger: false, login: { loadUser: () => undefined } });
  const s = spy(Note);
  a.post('/api/notes', () => ({ ok: true }), { schema: { body: s.schema } });
  a.post('/api/private', () => ({ ok: true }), { schema: { body: s.schema }, loginRequired: true });
  const c = a.test();
  const csrf = await c.post('/api/notes', { json: { title: '' }, csrf: false });
  assert.equal(csrf.status, 403);
  const login = await c.post('/api/private', { json: { title: '' }, headers: { accept: 'application/json' } });
  assert.equal(login.status, 401);
  assert.deepEqual(s.seen, []);
  assert.equal((await c.post('/api/notes', { json: { title: '' } })).status, 422);
});

test('async schemas are awaited (a uniqueness check)', async () => {
  const a = app();
  const taken = new Set(['alice']);
  const Signup = z.object({
    username: z.string().refine(async (u) => {
      await new Promise((r) => setTimeout(r, 5));
      return !taken.has(u);
    }, 'This username is taken.'),
  });
  a.post('/signup', (req) => ({ welcome: req.valid.body.username }), { schema: { body: Signup } });
  const c = a.test();
  assert.deepEqual((await c.post('/signup', { json: { username: 'bob' } })).json(), { welcome: 'bob' });
  const r = await c.post('/signup', { json: { username: 'alice' } });
  assert.equal(r.status, 422);
  assert.equal((r.json() as { errors: { message: string }[] }).errors[0]!.message, 'This username is taken.');
});

test('a schema that throws is a 500 naming the route, not a crash (sync and async)', async () => {
  const a = app();
  const boom: AnySchema = {
    '~standard': {
      version: 1,
      vendor: 'x',
      validate: () => {
        throw new Error('db down');
      },
    },
  };
  const asyncBoom: AnySchema = {
    '~standard': {
      version: 1,
      vendor: 'x',
      validate: async () => {
        throw new Error('db gone');
      },
    },
  };
  a.post('/sync', () => ({ ok: true }), { schema: { body: boom } });
  a.get('/async/:id', () => ({ ok: true }), { schema: { params: asyncBoom } });
  const c = a.test();
  const r1 = await c.post('/sync', { json: {} });
  assert.equal(r1.status, 500);
  assert.equal((r1.error as PalisadeError).code, 'VALIDATION_SCHEMA_ERROR');
  assert.match(r1.error!.message, /The body schema of POST \/sync threw instead of returning issues: db down/);
  const r2 = await c.get('/async/1');
  assert.equal(r2.status, 500);
  assert.match(r2.error!.message, /The params schema of GET \/async\/:id threw .*db gone/);
  // Production tells the client nothing of it.
  const prod = createApp({ env: 'production', secretKey: randomBytes(32).toString('base64url'), allowedHosts: ['localhost'], logger: false });
  prod.post('/sync', () => ({ ok: true }), { schema: { body: boom }, csrf: false });
  const r3 = await prod.test().post('/sync', { json: {}, headers: { accept: 'application/json' } });
  assert.equal(r3.status, 500);
  assert.doesNotMatch(r3.text, /db down|\/sync/);
});

test('an error handler for 422 may answer validation failures its own way', async () => {
  const a = app();
  a.onError(422, (err) => ({ problems: ((err as PalisadeError).details.errors as unknown[]).length }));
  a.post('/x', () => ({ ok: true }), { schema: { body: z.object({ a: z.string(), b: z.string() }) } });
  const r = await a.test().post('/x', { json: {} });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json(), { problems: 2 });
});

test('a schema option that is not made of Standard Schemas is CONFIG_ROUTE when the route is declared', () => {
  const a = app();
  const h = () => ({ ok: true });
  assert.throws(() => a.post('/a', h, { schema: { body: { type: 'object' } } } as never), { code: 'CONFIG_ROUTE', message: /body is not a Standard Schema/ });
  assert.throws(() => a.post('/a', h, { schema: { bdy: z.string() } } as never), { code: 'CONFIG_ROUTE', message: /"bdy" is not a part/ });
  assert.throws(() => a.post('/a', h, { schema: { response: { ok: z.string() } } } as never), {
    code: 'CONFIG_ROUTE',
    message: /"ok", which is not an HTTP status/,
  });
  assert.throws(() => createApp({ env: 'test', validation: { responses: 'yes' } } as never), { code: 'CONFIG_INVALID', message: /validation\.responses/ });
  assert.throws(() => createApp({ env: 'test', validation: { response: true } } as never), { code: 'CONFIG_INVALID', message: /validation\.response"/ });
});
