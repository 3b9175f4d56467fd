/**
 * The request scope under interleaving: many logged-in users at once, each page rendered
 * through a shape of app code where a promise, a listener or a callback made in one request
 * runs in another (a memoized promise, a lazy pool, an emitter made at start-up, a timer,
 * a streamed body, an event stream). Every page must carry only its own user's name, CSRF
 * token (it must pass the check with that user's cookie) and CSP nonce (the one in its header).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, on, once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, html, render, Response, sse, type Markup } from '../../src/index.js';

const USERS = 16;

const dir = mkdtempSync(join(tmpdir(), 'palisade-scope-'));
writeFileSync(
  join(dir, 'page.html'),
  '<p id="who">{{ current_user.name }}</p><form method="post" action="/check"></form><script>1</script>{% if fragment is defined %}{{ fragment }}{% endif %}\n',
);
writeFileSync(join(dir, 'fragment.html'), '<form method="post" action="/check"></form>\n');

/** One callback-style worker, made when first used (inside whichever request came first), as pools and drivers are. */
class LazyPool {
  #queue: (() => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  run(job: () => void): void {
    this.#queue.push(job);
    this.#timer ??= setInterval(() => {
      for (const j of this.#queue.splice(0)) j();
    }, 2);
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

function scopeApp() {
  const users = new Map(Array.from({ length: USERS }, (_, i) => [String(i), { id: i, name: `user${i}` }]));
  const app = createApp({
    env: 'test',
    logger: false,
    secretKey: 'scope-interleave-secret'.padEnd(40, 'x'),
    templates: { dir },
    login: { loadUser: (id) => users.get(String(id)) },
    session: { userEpoch: () => 1 },
  });
  app.get('/login/:id', async (req) => {
    await req.session.setUser(req.params.id, 1);
    return 'in';
  });
  app.post('/check', () => 'ok');

  // The shapes. Each answers the page for its own request.
  let memo: Promise<void> | undefined;
  app.get('/s/await-memo', async () => {
    memo ??= sleep(20);
    await memo;
    return render('page.html');
  });
  let memoThen: Promise<number> | undefined;
  app.get('/s/then-memo', () => (memoThen ??= sleep(20).then(() => 1)).then(() => render('page.html')));
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let waiting = 0;
  // Each request waits; the last of a round emits, from inside its own request.
  const round = (): void => {
    if (++waiting === USERS) {
      waiting = 0;
      setImmediate(() => bus.emit('tick'));
    }
  };
  app.get('/s/emitter-await', async () => {
    const p = once(bus, 'tick');
    round();
    await p;
    return render('page.html');
  });
  app.get(
    '/s/emitter-listener',
    () =>
      new Promise<Markup>((ok) => {
        bus.once('tick', () => ok(render('page.html')));
        round();
      }),
  );
  app.get(
    '/s/emitter-listener-html',
    () =>
      new Promise<Markup>((ok) => {
        bus.once('tick', () => ok(html`<p id="who">?</p><form method="post" action="/check"></form><script>1</script>`));
        round();
      }),
  );
  // The fix the error page names: await the data, render in the handler.
  app.get('/s/emitter-listener-fixed', async () => {
    const data = await new Promise<number>((ok) => {
      bus.once('tick', () => ok(1));
      round();
    });
    return render('page.html', { data });
  });
  const pool = new LazyPool();
  app.get(
    '/s/pool-callback',
    () =>
      new Promise<Markup>((ok, fail) =>
        pool.run(() => {
          try {
            ok(render('page.html'));
          } catch (err) {
            fail(err);
          }
        }),
      ),
  );
  app.get('/s/pool-callback-fixed', async () => {
    await new Promise<void>((ok) => pool.run(ok));
    return render('page.html');
  });
  // A fragment memoized by the first request, written into every later page.
  let fragment: Markup | undefined;
  app.get('/s/memo-fragment', async () => {
    fragment ??= html`<form method="post" action="/check"></form>`;
    await sleep(1);
    return render('page.html', { fragment });
  });
  let plainFragment: Markup | undefined;
  app.get('/s/memo-fragment-fixed', () => {
    plainFragment ??= app.render('fragment.html', {}, {});
    return render('page.html', { fragment: plainFragment });
  });
  // The control: the listener's HTML sent as a string the guard cannot trace leaks the way the old code did.
  app.get(
    '/s/control-listener-string',
    () =>
      new Promise<Response>((ok) => {
        bus.once('tick', () => ok(Response.unsafeHTML(String(render('page.html')))));
        round();
      }),
  );
  app.get('/s/timer', () => new Promise<Markup>((ok) => setTimeout(() => ok(render('page.html')), 3)));
  app.get('/s/readable', () => {
    let sent = false;
    const body = new Readable({
      read() {
        if (sent) return void this.push(null);
        sent = true;
        setTimeout(() => this.push(String(render('page.html'))), 2);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });
  app.get('/s/sse-await', () =>
    sse(async function* ({ signal }) {
      const ticks = on(bus, 'tick', { signal });
      round();
      await ticks.next();
      yield { data: String(render('page.html')) };
    }),
  );
  return { app, stop: () => pool.stop() };
}

interface User {
  readonly id: number;
  readonly cookie: string;
}

/** Reads the user's name, the CSRF field and the nonce out of a page (or an event stream's data line). */
function readPage(text: string): { name: string; token: string; nonce: string } {
  const name = /<p id="who">([^<]*)<\/p>/.exec(text)?.[1] ?? '';
  const token = /name="csrf_token" value="([^"]*)"/.exec(text)?.[1] ?? '';
  const nonce = /<script nonce="([^"]*)">/.exec(text)?.[1] ?? '';
  return { name, token, nonce };
}

