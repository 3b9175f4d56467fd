import { Blueprint, createApp, HttpError, Response } from 'palisade';

export const app = createApp();

const notes = new Map([[1, 'Groceries']]);

// Abort with an error page: the status comes from the code (HTTP_NOT_FOUND is a 404).
app.get('/notes/:id', (req) => {
  const note = notes.get(Number(req.params.id));
  if (note === undefined) throw new HttpError('HTTP_NOT_FOUND', 'There is no such note.');
  return note;
});

// A status no code stands for: answer with a Response.
app.get('/admin', () => new Response('Admins only.', { status: 403 }));

// A blueprint mounted under one more prefix: /api/v1/ping, named api.ping.
const api = new Blueprint('api', { prefix: '/v1' });
api.get('/ping', () => ({ ok: true }), { name: 'ping' });
app.register(api, { prefix: '/api' });

// Removing a cookie: the same name and path, already expired.
app.post('/logout', () => new Response(null, { status: 204 }).deleteCookie('theme'));
