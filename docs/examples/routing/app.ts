import { Blueprint, createApp, Response } from 'palisade';

export const app = createApp();

// Route names feed urlFor; params come from the path.
app.get('/notes/:id', (req) => `Note ${req.params.id}`, { name: 'note' });

app.post('/notes', async (req) => {
  const form = await req.form();
  const title = form.get('title') ?? '';
  return Response.redirect(app.urlFor('note', { id: title.length }), { status: 303 });
});

// A blueprint groups routes under a prefix; its route names get its name in front.
const api = new Blueprint('api', { prefix: '/api' });
api.get('/notes/:id', (req) => ({ id: Number(req.params.id) }), { name: 'note' });
app.register(api);

// Hooks run around every handler.
app.before((req) => {
  if (req.query.get('maintenance') === '1') return new Response('Back soon.', { status: 503 });
});
app.after((_req, res) => {
  res.setHeader('x-served-by', 'palisade');
});

// Error handlers by status or by error class.
class NoteMissing extends Error {}
app.get('/missing', () => {
  throw new NoteMissing('no such note');
});
app.onError(NoteMissing, () => new Response('That note does not exist.', { status: 404 }));
app.onError(404, () => new Response('Nothing here.', { status: 404 }));
