// Compile-time checks of the forms types (run by `npm run typecheck`): the data of a
// valid submission is inferred from built-in fields, per-field schemas and whole-form
// Standard Schemas (Zod, Valibot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import * as v from 'valibot';
import { defineForm, fields as f, type FormResult, type UploadedFile } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expect = <T extends true>(_: T): void => {};
type DataOf<F> = F extends { validate(req: never): Promise<FormResult<infer T>> } ? T : never;

const built = defineForm({
  title: f.string(),
  body: f.string().optional(),
  email: f.email(),
  n: f.integer(),
  x: f.number().optional(),
  ok: f.boolean(),
  color: f.choice(['red', 'green']),
  size: f.choice([
    { value: 's', label: 'Small' },
    { value: 'l', label: 'Large' },
  ]),
  due: f.date(),
  avatar: f.file(),
  tags: f.list(f.string()),
  more: f.list(f.integer()).optional(),
  photos: f.list(f.file()).optional(),
  age: z.coerce.number(),
  nick: v.optional(v.string()),
  checked: f.string().check((s) => s.length > 1),
});
type B = DataOf<typeof built>;
expect<Equal<B['title'], string>>(true);
expect<Equal<B['body'], string | undefined>>(true);
expect<Equal<B['email'], string>>(true);
expect<Equal<B['n'], number>>(true);
expect<Equal<B['x'], number | undefined>>(true);
expect<Equal<B['ok'], boolean>>(true);
expect<Equal<B['color'], 'red' | 'green'>>(true);
expect<Equal<B['size'], 's' | 'l'>>(true);
expect<Equal<B['due'], Date>>(true);
expect<Equal<B['avatar'], UploadedFile>>(true);
expect<Equal<B['tags'], string[]>>(true);
expect<Equal<B['more'], number[]>>(true);
expect<Equal<B['photos'], UploadedFile[]>>(true);
expect<Equal<B['age'], number>>(true);
expect<Equal<B['nick'], string | undefined>>(true);
expect<Equal<B['checked'], string>>(true);

const zodForm = defineForm(z.object({ name: z.string(), age: z.coerce.number().int(), tags: z.array(z.string()).optional() }));
expect<Equal<DataOf<typeof zodForm>, { name: string; age: number; tags?: string[] | undefined }>>(true);

const valibotForm = defineForm(v.object({ name: v.string(), plan: v.picklist(['free', 'pro']) }));
expect<Equal<DataOf<typeof valibotForm>, { name: string; plan: 'free' | 'pro' }>>(true);

// A custom check sees the present value's type.
f.integer()
  .optional()
  .check((n) => {
    expect<Equal<typeof n, number>>(true);
    return n > 0;
  });
// A form-level check sees the whole data.
defineForm({ a: f.date(), b: f.date() }, { check: (d) => (d.a <= d.b ? undefined : { b: 'After a.' }) });

test('the result narrows on ok', async () => {
  const fake = {} as FormResult<B>;
  if (fake.ok) {
    expect<Equal<typeof fake.data.title, string>>(true);
    // @ts-expect-error: no errors on a valid result
    void fake.errors;
  } else {
    expect<Equal<typeof fake.errors, Record<string, string[]>>>(true);
  }
  // @ts-expect-error: not a field
  f.string({ maxLenght: 3 });
  assert.ok(built);
});