/**
 * What each shape must answer. `own`: every user gets their own page. `refused`: every
 * answer is the user's own page or a 500 HTTP_HTML_FOR_OTHER_REQUEST, and at least one is
 * refused (the shape does run in another request's scope). `leaks`: the control, where the
 * harness must see another user's data.
 */
const SHAPES: Record<string, 'own' | 'refused' | 'leaks'> = {
  'await-memo': 'own',
  'then-memo': 'own',
  'emitter-await': 'own',
  'emitter-listener': 'refused',
  'emitter-listener-html': 'refused',
  'emitter-listener-fixed': 'own',
  'pool-callback': 'refused',
  'pool-callback-fixed': 'own',
  'memo-fragment': 'refused',
  'memo-fragment-fixed': 'own',
  'control-listener-string': 'leaks',
  timer: 'own',
  readable: 'own',
  'sse-await': 'own',
};

test("concurrent users through every shape never get another user's name, CSRF token or nonce (over HTTP)", async () => {
  const { app, stop } = scopeApp();
  const s = await app.listen({ port: 0 });
  try {
    const users: User[] = await Promise.all(
      Array.from({ length: USERS }, async (_, id) => {
        const r = await fetch(`${s.url}/login/${id}`);
        const cookie = r.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        assert.ok(cookie.length > 0);
        return { id, cookie };
      }),
    );
    const wrong: string[] = [];
    for (const [shape, want] of Object.entries(SHAPES)) {
      const pages = await Promise.all(
        users.map(async (u) => {
          const r = await fetch(`${s.url}/s/${shape}`, { headers: { cookie: u.cookie, accept: 'text/html' } });
          const text = await r.text();
          return { u, status: r.status, text, csp: r.headers.get('content-security-policy') ?? '', ...readPage(text) };
        }),
      );
      let refused = 0;
      let leaked = 0;
      for (const p of pages) {
        if (p.status === 500 && p.text.includes('HTTP_HTML_FOR_OTHER_REQUEST')) {
          refused++;
          continue;
        }
        const check = await fetch(`${s.url}/check`, {
          method: 'POST',
          headers: { cookie: p.u.cookie, origin: s.url, 'content-type': 'application/x-www-form-urlencoded' },
          body: `csrf_token=${encodeURIComponent(p.token)}`,
        });
        const own = {
          status: p.status === 200,
          // The html`` shape writes no name; the token and nonce still tell.
          name: shape === 'emitter-listener-html' || p.name === `user${p.u.id}`,
          token: check.status === 200,
          nonce: shape === 'sse-await' || (p.nonce !== '' && p.csp.includes(`'nonce-${p.nonce}'`)),
        };
        if (!(own.status && own.name && own.token && own.nonce)) {
          leaked++;
          if (want !== 'leaks') wrong.push(`${shape}: user${p.u.id} got ${JSON.stringify({ ...own, sawName: p.name, status: p.status })}`);
        }
      }
      if (want === 'own' && refused > 0) wrong.push(`${shape}: ${refused} of its own pages refused`);
      if (want === 'refused' && refused === 0) wrong.push(`${shape}: nothing refused (does it still run in another request's scope?)`);
      if (want === 'leaks' && leaked === 0) wrong.push(`${shape}: the control leaked nothing, so the harness cannot see a leak`);
    }
    assert.deepEqual(wrong, []);
  } finally {
    stop();
    await s.close();
  }
});
