/**
 * The notes demo: accounts, notes, attachments and a small JSON API on Palisade, with
 * SQLite for storage. `npm start` runs it (see main.ts); tests build it with
 * `createNotesApp({ dataDir })`.
 *
 * Nothing in this file is about security except the one setting the attack suite uses,
 * `unsafeDisableProtections`: every protection here is Palisade's default.
 */
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookup as mimeLookup } from 'mime-types';
import * as z from 'zod';
import {
  createApp,
  defineForm,
  fields,
  flash,
  hashPassword,
  jsonify,
  needsRehash,
  Response,
  safeJoin,
  sendFile,
  sendUpload,
  Templates,
  verifyPassword,
  type App,
  type AppOptions,
  type Env,
  type PasswordHashOptions,
  type RateLimitRule,
  type Request,
} from '../../src/index.js';
import { Store, type User } from './db.js';
import { isLegacyHash, verifyLegacyPassword } from './legacy-passwords.js';

const HERE = dirname(fileURLToPath(import.meta.url));

// The JSON API's schemas (Zod): what POST /api/notes reads, what the API answers.
const NoteIn = z.object({
  title: z.string().trim().min(1).max(200),
  body: z
    .string()
    .max(20_000)
    .default('')
    .transform((s) => s.replace(/\r\n?/g, '\n')),
  link: z.string().trim().max(2000).default(''),
});
const NoteOut = z.object({ id: z.number().int(), title: z.string(), body: z.string(), link: z.string(), created_at: z.string(), url: z.string() });
const NoteList = z.object({ notes: z.array(NoteOut) });
const NoteCreated = z.object({ note: NoteOut });
const Me = z.object({ user: z.object({ id: z.number().int(), username: z.string(), created_at: z.string() }) });

/**
 * The protections the attack suite's control runs can switch off. `true` means all of them.
 * - `escaping`: templates write values as they are (the engine's internal switch).
 * - `csrf`: no CSRF protection (`csrf: { enabled: false }`, forms without a token).
 * - `headers`: no security headers (`headers: false`: no CSP, no frame-ancestors…).
 * - `json`: no resource isolation, no CORP; `/api/notes` answers with a top-level array and
 *   `POST /api/notes` parses any body as JSON, as a naive framework does.
 * - `uploads`: attachments served inline with the type their name suggests (none when it
 *   suggests none), as a naive `send_file` does, instead of `sendUpload`.
 * - `redirects`: a login `next` may point at any host.
 * - `cookies`: what older frameworks sent: the session cookie with `SameSite=None`, and no
 *   `X-Content-Type-Options: nosniff` (Palisade has no switch for either, so the control
 *   rewrites its own responses; see `naiveResponses`).
 * - `sessions`: a login that nothing can end — every user's session epoch is one constant
 *   that logout never changes — and user ids that SQLite hands out again (no
 *   AUTOINCREMENT), as the demo first had them: a saved cookie outlives its logout and its
 *   account.
 */
export type NotesProtection = 'escaping' | 'csrf' | 'headers' | 'json' | 'uploads' | 'redirects' | 'cookies' | 'sessions';
export const ALL_PROTECTIONS: readonly NotesProtection[] = ['escaping', 'csrf', 'headers', 'json', 'uploads', 'redirects', 'cookies', 'sessions'];

export interface NotesOptions {
  /** Where the SQLite database and the uploaded files live; created when missing. */
  dataDir: string;
  env?: Env;
  secretKey?: string | readonly string[];
  allowedHosts?: readonly string[];
  logger?: AppOptions['logger'];
  /**
   * ONLY for the attack suite's control run (e2e/notes-attacks.test.ts): switches off every
   * protection (`true`) or the listed ones, so the suite can show each attack succeeding
   * without them. `palisade check` reports an app built with it. Never use it otherwise.
   */
  unsafeDisableProtections?: boolean | readonly NotesProtection[];
  /** The cost of new password hashes; default Palisade's (scrypt N=2^17). The tests lower it to run fast. */
  passwordHashing?: PasswordHashOptions;
}

export interface NotesApp {
  app: App;
  store: Store;
  /** Closes the app's protections and the database. */
  close(): Promise<void>;
}

const MAX_ATTACHMENT = 5 * 1024 * 1024;
/** What the control's logins all carry: an epoch that never changes, so nothing ends them. */
const NEVER_CHANGES = 'the-same-for-everyone';

/**
 * Password guessing, slowed down: five tries a minute for one account name (whoever
 * sends them), and thirty a minute from one address (whichever names it tries).
 */
