// The security headers in a real browser. The app (127.0.0.1:P) renders a template whose
// own scripts carry the response's nonce, and has an XSS hole: it pastes `?q=` into the
// page raw. With the default CSP the injected <script> is blocked (and the violation
// reported) while the app's own inline and dynamically loaded scripts run. An attacker's
// page on another origin (localhost:Q) frames the app: frame-ancestors and
// X-Frame-Options each stop it. Controls switch the CSP or the frame headers off and show
// the injected script running and the frame loading.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { createApp, type AppOptions } from '../src/index.js';
import type { RunningServer } from '../src/adapters/node.js';
import { Response } from '../src/http/response.js';
import { CSP_REPORT_ROUTE, cspReportHandler } from '../src/security/csp-report.js';
import { compileTemplate } from '../src/templates/index.js';

const PAGE = compileTemplate(`<!doctype html>
<html><head><title>notes</title><style>body { color: rgb(1, 2, 3) }</style></head>
<body data-marker="page">
<script>
  document.addEventListener('securitypolicyviolation', (e) => {
    document.body.dataset.violation = e.violatedDirective;
  });
  document.body.dataset.own = 'ran';
  if (window.top !== window) document.body.dataset.framed = 'yes';
  const s = document.createElement('script');
  s.src = '/static/app.js';
  document.head.appendChild(s);
</script>
<!-- injected -->
</body></html>`);

interface Target {
  url: string;
  server: RunningServer;
  reports: unknown[];
}

async function startApp(headers: AppOptions['headers']): Promise<Target> {
  const reports: unknown[] = [];
  const app = createApp({ env: 'test', logger: false, headers });
  app.get('/', (req) => {
    // The hole: a value pasted into the page without escaping (what the CSP is a backstop for).
    const html = PAGE.render({})
      .toString()
      .replace('<!-- injected -->', req.query.get('q') ?? '');
    return Response.unsafeHTML(html);
  });
  app.get('/static/app.js', () => {
    const res = Response.text("document.body.dataset.dynamic = 'ran';");
    res.setHeader('content-type', 'text/javascript; charset=utf-8');
    return res;
  });
  app.post('/csp-report', cspReportHandler({ onReport: (r) => void reports.push(r) }), CSP_REPORT_ROUTE);
  const server = await app.listen({ host: '127.0.0.1', port: 0, handleSignals: false });
  return { url: server.url, server, reports };
}

let browser: Browser;
let attacker: Server;
let attackerUrl: string;
let framedTarget = '';

before(async () => {
  browser = await launchBrowser();
  // The attacker's site: another origin (localhost vs 127.0.0.1) that frames the app.
  attacker = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><body><iframe id="victim" src="${framedTarget}" onload="window.frameLoaded = true"></iframe></body>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

const INJECTION = '<script>document.body.dataset.injected = "ran"</script>';

async function visit(target: Target, q: string): Promise<{ page: Page; data: Record<string, string> }> {
  const page = await browser.newPage();
  await page.goto(`${target.url}/?q=${encodeURIComponent(q)}`);
  // The page's own script loads /static/app.js; wait for the load event to cover it.
  await page.waitForLoadState('load');
  const data = await page.evaluate(() => ({ ...document.body.dataset }) as Record<string, string>);
  return { page, data };
}

test('default CSP: the injected inline script is blocked; the nonce-carrying scripts run', async () => {
  const target = await startApp({ csp: { reportUri: '/csp-report' } });
  try {
    const { page, data } = await visit(target, INJECTION);
    assert.equal(data.own, 'ran', "the app's own inline script (nonce from the template)");
    assert.equal(data.dynamic, 'ran', "a script it loaded ('strict-dynamic')");
    assert.equal(data.injected, undefined, 'the injected script did not run');
    assert.match(data.violation ?? '', /^script-src/);
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(1, 2, 3)', 'the nonce-carrying <style> applies');
    // The browser reports the violation to the endpoint (a real POST, CSRF-exempt).
    for (let i = 0; i < 100 && target.reports.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(target.reports.length > 0, 'a violation report arrived');
    assert.match(JSON.stringify(target.reports[0]), /script-src/);
    await page.close();
  } finally {
    await target.server.close();
  }
});

test('control: with the CSP off, the same injection runs', async () => {
  const target = await startApp({ csp: false });
  try {
    const { page, data } = await visit(target, INJECTION);
    assert.equal(data.own, 'ran');
    assert.equal(data.injected, 'ran', 'without a CSP the injected script runs');
    await page.close();
  } finally {
    await target.server.close();
  }
});

/** Opens the attacker's page framing the app; returns what the framed document shows, if anything. */
async function frameFromAttacker(target: Target): Promise<{ framed: string | undefined; url: string }> {
  framedTarget = `${target.url}/`;
  const page = await browser.newPage();
  try {
    await page.goto(attackerUrl);
    await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded === true);
    const frame = page.frames().find((f: Frame) => f.parentFrame() === page.mainFrame());
    assert.ok(frame, 'the iframe exists');
    const framed = await frame
      .evaluate(() => (document.body?.dataset.marker === 'page' ? (document.body.dataset.framed ?? 'loaded') : undefined))
      .catch(() => undefined);
    return { framed, url: frame.url() };
  } finally {
    await page.close();
  }
}

test('another origin cannot frame the app (frame-ancestors and X-Frame-Options each suffice)', async () => {
  for (const headers of [undefined, { frameOptions: false as const }, { csp: false as const }]) {
    const target = await startApp(headers);
    try {
      const { framed, url } = await frameFromAttacker(target);
      assert.equal(framed, undefined, `${JSON.stringify(headers)}: the app must not render inside the attacker's frame (frame at ${url})`);
    } finally {
      await target.server.close();
    }
  }
});

test('control: with both frame headers off, the attacker frames the app', async () => {
  const target = await startApp({ csp: false, frameOptions: false });
  try {
    const { framed } = await frameFromAttacker(target);
    assert.equal(framed, 'yes', 'the app rendered inside the frame and its script ran there');
  } finally {
    await target.server.close();
  }
});
