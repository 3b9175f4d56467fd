// The harness of the template browser tests (e2e/templates.test.ts and
// e2e/templates-control.test.ts): renders fragments of test/escape/cases.ts, serves them
// from a node:http server, loads them in Chromium and reads back what the browser saw.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { compileWith, BaseEnv } from '../src/templates/compile.js';
import { BENIGN, BENIGN_CSS, BENIGN_URLS, type ContextCase, type Payload, type Reader } from '../test/escape/cases.js';

const pages = new Map<string, string>();
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
let counter = 0;

/** Registers the server and browser for the calling test file. */
export function useBrowser(): void {
  before(async () => {
    server = createServer((req, res) => {
      const body = pages.get(req.url ?? '');
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('dialog', (d) => void d.dismiss());
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
}

const escapedEnv = new BaseEnv({ strict: true });
const controlEnv = new BaseEnv({ strict: true, unsafeDisableEscaping: true });

export function render(ctx: ContextCase, v: string, control: boolean): string {
  return compileWith(ctx.template, ctx.id, control ? controlEnv : escapedEnv, null)
    .render({ v })
    .toString();
}

// `__name` is the helper tsx (esbuild keepNames) calls inside functions passed to
// page.evaluate; the page defines it as the identity.
const PAGE_HEAD =
  '<!doctype html><html><head><meta charset="utf-8">' +
  '<script>window.__hits = []; window.__pwned = function (n) { window.__hits.push(n); }; window.__name = function (f) { return f; };</script>' +
  '</head><body><div id="c">';

export interface Observed {
  /** The benign value resolved as a URL against the frame's address. */
  resolvedInput: string;
  hits: number[];
  shape: string;
  value: unknown;
  dangerousURL: boolean;
}

/**
 * Loads each rendered fragment as its own page, all at once: one top page holds one
 * iframe per fragment (a navigation per fragment would cost ~90 ms each), and each frame
 * is then read on its own.
 */
export async function loadAll(items: readonly { html: string; v: string }[], read: Reader): Promise<Observed[]> {
  const paths = items.map((it) => {
    const path = `/p/${counter++}`;
    pages.set(path, PAGE_HEAD + it.html + '</div></body></html>');
    return path;
  });
  const top = `/top/${counter++}`;
  pages.set(top, `<!doctype html><body>${paths.map((p, i) => `<iframe name="f${i}" src="${p}"></iframe>`).join('')}</body>`);
  await page.goto(base + top, { waitUntil: 'load' });
  const out: Observed[] = [];
  for (let i = 0; i < items.length; i++) {
    const frame = page.frame({ name: `f${i}` });
    assert.ok(frame, `frame ${i} did not load`);
    out.push(await readFrame(frame, read, items[i]!.v));
  }
  for (const p of [...paths, top]) pages.delete(p);
  return out;
}

async function readFrame(frame: Frame, read: Reader, v: string): Promise<Observed> {
  if (read.kind === 'click-js') await frame.evaluate(() => (document.getElementById('t') as HTMLElement | null)?.click());
  return frame.evaluate(
    ({ read, v }) => {
      const w = window as unknown as { __hits: number[]; __v: unknown; __r: RegExp | undefined };
      const t = document.getElementById('t') as (HTMLElement & { href?: string; value?: string }) | null;
      const shape: string[] = [];
      const walk = (el: Element): void => {
        shape.push(
          `${el.tagName}[${[...el.attributes]
            .map((a) => a.name)
            .sort()
            .join(',')}]`,
        );
        for (const c of el.children) walk(c);
      };
      walk(document.getElementById('c')!);
      const resolve = (u: string): string => {
        try {
          return new URL(u, location.href).href;
        } catch {
          return 'invalid';
        }
      };
      const decodeCSSString = (s: string): string | null => {
        const m = /^"((?:[^"\\]|\\[\s\S])*)"/.exec(s.trim());
        if (m === null) return null;
        return m[1]!.replace(/\\([0-9a-fA-F]{1,6}) ?|\\([\s\S])/g, (_: string, h: string | undefined, c: string | undefined) =>
          h !== undefined ? String.fromCodePoint(parseInt(h, 16)) : c!,
        );
      };
      const parseJSON = (j: string): unknown => {
        try {
          return JSON.parse(j);
        } catch {
          return { invalidJSON: j };
        }
      };
      let value: unknown = null;
      let dangerousURL = false;
      const isDangerous = (u: string): boolean => /^\s*(javascript|data|vbscript):/i.test(u);
      if (t !== null) {
        switch (read.kind) {
          case 'text':
            value = t.textContent;
            break;
          case 'attr':
            value = t.getAttribute(read.name)?.slice(read.prefix?.length ?? 0) ?? null;
            break;
          case 'attr-json':
            value = parseJSON(t.getAttribute(read.name) ?? 'null');
            break;
          case 'href':
            value = t.href;
            dangerousURL = isDangerous(t.href ?? '');
            break;
          case 'query':
            value = new URL(t.href!).searchParams.get(read.name);
            break;
          case 'path': {
            const p = new URL(t.href!).pathname;
            value = p.startsWith(read.prefix) && p.endsWith('/edit') ? decodeURIComponent(p.slice(read.prefix.length, -5)) : p;
            break;
          }
          case 'srcset': {
            const s = t.getAttribute('srcset') ?? '';
            dangerousURL = s.split(',').some((c) => isDangerous(c.trim()));
            value = resolve(s.trim().split(/\s+/)[0] ?? '');
            break;
          }
          case 'js':
          case 'click-js':
            value = w.__v;
            break;
          case 'regexp':
            value = w.__r?.exec(v)?.[0] ?? null;
            break;
          case 'json':
            value = parseJSON(t.textContent ?? 'null');
            break;
          case 'css-quotes':
            value = decodeCSSString(getComputedStyle(t).quotes);
            break;
          case 'css-color': {
            const ref = document.createElement('p');
            ref.setAttribute('style', `color: ${v}`);
            document.body.appendChild(ref);
            value = getComputedStyle(t).color === getComputedStyle(ref).color ? v : getComputedStyle(t).color;
            ref.remove();
            break;
          }
          case 'css-url': {
            const bg = getComputedStyle(t).backgroundImage;
            const m = /^url\("((?:[^"\\]|\\.)*)"\)$/.exec(bg);
            value = m ? m[1]!.replace(/\\(.)/g, '$1') : bg;
            dangerousURL = m !== null && isDangerous(m[1]!);
            break;
          }
          case 'title':
            value = document.querySelector('title')?.textContent ?? null;
            break;
          case 'textarea':
            value = t.value;
            break;
          case 'srcdoc': {
            const tpl = document.createElement('template');
            tpl.innerHTML = t.getAttribute('srcdoc') ?? '';
            value = tpl.content.textContent;
            break;
          }
          case 'none':
            break;
        }
      }
      return { hits: [...w.__hits], shape: shape.join(' '), value, dangerousURL, resolvedInput: resolve(v) };
    },
    { read, v },
  );
}

/** What the browser should read back for a benign value, or undefined to skip the check. */
export function expected(ctx: ContextCase, v: string, o: Observed): unknown {
  switch (ctx.read.kind) {
    case 'srcset':
      return /[\s,]/.test(v) ? undefined : o.resolvedInput; // srcset splits on these by design
    case 'href':
    case 'css-url':
      return o.resolvedInput;
    case 'none':
      return undefined;
    default:
      return v;
  }
}

export function benignFor(ctx: ContextCase): readonly Payload[] {
  return ctx.fidelity === 'url' ? BENIGN_URLS : ctx.fidelity === 'css' ? BENIGN_CSS : ctx.fidelity === 'text' ? BENIGN : [];
}
