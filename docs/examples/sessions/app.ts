import { randomBytes } from 'node:crypto';
import { createApp, Response } from 'palisade';

// Each user keeps a session epoch: a random value that changes to end the user's sessions.
interface User {
  name: string;
  password: string;
  sessionEpoch: string;
}
const newEpoch = () => randomBytes(16).toString('base64url');
export const users = new Map<string, User>([
  ['ada', { name: 'ada', password: 'correct horse battery staple', sessionEpoch: newEpoch() }],
]);

// Sessions in a signed cookie (the default). For several processes: { store: { redis: url } }.
export const app = createApp({
  session: {
    maxAge: 7 * 24 * 3600,
    // Read on every request that uses a logged-in session; undefined means the user is gone.
    userEpoch: (name) => users.get(String(name))?.sessionEpoch,
  },
});

app.get('/', async (req) => {
  const name = await req.session.user<string>();
  return name === undefined ? 'Hello, stranger.' : `Hello, ${name}!`;
});

app.post('/login', async (req) => {
  const form = await req.form();
  const user = users.get(form.get('name') ?? '');
  if (user === undefined || user.password !== form.get('password')) {
    return new Response('Wrong name or password.', { status: 401 });
  }
  await req.session.setUser(user.name, user.sessionEpoch); // a new session id, and the login
  return Response.redirect('/', { status: 303 });
});

app.post('/cart', async (req) => {
  const cart = (await req.session.get<string[]>('cart')) ?? [];
  cart.push((await req.form()).get('item') ?? '');
  await req.session.set('cart', cart); // set again after changing a value: only set() saves
  return { cart };
});

app.post('/logout', async (req) => {
  const name = await req.session.user<string>();
  if (name !== undefined) users.get(name)!.sessionEpoch = newEpoch(); // ends every copy of the session
  await req.session.destroy();
  return Response.redirect('/', { status: 303 });
});
