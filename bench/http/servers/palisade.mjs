// Palisade in production mode with its default protections on (host check, sessions,
// CSRF origin check and token, security headers with a CSP nonce, resource isolation...).
// Imports the built package: `npm run build` at the repository root writes dist/.
// Scenarios whose feature has not landed yet are left out, and the runner reports them
// as "not available yet".
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as palisade from '../../../dist/index.js';
import * as z from 'zod';
import { HELLO, JSON_BODY, ROWS, SECRET, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const app = palisade.createApp({
  env: 'production',
  secretKey: SECRET,
  allowedHosts: ['127.0.0.1', 'localhost'],
  logger: false,
});
const served = ['hello', 'json'];
const notes = {};

app.get('/hello', () => HELLO);
app.get('/json', () => JSON_BODY);

// Templates: from the package root once exported there, else from dist/templates.
let createTemplates = palisade.createTemplates;
if (typeof createTemplates !== 'function') {
  try {
    ({ createTemplates } = await import('../../../dist/templates/index.js'));
    notes.page = 'createTemplates imported from dist/templates (not yet exported from the package root).';
  } catch {
    createTemplates = undefined;
  }
}
const templates =
  typeof createTemplates === 'function'
    ? createTemplates({ dir: join(dirname(fileURLToPath(import.meta.url)), '..', 'views', 'palisade'), mode: 'production' })
    : null;

if (templates) {
  templates.precompile();
  // Compressed when the client asks (page-br); handler responses are not by default (BREACH).
  app.get('/page', () => templates.render('page.html', { title: 'Items & <things>', user: 'ada "the admin"', rows: ROWS }), { compress: true });
  served.push('page');
  served.push('page-br');
}

const hasSessions = typeof palisade.Session === 'function';
const hasCsrf = typeof palisade.csrfToken === 'function';

if (templates && hasSessions && hasCsrf) {
  // The template compiler adds the hidden CSRF field to the same-origin POST form.
  app.get('/form', () => templates.render('form.html', { title: 'New item', user: 'ada' }));
  app.post('/form', async (req) => {
    const form = await req.form();
    return `Saved: ${form.get('title') ?? ''}`;
  });
  served.push('form');
}

if (hasSessions && hasCsrf && typeof palisade.Request.prototype.files === 'function' && served.includes('form')) {
  app.post('/upload', async (req) => {
    const body = await req.files();
    const file = body.file('file');
    if (file === undefined) return new palisade.Response('No file', { status: 400 });
    return { name: file.filename, size: file.size };
  }, { uploads: true });
  served.push('upload');
  notes.upload = 'Palisade streams each file to a private temporary file (deleted after the response); the peers keep it in memory.';
}

if (served.includes('form') && typeof palisade.App.prototype.openapi === 'function') {
  const NoteInput = z.strictObject({
    title: z.string().min(1).max(200),
    tags: z.array(z.string().min(1).max(50)).max(10),
    priority: z.number().int().min(1).max(5),
  });
  app.post('/validated', (req) => {
    const { title, tags, priority } = req.valid.body;
    return { title, tags: tags.length, priority };
  }, { schema: { body: NoteInput } });
  served.push('validated');
}

if (hasSessions) {
  app.get('/session', async (req) => {
    const count = ((await req.session.get('count')) ?? 0) + 1;
    await req.session.set('count', count);
    return `count: ${count}`;
  });
  served.push('session');
}

// listen() handles SIGTERM itself (graceful shutdown).
await app.listen({ host: '127.0.0.1', port });
ready(served, notes);
