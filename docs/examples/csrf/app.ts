import { Blueprint, createApp } from 'palisade';

export const app = createApp({
  // Pages on this other origin of ours may post here too.
  csrf: { trustedOrigins: ['https://admin.example.com'] },
});

let notes: string[] = [];

// Protected: a form posting here must carry csrf_token; a script, the X-CSRF-Token header.
app.post('/notes', async (req) => {
  notes.push((await req.form()).get('text') ?? '');
  return { notes };
});

// A single-page app can fetch a token once per page load.
app.get('/api/csrf-token', (req) => ({ token: req.csrfToken() }));

app.put('/api/notes', async (req) => {
  notes = (await req.json<{ notes: string[] }>()).notes;
  return { notes };
});

// A webhook is called by a server, never by a browser: exempt this one route.
app.post('/hooks/payment', async (req) => {
  const event = await req.json<{ type: string }>();
  return { received: event.type };
}, { csrf: false });

// Or every route of a blueprint (each is listed by `palisade check`).
const hooks = new Blueprint('hooks', { prefix: '/hooks/v2', routeDefaults: { csrf: false } });
hooks.post('/mail', () => ({ received: 'mail' }));
app.register(hooks);
