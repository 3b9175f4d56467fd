// The attack suite against the notes demo (examples/notes) in headless Chromium.
//
// The demo runs as a child process on http://127.0.0.1:P (its log is real stdout); the
// attacker's site is served on http://localhost:Q, another site to the browser. Every
// attack from the threat table in DESIGN.md is run against the demo as `npm start` runs it
// ("protected"), and asserted to fail with nothing lost: the victim's profile and notes
// still there. The same attacks then run against the same demo built with
// `unsafeDisableProtections: true` ("control") and are asserted to succeed, so each test is
// shown able to fail. A third build with only template escaping off shows the CSP alone
// stopping an injected script.
//
// The victim's browser is an ordinary profile that sends third-party cookies
// (launchVictimContext), so the attacker's no-cors fetch, <script src> and <iframe> carry
// the victim's session: the protected runs show Palisade stopping them without help from
// the browser, and the controls show them acting as the victim. What the browser itself
// still stops, honestly: Chromium no longer lets a page read a script's
// array literal (no Array constructor or setter is called since ES5) and drops JSON answers
// to no-cors loads (ORB). The JSON hijacking control therefore shows the server handing the
// victim's notes to the attacker's cross-site <script src> load, not the page reading them.
// The `{{ }}` payloads test that user text is never treated as template source; no control
// can show that failing, because neither build ever compiles user text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { launchVictimContext } from './browser.js';
import { startVictim as startApp, stopVictim, type Victim } from './victim.js';

const startVictim = (mode: Mode): Promise<Victim> => startApp('e2e/fixtures/notes-server.ts', mode);

type Mode = 'protected' | 'control' | 'no-escaping';

/** Waits for the app's log line of the (n+1)-th request `method path`; returns its status. */
async function served(v: Victim, method: string, path: string, seen: number): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const hits = v.logs.filter((l) => l.method === method && l.path === path && typeof l.status === 'number');
    if (hits.length > seen) return hits[seen]!.status as number;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the app never answered ${method} ${path}`);
}
/** Like `served`, but waits for an answer with `status` among those logged after the first `seen`. */
async function servedWithStatus(v: Victim, method: string, path: string, seen: number, status: number): Promise<number | undefined> {
  for (let i = 0; i < 600; i++) {
    const hits = v.logs.filter((l) => l.method === method && l.path === path && typeof l.status === 'number').slice(seen);
    if (hits.some((l) => l.status === status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  return v.logs
    .filter((l) => l.method === method && l.path === path)
    .slice(seen)
    .map((l) => l.status as number)[0];
}
const countServed = (v: Victim, method: string, path: string): number =>
  v.logs.filter((l) => l.method === method && l.path === path && typeof l.status === 'number').length;

// ---- the attacker's site

let attacker: Server;
let attackerOrigin = '';
const attackerHits: string[] = [];

function attackerPage(path: string, target: string): string | undefined {
  const t = JSON.stringify(target);
  switch (path) {
    case '/delete-profile': // Flask's example: a form that deletes the visitor's profile
      return `<form method="post" action="${target}/profile/delete"></form><script>document.forms[0].submit()</script>`;
    case '/no-cors-note':
      return `<script>window.done = fetch(${t} + '/notes/new', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=pwned-no-cors' }).then(() => 'sent', (e) => String(e));</script>`;
    case '/text-plain-note':
      return `<form method="post" enctype="text/plain" action="${target}/api/notes"><input name='{"title":"pwned-text-plain","pad":"' value='"}'></form><script>document.forms[0].submit()</script>`;
    case '/hijack':
      return `<!doctype html><script>
  window.stolen = '';
  const RealArray = Array;
  window.Array = function (...args) { window.stolen += '|ctor:' + args.length; return RealArray(...args); };
  for (const target of [RealArray.prototype, Object.prototype]) {
    for (const key of ['0', '1', 'title']) {
      Object.defineProperty(target, key, { set(v) { window.stolen += '|set:' + JSON.stringify(v); }, configurable: true });
    }
  }
  window.done = (how) => {
    for (const target of [RealArray.prototype, Object.prototype]) for (const key of ['0', '1', 'title']) delete target[key];
    window.Array = RealArray;
    window.outcome = how;
  };
</script>
<script src="${target}/api/notes" onload="done('load')" onerror="done('error')"></script>`;
    case '/frame':
      return `<!doctype html><h1>Win a prize! Click the red button.</h1><iframe id="f" src="${target}/profile" width="800" height="500"></iframe><script>document.getElementById('f').onload = () => { window.frameLoaded = true; };</script>`;
    case '/phish':
      return '<!doctype html><title>phish</title><h1>Please log in again</h1>';
    default:
      return undefined;
  }
}

