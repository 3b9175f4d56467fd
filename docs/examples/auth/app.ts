import { randomBytes } from 'node:crypto';
import { Blueprint, createApp, hashPassword, needsRehash, renderString, Response, verifyPassword, type Request } from 'palisade';

interface User {
  id: number;
  name: string;
  passwordHash: string;
  sessionEpoch: string; // changed to end every session of the user
}
const newEpoch = () => randomBytes(16).toString('base64url');
export const users = new Map<number, User>([
  [1, { id: 1, name: 'ada', passwordHash: await hashPassword('correct horse battery staple'), sessionEpoch: newEpoch() }],
]);
const byName = (name: string) => [...users.values()].find((u) => u.name === name);

export const app = createApp({
  session: {
    userEpoch: (id) => users.get(Number(id))?.sessionEpoch,
    endUserSessions: (id) => void (users.get(Number(id))!.sessionEpoch = newEpoch()),
  },
  login: { loadUser: (id) => users.get(Number(id)) },
});

app.get('/', () => renderString('{% if current_user %}Hello, {{ current_user.name }}!{% else %}Hello, stranger.{% endif %}'));

app.get('/login', () => 'the login form', { name: 'login' });

// Five tries a minute for one name, thirty a minute from one address.
const nameTried = async (req: Request) => (await req.form()).get('name')?.toLowerCase();
app.post('/login', async (req) => {
  const form = await req.form();
  const password = form.get('password') ?? '';
  const user = byName(form.get('name') ?? '');
  if (user === undefined || !(await verifyPassword(password, user.passwordHash))) {
    return new Response('Wrong name or password.', { status: 401 });
  }
  if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(password);
  await req.session.setUser(user.id, user.sessionEpoch); // a new session id, and the login
  return Response.redirect(req.query.get('next') ?? '/', { status: 303, fallback: '/' });
}, {
  rateLimit: [
    { limit: 5, window: 60, key: nameTried, name: 'login-name' },
    { limit: 30, window: 60, name: 'login-address' },
  ],
});

app.post('/logout', async (req) => {
  await req.session.logout(); // ends this session, and every copy of its cookie
  return Response.redirect('/', { status: 303 });
});

app.get('/notes', async (req) => {
  const user = (await req.currentUser<User>())!; // loginRequired: there is one
  return { notes: [`${user.name}'s first note`] };
}, { loginRequired: true });

const admin = new Blueprint('admin', { prefix: '/admin', routeDefaults: { loginRequired: true } });
admin.get('/users', () => ({ users: [...users.values()].map((u) => u.name) }));
app.register(admin);
