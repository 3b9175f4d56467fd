// CSRF in a real browser, two origins on loopback: the app on 127.0.0.1:P, an attacker's
// site on localhost:Q (another site to the browser). The attacker's auto-submitting form,
// its no-cors fetch with credentials, and its text/plain body shaped like JSON all fail
// to change the app's state; the same actions from the app's own page succeed. The
// control, an app with `csrf: { enabled: false }`, shows the same attacks succeeding.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { createApp } from '../src/index.js';
import type { RunningServer } from '../src/adapters/node.js';
import { escapeHTML } from '../src/escape/html.js';
import { Response } from '../src/http/response.js';
import { csrfToken } from '../src/security/csrf.js';
import { compileTemplate } from '../src/templates/index.js';

const urlForPage = compileTemplate(
  `<!doctype html><form id="tpl" method="post" action="{{ url_for('transfer') }}"><input name="amount" value="10"><button>Send</button></form>`,
);

interface Target {
  url: string;
  balance: () => number;
  server: RunningServer;
  /** Every POST the server answered: path and status, seen on the server side. */
  posts: { path: string; status: number }[];
}

async function startApp(csrfEnabled: boolean): Promise<Target> {
  let balance = 100;
  const app = createApp({ env: 'test', secretKey: 'e2e-secret-'.padEnd(40, 'x'), csrf: { enabled: csrfEnabled } });
  app.get('/', async (req) => {
    await req.session.set('user', 'victim'); // the victim is logged in
    const t = csrfEnabled ? escapeHTML(csrfToken()) : '';
    return Response.unsafeHTML(
      `<!doctype html><html><head><meta name="csrf-token" content="${t}"></head><body>` +
        `<form id="own" method="post" action="/transfer"><input type="hidden" name="csrf_token" value="${t}">` +
        `<input name="amount" value="10"><button>Send</button></form></body></html>`,
    );
  });
  // A template's form whose action is url_for(): the CSRF field is written by the engine.
  app.get('/tpl', async (req) => {
    await req.session.set('user', 'victim');
    return urlForPage.render();
  });
  app.post(
    '/transfer',
    async (req) => {
      const f = await req.form();
      balance -= Number(f.get('amount') ?? 0);
      return { balance };
    },
    { name: 'transfer' },
  );
  app.post('/api/transfer', async (req) => {
    const body = await req.json<{ amount: number }>();
    balance -= body.amount;
    return { balance };
  });
  // What a framework without a strict JSON parser does; only the control app reaches it.
  app.post('/api/naive', async (req) => {
    const body = JSON.parse(await req.text()) as { amount: number };
    balance -= body.amount;
    return { balance };
  });
  const server = await app.listen({ host: '127.0.0.1', port: 0, handleSignals: false });
  const posts: Target['posts'] = [];
  server.server.on('request', (req, res) => {
    if (req.method === 'POST') res.once('finish', () => posts.push({ path: req.url ?? '', status: res.statusCode }));
  });
  return { url: server.url, balance: () => balance, server, posts };
}