const loginName = async (req: Request): Promise<string | undefined> => {
  const form = await req.form();
  return form.get('username')?.trim().toLowerCase() || undefined;
};
export const LOGIN_LIMITS: readonly RateLimitRule[] = [
  { limit: 5, window: 60, key: loginName, name: 'login-name' },
  { limit: 30, window: 60, name: 'login-address' },
];

/** Builds the notes app over the data directory. */
export function createNotesApp(options: NotesOptions): NotesApp {
  const off = new Set<NotesProtection>(
    options.unsafeDisableProtections === true
      ? ALL_PROTECTIONS
      : options.unsafeDisableProtections === false || options.unsafeDisableProtections === undefined
        ? []
        : options.unsafeDisableProtections,
  );
  const store = new Store(options.dataDir, { reuseIds: off.has('sessions') });
  const hashing = options.passwordHashing ?? {};
  const app = createApp({
    env: options.env,
    secretKey: options.secretKey,
    allowedHosts: options.allowedHosts,
    logger: options.logger,
    // A session's login ends when the user's epoch changes: at logout, or with the account.
    session: off.has('sessions')
      ? { userEpoch: () => NEVER_CHANGES, endUserSessions: () => {} }
      : { userEpoch: (id) => store.sessionEpoch(Number(id)), endUserSessions: (id) => store.endSessions(Number(id)) },
    // The signed-in user, for handlers (req.currentUser()) and templates (current_user).
    login: { loadUser: (id) => store.userById(Number(id)) ?? undefined },
    static: { dir: join(HERE, 'static') },
    uploads: { maxFileSize: MAX_ATTACHMENT, maxFiles: 1 },
    ...(off.has('csrf') ? { csrf: { enabled: false } } : {}),
    ...(off.has('headers') ? { headers: false } : {}),
    ...(off.has('json') ? { json: { isolation: false, resourcePolicy: false } } : {}),
  });
  const views = new Templates({
    dir: join(HERE, 'templates'),
    mode: app.settings.env,
    globals: { csrf_enabled: !off.has('csrf') },
    // The engine's internal switch (never documented for apps): values written as they are.
    unsafeDisableEscaping: off.has('escaping'),
  });
  views.precompile();
  const formCsrf = off.has('csrf') ? { csrf: false } : {};

  // ---- forms

  const registerForm = defineForm(
    {
      username: fields.string({ minLength: 3, maxLength: 30, pattern: /[A-Za-z0-9_.-]+/, messages: { pattern: 'Letters, digits, “.”, “_” and “-” only.' } }),
      password: fields.string({ widget: 'password', minLength: 8, maxLength: 200 }),
      confirm: fields.string({ widget: 'password', maxLength: 200 }),
    },
    { ...formCsrf, check: (d) => (d.password === d.confirm ? undefined : { confirm: 'The passwords differ.' }) },
  );
  const loginForm = defineForm({ username: fields.string({ maxLength: 30 }), password: fields.string({ widget: 'password', maxLength: 200 }) }, formCsrf);
  const noteForm = defineForm(
    {
      title: fields.string({ maxLength: 200 }),
      body: fields.string({ widget: 'textarea', maxLength: 20_000 }).optional(),
      link: fields.string({ maxLength: 2000 }).optional(),
    },
    formCsrf,
  );
  const attachmentForm = defineForm({ file: fields.file({ maxSize: MAX_ATTACHMENT }) }, formCsrf);

  // ---- helpers

  /** The signed-in user; routes with `loginRequired` are only reached with one. */
  async function userOf(req: Request): Promise<User> {
    return (await req.currentUser<User>())!;
  }
  /** Records the login: a new session id, and the epoch that logout changes. */
  async function logIn(req: Request, user: User): Promise<void> {
    await req.session.setUser(user.id, off.has('sessions') ? NEVER_CHANGES : user.session_epoch);
  }
  function page(name: string, ctx: Record<string, unknown> = {}, status = 200): Response {
    return Response.html(views.render(name, { next: '', failed: false, taken: false, ...ctx }), { status });
  }
  // A hash to compare against when the user does not exist, so both cases take as long.
  const dummyHash = hashPassword(randomUUID(), hashing);
  /** Checks the password; a hash made with other parameters (or the old format) is replaced. */
  async function passwordMatches(user: User | null, password: string): Promise<boolean> {
    const stored = user?.password_hash ?? (await dummyHash);
    const ok = isLegacyHash(stored) ? await verifyLegacyPassword(password, stored) : await verifyPassword(password, stored);
    if (ok && user !== null && needsRehash(stored, hashing)) store.setPasswordHash(user.id, await hashPassword(password, hashing));
    return ok && user !== null;
  }
  function redirect(to: string): Response {
    if (!off.has('redirects')) return Response.redirect(to, { status: 303 });
    // The control: trust whatever host the target names, as an app without the check would.
    let host = '';
    try {
      host = new URL(to, 'http://placeholder.invalid').host;
    } catch {}
    return Response.redirect(to, { status: 303, allowHosts: [host] });
  }
  const noteId = (req: Request & { params: { id: string } }): number => Number(req.params.id);
  async function removeFiles(names: string[]): Promise<void> {
    await Promise.all(names.map((n) => unlink(join(store.uploadsDir, n)).catch(() => undefined)));
  }

  // ---- accounts

  // Every route of the app but these needs a signed-in user: `loginRequired` sends a page to
  // the login route (coming back afterwards through `next`) and answers an API call 401.
  const members = { loginRequired: true } as const;

  app.get('/', async (req) => redirect((await req.currentUser()) ? '/notes' : '/login'), { name: 'index' });

  app.get('/register', () => page('register.html', { form: registerForm.view(null) }), { name: 'register' });
  app.post(
    '/register',
    async (req) => {
      const result = await registerForm.validate(req);
      if (!result.ok) return page('register.html', { form: registerForm.view(result) }, 400);
      const user = store.createUser(result.data.username, await hashPassword(result.data.password, hashing));
      if (user === null) {
        return page('register.html', { form: registerForm.view(result), taken: true }, 400);
      }
      await req.session.regenerate({ keepData: false }); // nothing from before the account carries over
      await logIn(req, user);
      await flash(req, `Welcome, ${user.username}. Your account is ready.`, 'success');
      return redirect('/notes');
    },
    { rateLimit: LOGIN_LIMITS[1] },
  ); // accounts cost a hash each: the same limit per address as logins

  app.get('/login', (req) => page('login.html', { form: loginForm.view(null), next: req.query.get('next') ?? '' }), { name: 'login' });
  app.post(
    '/login',
    async (req) => {
      const next = req.query.get('next') ?? '';
      const result = await loginForm.validate(req);
      if (!result.ok) return page('login.html', { form: loginForm.view(result), next }, 400);
      const user = store.userByName(result.data.username);
      if (!(await passwordMatches(user, result.data.password))) return page('login.html', { form: loginForm.view(result), next, failed: true }, 401);
      await logIn(req, user!); // a new session id: a planted one is worthless now
      await flash(req, `Signed in as ${user!.username}.`, 'success');
      // `next` is whatever the link said; Palisade refuses a redirect to another host (400).
      return redirect(next === '' ? '/notes' : next);
    },
    { rateLimit: LOGIN_LIMITS },
  );
  app.post(
    '/logout',
    async (req) => {
      // A new epoch ends this session everywhere it was copied (and the user's other sessions).
      await req.session.logout();
      return redirect('/login');
    },
    { name: 'logout' },
  );

  app.get('/profile', async (req) => page('profile.html', { noteCount: store.countNotes((await userOf(req)).id) }), { name: 'profile', ...members });
  // Flask's security notes use exactly this button as their CSRF example.
  app.post(
    '/profile/delete',
    async (req) => {
      await removeFiles(store.deleteUser((await userOf(req)).id)); // the epoch goes with the row: every session ends
      await req.session.destroy();
      return redirect('/register');
    },
    members,
  );

  // ---- notes

  app.get('/notes', async (req) => page('notes.html', { notes: store.notesFor((await userOf(req)).id) }), { name: 'notes', ...members });

  app.get('/notes/new', () => page('note-form.html', { form: noteForm.view(null), note: null }), members);
  app.post(
    '/notes/new',
    async (req) => {
      const user = await userOf(req);
      const result = await noteForm.validate(req);
      if (!result.ok) return page('note-form.html', { form: noteForm.view(result), note: null }, 400);
      const note = store.createNote(user.id, result.data.title, result.data.body ?? '', result.data.link ?? '');
      await flash(req, `Saved “${note.title}”.`, 'success');
      return redirect(app.urlFor('note', { id: note.id }));
    },
    members,
  );

  app.get(
    '/notes/:id',
    async (req) => {
      const note = store.note((await userOf(req)).id, noteId(req));
      if (note === null) return page('missing.html', {}, 404);
      return page('note.html', { note, attachments: store.attachments(note.id), form: attachmentForm.view(null) });
    },
    { name: 'note', ...members },
  );

  app.get(
    '/notes/:id/edit',
    async (req) => {
      const note = store.note((await userOf(req)).id, noteId(req));
      if (note === null) return page('missing.html', {}, 404);
      return page('note-form.html', { form: noteForm.view(null, { initial: note }), note });
    },
    members,
  );
  app.post(
    '/notes/:id/edit',
    async (req) => {
      const user = await userOf(req);
      const note = store.note(user.id, noteId(req));
      if (note === null) return page('missing.html', {}, 404);
      const result = await noteForm.validate(req);
      if (!result.ok) return page('note-form.html', { form: noteForm.view(result), note }, 400);
      store.updateNote(user.id, note.id, result.data.title, result.data.body ?? '', result.data.link ?? '');
      await flash(req, 'Note updated.', 'success');
      return redirect(app.urlFor('note', { id: note.id }));
    },
    members,
  );

  app.post(
    '/notes/:id/delete',
    async (req) => {
      const user = await userOf(req);
      const note = store.note(user.id, noteId(req));
      if (note === null) return page('missing.html', {}, 404);
      await removeFiles(store.deleteNote(user.id, note.id));
      await flash(req, `Deleted “${note.title}”.`, 'success');
      return redirect('/notes');
    },
    members,
  );

  // ---- attachments

  app.post(
    '/notes/:id/attachments',
    async (req) => {
      const note = store.note((await userOf(req)).id, noteId(req));
      if (note === null) return page('missing.html', {}, 404);
      const result = await attachmentForm.validate(req);
      if (!result.ok) {
        return page('note.html', { note, attachments: store.attachments(note.id), form: attachmentForm.view(result) }, 400);
      }
      const file = result.data.file;
      const stored = randomUUID(); // our own name on disk; the user's name is only shown and offered
      await file.save(store.uploadsDir, stored);
      store.addAttachment(note.id, file.filename, stored, file.size);
      await flash(req, `Attached “${file.filename}”.`, 'success');
      return redirect(app.urlFor('note', { id: note.id }));
    },
    { uploads: true, ...members },
  ); // the one route that takes files: up to uploads.maxTotalSize, not maxBodySize

  app.get(
    '/notes/:id/attachments/:aid',
    async (req) => {
      const note = store.note((await userOf(req)).id, noteId(req));
      const attachment = note && store.attachment(note.id, Number(req.params.aid));
      if (!attachment) return page('missing.html', {}, 404);
      const path = await safeJoin(store.uploadsDir, attachment.stored_name);
      if (!off.has('uploads')) return sendUpload(req, path, { filename: attachment.filename });
      // The control: what a naive send_file does, inline, typed by the name (or untyped).
      const type = mimeLookup(attachment.filename);
      const res = await sendFile(req, path, type === false ? {} : { contentType: type });
      if (type === false) delete res.headers['content-type'];
      return res;
    },
    { name: 'attachment', ...members },
  );

  // ---- JSON API, used by static/notes.js (a request that asks for JSON and has no login gets a 401).
  // Schemas validate what it reads and describe what it answers; /api/openapi.json serves the description.
  const api = { ...members, tags: ['notes'] };
  const noteJSON = (n: { id: number; title: string; body: string; link: string; created_at: string }): z.input<typeof NoteOut> => ({
    id: n.id,
    title: n.title,
    body: n.body,
    link: n.link,
    created_at: n.created_at,
    url: app.urlFor('note', { id: n.id }),
  });
  app.get(
    '/api/me',
    async (req) => {
      const user = await userOf(req);
      return { user: { id: user.id, username: user.username, created_at: user.created_at } };
    },
    { ...api, name: 'api.me', summary: 'The signed-in user', schema: { response: Me } },
  );
  if (off.has('json')) {
    // The control answers with the bare array, the JSON hijacking target of old, and reads
    // any body as JSON (text/plain included), as a naive parser does: no schema can say that.
    app.get('/api/notes', async (req) => store.notesFor((await userOf(req)).id).map(noteJSON), { ...members, allowTopLevelArray: true });
    app.post(
      '/api/notes',
      async (req) => {
        const user = await userOf(req);
        const input = (JSON.parse(await req.text()) ?? {}) as { title?: unknown; body?: unknown; link?: unknown };
        const title = typeof input.title === 'string' ? input.title.trim() : '';
        const body = typeof input.body === 'string' ? input.body.replace(/\r\n?/g, '\n') : '';
        const link = typeof input.link === 'string' ? input.link.trim() : '';
        if (title === '' || title.length > 200) return jsonify({ error: 'A note needs a title of at most 200 characters.' }, { status: 400 });
        return jsonify({ note: noteJSON(store.createNote(user.id, title, body, link)) }, { status: 201 });
      },
      members,
    );
  } else {
    app.get('/api/notes', async (req) => ({ notes: store.notesFor((await userOf(req)).id).map(noteJSON) }), {
      ...api,
      name: 'api.notes',
      summary: "The signed-in user's notes, newest first",
      schema: { response: NoteList },
    });
    app.post(
      '/api/notes',
      async (req) => {
        const user = await userOf(req);
        const { title, body, link } = req.valid.body;
        return jsonify({ note: noteJSON(store.createNote(user.id, title, body, link)) }, { status: 201 });
      },
      { ...api, name: 'api.notes.create', summary: 'Write a note', schema: { body: NoteIn, response: { 201: NoteCreated } } },
    );
  }
  app.get(
    '/api/openapi.json',
    () =>
      app.openapi({
        info: { title: 'Notes API', version: '1.0.0', description: 'The JSON API of the Palisade notes demo.' },
        include: (r) => r.path.startsWith('/api/'),
      }),
    { name: 'api.openapi', summary: 'This description', tags: ['meta'] },
  );

  if (off.has('cookies')) naiveResponses(app);

  return {
    app,
    store,
    async close() {
      await app.close();
      store.close();
    },
  };
}

