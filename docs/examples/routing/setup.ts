import { Blueprint, createApp } from 'palisade';

// Build the whole app before it serves: routes, hooks, error handlers, blueprints.
export function buildApp() {
  const app = createApp();
  const notes = new Blueprint('notes', { prefix: '/notes' });
  notes.get('/', () => ({ notes: ['Groceries'] }));
  app.register(notes);
  app.get('/', () => 'home');
  app.onError(404, () => 'Nothing here.');
  return app;
}
