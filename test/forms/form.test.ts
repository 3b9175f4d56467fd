// form.validate(req) through the app: the CSRF token (without, wrong, valid — on a
// protected route, on an exempt route where the form checks it itself, with the token
// layer off), coercion to typed data, form-level checks, GET forms, and what is never
// the handler's problem (limits → 413, a non-form body → 415).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApp, csrfToken, defineForm, fields as f, type FormResult } from '../../src/index.js';
import { FUZZ_RUNS, FUZZ_SEED } from '../fuzz/fuzz-options.js';

const SECRET = 'forms-test-secret'.padEnd(40, 'x');

const noteForm = defineForm({
  title: f.string({ maxLength: 20 }),
  priority: f.integer({ min: 1, max: 5 }).optional(),
  pinned: f.boolean(),
  color: f.choice(['red', 'green']),
  due: f.date().optional(),
  tags: f.list(f.string({ maxLength: 10 }), { max: 3 }).optional(),
});

const json = (r: FormResult<unknown>): Record<string, unknown> => ({ ...r });

/** How many requests reached the /notes handler, across the apps of this file. */
let notesHandled = 0;

function makeApp(options: Record<string, unknown> = {}) {
  const app = createApp({ env: 'test', secretKey: SECRET, ...options });
  app.get('/token', () => ({ token: csrfToken() }));
  app.post('/notes', async (req) => {
    notesHandled++;
    return json(await noteForm.validate(req));
  });
  app.post('/exempt', async (req) => json(await noteForm.validate(req)), { csrf: false });
  // The control: the same exempt route reading the body without a form.
  app.post('/exempt-raw', async (req) => ({ accepted: (await req.form()).get('title') }), { csrf: false });
  return app;
}

const good = { title: 'Buy milk', priority: '2', pinned: 'on', color: 'red', due: '2024-05-01', tags: ['home', 'shop'] };

async function tokenFor(client: ReturnType<ReturnType<typeof makeApp>['test']>): Promise<string> {
  return (await client.get('/token')).json<{ token: string }>().token;
}

test('a valid submission is coerced to typed data', async () => {
  const c = makeApp().test();
  const res = await c.post('/notes', { form: good });
  assert.equal(res.status, 200, res.text);
  const r = res.json<{ ok: boolean; data: Record<string, unknown>; values: Record<string, unknown> }>();
  assert.equal(r.ok, true);
  assert.deepEqual(r.data, { title: 'Buy milk', priority: 2, pinned: true, color: 'red', due: '2024-05-01T00:00:00.000Z', tags: ['home', 'shop'] });
  assert.deepEqual(r.values, { title: 'Buy milk', priority: '2', pinned: 'on', color: 'red', due: '2024-05-01', tags: ['home', 'shop'] });
});

test('an invalid submission gives messages by field and the values sent', async () => {
  const c = makeApp().test();
  const res = await c.post('/notes', { form: { title: '<b>"x"</b>', priority: '9', color: 'blue', tags: ['a', 'b', 'c', 'd'] } });
  const r = res.json<{ ok: boolean; errors: Record<string, string[]>; values: Record<string, unknown>; csrfFailed: boolean }>();
  assert.equal(r.ok, false);
  assert.equal(r.csrfFailed, false);
  assert.deepEqual(Object.keys(r.errors).sort(), ['color', 'priority', 'tags']);
  assert.deepEqual(r.values, { title: '<b>"x"</b>', priority: '9', color: 'blue', tags: ['a', 'b', 'c', 'd'] });
});

test('protected route: without a token and with a wrong one the protection refuses before the handler; with a valid one the form is valid', async () => {
  const c = makeApp().test();
  const token = await tokenFor(c);
  const before = notesHandled;
  assert.equal((await c.post('/notes', { form: good, csrf: false })).status, 403);
  const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
  assert.equal((await c.post('/notes', { form: { ...good, csrf_token: altered }, csrf: false })).status, 403);
  assert.equal(notesHandled, before, 'a refused request reached the handler');
  const res = await c.post('/notes', { form: { ...good, csrf_token: token }, csrf: false });
  assert.equal(notesHandled, before + 1);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json<{ ok: boolean }>().ok, true);
});