/**
 * The control only: rewrites the app's finished responses the way an older framework
 * would have sent them — the session cookie `SameSite=None` (Chromium needs `Secure` with
 * it, which it accepts on loopback), and no `X-Content-Type-Options`. Palisade has no
 * setting for either, so this wraps the app's internal respond entry, through which the
 * node adapter, `app.fetch` and the test client answer every request.
 */
function naiveResponses(app: App): void {
  const naive = (res: Response): Response => {
    delete res.headers['x-content-type-options'];
    const cookies = res.headers['set-cookie'];
    if (cookies !== undefined) {
      res.headers['set-cookie'] = (Array.isArray(cookies) ? cookies : [cookies]).map((c: string) => {
        const v = c.replace(/;\s*SameSite=\w+/i, '; SameSite=None');
        return /;\s*Secure/i.test(v) ? v : `${v}; Secure`;
      });
    }
    return res;
  };
  // The entry every adapter answers through, under its internal key (src/util/symbols.ts).
  const RESPOND = Symbol.for('palisade.respond');
  const entry = app as unknown as Record<typeof RESPOND, (req: Request) => Response | Promise<Response>>;
  const respond = entry[RESPOND].bind(app);
  entry[RESPOND] = (req: Request) => {
    const out = respond(req);
    return out instanceof Response ? naive(out) : out.then(naive);
  };
}