/** The attacker's site: pages that attack `target` as soon as they load. */
function attackerSite(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const target = u.searchParams.get('target') ?? '';
    const pages: Record<string, string> = {
      '/form': `<form method="post" action="${target}/transfer"><input name="amount" value="10"><input name="csrf_token" value="guess"></form><script>document.forms[0].submit()</script>`,
      '/no-cors': `<script>window.done = fetch(${JSON.stringify(target + '/transfer')}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=10' }).then(() => 'sent', (e) => String(e));</script>`,
      '/text-plain': `<form method="post" enctype="text/plain" action="${target}${u.searchParams.get('path')}"><input name='{"amount":10,"pad":"' value='"}'></form><script>document.forms[0].submit()</script>`,
    };
    const body = pages[u.pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

let browser: Browser;
let attacker: { server: Server; port: number };
let protectedApp: Target;
let control: Target;

before(async () => {
  browser = await launchBrowser();
  attacker = await attackerSite();
  protectedApp = await startApp(true);
  control = await startApp(false);
});
after(async () => {
  await browser?.close();
  await protectedApp?.server.close();
  await control?.server.close();
  await new Promise((r) => attacker?.server.close(r));
});

/** A victim's browser tab: logged in to the target first, then visiting the attacker. */
async function victim(target: Target): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${target.url}/`);
  return page;
}

function attackerUrl(path: string, target: Target, extra = ''): string {
  return `http://localhost:${attacker.port}${path}?target=${encodeURIComponent(target.url)}${extra}`;
}

/** Waits until the server has answered one more POST to `path`; returns its status. */
async function nextPost(target: Target, path: string, seen: number): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const hits = target.posts.filter((p) => p.path === path);
    if (hits.length > seen) return hits[seen]!.status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the browser never sent the POST to ${path}`);
}

function count(target: Target, path: string): number {
  return target.posts.filter((p) => p.path === path).length;
}

/** Runs the three attacks against `target`; returns the statuses the app answered. */
async function attack(target: Target): Promise<{ form: number; noCors: number; textPlain: number; naive: number }> {
  const page = await victim(target);
  let n = count(target, '/transfer');
  await page.goto(attackerUrl('/form', target));
  const form = await nextPost(target, '/transfer', n);

  // The response is opaque to the attacker (and blocked by CORP): what matters is what the server did.
  n = count(target, '/transfer');
  await page.goto(attackerUrl('/no-cors', target));
  await page.evaluate('window.done');
  const noCors = await nextPost(target, '/transfer', n);

  n = count(target, '/api/transfer');
  await page.goto(attackerUrl('/text-plain', target, '&path=/api/transfer'));
  const textPlain = await nextPost(target, '/api/transfer', n);
  n = count(target, '/api/naive');
  await page.goto(attackerUrl('/text-plain', target, '&path=/api/naive'));
  const naive = await nextPost(target, '/api/naive', n);
  await page.context().close();
  return { form, noCors, textPlain, naive };
}

test('attacks from another site fail against the protected app', async () => {
  const before = protectedApp.balance();
  const r = await attack(protectedApp);
  assert.deepEqual(r, { form: 403, noCors: 403, textPlain: 403, naive: 403 });
  assert.equal(protectedApp.balance(), before, 'no state changed');
});

test('the same actions from the app’s own page succeed', async () => {
  const page = await victim(protectedApp);
  const before = protectedApp.balance();
  // The form, submitted by the user.
  const [res] = await Promise.all([page.waitForResponse((r) => r.url() === `${protectedApp.url}/transfer`), page.click('#own button')]);
  assert.equal(res.status(), 200);
  assert.equal(protectedApp.balance(), before - 10);
  // A template's form posting to {{ url_for('transfer') }}: the engine wrote the field.
  await page.goto(`${protectedApp.url}/tpl`);
  const [tplRes] = await Promise.all([page.waitForResponse((r) => r.url() === `${protectedApp.url}/transfer`), page.click('#tpl button')]);
  assert.equal(tplRes.status(), 200, 'a url_for() action carries the CSRF field');
  assert.equal(protectedApp.balance(), before - 20);
  // fetch with the token from <meta name="csrf-token">, urlencoded and JSON.
  await page.goto(`${protectedApp.url}/`);
  const statuses = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
    const a = await fetch('/transfer', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=10',
    });
    const b = await fetch('/api/transfer', {
      method: 'POST',
      headers: { 'X-CSRF-Token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 10 }),
    });
    const c = await fetch('/api/transfer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 10 }) });
    return [a.status, b.status, c.status];
  });
  assert.deepEqual(statuses, [200, 200, 403], 'with the token from the page: accepted; without: refused');
  assert.equal(protectedApp.balance(), before - 40);
  // The documented helper (docs/forms-and-csrf.md#fetch-and-javascript).
  const helper = readFileSync('docs/examples/csrf/csrf-fetch.js', 'utf8');
  const viaHelper = await page.evaluate(
    `${helper}; csrfFetch('/api/transfer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":10}' }).then((r) => r.status)`,
  );
  assert.equal(viaHelper, 200);
  assert.equal(protectedApp.balance(), before - 50);
  await page.context().close();
});

test('control: with CSRF switched off the same attacks succeed', async () => {
  const before = control.balance();
  const r = await attack(control);
  // The strict JSON parser still refuses the text/plain body (415); a naive parser does not.
  assert.deepEqual(r, { form: 200, noCors: 200, textPlain: 415, naive: 200 });
  assert.equal(control.balance(), before - 30);
});