test('exempt route: the form checks the token itself — without, wrong, valid', async () => {
  const c = makeApp().test();
  const token = await tokenFor(c);
  const other = await tokenFor(makeApp().test()); // another session's token (same secret)

  const none = (await c.post('/exempt', { form: good, csrf: false })).json<Record<string, unknown>>();
  assert.deepEqual(none, { ok: false, errors: {}, formErrors: [noteFormMessage()], values: {}, csrfFailed: true });

  const wrong = (await c.post('/exempt', { form: { ...good, csrf_token: other }, csrf: false })).json<Record<string, unknown>>();
  assert.equal(wrong.ok, false);
  assert.equal(wrong.csrfFailed, true);
  assert.deepEqual(wrong.values, {}, 'a forged submission is never echoed back into the page');

  const garbage = (await c.post('/exempt', { form: { ...good, csrf_token: '"><script>' }, csrf: false })).json<Record<string, unknown>>();
  assert.equal(garbage.csrfFailed, true);

  const valid = (await c.post('/exempt', { form: { ...good, csrf_token: token }, csrf: false })).json<Record<string, unknown>>();
  assert.equal(valid.ok, true);

  // The header works too (a script sending the form).
  const header = (await c.post('/exempt', { form: good, headers: { 'x-csrf-token': token }, csrf: false })).json<Record<string, unknown>>();
  assert.equal(header.ok, true);
});

function noteFormMessage(): string {
  return 'This form has expired or was not sent from this site. Please submit it again.';
}

