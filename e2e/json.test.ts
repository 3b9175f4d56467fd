// JSON hijacking and cross-site script inclusion in a real browser.
//
// The victim app runs on http://127.0.0.1:<port> (a child process, so its log is real
// stdout); the attacker's page is served from http://localhost:<other port>. localhost and
// 127.0.0.1 are different sites, so Chromium sends `Sec-Fetch-Site: cross-site`, and both
// are potentially trustworthy origins, so it sends Fetch Metadata at all over plain HTTP.
//
// The attacker's page does what the old attacks did: it replaces the `Array` constructor
// and puts setters on `Array.prototype[0..1]` and `Object.prototype`, defines the JSONP
// callback, then includes the victim's URLs with <script src>.
//
// What the browser itself still allows, honestly: since ES5, array literals are created
// without calling the `Array` constructor or setters, and Chromium refuses to run a
// response served as `application/json` with `X-Content-Type-Options: nosniff` (which
// Palisade always sends) and blocks JSON from no-cors loads (ORB). So in today's Chromium
// a top-level JSON array is not readable by the page even with every Palisade protection
// off; the control below shows that the browser nevertheless *requests and receives* the
// secret (the response reaches the browser process, and any engine bug or older browser is
// one step from reading it). The JSONP-style route shows the part that still works in
// every browser: a script response with user data is read by the attacker's callback when
// isolation is off, and is refused (403, handler not run, warning logged) when it is on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startVictim, stopVictim } from './victim.js';

/** The attacker's page, served from http://localhost:<port>/. */
function attackerPage(victimPort: number): string {
  const victim = `http://127.0.0.1:${victimPort}`;
  return `<!doctype html><meta charset="utf-8"><title>attacker</title>
<script>
  // Everything the hooks see goes into strings, never arrays: Array.prototype is hooked.
  window.stolen = '';
  window.events = '';
  const RealArray = Array;
  window.Array = function (...args) { window.stolen += '|ctor:' + args.join(','); return RealArray(...args); };
  for (const target of [RealArray.prototype, Object.prototype]) {
    for (const key of ['0', '1']) {
      Object.defineProperty(target, key, { set(v) { window.stolen += '|set:' + v; }, configurable: true });
    }
  }
  window.loadFeed = (data) => { window.stolen += '|feed:' + data[0] + ',' + data[1]; };
  window.onerror = (message) => { window.events += '|window-error'; };
  let pending = 2;
  window.done = (name, kind) => {
    window.events += '|' + name + ':' + kind;
    if (--pending === 0) {
      for (const target of [RealArray.prototype, Object.prototype]) { delete target[0]; delete target[1]; }
      window.Array = RealArray;
      window.finished = true;
    }
  };
</script>
<script src="${victim}/api/secrets" onload="done('secrets', 'load')" onerror="done('secrets', 'error')"></script>
<script src="${victim}/api/feed.js" onload="done('feed', 'load')" onerror="done('feed', 'error')"></script>
`;
}

interface Outcome {
  stolen: string;
  events: string;
  /** What the page got for each victim URL: status and body, or why Chromium blocked it. */
  network: Record<string, { status?: number; body?: string; blocked?: string }>;
}

async function attack(browser: Browser, attackerPort: number, victimPort: number): Promise<Outcome> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const network: Outcome['network'] = {};
  // Watched through the DevTools protocol: Playwright's page.on('response') says nothing
  // about responses Chromium blocks (CORP, ORB), and those are the ones that matter here.
  const cdp = await context.newCDPSession(page);
  const paths = new Map<string, string>();
  const bodies: Promise<void>[] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    const url = new URL(e.request.url);
    if (url.port === String(victimPort)) paths.set(e.requestId, url.pathname);
  });
  cdp.on('Network.responseReceived', (e) => {
    const path = paths.get(e.requestId);
    if (path !== undefined) network[path] = { status: e.response.status };
  });
  cdp.on('Network.loadingFailed', (e) => {
    const path = paths.get(e.requestId);
    if (path !== undefined) network[path] = { ...network[path], blocked: e.blockedReason ?? e.errorText };
  });
  cdp.on('Network.loadingFinished', (e) => {
    const path = paths.get(e.requestId);
    if (path === undefined) return;
    bodies.push(
      cdp.send('Network.getResponseBody', { requestId: e.requestId }).then((b) => {
        network[path] = { ...network[path], body: b.base64Encoded ? Buffer.from(b.body, 'base64').toString('utf8') : b.body };
      }),
    );
  });
  await cdp.send('Network.enable');
  await page.goto(`http://localhost:${attackerPort}/`);
  await page.waitForFunction(() => (window as unknown as { finished?: boolean }).finished === true);
  await Promise.all(bodies);
  const { stolen, events } = await page.evaluate(() => {
    const w = window as unknown as { stolen: string; events: string };
    return { stolen: w.stolen, events: w.events };
  });
  await context.close();
  return { stolen, events, network };
}