/**
 * The demo as `npm start` builds it: settings from the environment, data under
 * `examples/notes/data/` (or NOTES_DATA_DIR). Production needs the hosts the app answers
 * for; without PALISADE_ALLOWED_HOSTS the demo answers for its own bind address and localhost.
 */
export function notesFromEnv(env: NodeJS.ProcessEnv = process.env): { notes: NotesApp; host: string; port: number } {
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? 8000);
  const mode = (env.PALISADE_ENV as Env | undefined) ?? 'development';
  const allowedHosts = env.PALISADE_ALLOWED_HOSTS || mode !== 'production' ? undefined : [...new Set([host, 'localhost', '127.0.0.1'])];
  const notes = createNotesApp({ dataDir: env.NOTES_DATA_DIR ?? join(HERE, 'data'), env: mode, allowedHosts });
  return { notes, host, port };
}

/** Serves the demo on HOST:PORT (default 127.0.0.1:8000), as `npm start` does. */
export async function serveNotes(built = notesFromEnv()): Promise<void> {
  const server = await built.notes.app.listen({ host: built.host, port: built.port });
  const secret = process.env.PALISADE_SECRET_KEY ? '' : ' with a generated secret key (sessions end when it stops)';
  console.log(`Palisade notes (${built.notes.app.settings.env}) on ${server.url}${secret}`);
}

// `node --import tsx examples/notes/app.ts` serves it too (scripts/soak.ts runs it so).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await serveNotes();
