// The form limits (src/http/form-limits.ts) hold for every way of reading a form: the
// urlencoded body (req.form()), the query string (req.query) and the multipart body
// (req.files()), each read straight by a handler — no form definition in between. One set,
// configured once with createApp({ forms }).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApp, type AppOptions } from '../../src/index.js';
import { MULTIPART_TYPE, filesUnder, freshTmp, multipart, removeDir } from '../files/helpers.js';

const tmpDir = freshTmp();
after(() => removeDir(tmpDir));

function appWith(forms?: AppOptions['forms']) {
  const app = createApp({ env: 'test', uploads: { tmpDir }, ...(forms === undefined ? {} : { forms }) });
  app.post('/form', async (req) => ({ n: (await req.form()).size }));
  app.get('/query', (req) => ({ n: req.query.size }));
  app.post('/files', async (req) => {
    const body = await req.files();
    return { n: body.fields.size + body.files.length };
  });
  return app.test();
}

type Pairs = [string, string][];
/** Sends `pairs` the way `how` reads them; resolves with the status and the error code, if any. */
async function send(c: ReturnType<typeof appWith>, how: 'form' | 'query' | 'files', pairs: Pairs): Promise<[number, string | undefined]> {
  const accept = { accept: 'application/json' };
  const encoded = new URLSearchParams(pairs).toString();
  const res =
    how === 'form'
      ? await c.post('/form', { body: encoded, headers: { 'content-type': 'application/x-www-form-urlencoded', ...accept } })
      : how === 'query'
        ? await c.get(`/query?${encoded}`, { headers: accept })
        : await c.post('/files', {
            // The last pair is sent as a file, so files count too.
            body: multipart(pairs.map(([name, data], i) => (i === pairs.length - 1 ? { name, filename: 'f.txt', data } : { name, data }))),
            headers: { 'content-type': MULTIPART_TYPE, ...accept },
          });
  const code = res.status === 200 ? undefined : res.json<{ error: { code: string } }>().error.code;
  return [res.status, code];
}

const LIMITS = { maxFields: 3, maxNameLength: 5, maxValueLength: 5 };
const AT: Pairs = [
  ['a', '12345'],
  ['bbbbb', 'ééééé'],
  ['a', 'x'],
];
const PAST: [what: string, pairs: Pairs, code: string][] = [
  ['one field too many', [...AT, ['c', '']], 'FORM_TOO_MANY_FIELDS'],
  [
    'a name one character too long',
    [
      ['a', '1'],
      ['bbbbbb', '2'],
    ],
    'FORM_NAME_TOO_LONG',
  ],
  [
    'a value one character too long',
    [
      ['a', '123456'],
      ['b', '2'],
    ],
    'FORM_VALUE_TOO_LONG',
  ],
  [
    'a value of multi-byte characters one too long',
    [
      ['a', 'éééééé'],
      ['b', '2'],
    ],
    'FORM_VALUE_TOO_LONG',
  ],
];

for (const how of ['form', 'query', 'files'] as const) {
  test(`req.${how === 'form' ? 'form()' : how === 'query' ? 'query' : 'files()'}: the app's form limits hold, each one a 413 naming it; exactly the limits pass`, async () => {
    const c = appWith(LIMITS);
    assert.deepEqual(await send(c, how, AT), [200, undefined]);
    for (const [what, pairs, code] of PAST) {
      assert.deepEqual(await send(c, how, pairs), [413, code], what);
    }
    assert.deepEqual(filesUnder(tmpDir), []);
  });
}

test('req.form() with the defaults: 100,000 fields (the body that once went through) are a 413; 1,000 pass', async () => {
  const c = appWith();
  const many = 'a=1&'.repeat(100_000);
  const refused = await c.post('/form', { body: many, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
  assert.equal(refused.status, 413, refused.text.slice(0, 200));
  assert.equal(refused.json<{ error: { code: string; count: number } }>().error.code, 'FORM_TOO_MANY_FIELDS');
  assert.match(refused.text, /100000 fields; at most 1000/);
  const fine = await c.post('/form', { body: 'a=1&'.repeat(1000), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.deepEqual(fine.json(), { n: 1000 });
});

test('the forms setting is checked at start-up', () => {
  assert.throws(() => createApp({ env: 'test', forms: { maxFields: 0 } }), /forms\.maxFields/);
  assert.throws(() => createApp({ env: 'test', forms: { maxValues: 1 } as never }), /Unknown setting "forms\.maxValues"/);
  assert.throws(() => createApp({ env: 'test', forms: 5 as never }), /"forms" must be an object/);
});
