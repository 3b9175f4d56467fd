import { createApp, render } from 'palisade';

export const app = createApp({
  templates: {
    dir: new URL('./templates', import.meta.url).pathname,
    // Seen by every template of the app, on every render.
    globals: { site: 'Notes', year: () => new Date().getUTCFullYear() },
    filters: { initials: (s: unknown) => String(s).split(' ').map((w) => w[0]).join('') },
  },
});

// In a handler, render() finds the app's templates through the request.
app.get('/notes/:id', (req) => render('note.html', { note: { id: req.params.id, author: 'Ada Lovelace' } }), { name: 'note' });

// Outside a request (an e-mail, a job), app.render() does the same; csrf_token() and
// url_for(), which need a request, are not there.
export function reminderEmail(title: string): string {
  return app.render('reminder.html', { title }).toString();
}
