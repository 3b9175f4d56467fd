// The harness of the fidelity browser tests (e2e/templates-fidelity.test.ts and its control):
// renders template fragments with escaping on or off, serves each as a page (optionally
// with a CSP), loads many at once as frames of one top page, and reads back in Chromium
// what a reader function returns for each (inside srcdoc frames, an image's currentSrc,
// text content, attributes), plus whether an injected script ran and the page's shape.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { BaseEnv, compileWith } from '../src/templates/compile.js';
import { runInScope } from '../src/http/context.js';

const pages = new Map<string, { body: string; csp?: string }>();
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
let noScriptContext: BrowserContext;
let noScriptPage: Page;
let counter = 0;

/** Registers the server and the browser (one page with scripting on, one with it off). */
export function useBrowser(): void {
  before(async () => {
    server = createServer((req, res) => {
      const p = pages.get(req.url ?? '');
      if (p === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
      if (p.csp !== undefined) headers['content-security-policy'] = p.csp;
      res.writeHead(200, headers).end(p.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('dialog', (d) => void d.dismiss());
    noScriptContext = await browser.newContext({ javaScriptEnabled: false });
    noScriptPage = await noScriptContext.newPage();
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
}

const escapedEnv = new BaseEnv({ strict: true });
const controlEnv = new BaseEnv({ strict: true, unsafeDisableEscaping: true });

/** Renders `template` with `data`, escaping off for the control, in a request scope with a nonce when given. */
export function render(template: string, data: Record<string, unknown>, control: boolean, nonce?: string): string {
  const run = (): string =>
    compileWith(template, 'fidelity.html', control ? controlEnv : escapedEnv, null)
      .render(data)
      .toString();
  return nonce === undefined ? run() : runInScope({ request: null, nonce }, run);
}

// `__name` is the helper tsx (esbuild keepNames) calls inside functions passed to
// page.evaluate; the page defines it as the identity. __pwned records injected code that ran,
// from the page or from any frame inside it (srcdoc documents call parent.__pwned).
const head = (nonce?: string): string =>
  '<!doctype html><html><head><meta charset="utf-8">' +
  `<script${nonce === undefined ? '' : ` nonce="${nonce}"`}>window.__hits = []; window.__pwned = function (n) { window.__hits.push(n); }; window.__name = function (f) { return f; };</script>` +
  '</head><body><div id="c">';

/** What a reader sees in one page: the value read, injected calls that ran, the shape of the DOM. */
export interface Seen {
  value: unknown;
  hits: number[];
  shape: string;
}

/**
 * Run in each page with its `window`; returns the value to compare. Written as the source
 * of a function (it runs in the page, not here), so that it can be built from parameters.
 */
export type Reader = string;

/** Evaluates a function's source in a frame; `__name` (tsx's keepNames helper) is the identity there. */
function evalIn(frame: Frame, fn: string): Promise<unknown> {
  return frame.evaluate(`(function () { var __name = function (f) { return f; }; return (${fn})(window); })()`);
}

export interface Item {
  readonly html: string;
  /** A CSP header for this page; the page's own script then carries `nonce`. */
  readonly csp?: string;
  readonly nonce?: string;
}

/**
 * Loads each item as its own page, all as frames of one top page (a navigation each would
 * cost ~90 ms), waits until they and the frames inside them have loaded, and reads each.
 */
export async function loadAll(items: readonly Item[], read: Reader, opts: { scripting?: boolean } = {}): Promise<Seen[]> {
  const scripting = opts.scripting ?? true;
  const paths = items.map((it) => {
    const path = `/p/${counter++}`;
    pages.set(path, { body: head(it.nonce) + it.html + '</div><p id="end">end</p></body></html>', csp: it.csp });
    return path;
  });
  const top = `/top/${counter++}`;
  pages.set(top, { body: `<!doctype html><body>${paths.map((p, i) => `<iframe name="f${i}" src="${p}"></iframe>`).join('')}</body>` });
  const pg = scripting ? page : noScriptPage;
  await pg.goto(base + top, { waitUntil: 'load' });
  const out: Seen[] = [];
  for (let i = 0; i < items.length; i++) {
    const frame = pg.frame({ name: `f${i}` });
    assert.ok(frame, `frame ${i} did not load`);
    out.push(await readFrame(frame, read));
  }
  for (const p of [...paths, top]) pages.delete(p);
  return out;
}

// The DOM's shape: every element with its attribute names, in the page and in the srcdoc
// documents inside it, which no value may change.
const SHAPE = `(w) => {
  const shape = [];
  const walk = (doc, depth) => {
    for (const el of doc.querySelectorAll('*')) {
      shape.push(depth + ':' + el.tagName + '[' + [...el.attributes].map((a) => a.name).sort().join(',') + ']');
      if (el.tagName === 'IFRAME' && el.hasAttribute('srcdoc') && el.contentDocument !== null) walk(el.contentDocument, depth + 1);
    }
  };
  walk(w.document, 0);
  return { hits: [...(w.__hits || [])], shape: shape.join(' ') };
}`;

async function readFrame(frame: Frame, read: Reader): Promise<Seen> {
  // A reader that fails (an attack removed the element it reads) gives the error as value.
  const value = await evalIn(frame, read).catch((e: unknown) => ({ readError: String(e).split('\n')[0] }));
  const rest = (await evalIn(frame, SHAPE)) as { hits: number[]; shape: string };
  return { value, ...rest };
}
