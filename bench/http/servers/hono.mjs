// Hono 4 on @hono/node-server as a careful user sets it up: secureHeaders with the same
// policy helmet sends (Hono sends no CSP unless told), the csrf middleware (an Origin /
// Sec-Fetch-Site check: Hono has no token middleware), bodyLimit on the POST routes,
// a signed cookie for the session, Eta with autoescaping for pages.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { csrf } from 'hono/csrf';
import { bodyLimit } from 'hono/body-limit';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { serve } from '@hono/node-server';
import { Eta } from 'eta';
import * as z from 'zod';
import { zValidator } from '@hono/zod-validator';
import { HELLO, HONO_CSP, JSON_BODY, ROWS, SECRET, exitOnSignal, portFromArgs, ready } from '../common.mjs';

const port = portFromArgs();
const eta = new Eta({ views: join(dirname(fileURLToPath(import.meta.url)), '..', 'views', 'eta'), cache: true, autoEscape: true });
const app = new Hono();
app.use(
  secureHeaders({ contentSecurityPolicy: HONO_CSP, strictTransportSecurity: 'max-age=31536000; includeSubDomains' }),
);
app.use(csrf());

app.get('/hello', (c) => c.text(HELLO));
app.get('/json', (c) => c.json(JSON_BODY));
app.get('/page', (c) => c.html(eta.render('./page', { title: 'Items & <things>', user: 'ada "the admin"', rows: ROWS })));
app.get('/form', (c) => c.html(eta.render('./form', { title: 'New item', user: 'ada', csrfToken: '' })));
app.post('/form', bodyLimit({ maxSize: 1024 * 1024 }), async (c) => {
  const body = await c.req.parseBody();
  return c.text(`Saved: ${body.title ?? ''}`);
});
app.post('/upload', bodyLimit({ maxSize: 10 * 1024 * 1024 }), async (c) => {
  const body = await c.req.parseBody();
  const file = body.file;
  if (!(file instanceof File)) return c.text('No file', 400);
  const size = (await file.arrayBuffer()).byteLength;
  return c.json({ name: file.name, size });
});
const NoteInput = z.strictObject({
  title: z.string().min(1).max(200),
  tags: z.array(z.string().min(1).max(50)).max(10),
  priority: z.number().int().min(1).max(5),
});
app.post('/validated', bodyLimit({ maxSize: 1024 * 1024 }), zValidator('json', NoteInput), (c) => {
  const { title, tags, priority } = c.req.valid('json');
  return c.json({ title, tags: tags.length, priority });
});
app.get('/session', async (c) => {
  let session = {};
  const raw = await getSignedCookie(c, SECRET, 'session');
  if (typeof raw === 'string') {
    try {
      session = JSON.parse(raw);
    } catch {
      session = {};
    }
  }
  session.count = (typeof session.count === 'number' ? session.count : 0) + 1;
  await setSignedCookie(c, 'session', JSON.stringify(session), SECRET, { path: '/', httpOnly: true, sameSite: 'Lax' });
  return c.text(`count: ${session.count}`);
});

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () =>
  ready(['hello', 'json', 'page', 'form', 'upload', 'validated', 'session'], {
    form: 'Hono has no CSRF token middleware; its `csrf` middleware checks Origin / Sec-Fetch-Site only.',
    upload: 'Hono: Origin / Sec-Fetch-Site check only, no token.',
    validated: 'Hono: Origin / Sec-Fetch-Site check only, no token.',
  }),
);
exitOnSignal((done) => server.close(done));
