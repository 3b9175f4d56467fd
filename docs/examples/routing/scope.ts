import { bindScope, createApp, csrfToken } from 'palisade';

export const app = createApp();

// A callback-style API, as some older libraries have.
function lookUp(id: string, done: (err: Error | null, title?: string) => void): void {
  setTimeout(() => done(null, `Note ${id}`), 5);
}

app.get('/api/notes/:id', (req) =>
  new Promise((resolve, reject) => {
    // The callback runs from a timer: bindScope gives it the request's scope.
    lookUp(req.params.id, bindScope((err, title) => {
      if (err) reject(err);
      else resolve({ title, csrf: csrfToken() });
    }));
  }),
);

app.get('/api/token', async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  // After an await the scope is back by itself.
  return { csrf: csrfToken() };
});
