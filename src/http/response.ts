/**
 * Response: what a handler may return, and what every other return value becomes.
 *
 * ```ts
 * return Response.text('created', { status: 201 });
 * return Response.redirect('/notes');
 * const res = new Response(await render('page.html', {...}));
 * res.setCookie('theme', 'dark');
 * ```
 * See docs/routing.md.
 */
import type { Readable } from 'node:stream';
import { HttpError } from '../errors.js';
import { isMarkup, type Markup } from '../escape/markup.js';
import { renderedFor, type RequestScope } from './context.js';
import type { CookieOptions, PendingCookie } from './cookies.js';
import { assertCookie } from './cookies.js';
import { checkedHeader } from './header-check.js';

export type ResponseBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array> | null;

/** The status and headers a `new Response(body, init)` starts with. */
export interface ResponseInit {
  status?: number;
  headers?: Record<string, string | readonly string[]>;
}

/** Options of `Response.redirect(url, options)`. */
export interface RedirectOptions {
  /** 301, 302 (default), 303, 307 or 308. */
  status?: 301 | 302 | 303 | 307 | 308;
  /**
   * Hosts besides the request's own that this redirect may point to. Without it, a
   * redirect to another host is refused (open-redirect protection).
   */
  allowHosts?: readonly string[];
  /**
   * A path on this site to go to instead when the URL is refused, e.g. for a login form's
   * `next` parameter: `Response.redirect(next ?? '/', { fallback: '/' })`.
   */
  fallback?: string;
}

/** A redirect waiting for the app to check its target. */
export interface RedirectTarget {
  readonly location: string;
  readonly allowHosts: readonly string[];
  readonly fallback: string | undefined;
}

// Headers live in an object whose prototype chain holds no Object.prototype, so a key such
// as `__proto__` or `constructor` is just a key; unlike Object.create(null), V8 keeps it in
// fast-properties mode, which matters on a path every response takes.
const HeaderBag = function HeaderBag() {} as unknown as { new (): Record<string, string | string[]> };
HeaderBag.prototype = Object.create(null);

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/**
 * A response: status, headers and body (a string, bytes, a Readable or an async iterable
 * of bytes). A handler may return one, or a plain value the app turns into one
 * (docs/routing.md#responses). Cookies set on it are written by the app after every protection
 * has had its say.
 */
