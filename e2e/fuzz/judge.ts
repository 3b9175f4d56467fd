/**
 * The judge, node side: a local server for the top page, Debian's Chromium (e2e/browser.ts)
 * with every host but 127.0.0.1 unresolvable, and judge-page.js doing the work in the page.
 * `judge()` writes a batch of case documents into the page's frame pool and returns what
 * each one did; verdict.ts compares them with their reference render.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../browser.js';
import type { Reader } from './slot.js';

const PAGE_SCRIPT = readFileSync(new URL('./judge-page.js', import.meta.url), 'utf8');
// `__name` is the helper tsx (esbuild keepNames) calls inside functions passed to page.evaluate.
const TOP =
  '<!doctype html><html><head><meta charset="utf-8"><script>window.__name = (f) => f;</script></head><body><script src="/fuzz/judge.js"></script></body></html>';
// Every document a case loads or navigates to runs this first, so frames inside a case
// report to the judge too.
const INIT = 'if (window !== top) { try { top.__judgeAttach(window); } catch {} }';

/** The head of every case document: the judge's instruments, no CSP. */
export const DOC_HEAD = '<!doctype html><html><head><meta charset="utf-8"><script>top.__judgeAttach(window)</script></head><body>';
export const DOC_TAIL = '</body></html>';

export interface JudgeDoc {
  readonly key: string;
  /** The rendered fragment; the judge adds DOC_HEAD and DOC_TAIL. */
  readonly html: string;
  readonly read: Reader | null;
  readonly v: string;
}

/** What the browser saw in one case document. */
export interface Observation {
  readonly shape: string[];
  readonly decls: string[];
  readonly bad: string[];
  readonly read: string | null;
  readonly loaded: boolean;
  readonly navigated: boolean;
  /** The document has a refresh of its own: it may navigate whatever the value. */
  readonly mayNavigate: boolean;
  readonly canary: string[];
  readonly dialogs: string[];
  readonly errors: string[];
}

/** What a case's windows reported after its batch had moved on. */
export interface Records {
  readonly canary: string[];
  readonly dialogs: string[];
  readonly errors: string[];
}

export interface JudgeOptions {
  /** How long after loading to wait for timers, refreshes and async events (ms). */
  readonly settleMs?: number;
  /** How long a batch may take to load (ms). */
  readonly timeoutMs?: number;
}

export class Judge {
  readonly #server: Server;
  readonly #base: string;
  readonly #browser: Browser;
  #page: Page | null = null;
  /** In-page milliseconds of the last batch: writing, loading, reading, in all. */
  lastTiming: Record<string, number> = {};
  #dialogs: string[] = [];
  readonly #settleMs: number;
  readonly #timeoutMs: number;

  private constructor(server: Server, base: string, browser: Browser, opts: JudgeOptions) {
    this.#server = server;
    this.#base = base;
    this.#browser = browser;
    this.#settleMs = opts.settleMs ?? 60;
    this.#timeoutMs = opts.timeoutMs ?? 8000;
  }

  static async start(opts: JudgeOptions = {}): Promise<Judge> {
    const server = createServer((req, res) => {
      if (req.url === '/fuzz/judge.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(PAGE_SCRIPT);
      // A script a case loads by src (a value may point it anywhere, `#` and '' at this very
      // page) gets empty JS: the page's HTML read as JS would be a syntax error of the file,
      // not of the case.
      if (req.headers['sec-fetch-dest'] === 'script') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end('');
      if (req.url === '/fuzz/top') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(TOP);
      // Everything else a case loads (images, frames, stylesheets, navigations): a small page.
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p>nothing here</p>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Other hosts fail at once instead of waiting for DNS (benign URLs name example.com).
    const browser = await launchBrowser({ args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
    const judge = new Judge(server, base, browser, opts);
    await judge.#openPage();
    return judge;
  }

  async #openPage(): Promise<Page> {
    await this.#page?.close().catch(() => {});
    const page = await this.#browser.newPage();
    await page.addInitScript(INIT);
    page.on('dialog', (d) => {
      this.#dialogs.push(`${d.type()}(${d.message()})`);
      void d.dismiss().catch(() => {});
    });
    await page.goto(`${this.#base}/fuzz/top`);
    this.#page = page;
    return page;
  }

  /**
   * Judges a batch. Real dialogs (a document the instruments did not reach) come back
   * apart, with the message that names their value. Throws when the page crashed or hung;
   * the page is then replaced.
   */
  async judge(docs: readonly JudgeDoc[]): Promise<{ observations: Observation[]; dialogs: string[]; late: [string, Records][] }> {
    const page = this.#page ?? (await this.#openPage());
    this.#dialogs = [];
    const payload = docs.map((d) => ({
      key: d.key,
      html: DOC_HEAD + d.html + DOC_TAIL,
      read: d.read,
      v: d.v,
    }));
    let timer: NodeJS.Timeout | undefined;
    try {
      const out = await Promise.race([
        page.evaluate(([p, settle, timeout]) => (window as unknown as { __judge: (...a: unknown[]) => Promise<unknown> }).__judge(p, settle, timeout), [
          payload,
          this.#settleMs,
          this.#timeoutMs,
        ] as const),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the judge page did not answer within ${this.#timeoutMs * 4} ms`)), this.#timeoutMs * 4);
        }),
      ]);
      const { results, late, timing } = out as { results: Observation[]; late: [string, Records][]; timing: Record<string, number> };
      this.lastTiming = timing;
      return { observations: results, dialogs: this.#dialogs, late };
    } catch (e) {
      this.#page = null;
      await this.#openPage();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.#browser.close();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}
