/**
 * The app the HTTP fuzzer attacks: every feature, with request data flowing into each,
 * written the way the docs show. Redirects to user paths, headers and cookies set from
 * query values, static files with Range, forms with and without CSRF, JSON, multipart
 * uploads that are saved and served back, sessions and flashed messages, templates and
 * the html tag with request values in every context, streamed bodies, a slow handler.
 *
 * Handlers fail on purpose only through OnPurpose (a marked 500) and /stream-fail (a
 * marked cut): any other 5xx the fuzzer sees is the framework's.
 *
 * Env: UPLOAD_TMP (uploads.tmpDir), SAVE_DIR (saved uploads), STATIC_DIR (the static
 * folder, filled by the fuzzer), HTTP_FUZZ_ENV (default production).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createApp,
  csrfToken,
  defineForm,
  fields,
  flash,
  getFlashedMessages,
  html,
  render,
  Response,
  safeJoin,
  sendFile,
  sendUpload,
  type Env,
  type Request,
} from '../../../src/index.js';
import { MAY_CUT_HEADER, ON_PURPOSE_HEADER, OnPurpose, tracked } from './monitor.js';
import type { FuzzHints, Target } from './targets.js';

const STATIC_DIR = process.env.STATIC_DIR!;
const SAVE_DIR = process.env.SAVE_DIR!;

export const app = createApp({
  env: (process.env.HTTP_FUZZ_ENV ?? 'production') as Env,
  logger: false,
  // Fixed (not generated per process), so that a session cookie and CSRF token stay valid
  // across restarts and in a printed request; random-looking, as production requires.
  secretKey: 'j9TE1x6GpTFxfxWGy6qFlu6fzL6Cb2ya_CtImZfhr-c',
  allowedHosts: ['127.0.0.1', 'localhost', '.localhost', '[::1]'],
  trustProxy: 1,
  uploads: { tmpDir: process.env.UPLOAD_TMP, maxFileSize: 1024 * 1024, maxTotalSize: 4 * 1024 * 1024 },
  static: { dir: STATIC_DIR },
  templates: { dir: new URL('./templates', import.meta.url).pathname },
  server: { headersTimeout: 3000, requestTimeout: 4000, handlerTimeout: 4000, keepAliveTimeout: 2000 },
});

/** The static folder's files, written at start; fuzzed as targets with Range and ETags. */
const STATIC_FILES: Record<string, string | Buffer> = {
  'style.css': 'p { color: red }\n',
  'big.bin': Buffer.alloc(200_000, 'b'),
  'empty.txt': '',
  'page.html': '<!doctype html><title>static</title>\n',
};
for (const [name, data] of Object.entries(STATIC_FILES)) writeFileSync(join(STATIC_DIR, name), data);
export const extraTargets: Target[] = [...Object.keys(STATIC_FILES), 'missing.txt'].map((name) => ({
  method: 'GET',
  path: `/static/${name}`,
  query: [],
  body: [],
  csrf: false,
  file: true,
}));

const fuzz = (hints: FuzzHints) => ({ fuzz: hints });
const q = (req: Request, key: string): string | undefined => req.query.get(key);

app.onError(OnPurpose, () => new Response('failed on purpose\n', { status: 500, headers: { [ON_PURPOSE_HEADER]: '1' } }));

// Templates: request values in text, attributes, URLs, script and style.
app.get(
  '/',
  tracked(async (req) => {
    const visits = ((await req.session.get<number>('visits')) ?? 0) + 1;
    await req.session.set('visits', visits);
    return render('page.html', {
      q: q(req, 'q') ?? '',
      name: q(req, 'name') ?? 'stranger',
      next: q(req, 'next') ?? '/',
      color: q(req, 'color') ?? 'red',
      ua: req.header('user-agent') ?? '',
      theme: req.cookies.theme ?? '',
      items: req.query.getAll('q'),
      data: { q: q(req, 'q'), visits },
      messages: await getFlashedMessages(req),
    });
  }),
  fuzz({ query: ['q', 'name', 'next', 'color'] }),
);