export class Response {
  status: number;
  /** Lower-cased header names. Null-prototype. */
  readonly headers: Record<string, string | string[]> = new HeaderBag();
  body: ResponseBody;
  #cookies: PendingCookie[] | undefined;
  /** Cookies to set, in order (created on first use: most responses set none). */
  get cookies(): PendingCookie[] {
    return (this.#cookies ??= []);
  }
  /** True when a cookie is waiting to be set. */
  get hasCookies(): boolean {
    return this.#cookies !== undefined && this.#cookies.length > 0;
  }
  /** Set when the body came from Markup or an explicit trusting call. */
  #htmlTrusted = false;
  /**
   * The body that was trusted: a string or bytes put in its place later (by a hook) are
   * not. (A stream may replace it: sendFile trusts the app's own HTML files that way.)
   */
  #trustedBody: ResponseBody = null;
  #redirect: RedirectTarget | undefined;
  /** The request scope the Markup body was rendered with (src/http/context.ts), if any. */
  #renderedFor: RequestScope | undefined;

  /**
   * Builds a response. A Markup body is `text/html; charset=utf-8`; a string is
   * `text/plain; charset=utf-8` unless you set a content type; bytes and streams are
   * `application/octet-stream`.
   */
  constructor(body: ResponseBody | Markup = null, init: ResponseInit = {}) {
    this.status = init.status ?? 200;
    if (isMarkup(body)) {
      this.body = body.toString();
      this.#htmlTrusted = true;
      this.#renderedFor = renderedFor(body);
      this.#trustedBody = this.body;
      this.headers['content-type'] = HTML;
    } else {
      this.body = body;
      if (typeof body === 'string') this.headers['content-type'] = TEXT;
      else if (body !== null) this.headers['content-type'] = 'application/octet-stream';
    }
    if (init.headers) for (const k of Object.keys(init.headers)) this.setHeader(k, init.headers[k]!);
  }

  /** A `text/plain; charset=utf-8` response. */
  static text(text: string, init?: ResponseInit): Response {
    return new Response(text, init);
  }

  /** A `text/html; charset=utf-8` response from Markup (templates, the `html` tag). */
  static html(markup: Markup, init?: ResponseInit): Response {
    if (!isMarkup(markup)) {
      throw new HttpError(
        'HTTP_UNSAFE_HTML_RESPONSE',
        'Response.html() takes Markup from a template or the html tag, not a string. Use Response.unsafeHTML() only for HTML you wrote yourself.',
      );
    }
    return new Response(markup, init);
  }

  /**
   * An HTML response from a raw string, written verbatim. WARNING: the string is sent as
   * HTML without escaping; never build it from request data.
   */
  static unsafeHTML(html: string, init?: ResponseInit): Response {
    const res = new Response(html, init);
    res.headers['content-type'] = HTML;
    res.#htmlTrusted = true;
    res.#trustedBody = res.body;
    return res;
  }

  /**
   * A redirect. A URL on another host is refused when the response is sent (a 400 naming
   * `HTTP_OPEN_REDIRECT`) unless its host is listed in `allowHosts` or the app's
   * `redirectHosts` setting.
   */
  static redirect(url: string, opts: RedirectOptions = {}): Response {
    const res = new Response(null, { status: opts.status ?? 302 });
    res.headers['location'] = url;
    if (opts.fallback !== undefined && !isLocalPath(opts.fallback)) {
      throw new TypeError(`redirect fallback must be a path on this site, like "/": ${JSON.stringify(opts.fallback)}`);
    }
    res.#redirect = { location: url, allowHosts: opts.allowHosts ?? [], fallback: opts.fallback };
    return res;
  }

  /**
   * Sets a header (lower-cased name), replacing any earlier value. A name that is not a
   * token or a value with a control character or a character outside ASCII throws
   * `HTTP_INVALID_HEADER` naming the header (docs/routing.md#headers).
   */
  setHeader(name: string, value: string | readonly string[]): this {
    this.headers[name.toLowerCase()] = checkedHeader(name, value);
    return this;
  }

  /** Appends a header value (for headers that may repeat, like `Vary` or `Link`). */
  appendHeader(name: string, value: string): this {
    const k = name.toLowerCase();
    const cur = this.headers[k];
    if (cur === undefined) return this.setHeader(k, value);
    if (k === 'vary' || k === 'cache-control') {
      const list = (Array.isArray(cur) ? cur.join(', ') : cur).split(',').map((s) => s.trim().toLowerCase());
      if (list.includes(value.toLowerCase())) return this;
      return this.setHeader(k, `${Array.isArray(cur) ? cur.join(', ') : cur}, ${value}`);
    }
    return this.setHeader(k, Array.isArray(cur) ? [...cur, value] : [cur, value]);
  }

  /** Reads a header. */
  getHeader(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  /**
   * Sets a cookie with secure defaults: `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure`
   * when the request came over HTTPS or the app is configured as HTTPS. The value is
   * percent-encoded; a name that is not a token or an option that cannot be written
   * (a path with `;`, a maxAge that is not a whole number) throws `HTTP_INVALID_HEADER`.
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    assertCookie(name, value, options);
    for (let i = this.cookies.length - 1; i >= 0; i--) {
      const c = this.cookies[i]!;
      if (c.name === name && (c.options.path ?? '/') === (options.path ?? '/')) this.cookies.splice(i, 1);
    }
    this.cookies.push({ name, value, options });
    return this;
  }

  /** Asks the browser to delete a cookie (same name and path). */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'secure' | 'sameSite'> = {}): this {
    return this.setCookie(name, '', { ...options, maxAge: 0, expires: new Date(0) });
  }

  /** Internal: whether an HTML content type is backed by Markup or an explicit trust. */
  get htmlTrusted(): boolean {
    const b = this.body;
    return this.#htmlTrusted && (b === this.#trustedBody || !(typeof b === 'string' || b instanceof Uint8Array));
  }

  /** Internal: the request scope whose environment the trusted HTML body was rendered with, if any. */
  get htmlRenderedFor(): RequestScope | undefined {
    return this.htmlTrusted ? this.#renderedFor : undefined;
  }

  /** Internal: the redirect to validate before sending, if this is one. */
  get redirectTarget(): RedirectTarget | undefined {
    return this.#redirect;
  }
}

/** A path on this site: one `/`, not `//` or `/\\` (which browsers read as another host). */
function isLocalPath(p: string): boolean {
  return /^\/(?![/\\])[^\0-\x20]*$/.test(p);
}

const DOCUMENT_TYPES = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml', 'text/xml', 'application/xml']);
const documentTypeCache = new Map<string, boolean>();

/** True when a content type will be rendered as a document by browsers. */
export function isHTMLContentType(ct: string | undefined): boolean {
  if (ct === undefined) return false;
  // Responses reuse a handful of content-type strings; remember the answer for each.
  let hit = documentTypeCache.get(ct);
  if (hit === undefined) {
    hit = DOCUMENT_TYPES.has(ct.split(';', 1)[0]!.trim().toLowerCase());
    if (documentTypeCache.size > 512) documentTypeCache.clear();
    documentTypeCache.set(ct, hit);
  }
  return hit;
}
