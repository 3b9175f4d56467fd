import { createApp, Response } from 'palisade';

export const app = createApp();

// Text from the request goes into a header encoded: the raw text could hold a line break.
app.get('/greet', (req) => {
  const name = req.query.get('name') ?? '';
  return new Response('Hello!').setHeader('x-greeting-for', encodeURIComponent(name));
});

// The same header without encodeURIComponent is refused when it is set.
app.get('/greet-raw', (req) => new Response('Hello!').setHeader('x-greeting-for', req.query.get('name') ?? ''));

// Redirects encode their target as a browser would: /café is sent as /caf%C3%A9.
app.get('/go', (req) => Response.redirect(req.query.get('next') ?? '/', { fallback: '/' }));
