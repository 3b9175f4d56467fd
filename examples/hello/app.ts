// A small app: `npm start` serves it on http://127.0.0.1:8000 until the demo app lands.
import { createApp, Response } from '../../src/index.js';

export const app = createApp();

app.get('/', () => 'Hello from Palisade.', { name: 'index' });
app.get('/hello/:name', (req) => `Hello, ${req.params.name}!`, { name: 'hello' });
app.get('/api/time', () => ({ now: new Date().toISOString() }));
app.post('/echo', async (req) => ({ got: await req.json() }));
app.get('/go', () => Response.redirect(app.urlFor('hello', { name: 'you' })));

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
  console.log(`Serving on ${server.url}`);
}
