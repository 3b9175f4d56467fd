import { createApp, Response } from '../../../src/index.js';

// Sessions in a signed cookie (the default). For several processes: { store: { redis: url } }.
export const app = createApp({ session: { maxAge: 7 * 24 * 3600 } });

const PASSWORDS: Record<string, string> = { ada: 'correct horse battery staple' };

app.get('/', async (req) => {
  const user = await req.session.get<string>('user');
  return user === undefined ? 'Hello, stranger.' : `Hello, ${user}!`;
});

app.post('/login', async (req) => {
  const form = await req.form();
  const name = form.get('name') ?? '';
  if (PASSWORDS[name] === undefined || PASSWORDS[name] !== form.get('password')) {
    return new Response('Wrong name or password.', { status: 401 });
  }
  await req.session.regenerate(); // a new session id at login: no session fixation
  await req.session.set('user', name);
  return Response.redirect('/', { status: 303 });
});

app.post('/cart', async (req) => {
  const cart = (await req.session.get<string[]>('cart')) ?? [];
  cart.push((await req.form()).get('item') ?? '');
  await req.session.set('cart', cart); // set again after changing a value: only set() saves
  return { cart };
});

app.post('/logout', async (req) => {
  await req.session.destroy();
  return Response.redirect('/', { status: 303 });
});