app.get(
  '/html',
  tracked((req) => html`<p title="${q(req, 'q')}">${q(req, 'q')}</p><a href="${q(req, 'next') ?? '/'}">go</a><script>let q = ${q(req, 'q') ?? ''};</script>`),
  fuzz({ query: ['q', 'next'] }),
);
app.get(
  '/users/:id',
  tracked((req) => html`<h1>User ${req.params.id}</h1>`),
);

// Redirects to user paths, as the docs recommend for a `next` parameter, and without a fallback.
app.get(
  '/redirect',
  tracked((req) => {
    const status = Number(q(req, 'status'));
    return Response.redirect(q(req, 'next') ?? '/', { status: status === 301 || status === 303 || status === 307 || status === 308 ? status : 302 });
  }),
  fuzz({ query: ['next', 'status'] }),
);
app.get(
  '/login-next',
  tracked((req) => Response.redirect(q(req, 'next') ?? '/', { fallback: '/' })),
  fuzz({ query: ['next'] }),
);

// Headers and cookies from query values. The app refuses what the API refuses (a 400), as
// a careful app would; what the API lets through must then be sendable.
const refused = (err: unknown) => new Response(`refused: ${(err as Error).message}\n`, { status: 400 });
const HEADER_NAMES = new Set(['link', 'content-language', 'content-disposition', 'cache-control', 'x-request-id', 'refresh']);
app.get(
  '/header',
  tracked((req) => {
    try {
      return new Response('ok\n').setHeader(`x-echo-${q(req, 'name') ?? 'a'}`, q(req, 'value') ?? '');
    } catch (err) {
      return refused(err);
    }
  }),
  fuzz({ query: ['name', 'value'] }),
);
app.get(
  '/header/:which',
  tracked((req) => {
    const name = HEADER_NAMES.has(req.params.which) ? req.params.which : 'x-echo';
    try {
      return new Response('ok\n').setHeader(name, req.query.getAll('value'));
    } catch (err) {
      return refused(err);
    }
  }),
  fuzz({ query: ['value'] }),
);
app.get(
  '/cookie',
  tracked((req) => {
    try {
      const path = q(req, 'path');
      const domain = q(req, 'domain');
      return new Response('ok\n').setCookie(q(req, 'name') ?? 'c', q(req, 'value') ?? '', { ...(path ? { path } : {}), ...(domain ? { domain } : {}) });
    } catch (err) {
      return refused(err);
    }
  }),
  fuzz({ query: ['name', 'value', 'path', 'domain'] }),
);

// Sessions and flashed messages.
app.get(
  '/session',
  tracked(async (req) => ({ session: await req.session.toObject(), cookies: Object.keys(req.cookies).length })),
);
app.post(
  '/session',
  tracked(async (req) => {
    const note = (await req.form()).get('note') ?? '';
    await req.session.set('note', note.slice(0, 200));
    await flash(req, `Saved ${note.slice(0, 100)}`);
    return Response.redirect('/', { status: 303 });
  }),
  fuzz({ body: ['form', 'multipart'] }),
);
app.delete(
  '/session',
  tracked(async (req) => {
    await req.session.destroy();
    return new Response(null, { status: 204 });
  }),
);
app.post(
  '/login',
  tracked(async (req) => {
    const form = await req.form();
    if (form.get('name') !== 'ada' || form.get('password') !== 'correct horse') return new Response('Wrong name or password.\n', { status: 401 });
    await req.session.regenerate();
    await req.session.set('user', 'ada');
    return Response.redirect(q(req, 'next') ?? '/', { status: 303, fallback: '/' });
  }),
  fuzz({ query: ['next'], body: ['form'] }),
);
app.get(
  '/csrf',
  tracked(() => ({ token: csrfToken() })),
);

// JSON.
app.get(
  '/json',
  tracked((req) => ({ q: q(req, 'q') ?? null, all: [...req.query] })),
  fuzz({ query: ['q'] }),
);
app.post(
  '/json',
  tracked(async (req) => ({ got: await req.json() })),
  { csrf: false, ...fuzz({ body: ['json'] }) },
);
app.put(
  '/api/json',
  tracked(async (req) => ({ got: await req.json() })),
  fuzz({ body: ['json'] }),
);

