import { createApp, csrfToken } from 'palisade';

export const app = createApp();

// A callback-style API, as some older libraries have.
function lookUp(id: string, done: (err: Error | null, title?: string) => void): void {
  setTimeout(() => done(null, `Note ${id}`), 5);
}

// A helper called from deep code: it reaches the request through the scope.
function withToken<T extends object>(value: T): T & { csrf: string } {
  return { ...value, csrf: csrfToken() };
}

app.get('/api/notes/:id', (req) =>
  new Promise((resolve, reject) => {
    // The callback runs from a timer, still in the request's scope.
    lookUp(req.params.id, (err, title) => {
      if (err) reject(err);
      else resolve(withToken({ title }));
    });
  }),
);

// Where the request is at hand, ask it directly.
app.get('/api/token', (req) => ({ csrf: req.csrfToken() }));
