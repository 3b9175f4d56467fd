// Links built by urlFor, followed in Chromium. A page puts a path taken from the request
// into a `*` route parameter (`/*`, say a wiki page) and shows the link, escaped by the
// template. The attacker's site is http://localhost:Q, another host. A value of
// `/localhost:Q/x` once built `//localhost:Q/x`, which the browser follows off-site; now
// urlFor refuses it (HTTP_URL_FOR_VALUE) and the page is a 500 with no link. The control
// builds the link the way urlFor did before (the pattern with the value pasted at `*`, its
// segments encoded) and shows the browser landing on the attacker's site. Dot segments
// are the same check: `..` would leave the route for another page of the site.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { createApp, Response } from '../src/index.js';
import type { RunningServer } from '../src/adapters/node.js';
import { compileTemplate } from '../src/templates/index.js';

const PAGE = compileTemplate('<!doctype html><a id="go" href="{{ link }}">next page</a>');

let browser: Browser;
let palisade: RunningServer;
let attacker: Server;
const attackerHits: string[] = [];

before(async () => {
  const app = createApp({ env: 'test', logger: false });
  app.get(
    '/*',
    (req) => {
      const p = req.query.get('p');
      if (p === undefined) return Response.text(`page ${req.params['*']}`);
      // safe: urlFor; control: the old rule (the value pasted at *, each segment encoded)
      const link = req.query.has('control') ? '/' + p.split('/').map(encodeURIComponent).join('/') : app.urlFor('page', { '*': p });
      return Response.html(PAGE.render({ link }));
    },
    { name: 'page' },
  );
  palisade = await app.listen({ port: 0 });
  attacker = createServer((req, res) => {
    attackerHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>attacker');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  const port = (attacker.address() as { port: number }).port;
  browser = await launchBrowser({ args: [`--host-resolver-rules=MAP evil.example:80 127.0.0.1:${port}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`] });
});

after(async () => {
  await browser?.close();
  await palisade?.close();
  await new Promise((r) => attacker?.close(r));
});

/** Opens the page for `p` and follows its link; the status of the page and where the browser ended. */
async function follow(p: string, control: boolean): Promise<{ status: number; at: string }> {
  const page = await browser.newPage();
  try {
    const res = await page.goto(`${palisade.url}/wiki?p=${encodeURIComponent(p)}${control ? '&control' : ''}`);
    const status = res?.status() ?? 0;
    if (status === 200) await Promise.all([page.waitForURL((u) => !u.search.includes('p=')), page.click('#go')]);
    return { status, at: page.url() };
  } finally {
    await page.close();
  }
}

test('a * value that starts with / does not become a link to another host', async () => {
  const safe = await follow('/evil.example/phish', false);
  assert.equal(safe.status, 500);
  assert.ok(!attackerHits.includes('/phish'));

  const benign = await follow('docs/intro', false);
  assert.equal(benign.at, `${palisade.url}/docs/intro`);
});

test('control: the link built by the old rule takes the browser to the attacker', async () => {
  const control = await follow('/evil.example/phish', true);
  assert.equal(control.status, 200);
  assert.equal(control.at, 'http://evil.example/phish');
  assert.ok(attackerHits.includes('/phish'));
});

test('dot segments: refused by urlFor; the control lands on another page of the site', async () => {
  assert.equal((await follow('docs/../../admin', false)).status, 500);
  assert.equal((await follow('docs/../../admin', true)).at, `${palisade.url}/admin`);
});