// Forms: plain, and validated with defineForm.
const noteForm = defineForm({
  title: fields.string({ maxLength: 100 }),
  note: fields.string({ widget: 'textarea', maxLength: 5000 }).optional(),
  priority: fields.choice(['low', 'normal', 'high']),
  due: fields.date().optional(),
  pinned: fields.boolean(),
});
app.post(
  '/form',
  tracked(async (req) => ({ n: (await req.form()).size })),
  { csrf: false, ...fuzz({ body: ['form'] }) },
);
app.get(
  '/form-csrf',
  tracked(() => render('form.html', { form: noteForm.view(null) })),
);
app.post(
  '/form-csrf',
  tracked(async (req) => {
    const result = await noteForm.validate(req);
    if (!result.ok) return Response.html(render('form.html', { form: noteForm.view(result) }), { status: 400 });
    await flash(req, `Saved ${result.data.title}`);
    return Response.redirect('/', { status: 303 });
  }),
  fuzz({ body: ['form', 'multipart'] }),
);

// Uploads: read, saved on request, served back.
app.post(
  '/upload',
  tracked(async (req) => {
    const body = await req.files();
    const out = [];
    for (const f of body.files) {
      if (q(req, 'save') === '1') await f.save(SAVE_DIR, undefined, { overwrite: true });
      out.push({ name: f.filename, size: f.size, type: f.sniffedType ?? null });
    }
    return { fields: [...body.fields.keys()].length, files: out };
  }),
  { csrf: false, ...fuzz({ body: ['multipart'], query: ['save'] }) },
);
app.post(
  '/upload-csrf',
  tracked(async (req) => ({ files: (await req.files()).files.map((f) => f.size) })),
  fuzz({ body: ['multipart'] }),
);
app.get(
  '/download/:name',
  tracked(async (req) => sendUpload(req, await safeJoin(SAVE_DIR, req.params.name), { filename: req.params.name })),
  fuzz({ file: true }),
);
app.get(
  '/file',
  tracked((req) => sendFile(req, join(STATIC_DIR, 'big.bin'))),
  fuzz({ file: true }),
);

// Bodies read raw.
app.post(
  '/echo',
  tracked(async (req) => {
    const text = await req.text();
    return { length: text.length, start: text.slice(0, 100) };
  }),
  { csrf: false, ...fuzz({ body: ['text', 'bytes'] }) },
);

// Streamed bodies: a stream, an async generator that renders in the request's scope, a
// stream that fails half-way on purpose.
app.get(
  '/stream',
  tracked((req) => {
    const n = Math.min(16, Math.max(0, Number(q(req, 'n')) || 4));
    let i = 0;
    return new Response(
      new Readable({
        read() {
          this.push(i++ < n ? Buffer.alloc(4096, 's') : null);
        },
      }),
      { headers: { 'content-type': 'application/octet-stream' } },
    );
  }),
  fuzz({ query: ['n'] }),
);
app.get(
  '/gen',
  tracked((req) => {
    const value = q(req, 'q') ?? '';
    async function* parts(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 3; i++) {
        await sleep(1);
        yield Buffer.from(render('part.html', { q: value, i }).toString());
      }
    }
    return new Response(parts(), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }),
  fuzz({ query: ['q'] }),
);
app.get(
  '/stream-fail',
  tracked(() => {
    let i = 0;
    const body = new Readable({
      read() {
        if (i++ < 2) this.push(Buffer.alloc(1024, 'f'));
        else this.destroy(new OnPurpose('stream failed on purpose'));
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/octet-stream', [MAY_CUT_HEADER]: '1' } });
  }),
);

// Failing and slow handlers.
app.get(
  '/fail',
  tracked(() => {
    throw new OnPurpose('failed on purpose');
  }),
  fuzz({ query: ['q'] }),
);
app.post(
  '/fail',
  tracked(async (req) => {
    await req.bytes();
    throw new OnPurpose('failed on purpose after reading the body');
  }),
  { csrf: false, ...fuzz({ body: ['text', 'json', 'form'] }) },
);
app.get(
  '/slow',
  tracked(async (req) => {
    await sleep(Math.min(200, Math.max(0, Number(q(req, 'ms')) || 0)));
    return 'slow done\n';
  }),
  fuzz({ query: ['ms'] }),
);
