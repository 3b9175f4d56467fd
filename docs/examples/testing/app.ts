import { createApp, render, Response } from 'palisade';

export const app = createApp({ templates: { dir: new URL('./templates', import.meta.url).pathname } });

const notes: { title: string; file: string | null }[] = [];

app.get('/notes/new', () => render('new.html'));

app.post('/notes', async (req) => {
  const { fields, files } = await req.files();
  notes.push({ title: fields.get('title') ?? '', file: files[0]?.filename ?? null });
  return Response.redirect('/notes', { status: 303 });
}, { uploads: true });

app.get('/notes', () => ({ notes }));

// A page whose template has a mistake in it: `note` is not given to it.
app.get('/notes/last', () => render('last.html', { notes }));