let browser: Browser;
let attacker: Server;
let attackerPort = 0;
let victimPortForPage = 0;

test.before(async () => {
  browser = await launchBrowser();
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackerPage(victimPortForPage));
  });
  attacker.listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerPort = (attacker.address() as { port: number }).port;
});

test.after(async () => {
  await browser?.close();
  attacker?.close();
});

test('protected: the cross-site <script src> loads are refused before the handler, the page reads nothing, the log says why', async () => {
  const victim = await startVictim('e2e/fixtures/json-victim.ts', 'protected');
  try {
    victimPortForPage = victim.port;
    const out = await attack(browser, attackerPort, victim.port);
    assert.equal(out.stolen, '', 'the hooks saw nothing');
    assert.match(out.events, /\|secrets:error/);
    assert.match(out.events, /\|feed:error/);
    // No secret reached the page: it got the 403 error page, or nothing at all when the
    // headers protection's app-wide Cross-Origin-Resource-Policy made Chromium drop it.
    for (const path of ['/api/secrets', '/api/feed.js']) {
      const n = out.network[path];
      assert.ok(n !== undefined && (n.blocked !== undefined || n.status === 403), `${path}: ${JSON.stringify(n)}`);
      assert.ok(!(n.body ?? '').includes('secret-1'), `${path}: ${JSON.stringify(n)}`);
    }
    const refusals = victim.logs.filter((l) => l.code === 'JSON_CROSS_SITE_LOAD');
    assert.deepEqual(refusals.map((l) => [l.path, l.dest, l.site, l.level]).sort(), [
      ['/api/feed.js', 'script', 'cross-site', 40],
      ['/api/secrets', 'script', 'cross-site', 40],
    ]);
    assert.ok(refusals.every((l) => String(l.referer).startsWith(`http://localhost:${attackerPort}/`)));
    const served = victim.logs.filter((l) => typeof l.status === 'number' && String(l.path).startsWith('/api/'));
    assert.deepEqual(
      served.map((l) => l.status),
      [403, 403],
    );
  } finally {
    await stopVictim(victim);
  }
});

test('control, protections off: the server answers the cross-site loads with the secrets and the JSONP-style script is read', async () => {
  const victim = await startVictim('e2e/fixtures/json-victim.ts', 'open');
  try {
    victimPortForPage = victim.port;
    const out = await attack(browser, attackerPort, victim.port);
    // The script response reached the page.
    assert.equal(out.network['/api/feed.js']?.status, 200);
    assert.match(out.network['/api/feed.js']!.body ?? '', /secret-1/);
    // The script response ran in the attacker's page and handed it the data.
    assert.match(out.stolen, /\|feed:secret-1,secret-2/);
    assert.match(out.events, /\|feed:load/);
    // The JSON array itself was sent (the handler ran, 200 in the log below) but not run:
    // Chromium's ORB drops JSON answers to no-cors loads, and nosniff forbids running
    // application/json, so the element fails and the array hooks stay silent. This is the
    // browser's defence, not Palisade's; see the comment at the top.
    assert.match(out.network['/api/secrets']?.blocked ?? '', /ORB|MIME|BLOCKED/i, JSON.stringify(out.network['/api/secrets']));
    assert.match(out.events, /\|secrets:error/);
    assert.doesNotMatch(out.stolen, /ctor|set:/);
    assert.deepEqual(
      victim.logs.filter((l) => l.code === 'JSON_CROSS_SITE_LOAD'),
      [],
    );
    const served = victim.logs.filter((l) => typeof l.status === 'number' && String(l.path).startsWith('/api/'));
    assert.deepEqual(served.map((l) => l.status).sort(), [200, 200]);
  } finally {
    await stopVictim(victim);
  }
});