// ---- the victim's browser

// One victim browser for the whole file (starting Chromium per test is slow); each test
// gets a fresh page with no cookies, and `close()` closes only that page.
let victim: BrowserContext | undefined;
let currentHits: string[] = [];

/** A fresh victim session with `__xss(label)` recording every payload that ran. */
async function newVictimContext(): Promise<{ ctx: { close(): Promise<void> }; page: Page; hits: string[]; console: string[] }> {
  if (victim === undefined) {
    victim = await launchVictimContext({ acceptDownloads: true, viewport: { width: 1100, height: 820 } });
    await victim.exposeBinding('__xss', (_source, label: unknown) => {
      currentHits.push(String(label));
    });
  }
  for (const p of victim.pages()) await p.close();
  await victim.clearCookies();
  const hits: string[] = [];
  currentHits = hits;
  const consoleLines: string[] = [];
  const page = await victim.newPage();
  page.on('console', (m) => consoleLines.push(m.text()));
  return { ctx: { close: () => page.close() }, page, hits, console: consoleLines };
}

let userSeq = 0;
/** Registers a new user through the register page; the page stays logged in. */
async function registerUser(page: Page, app: Victim): Promise<{ username: string; password: string }> {
  const username = `victim${++userSeq}`;
  const password = 'correct horse battery staple';
  await page.goto(`${app.url}/register`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.fill('#confirm', password);
  await Promise.all([page.waitForURL(`${app.url}/notes`), page.click('main button')]);
  return { username, password };
}

/** Creates a note through the JSON API from the app's own page (token from the meta tag). */
async function createNote(page: Page, note: { title: string; body?: string; link?: string }): Promise<number> {
  const r = await page.evaluate(async (n) => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
    const res = await fetch('/api/notes', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify(n) });
    return { status: res.status, body: await res.text() };
  }, note);
  assert.equal(r.status, 201, r.body);
  return (JSON.parse(r.body) as { note: { id: number } }).note.id;
}

/** Uploads a file to a note through the note page's own form, as the user would. */
async function upload(page: Page, app: Victim, noteId: number, file: { name: string; mimeType: string; content: string }): Promise<void> {
  await page.goto(`${app.url}/notes/${noteId}`);
  await page.setInputFiles('#file', { name: file.name, mimeType: file.mimeType, buffer: Buffer.from(file.content) });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${app.url}/notes/${noteId}/attachments`),
    page.click('form.upload button'),
  ]);
  assert.equal(res.status(), 303, `upload of ${file.name}: ${res.status()} ${await res.text().catch(() => '')}`);
  await page.waitForURL(`${app.url}/notes/${noteId}`, { waitUntil: 'load' });
  const flashed = await page.locator('.flash').allTextContents();
  assert.ok(
    flashed.some((f) => f.includes('Attached')),
    `upload of ${file.name}: ${flashed.join(' | ')}`,
  );
}

/** What the victim's own session sees: the account and the note titles (null when gone). */
async function state(page: Page, app: Victim): Promise<{ user: string | null; titles: string[] }> {
  return page.evaluate(async (origin) => {
    const me = await fetch(origin + '/api/me');
    if (me.status !== 200) return { user: null, titles: [] };
    const user = ((await me.json()) as { user: { username: string } }).user.username;
    const data = (await (await fetch(origin + '/api/notes')).json()) as { notes: { title: string }[] } | { title: string }[];
    return { user, titles: (Array.isArray(data) ? data : data.notes).map((n) => n.title) };
  }, app.url);
}

// ---- the payloads

/** Stored XSS payloads. Each calls __xss(label) if it ever runs; `{P}` becomes the place. */
const MARKUP_PAYLOADS: Record<string, string> = {
  script: `<script>__xss('script-{P}')</script>`,
  img: `<img src=x onerror="__xss('img-{P}')">`,
  svg: `<svg onload="__xss('svg-{P}')"></svg>`,
  attr: `"><img src=x onerror=__xss('attr-{P}')>`,
  'attr-single': `'><img src=x onerror=__xss('attr-single-{P}')>`,
  textarea: `</textarea><img src=x onerror=__xss('textarea-{P}')>`,
  title: `</title><img src=x onerror=__xss('title-{P}')>`,
  template: `{{ 7*7 }}{% raw %}{{ constructor }}{% endraw %}{# x #}`,
};
const LINK_PAYLOADS = [`javascript:__xss('jsurl')`, ` JaVaScRiPt:__xss('jsurl-mixed')`, `java\tscript:__xss('jsurl-tab')`];
/** Attachment names (Chromium writes `"` as %22 in a multipart filename, so none here). */
const FILE_NAMES = [`<img src=x onerror=__xss('file-img')>.txt`, `<svg onload=__xss('file-svg')>.txt`, `'><img src=x onerror=__xss('file-attr')>.txt`];

