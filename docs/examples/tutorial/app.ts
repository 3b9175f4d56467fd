// The tutorial's app (docs/tutorial.md): a shared bookshelf with logins, a form with a
// cover upload, a JSON API and its tests (app.test.ts). Data lives in memory.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createApp, defineForm, fields, flash, hashPassword, HttpError, jsonify, render, Response, safeJoin, sendUpload, verifyPassword,
} from 'palisade';

// ---- step 1: the data

export interface User {
  id: number;
  name: string;
  passwordHash: string;
  epoch: string; // changed to end every session of the user
}
export interface Book {
  id: number;
  title: string;
  author: string;
  owner: string;
  cover: string | null; // the saved file's name in COVERS
}

const users = new Map<number, User>();
export const books: Book[] = [];
const newEpoch = () => randomBytes(16).toString('base64url');

export async function addUser(name: string, password: string): Promise<User> {
  const user = { id: users.size + 1, name, passwordHash: await hashPassword(password), epoch: newEpoch() };
  users.set(user.id, user);
  return user;
}

// Uploaded covers are kept outside any static folder: they are only ever sent by sendUpload.
export const COVERS = process.env.COVER_DIR ?? join(process.cwd(), 'covers');
mkdirSync(COVERS, { recursive: true });

// ---- step 2: the app

export const app = createApp({
  templates: { dir: new URL('./templates', import.meta.url).pathname },
  session: {
    userEpoch: (id) => users.get(Number(id))?.epoch,
    endUserSessions: (id) => void (users.get(Number(id))!.epoch = newEpoch()),
  },
  login: { loadUser: (id) => users.get(Number(id)) },
});

app.get('/', () => render('index.html', { books }), { name: 'index' });

// ---- step 3: signing up and logging in

const signupForm = defineForm({
  name: fields.string({ maxLength: 40, pattern: /[a-z0-9_]+/, label: 'Name (a-z, 0-9, _)' })
    .check((name) => ![...users.values()].some((u) => u.name === name) || 'That name is taken.'),
  password: fields.string({ widget: 'password', minLength: 12, maxLength: 200 }),
});

app.get('/signup', () => render('signup.html', { form: signupForm.view(null) }), { name: 'signup' });

app.post('/signup', async (req) => {
  const result = await signupForm.validate(req);
  if (!result.ok) return Response.html(render('signup.html', { form: signupForm.view(result) }), { status: 400 });
  const user = await addUser(result.data.name, result.data.password);
  await req.session.setUser(user.id, user.epoch); // logged in: a new session id
  return Response.redirect(app.urlFor('index'), { status: 303 });
}, { rateLimit: { limit: 10, window: 60 } });

app.get('/login', () => render('login.html'), { name: 'login' });

app.post('/login', async (req) => {
  const form = await req.form();
  const user = [...users.values()].find((u) => u.name === form.get('name'));
  if (user === undefined || !(await verifyPassword(form.get('password') ?? '', user.passwordHash))) {
    return Response.html(render('login.html', { failed: true }), { status: 401 });
  }
  await req.session.setUser(user.id, user.epoch);
  return Response.redirect(req.query.get('next') ?? '/', { status: 303, fallback: '/' });
}, { rateLimit: { limit: 10, window: 60 } });

app.post('/logout', async (req) => {
  await req.session.logout();
  return Response.redirect('/', { status: 303 });
}, { name: 'logout' });

// ---- step 4: a form with an upload

const bookForm = defineForm({
  title: fields.string({ maxLength: 200 }),
  author: fields.string({ maxLength: 100 }),
  cover: fields.file({ maxSize: 2_000_000, types: ['image/png', 'image/jpeg'] }).optional(),
});

app.get('/books/new', () => render('new.html', { form: bookForm.view(null) }), { name: 'new_book', loginRequired: true });

app.post('/books/new', async (req) => {
  const result = await bookForm.validate(req);
  if (!result.ok) return Response.html(render('new.html', { form: bookForm.view(result) }), { status: 400 });
  const user = (await req.currentUser<User>())!;
  const { title, author, cover } = result.data;
  const saved = cover === undefined ? null : await cover.save(COVERS); // a safe, unique name
  books.push({ id: books.length + 1, title, author, owner: user.name, cover: saved === null ? null : saved.slice(COVERS.length + 1) });
  await flash(req, `Added “${title}”.`, 'success');
  return Response.redirect(app.urlFor('index'), { status: 303 });
}, { loginRequired: true, uploads: true });

app.get('/books/:id/cover', async (req) => {
  const book = books.find((b) => String(b.id) === req.params.id);
  if (book?.cover == null) throw new HttpError('HTTP_NOT_FOUND', 'This book has no cover.');
  const path = await safeJoin(COVERS, book.cover);
  return sendUpload(req, path, { filename: book.cover, inline: true }); // inline only for real images
}, { name: 'cover' });

// ---- step 5: a JSON API

app.get('/api/books', () => ({ books: books.map(({ id, title, author, owner }) => ({ id, title, author, owner })) }));

app.post('/api/books', async (req) => {
  const body = await req.json<{ title?: unknown; author?: unknown }>();
  if (typeof body.title !== 'string' || typeof body.author !== 'string' || body.title === '') {
    throw new HttpError('HTTP_BAD_REQUEST', 'A book needs a title and an author.');
  }
  const user = (await req.currentUser<User>())!;
  const book = { id: books.length + 1, title: body.title, author: body.author, owner: user.name, cover: null };
  books.push(book);
  return jsonify({ book: { id: book.id, title: book.title } }, { status: 201 });
}, { loginRequired: true });
