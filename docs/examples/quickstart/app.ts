import { createApp } from 'palisade';

export const app = createApp();

app.get('/', () => 'Hello, World!');

app.get('/hello/:name', (req) => `Hello, ${req.params.name}!`);

app.get('/api/status', () => ({ ok: true }));
