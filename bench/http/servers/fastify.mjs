// Fastify 5 as a careful user sets it up: @fastify/helmet with its defaults, an encrypted
// cookie session (@fastify/secure-session), @fastify/csrf-protection with its secret in
// that session, @fastify/formbody, @fastify/multipart with limits, Nunjucks with
// autoescaping for pages, @fastify/compress around /page. Logging off.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import secureSession from '@fastify/secure-session';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import compress from '@fastify/compress';
import { constants as zlib } from 'node:zlib';
import nunjucks from 'nunjucks';
import { HELLO, JSON_BODY, ROWS, SECRET, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const views = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(dirname(fileURLToPath(import.meta.url)), '..', 'views', 'nunjucks')), {
  autoescape: true,
});
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
await app.register(helmet);
await app.register(secureSession, {
  key: createHash('sha256').update(SECRET).digest(),
  cookieName: 'session',
  cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
});
await app.register(csrf, { sessionPlugin: '@fastify/secure-session' });
await app.register(formbody);
await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024 } });

const html = (reply, body) => reply.type('text/html; charset=utf-8').send(body);

app.get('/hello', (req, reply) => {
  reply.type('text/plain; charset=utf-8').send(HELLO);
});
app.get('/json', () => JSON_BODY);
// Compression around /page only (page-br), so the other routes carry no compression hook.
await app.register(async (scope) => {
  await scope.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  scope.get('/page', (req, reply) => html(reply, views.render('page.njk', { title: 'Items & <things>', user: 'ada "the admin"', rows: ROWS })));
});
app.get('/form', (req, reply) => html(reply, views.render('form.njk', { title: 'New item', user: 'ada', csrfToken: reply.generateCsrf() })));
app.post('/form', { preHandler: app.csrfProtection }, (req, reply) => {
  reply.type('text/plain; charset=utf-8').send(`Saved: ${req.body.title ?? ''}`);
});
app.post('/upload', { preHandler: app.csrfProtection }, async (req) => {
  const file = await req.file();
  const buf = await file.toBuffer();
  return { name: file.filename, size: buf.length };
});
app.post('/validated', {
  preHandler: app.csrfProtection,
  schema: {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'tags', 'priority'],
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 200 },
        tags: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 50 } },
        priority: { type: 'integer', minimum: 1, maximum: 5 },
      },
    },
  },
}, (req) => ({ title: req.body.title, tags: req.body.tags.length, priority: req.body.priority }));
app.get('/session', (req, reply) => {
  const count = (req.session.get('count') ?? 0) + 1;
  req.session.set('count', count);
  reply.type('text/plain; charset=utf-8').send(`count: ${count}`);
});

await app.listen({ port, host: '127.0.0.1' });
ready(['hello', 'json', 'page', 'page-br', 'form', 'upload', 'validated', 'session']);
exitOnSignal((done) => app.close().then(done));
