// A Zod and a Valibot schema through the same form: the same submissions give the same
// outcome, messages land on the right fields, an empty field reads "required", and the
// Zod schema's JSON Schema draws the inputs. Also per-field schemas mixed with fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import * as v from 'valibot';
import { createApp, defineForm, fields as f, type FormResult } from '../../src/index.js';

const SECRET = 'forms-schema-secret'.padEnd(40, 'x');

const zodSignup = z.object({
  name: z.string().min(2).max(20),
  email: z.email(),
  age: z.coerce.number().int().min(18),
  plan: z.enum(['free', 'pro']),
  tags: z.array(z.string()).max(2),
  news: z.stringbool().optional(),
});

const valibotSignup = v.object({
  name: v.pipe(v.string(), v.minLength(2), v.maxLength(20)),
  email: v.pipe(v.string(), v.email()),
  age: v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(18)),
  plan: v.picklist(['free', 'pro']),
  tags: v.pipe(v.array(v.string()), v.maxLength(2)),
  news: v.optional(v.picklist(['on'])),
});

const forms = {
  zod: defineForm(zodSignup),
  valibot: defineForm(valibotSignup, { fields: ['name', 'email', 'age', 'plan', 'tags', 'news'], arrays: ['tags'] }),
};

const app = createApp({ env: 'test', secretKey: SECRET });
for (const [lib, form] of Object.entries(forms)) {
  app.post(`/${lib}`, async (req) => {
    const r: FormResult<unknown> = await form.validate(req);
    return { ...r };
  });
}

type Out = { ok: boolean; data?: Record<string, unknown>; errors?: Record<string, string[]>; values?: Record<string, unknown> };

const cases: [label: string, form: Record<string, string | string[]>, expect: { data: Record<string, unknown> } | { errorFields: string[] }][] = [
  [
    'valid, one tag',
    { name: 'Ada', email: 'ada@example.com', age: '36', plan: 'pro', tags: 'x' },
    { data: { name: 'Ada', email: 'ada@example.com', age: 36, plan: 'pro', tags: ['x'] } },
  ],
  [
    'valid, two tags',
    { name: 'Ada', email: 'ada@example.com', age: '40', plan: 'free', tags: ['a', 'b'] },
    { data: { name: 'Ada', email: 'ada@example.com', age: 40, plan: 'free', tags: ['a', 'b'] } },
  ],
  ['too young, bad email', { name: 'Ada', email: 'nope', age: '12', plan: 'pro' }, { errorFields: ['age', 'email'] }],
  ['unknown plan, too many tags', { name: 'Ada', email: 'a@b.co', age: '20', plan: 'gold', tags: ['a', 'b', 'c'] }, { errorFields: ['plan', 'tags'] }],
  ['hostile name', { name: '<script>'.repeat(5), email: 'a@b.co', age: '20', plan: 'pro' }, { errorFields: ['name'] }],
  ['missing everything', {}, { errorFields: ['age', 'email', 'name', 'plan'] }],
  ['prototype keys are just keys', { name: 'Ada', email: 'a@b.co', age: '20', plan: 'pro', ['__proto__']: 'x', constructor: 'y' } as never, { data: {} }],
];

for (const lib of Object.keys(forms)) {
  test(`${lib}: the shared table of submissions`, async () => {
    const c = app.test();
    for (const [label, form, expect] of cases) {
      const r = (await c.post(`/${lib}`, { form })).json<Out>();
      if ('data' in expect) {
        assert.equal(r.ok, true, `${label}: ${JSON.stringify(r)}`);
        for (const [k, val] of Object.entries(expect.data)) assert.deepEqual(r.data?.[k], val, `${label}: ${k}`);
      } else {
        assert.equal(r.ok, false, label);
        assert.deepEqual(Object.keys(r.errors ?? {}).sort(), expect.errorFields, `${label}: ${JSON.stringify(r.errors)}`);
      }
    }
  });

  test(`${lib}: an empty required field reads "This field is required."; values come back for re-display`, async () => {
    const r = (await app.test().post(`/${lib}`, { form: { name: '', email: 'a@b.co', age: '20', plan: 'pro' } })).json<Out>();
    assert.deepEqual(r.errors?.name, ['This field is required.']);
    assert.equal(r.values?.email, 'a@b.co');
    assert.equal(Object.hasOwn(r.values ?? {}, 'csrf_token'), false);
  });

  test(`${lib}: without a valid token the schema is never asked (exempt route: the form checks)`, async () => {
    let calls = 0;
    const inner = lib === 'zod' ? zodSignup : valibotSignup;
    const counting = {
      '~standard': {
        ...inner['~standard'],
        validate: (x: unknown) => {
          calls++;
          return inner['~standard'].validate(x);
        },
      },
    };
    const form = defineForm(counting as typeof zodSignup, { fields: ['name'] });
    const a = createApp({ env: 'test', secretKey: SECRET });
    a.post('/x', async (req) => ({ ...(await form.validate(req)) }), { csrf: false });
    const r = (await a.test().post('/x', { form: { name: 'Ada' }, csrf: false })).json<Out & { csrfFailed: boolean }>();
    assert.equal(r.csrfFailed, true);
    assert.equal(calls, 0);
  });
}

test('zod: the JSON Schema draws the inputs (required, maxlength, type, min, select)', () => {
  const view = forms.zod.view();
  const html = (name: string): string => String((view[name] as { input(): unknown }).input());
  assert.match(html('name'), /type="text"[^>]* required[^>]*minlength="2" maxlength="20"|required.*minlength="2".*maxlength="20"/);
  assert.match(html('email'), /type="email"/);
  assert.match(html('age'), /type="number"/);
  assert.match(
    html('plan'),
    /^<select[^>]*required[^>]*><option value=""><\/option><option value="free">free<\/option><option value="pro">pro<\/option><\/select>$/,
  );
  assert.match(html('tags'), /type="text"/);
  assert.doesNotMatch(html('news'), /required/);
});

test('per-field schemas mix with built-in fields; a throwing schema is a message, not a crash', async () => {
  const form = defineForm({
    title: f.string({ maxLength: 10 }),
    age: z.coerce.number().int().min(18),
    color: v.picklist(['red', 'green']),
    nick: f.schema(z.string().max(3).optional()),
    boom: f
      .schema({
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: () => {
            throw new Error('library bug');
          },
        },
      })
      .optional(),
  });
  const a = createApp({ env: 'test', secretKey: SECRET });
  a.post('/mix', async (req) => ({ ...(await form.validate(req)) }));
  const c = a.test();
  const ok = (await c.post('/mix', { form: { title: 'Hi', age: '30', color: 'red', boom: 'x' } })).json<Out>();
  assert.equal(ok.ok, false);
  assert.deepEqual(ok.errors, { boom: ['Enter a valid value.'] });
  const good = (await c.post('/mix', { form: { title: 'Hi', age: '30', color: 'red' } })).json<Out>();
  assert.equal(good.ok, false, 'boom is asked about "nothing" too, and throws');
  const bad = (await c.post('/mix', { form: { title: 'Hi', age: 'x', color: 'blue', nick: 'long' } })).json<Out>();
  assert.deepEqual(Object.keys(bad.errors ?? {}).sort(), ['age', 'boom', 'color', 'nick']);
  const view = form.view();
  assert.match(String((view.age as { input(): unknown }).input()), /required/, 'a schema refusing "nothing" gets required');
  assert.doesNotMatch(String((view.nick as { input(): unknown }).input()), /required/);
});