const HOSTILE_UPLOADS = [
  {
    name: 'evil.html',
    mimeType: 'text/html',
    content: `<!doctype html><title>evil</title><script>fetch('/api/me').then((r) => r.json()).then((j) => __xss('upload-html:' + j.user.username))</script>`,
  },
  {
    name: 'evil.svg',
    mimeType: 'image/svg+xml',
    content: `<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/api/me').then((r) => r.json()).then((j) => __xss('upload-svg:' + j.user.username))"><rect width="10" height="10"/></svg>`,
  },
  // Text with no type to go by: a browser that sniffs it renders it as HTML.
  {
    name: 'README',
    mimeType: 'text/plain',
    content: `<html><body><script>fetch('/api/me').then((r) => r.json()).then((j) => __xss('upload-text:' + j.user.username))</script>notes</body></html>`,
  },
];

/** Loads every page where note data is shown, clicking each note link; returns when done. */
async function visitEverything(page: Page, app: Victim, ids: number[]): Promise<void> {
  await page.goto(`${app.url}/notes`);
  for (const id of ids) {
    await page.goto(`${app.url}/notes/${id}`);
    await page.goto(`${app.url}/notes/${id}/edit`);
  }
}

// ---- lifecycle

before(async () => {
  attacker = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    attackerHits.push(u.pathname);
    const body = attackerPage(u.pathname, u.searchParams.get('target') ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  attacker.listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerOrigin = `http://localhost:${(attacker.address() as { port: number }).port}`;
});
after(async () => {
  await victim?.close();
  attacker?.close();
});

const attackerUrl = (path: string, app: Victim): string => `${attackerOrigin}${path}?target=${encodeURIComponent(app.url)}`;

// ---- the suite, for the protected demo and for the control

for (const mode of ['protected', 'control'] as const) {
  const on = mode === 'protected';
  describe(`${mode}: ${on ? 'every attack fails and nothing is lost' : 'every protection off, every attack succeeds'}`, () => {
    let app: Victim;
    before(async () => {
      app = await startVictim(mode);
    });
    after(() => stopVictim(app));

    if (on) {
      test('the notes page, for the README (UPDATE_SCREENSHOTS=1 writes docs/images/notes.png)', async () => {
        const { ctx, page, hits } = await newVictimContext();
        await registerUser(page, app);
        await createNote(page, {
          title: 'Read the security notes',
          body: 'Flask leaves CSRF, uploads and JSON to you.\nPalisade does them by default.',
          link: 'https://flask.palletsprojects.com/en/stable/web-security/',
        });
        await createNote(page, { title: 'Shopping', body: 'tea\ncake\n<b>bold?</b> no: this is text' });
        await createNote(page, { title: 'Ideas <for> the weekend & more', body: 'Walk by the river.\nFinish the notes app.' });
        await page.goto(`${app.url}/notes`);
        await page.waitForSelector('#api-status[data-state="ready"]');
        // The README's picture is refreshed only when asked, so a test run leaves the tree clean.
        const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/images' : 'e2e/screenshots/tmp';
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: `${dir}/notes.png`, fullPage: true });
        assert.match((await page.textContent('#api-status')) ?? '', /^Signed in as victim\d+ · 3 notes/);
        assert.deepEqual(hits, []);
        await ctx.close();
      });
    }

    test('stored XSS: payloads in note titles, bodies, links and attachment names', async () => {
      const { ctx, page, hits } = await newVictimContext();
      await registerUser(page, app);
      const ids: number[] = [];
      const expected: { id: number; title: string; body: string }[] = [];
      for (const [kind, p] of Object.entries(MARKUP_PAYLOADS)) {
        const title = p.replaceAll('{P}', 'title');
        const body = `line one\n${p.replaceAll('{P}', 'body')}\nline three`;
        const id = await createNote(page, { title: `${kind} ${title}`, body });
        ids.push(id);
        expected.push({ id, title: `${kind} ${title}`, body });
      }
      for (const link of LINK_PAYLOADS) ids.push(await createNote(page, { title: `link ${link.trim()}`, link }));
      const withFiles = ids[0]!;
      for (const name of FILE_NAMES) await upload(page, app, withFiles, { name, mimeType: 'text/plain', content: 'x' });

      await visitEverything(page, app, ids);
      // Click every note link, the way a curious user would.
      await page.goto(`${app.url}/notes`);
      const hrefs = await page.locator('a.note-link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      assert.equal(hrefs.length, LINK_PAYLOADS.length);
      for (let i = 0; i < hrefs.length; i++) {
        await page.goto(`${app.url}/notes`);
        const before = hits.length;
        await page.locator('a.note-link').nth(i).click();
        // A javascript: URL runs in a task after the click; navigating away at once can cancel it.
        // Wait for the payload's call in the control, and give it the same chance when protected.
        for (let k = 0; k < (on ? 12 : 400) && hits.length === before; k++) await new Promise((r) => setTimeout(r, 25));
      }
      await page.goto(`${app.url}/notes`); // a full round trip after the last click

      if (on) {
        assert.deepEqual(hits, [], 'no payload ran');
        assert.ok(
          hrefs.every((h) => h === 'about:invalid#palisade-unsafe'),
          hrefs.join(' | '),
        );
        // Shown exactly as typed, line breaks kept, everywhere.
        await page.goto(`${app.url}/notes`);
        for (const e of expected) {
          assert.equal(await page.textContent(`#note-${e.id} .note-title`), e.title);
          assert.equal(await page.textContent(`#note-${e.id} .note-body`), e.body);
          await page.goto(`${app.url}/notes/${e.id}/edit`);
          assert.equal(await page.inputValue('#title'), e.title);
          assert.equal(await page.inputValue('#body'), e.body);
          await page.goto(`${app.url}/notes/${e.id}`);
          assert.equal(await page.title(), `${e.title} · Palisade Notes`);
          assert.equal(await page.getAttribute('button.danger', 'aria-label'), `Delete the note ${e.title}`);
          await page.goto(`${app.url}/notes`);
        }
        await page.goto(`${app.url}/notes/${withFiles}`);
        assert.deepEqual(await page.locator('a.attachment').allTextContents(), FILE_NAMES);
        // The note with template syntax, on its own page: only its title and body are looked at
        // (attribute values hold random tokens and the date may hold "49").
        const tpl = expected.find((e) => e.title.startsWith('template '))!;
        await page.goto(`${app.url}/notes/${tpl.id}`);
        const shown = `${await page.textContent('.note-title')}\n${await page.textContent('.note-body')}`;
        assert.ok(shown.includes('{{ 7*7 }}'), 'template syntax in data is shown as typed');
        assert.doesNotMatch(shown, /\b49\b/, 'template syntax in data is never evaluated');
        const st = await state(page, app);
        assert.equal(st.titles.length, ids.length, 'every note is still there');
      } else {
        const ran = new Set(hits.map((h) => h.replace(/-(title|body)$/, '')));
        for (const k of ['script', 'img', 'svg', 'attr', 'textarea', 'title', 'jsurl', 'jsurl-mixed', 'file-img', 'file-svg']) {
          assert.ok(ran.has(k), `${k} ran in the control (ran: ${[...ran].join(', ')})`);
        }
        assert.ok(hits.some((h) => h.endsWith('-body')) && hits.some((h) => h.endsWith('-title')), 'payloads ran from titles and bodies');
      }
      await ctx.close();
    });

    test('CSRF: an auto-submitting form, a no-cors fetch and a text/plain JSON body from another site', async () => {
      const { ctx, page } = await newVictimContext();
      const { username } = await registerUser(page, app);
      await createNote(page, { title: 'keep me' });

      let n = countServed(app, 'POST', '/notes/new');
      await page.goto(attackerUrl('/no-cors-note', app));
      await page.evaluate('window.done');
      const noCors = await served(app, 'POST', '/notes/new', n);

      n = countServed(app, 'POST', '/api/notes');
      await page.goto(attackerUrl('/text-plain-note', app));
      const textPlain = await served(app, 'POST', '/api/notes', n);

      await page.goto(`${app.url}/notes`);
      const mid = await state(page, app);

      n = countServed(app, 'POST', '/profile/delete');
      await page.goto(attackerUrl('/delete-profile', app));
      const del = await served(app, 'POST', '/profile/delete', n);
      await page.goto(`${app.url}/notes`);
      const end = await state(page, app);

      if (on) {
        assert.deepEqual({ noCors, textPlain, del }, { noCors: 403, textPlain: 403, del: 403 });
        assert.deepEqual(end, { user: username, titles: ['keep me'] }, 'profile and notes are all there, nothing added');
        const refused = app.logs.filter((l) => typeof l.code === 'string' && String(l.code).startsWith('CSRF_'));
        assert.ok(refused.length >= 3, 'the log says why each was refused');
      } else {
        assert.deepEqual({ noCors, textPlain, del }, { noCors: 303, textPlain: 201, del: 303 });
        assert.deepEqual(mid.titles.sort(), ['keep me', 'pwned-no-cors', 'pwned-text-plain']);
        assert.equal(end.user, null, 'the profile was deleted by the other site');
      }
      await ctx.close();
    });

    test('JSON hijacking: another site includes /api/notes with <script src> and an overridden Array', async () => {
      const { ctx, page } = await newVictimContext();
      await registerUser(page, app);
      await createNote(page, { title: 'secret-title-1' });
      const n = countServed(app, 'GET', '/api/notes');
      await page.goto(attackerUrl('/hijack', app));
      await page.waitForFunction(() => (window as unknown as { outcome?: string }).outcome !== undefined);
      const { stolen, outcome } = await page.evaluate(() => {
        const w = window as unknown as { stolen: string; outcome: string };
        return { stolen: w.stolen, outcome: w.outcome };
      });
      // The notes page's own fetch of /api/notes may be logged after `n` was counted, so look
      // for the answer with the expected status among the requests logged since.
      const status = await servedWithStatus(app, 'GET', '/api/notes', n, on ? 403 : 200);
      assert.equal(stolen, '', 'the hooks saw nothing (in control too: Chromium no longer calls them)');
      // Protected: the load fails (403). Control: the victim's notes load and run as a script.
      assert.equal(outcome, on ? 'error' : 'load');
      if (on) {
        assert.equal(status, 403, 'refused before the handler');
        const warn = app.logs.filter((l) => l.code === 'JSON_CROSS_SITE_LOAD' && l.path === '/api/notes');
        assert.ok(warn.length >= 1, 'logged with its code');
      } else {
        // The cross-site load carried the victim's session and the handler sent the notes
        // (as a bare array); only the browser's own blocking kept the page from reading them.
        assert.equal(status, 200);
        assert.deepEqual(
          app.logs.filter((l) => l.code === 'JSON_CROSS_SITE_LOAD'),
          [],
        );
      }
      await page.goto(`${app.url}/notes`);
      assert.deepEqual((await state(page, app)).titles, ['secret-title-1']);
      await ctx.close();
    });

    test('uploads: HTML, SVG and untyped text opened from their links on the note page', async () => {
      const { ctx, page, hits } = await newVictimContext();
      const { username } = await registerUser(page, app);
      const id = await createNote(page, { title: 'files' });
      for (const f of HOSTILE_UPLOADS) await upload(page, app, id, f);
      for (let i = 0; i < HOSTILE_UPLOADS.length; i++) {
        await page.goto(`${app.url}/notes/${id}`);
        const link = page.locator('a.attachment').nth(i);
        if (on) {
          const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
          assert.equal(download.suggestedFilename(), HOSTILE_UPLOADS[i]!.name);
          assert.equal(page.url(), `${app.url}/notes/${id}`, 'the page stayed; the file was saved, not shown');
        } else {
          const label = `upload-${['html', 'svg', 'text'][i]}:${username}`;
          await link.click();
          for (let k = 0; k < 400 && !hits.includes(label); k++) await new Promise((r) => setTimeout(r, 25));
          assert.ok(hits.includes(label), `${label} ran on the app's origin and read /api/me (hits: ${hits.join(', ')})`);
        }
      }
      if (on) assert.deepEqual(hits, []);
      await page.goto(`${app.url}/notes/${id}`);
      assert.equal(await page.locator('a.attachment').count(), 3, 'the files are still there');
      await ctx.close();
    });

    test('framing: another site frames the profile page (to trick a click on "Delete my profile")', async () => {
      const { ctx, page } = await newVictimContext();
      const { username } = await registerUser(page, app);
      await page.goto(attackerUrl('/frame', app));
      await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded === true);
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      if (on) {
        assert.ok(!frame.url().startsWith(app.url), `the frame did not load the app (${frame.url()})`);
        assert.equal(await frame.locator('#delete-profile').count(), 0);
        await page.goto(`${app.url}/profile`);
        assert.equal((await state(page, app)).user, username);
      } else {
        // The victim's own profile page, button and all, loads inside the attacker's.
        assert.ok(frame.url().startsWith(`${app.url}/`), frame.url());
        assert.equal(await frame.locator('#delete-profile').count(), 1);
      }
      await ctx.close();
    });

    test("open redirect: the login page's next parameter points at the attacker", async () => {
      const setup = await newVictimContext();
      const creds = await registerUser(setup.page, app);
      await setup.ctx.close();
      for (const next of [
        `${attackerOrigin}/phish`,
        `//${attackerOrigin.slice('http://'.length)}/phish`,
        `/\\${attackerOrigin.slice('http://'.length)}/phish`,
      ]) {
        const { ctx, page } = await newVictimContext();
        const before = attackerHits.filter((p) => p === '/phish').length;
        await page.goto(`${app.url}/login?next=${encodeURIComponent(next)}`);
        await page.fill('#username', creds.username);
        await page.fill('#password', creds.password);
        await Promise.all([page.waitForEvent('load'), page.click('main button')]);
        await page.waitForLoadState('load');
        if (on) {
          assert.equal(new URL(page.url()).origin, app.url, `${next}: stayed on the app`);
          assert.match(await page.content(), /HTTP_OPEN_REDIRECT/);
          assert.equal(attackerHits.filter((p) => p === '/phish').length, before);
        } else {
          await page.waitForURL(`${attackerOrigin}/phish`);
          assert.equal(await page.title(), 'phish', next);
        }
        await ctx.close();
      }
    });

    // The protected demo has no injection for a CSP to block (see the XSS test): the build
    // with only escaping off is where the CSP alone must stop one (the last block below).
    if (!on)
      test('CSP: an injected inline script runs when escaping and headers are both off', async () => {
        const { ctx, page, hits } = await newVictimContext();
        await registerUser(page, app);
        await createNote(page, { title: `<script>__xss('inline')</script>` });
        await page.goto(`${app.url}/notes`);
        await page.waitForSelector('#api-status[data-state="ready"]');
        assert.deepEqual(hits, ['inline']);
        await ctx.close();
      });
  });
}

describe("escaping off, every other protection on: CSP stops the injected script, the page's own script runs", () => {
  let app: Victim;
  before(async () => {
    app = await startVictim('no-escaping');
  });
  after(() => stopVictim(app));

  test('the inline script from a note title is blocked and reported; notes.js (nonce) runs', async () => {
    const { ctx, page, hits, console: lines } = await newVictimContext();
    const { username } = await registerUser(page, app);
    await createNote(page, { title: `<script>__xss('inline')</script>` });
    await createNote(page, { title: `<img src=x onerror="__xss('handler')">` });
    await page.goto(`${app.url}/notes`);
    await page.waitForSelector('#api-status[data-state="ready"]');
    // The injection is in the page: escaping is off.
    assert.equal(await page.locator('.note-title script').count(), 1);
    assert.deepEqual(hits, [], 'neither the injected script nor the handler ran');
    assert.ok(
      lines.some((l) => /Content Security Policy/.test(l) && /inline script|script-src/.test(l)),
      lines.join('\n'),
    );
    assert.match((await page.textContent('#api-status')) ?? '', new RegExp(`^Signed in as ${username}`));
    await ctx.close();
  });
});