test('control: on the exempt route, a handler that skips the form accepts the forged post', async () => {
  const c = makeApp().test();
  const res = await c.post('/exempt-raw', { form: { title: 'forged' }, csrf: false, headers: { origin: 'https://evil.example' } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { accepted: 'forged' });
});

test('token layer off (csrf: { token: false }): the form still requires the token', async () => {
  const c = makeApp({ csrf: { token: false } }).test();
  const token = await tokenFor(c);
  const none = (await c.post('/notes', { form: good, csrf: false })).json<Record<string, unknown>>();
  assert.equal(none.ok, false);
  assert.equal(none.csrfFailed, true);
  const valid = (await c.post('/notes', { form: { ...good, csrf_token: token }, csrf: false })).json<Record<string, unknown>>();
  assert.equal(valid.ok, true);
});

test('CSRF protection switched off: a token-checking form is a clear 500, never silently valid', async () => {
  const app = createApp({ env: 'test', secretKey: SECRET, csrf: { enabled: false } });
  app.post('/notes', async (req) => json(await noteForm.validate(req)));
  const res = await app.test().post('/notes', { form: good, headers: { accept: 'application/json' } });
  assert.equal(res.status, 500);
  assert.match(res.text, /FORM_CSRF_UNAVAILABLE/);
});

test('a GET form (csrf: false) reads the query string; a POST form validated on GET is never valid', async () => {
  const search = defineForm({ q: f.string({ maxLength: 50 }).optional(), page: f.integer({ min: 1 }).optional() }, { method: 'get', csrf: false });
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.get('/search', async (req) => json(await search.validate(req)));
  app.get('/notes/new', async (req) => json(await noteForm.validate(req)));
  const c = app.test();
  assert.deepEqual((await c.get('/search?q=milk&page=2')).json<{ data: unknown }>().data, { q: 'milk', page: 2 });
  assert.equal((await c.get('/search?page=0')).json<{ ok: boolean }>().ok, false);
  const r = (await c.get('/notes/new?title=x&color=red')).json<{ ok: boolean; csrfFailed: boolean }>();
  assert.equal(r.ok, false);
  assert.equal(r.csrfFailed, true);
  assert.throws(
    () => defineForm({ q: f.string() }, { method: 'get' }),
    (e: Error & { code?: string }) => e.code === 'FORM_DEFINITION',
  );
});

test('form-level check: messages for fields or for the form, only when the fields are valid', async () => {
  const pw = defineForm(
    { password: f.string({ widget: 'password', minLength: 8 }), confirm: f.string({ widget: 'password' }), from: f.date(), to: f.date() },
    {
      check: (d) => {
        const out: Record<string, string> = {};
        if (d.password !== d.confirm) out.confirm = 'The passwords differ.';
        if (d.to < d.from) out.range = 'The end is before the start.';
        return out;
      },
    },
  );
  const app = createApp({ env: 'test', secretKey: SECRET });
  app.post('/pw', async (req) => json(await pw.validate(req)));
  const c = app.test();
  const r = (await c.post('/pw', { form: { password: 'secret123', confirm: 'secret124', from: '2024-02-01', to: '2024-01-01' } })).json<{
    errors: Record<string, string[]>;
    formErrors: string[];
    values: Record<string, unknown>;
  }>();
  assert.deepEqual(r.errors, { confirm: ['The passwords differ.'] });
  assert.deepEqual(r.formErrors, ['The end is before the start.']);
  assert.deepEqual(r.values, { from: '2024-02-01', to: '2024-01-01' }, 'passwords are never echoed back');
});

test('limits: too many fields, a long name, a long value → 413 naming the limit, from the app settings', async () => {
  const app = makeApp({ forms: { maxFields: 10, maxNameLength: 20, maxValueLength: 100 } });
  const c = app.test();
  const many: Record<string, string> = {};
  for (let i = 0; i < 11; i++) many[`f${i}`] = 'x';
  const cases: [string, Record<string, unknown>, string][] = [
    ['/notes', many, 'FORM_TOO_MANY_FIELDS'],
    ['/notes', { ...good, ['n'.repeat(21)]: '1' }, 'FORM_NAME_TOO_LONG'],
    ['/notes', { ...good, title: 'x'.repeat(101) }, 'FORM_VALUE_TOO_LONG'],
  ];
  for (const [path, form, code] of cases) {
    const res = await c.post(path, { form: form as Record<string, string>, headers: { accept: 'application/json' } });
    assert.equal(res.status, 413, `${code}: ${res.text}`);
    assert.match(res.text, new RegExp(code));
  }
  // Under the limits the same shape of request is fine.
  assert.equal((await c.post('/notes', { form: good })).status, 200);
  assert.throws(() => createApp({ env: 'test', secretKey: SECRET, forms: { maxFields: 0 } }), /forms\.maxFields/);
  assert.throws(() => createApp({ env: 'test', secretKey: SECRET, forms: { maxField: 1 } as never }), /Unknown setting "forms\.maxField"/);
  // One set of limits, the app's: a form has none of its own.
  assert.throws(() => defineForm({ a: f.string().optional() }, { limits: { maxFields: 2 } } as never), /FORM_DEFINITION|createApp\(\{ forms/);
});

test('defaults: 1000 fields pass, 1001 do not', async () => {
  const c = makeApp().test();
  const form: Record<string, string | string[]> = { ...good };
  const n = 1000 - Object.values(good).flat().length;
  for (let i = 0; i < n; i++) form[`x${i}`] = '';
  // The test client's header token does not count; the body has exactly 1000 values.
  assert.equal((await c.post('/notes', { form })).status, 200);
  form.extra = '';
  assert.equal((await c.post('/notes', { form })).status, 413);
});

test('a body that is not a form is a 415; an empty POST is an empty form', async () => {
  const c = makeApp().test();
  const res = await c.post('/notes', { json: good, headers: { accept: 'application/json' } });
  assert.equal(res.status, 415);
  const empty = await c.post('/notes', { body: '' });
  assert.equal(empty.status, 200);
  assert.equal(empty.json<{ ok: boolean }>().ok, false);
});

test('hostile submissions never throw: any names and values give a result (fuzz)', async () => {
  const app = makeApp();
  const form = defineForm({
    s: f.string({ maxLength: 5, pattern: /[a-z]*/ }),
    e: f.email().optional(),
    i: f.integer({ min: 0 }).optional(),
    n: f.number().optional(),
    b: f.boolean(),
    c: f.choice(['x', 'y']).optional(),
    d: f.date().optional(),
    l: f.list(f.integer()).optional(),
  });
  app.post('/fuzz', async (req) => {
    const r = await form.validate(req);
    return { ok: r.ok };
  });
  const c = app.test();
  const name = fc.oneof(fc.constantFrom('s', 'e', 'i', 'n', 'b', 'c', 'd', 'l', '__proto__', 'constructor', 'csrf_token'), fc.string({ maxLength: 8 }));
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.constantFrom('1e999', '-0', 'NaN', '2024-02-30', '\u0000', '<script>', '"\'>'),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 12 }), async (pairs) => {
      const body = new URLSearchParams(pairs).toString();
      const res = await c.post('/fuzz', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.status, 200, res.text);
    }),
    { seed: FUZZ_SEED, numRuns: Math.min(FUZZ_RUNS, 200) },
  );
});
