// req.files(): parsing, limits (each a 413 naming its setting), malformed bodies (400),
// saving, and the cleanup of every temporary file — through the in-process test client.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppOptions, type Request } from '../../src/index.js';
import type { MultipartBody } from '../../src/files/multipart.js';
import { BOUNDARY, MULTIPART_TYPE, filesUnder, freshTmp, multipart, removeDir, type Part } from './helpers.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));
function tmp(): string {
  const d = freshTmp();
  dirs.push(d);
  return d;
}

/** An app whose /up route (which takes uploads) reports what req.files() saw; the temp dir is returned too. */
function uploadApp(uploads: AppOptions['uploads'] = {}, handler?: (req: Request) => unknown, forms?: AppOptions['forms']) {
  const tmpDir = tmp();
  const app = createApp({ env: 'test', uploads: { ...uploads, tmpDir }, ...(forms === undefined ? {} : { forms }) });
  app.post(
    '/up',
    (handler ??
      (async (req: Request) => {
        const body = await req.files();
        return describe(body);
      })) as never,
    { uploads: true },
  );
  return { app, client: app.test(), tmpDir };
}

function describe(body: MultipartBody) {
  return {
    fields: [...body.fields],
    files: body.files.map((f) => ({ field: f.fieldName, filename: f.filename, type: f.mimeType, size: f.size, sniffed: f.sniffedType ?? null })),
  };
}

function post(client: ReturnType<typeof uploadApp>['client'], parts: Part[] | Buffer, contentType = MULTIPART_TYPE) {
  return client.post('/up', { body: Buffer.isBuffer(parts) ? parts : multipart(parts), headers: { 'content-type': contentType } });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

test('files(): fields and files, in order, with sniffed types; temp files gone after the response', async () => {
  const { client, tmpDir } = uploadApp();
  const res = await post(client, [
    { name: 'title', data: 'Holiday' },
    { name: 'photo', filename: 'beach.png', contentType: 'image/png', data: PNG },
    { name: 'tag', data: 'sea' },
    { name: 'tag', data: 'sun' },
    { name: 'notes', filename: 'notes.txt', contentType: 'text/plain', data: 'hello' },
  ]);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json(), {
    fields: [
      ['title', 'Holiday'],
      ['tag', 'sea'],
      ['tag', 'sun'],
    ],
    files: [
      { field: 'photo', filename: 'beach.png', type: 'image/png', size: PNG.length, sniffed: 'image/png' },
      { field: 'notes', filename: 'notes.txt', type: 'text/plain', size: 5, sniffed: null },
    ],
  });
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('files(): per-name access, and a repeated call returns the same cached result', async () => {
  const { client } = uploadApp({}, async (req) => {
    const a = await req.files();
    const b = await req.files();
    return { same: a === b, first: a.file('doc')?.filename, all: a.filesNamed('doc').map((f) => f.filename), none: a.file('x') === undefined };
  });
  const res = await post(client, [
    { name: 'doc', filename: 'a.txt', data: 'a' },
    { name: 'doc', filename: 'b.txt', data: 'b' },
  ]);
  assert.deepEqual(res.json(), { same: true, first: 'a.txt', all: ['a.txt', 'b.txt'], none: true });
});

test('files(): the file name keeps only its last segment; safeFilename cleans the rest', async () => {
  const { client } = uploadApp({}, async (req) => {
    const f = (await req.files()).files[0]!;
    return { filename: f.filename, safe: f.safeFilename };
  });
  const res = await post(client, [{ name: 'f', filename: '../../etc/.passwd', data: 'x' }]);
  assert.deepEqual(res.json(), { filename: '.passwd', safe: 'passwd' });
});

test('files(): an empty file input (filename="" and no bytes) is skipped', async () => {
  const { client } = uploadApp();
  const res = await post(client, [
    { name: 'avatar', filename: '', contentType: 'application/octet-stream', data: '' },
    { name: 'name', data: 'x' },
  ]);
  assert.deepEqual(res.json(), { fields: [['name', 'x']], files: [] });
});

test('files(): a body of exactly the limits is accepted (the value limit counts characters, not bytes)', async () => {
  const { client } = uploadApp({ maxFileSize: 8, maxFiles: 2 }, undefined, { maxFields: 4, maxValueLength: 4, maxNameLength: 3 });
  const res = await post(client, [
    { name: 'a', data: '1234' },
    { name: 'bbb', data: 'éééé' },
    { name: 'f', filename: 'f1', data: '12345678' },
    { name: 'g', filename: 'f2', data: '12345678' },
  ]);
  assert.equal(res.status, 200, res.text);
});

type Limits = { uploads?: AppOptions['uploads']; forms?: AppOptions['forms'] };
const LIMITS: [name: string, limits: Limits, parts: Part[], code: string, setting: string][] = [
  ['file size', { uploads: { maxFileSize: 8 } }, [{ name: 'f', filename: 'big.bin', data: '123456789' }], 'UPLOAD_FILE_TOO_LARGE', 'uploads.maxFileSize'],
  [
    'file count',
    { uploads: { maxFiles: 1 } },
    [
      { name: 'f', filename: 'a', data: 'a' },
      { name: 'f', filename: 'b', data: 'b' },
    ],
    'UPLOAD_TOO_MANY_FILES',
    'uploads.maxFiles',
  ],
  [
    'field count',
    { forms: { maxFields: 1 } },
    [
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
    ],
    'FORM_TOO_MANY_FIELDS',
    'forms.maxFields',
  ],
  [
    'field count (files count too)',
    { forms: { maxFields: 2 } },
    [
      { name: 'a', data: '1' },
      { name: 'b', data: '2' },
      { name: 'c', filename: 'c', data: '3' },
    ],
    'FORM_TOO_MANY_FIELDS',
    'forms.maxFields',
  ],
  ['value length', { forms: { maxValueLength: 4 } }, [{ name: 'a', data: '12345' }], 'FORM_VALUE_TOO_LONG', 'forms.maxValueLength'],
  ['value length (in characters)', { forms: { maxValueLength: 4 } }, [{ name: 'a', data: 'ééééé' }], 'FORM_VALUE_TOO_LONG', 'forms.maxValueLength'],
  ['value length (far past it)', { forms: { maxValueLength: 4 } }, [{ name: 'a', data: 'x'.repeat(100) }], 'FORM_VALUE_TOO_LONG', 'forms.maxValueLength'],
  ['name length', { forms: { maxNameLength: 3 } }, [{ name: 'abcd', data: '1' }], 'FORM_NAME_TOO_LONG', 'forms.maxNameLength'],
  ['name length (a file field)', { forms: { maxNameLength: 3 } }, [{ name: 'abcd', filename: 'f', data: '1' }], 'FORM_NAME_TOO_LONG', 'forms.maxNameLength'],
  [
    'part header size',
    { uploads: { maxPartHeaderSize: 200 } },
    [{ name: 'a', data: '1', headers: [`X-Pad: ${'p'.repeat(300)}`] }],
    'UPLOAD_PART_HEADER_TOO_LARGE',
    'uploads.maxPartHeaderSize',
  ],
  ['total size', { uploads: { maxTotalSize: 300 } }, [{ name: 'f', filename: 'f', data: 'x'.repeat(400) }], 'UPLOAD_TOTAL_TOO_LARGE', 'uploads.maxTotalSize'],
];

for (const [name, limits, parts, code, setting] of LIMITS) {
  test(`files(): passing the ${name} limit is a 413 ${code} naming ${setting}; no file is left`, async () => {
    const { client, tmpDir } = uploadApp(limits.uploads, undefined, limits.forms);
    const res = await client.post('/up', { body: multipart(parts), headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' } });
    assert.equal(res.status, 413, res.text);
    assert.ok(res.text.includes(code), res.text);
    assert.ok(res.text.includes(setting), res.text);
    assert.deepEqual(filesUnder(tmpDir), []);
  });
}

test('files(): the upload settings that became form limits are refused with where they went', () => {
  for (const [k, to] of [
    ['maxFields', 'forms.maxFields'],
    ['maxParts', 'forms.maxFields'],
    ['maxFieldSize', 'forms.maxValueLength'],
  ] as const) {
    assert.throws(
      () => createApp({ env: 'test', uploads: { [k]: 10 } as never }),
      (err: Error) => err.message.includes(`uploads.${k}`) && err.message.includes(to),
    );
  }
});

test('files(): a route that takes no uploads holds a multipart body to maxBodySize (413 BODY_TOO_LARGE saying how to declare uploads)', async () => {
  const tmpDir = tmp();
  const app = createApp({ env: 'test', maxBodySize: 1000, uploads: { tmpDir } });
  app.post('/plain', async (req) => describe(await req.files()));
  app.post('/up', async (req) => describe(await req.files()), { uploads: true });
  const c = app.test();
  const body = multipart([{ name: 'f', filename: 'f', data: 'x'.repeat(2000) }]);
  const plain = await c.post('/plain', { body, headers: { 'content-type': MULTIPART_TYPE, accept: 'application/json' } });
  assert.equal(plain.status, 413, plain.text);
  assert.equal(plain.json<{ error: { code: string } }>().error.code, 'BODY_TOO_LARGE');
  assert.ok(plain.text.includes('{ uploads: true }'), plain.text);
  // Control: the same body on the route that declares uploads.
  const up = await c.post('/up', { body, headers: { 'content-type': MULTIPART_TYPE } });
  assert.equal(up.status, 200, up.text);
  // Under maxBodySize a route without the option still reads files.
  const small = await c.post('/plain', { body: multipart([{ name: 'f', filename: 'f', data: 'x'.repeat(100) }]), headers: { 'content-type': MULTIPART_TYPE } });
  assert.equal(small.status, 200, small.text);
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('files(): a route maxBodySize replaces uploads.maxTotalSize (413 BODY_TOO_LARGE)', async () => {
  const tmpDir = tmp();
  const app = createApp({ env: 'test', uploads: { tmpDir } });
  app.post('/small', async (req) => describe(await req.files()), { maxBodySize: 100, uploads: true });
  const res = await app
    .test()
    .post('/small', { body: multipart([{ name: 'f', filename: 'f', data: 'x'.repeat(200) }]), headers: { 'content-type': MULTIPART_TYPE } });
  assert.equal(res.status, 413);
  assert.ok(res.text.includes('BODY_TOO_LARGE'));
});

const MALFORMED: [name: string, body: Buffer, contentType?: string][] = [
  ['no closing delimiter', multipart([{ name: 'f', filename: 'a.txt', data: 'partial' }], { close: false })],
  ['garbage', Buffer.from('this is not multipart at all')],
  ['a part header without a colon', Buffer.from(`--${BOUNDARY}\r\nnot a header\r\n\r\nx\r\n--${BOUNDARY}--\r\n`)],
  ['no boundary parameter', multipart([{ name: 'a', data: '1' }]), 'multipart/form-data'],
];

for (const [name, body, contentType] of MALFORMED) {
  test(`files(): a malformed body (${name}) is a 400 UPLOAD_MALFORMED; no file is left`, async () => {
    const { client, tmpDir } = uploadApp();
    const res = await post(client, body, contentType);
    assert.equal(res.status, 400, res.text);
    assert.ok(res.text.includes('UPLOAD_MALFORMED'), res.text);
    assert.deepEqual(filesUnder(tmpDir), []);
  });
}

test('files(): a body that is not multipart is a 415', async () => {
  const { client } = uploadApp();
  const res = await client.post('/up', { form: { a: '1' } });
  assert.equal(res.status, 415);
  assert.ok(res.text.includes('BODY_UNSUPPORTED_MEDIA_TYPE'));
});

test('save(): moves the file under its secure name, refuses to overwrite, accepts a chosen name, once', async () => {
  const dest = tmp();
  const { client, tmpDir } = uploadApp({}, async (req) => {
    const { files } = await req.files();
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'saved',
        (err: { code: string }) => err.code,
      );
    const saved = await files[0]!.save(dest);
    const clash = await code(files[1]!.save(dest, 'resume.txt')); // the first file's name
    const other = await files[1]!.save(dest, 'other.txt');
    const again = await code(files[1]!.save(dest, 'x.txt'));
    return { saved, clash, other, again, path: files[0]!.path };
  });
  const res = await post(client, [
    { name: 'f', filename: 'résumé?.txt', data: 'one' },
    { name: 'f', filename: 'two.txt', data: 'two' },
  ]);
  assert.deepEqual(res.json(), {
    saved: join(dest, 'resume.txt'),
    clash: 'UPLOAD_FILE_EXISTS',
    other: join(dest, 'other.txt'),
    again: 'UPLOAD_FILE_GONE',
    path: join(dest, 'resume.txt'),
  });
  assert.equal(readFileSync(join(dest, 'resume.txt'), 'utf8'), 'one');
  assert.equal(readFileSync(join(dest, 'other.txt'), 'utf8'), 'two');
  assert.ok(!existsSync(join(dest, 'x.txt')), 'a saved file cannot be saved twice');
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('save(): an existing file is never replaced unless overwrite is asked for', async () => {
  const dest = tmp();
  writeFileSync(join(dest, 'a.txt'), 'old');
  const { client } = uploadApp({}, async (req) => {
    const { files } = await req.files();
    const codes: string[] = [];
    try {
      await files[0]!.save(dest);
    } catch (err) {
      codes.push((err as { code: string }).code);
    }
    await files[0]!.save(dest, undefined, { overwrite: true });
    return { codes };
  });
  const res = await post(client, [{ name: 'f', filename: 'a.txt', data: 'new' }]);
  assert.deepEqual(res.json(), { codes: ['UPLOAD_FILE_EXISTS'] });
  assert.equal(readFileSync(join(dest, 'a.txt'), 'utf8'), 'new');
});

test('save(): a chosen name that leaves the directory is refused (UPLOAD_UNSAFE_PATH)', async () => {
  const dest = tmp();
  mkdirSync(join(dest, 'inner'));
  const { client } = uploadApp({}, async (req) => {
    const { files } = await req.files();
    await files[0]!.save(join(dest, 'inner'), '../escaped.txt');
    return 'saved';
  });
  const res = await post(client, [{ name: 'f', filename: 'a.txt', data: 'x' }]);
  assert.equal(res.status, 404);
  assert.ok(res.text.includes('UPLOAD_UNSAFE_PATH'));
  assert.ok(!existsSync(join(dest, 'escaped.txt')));
});

test('temporary files are private (0600 in a 0700 directory) and readable by the handler', async () => {
  const { client, tmpDir } = uploadApp({}, async (req) => {
    const f = (await req.files()).files[0]!;
    const dirMode = statSync(join(f.path, '..')).mode & 0o777;
    const fileMode = statSync(f.path).mode & 0o777;
    return { dirMode, fileMode, text: await f.text(), inTmp: f.path.startsWith(tmpDir) };
  });
  const res = await post(client, [{ name: 'f', filename: 'a.txt', data: 'hello' }]);
  assert.deepEqual(res.json(), { dirMode: 0o700, fileMode: 0o600, text: 'hello', inTmp: true });
});

test('a handler that fails after parsing still leaves no temporary file', async () => {
  const { client, tmpDir } = uploadApp({}, async (req) => {
    await req.files();
    throw new Error('boom');
  });
  const res = await post(client, [{ name: 'f', filename: 'a.txt', data: 'x'.repeat(10_000) }]);
  assert.equal(res.status, 500);
  assert.deepEqual(filesUnder(tmpDir), []);
});

test('a file used after the response is finished is UPLOAD_FILE_GONE', async () => {
  let kept: import('../../src/index.js').UploadedFile | undefined;
  const { client } = uploadApp({}, async (req) => {
    kept = (await req.files()).files[0];
    return 'ok';
  });
  await post(client, [{ name: 'f', filename: 'a.txt', data: 'x' }]);
  await assert.rejects(kept!.save(tmp()), (e: unknown) => (e as { code: string }).code === 'UPLOAD_FILE_GONE');
});

test('uploads settings are validated at start-up', () => {
  assert.throws(() => createApp({ env: 'test', uploads: { maxFileSize: -1 } }), /uploads\.maxFileSize/);
  assert.throws(() => createApp({ env: 'test', uploads: { maxFilesize: 1 } as never }), /uploads\.maxFilesize/);
  assert.throws(() => createApp({ env: 'test', uploads: { maxPartHeaderSize: 100_000 } }), /maxPartHeaderSize/);
  assert.throws(() => createApp({ env: 'test', uploads: { tmpDir: '/nonexistent/dir' } }), /uploads\.tmpDir/);
});
