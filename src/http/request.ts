/**
 * Request: what a handler receives. It never touches a socket; adapters (node:http,
 * fetch, the test client) build it from their own input. Everything is parsed lazily:
 * a route that never reads the query, cookies or body pays nothing for them.
 *
 * ```ts
 * app.post('/notes', async (req) => {
 *   const form = await req.form();
 *   return { title: form.get('title') };
 * });
 * ```
 * See docs/routing.md.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { parseJSONBody } from './json-body.js';
import { readBody, decodeUTF8, type BodySource } from './body.js';
import { parseCookies } from './cookies.js';
import { isJSONMediaType, parseMediaType, type MediaType } from './media-type.js';
import { DEFAULT_FORM_LIMITS, type FormLimits } from './form-limits.js';
import { Params, parseUrlencoded } from './params.js';
import type { RequestScope } from './context.js';
import { INTERNALS, SCOPE } from '../util/symbols.js';

export type HeaderValue = string | string[] | undefined;
export type IncomingHeaders = Readonly<Record<string, HeaderValue>>;

/** How many proxies in front of the app are trusted to set `X-Forwarded-*`. */
export type TrustProxy = boolean | number;

/** What the adapter knows about a request. */
export interface RequestInit {
  method: string;
  /** The request target as sent: path and query, e.g. `/notes?page=2`. */
  url: string;
  /** Lower-cased header names. */
  headers: IncomingHeaders;
  body?: BodySource;
  /** The peer's address on the socket. */
  remoteAddress?: string;
  /** True when the connection itself is TLS. */
  encrypted?: boolean;
}

/** Per-request settings the app passes in (limits, proxy trust). */
export interface RequestSettings {
  trustProxy: TrustProxy;
  maxBodySize: number;
  jsonMaxDepth: number;
  /** The app is served over HTTPS (behind a TLS-terminating proxy, for instance). */
  https: boolean;
  /** The app's `forms` limits, applied by every form parse; default DEFAULT_FORM_LIMITS. */
  formLimits?: Readonly<Required<FormLimits>>;
  /** The app's logger (made on first use), for `req.log`. */
  logger?: () => Logger;
  /** The app's `urlFor`, for `req.urlFor()` and templates' `url_for()`. */
  urlFor?: RequestScope['urlFor'];
  /** The app's templates, for `render()`. */
  templates?: RequestScope['templates'];
}

/**
 * A request id a trusted proxy may hand on in `X-Request-Id`: 1 to 128 characters that
 * are safe in a header and a log line (a UUID, hex, base64 and the like).
 */
const REQUEST_ID = /^[\w.:@/+=~-]{1,128}$/;

/**
 * The options of the matched route, as `req.route.options` shows them: the app's
 * RouteOptions, which src/app/route-collector.ts merges in here (so this module needs nothing from
 * the layer above it).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by augmentation
export interface RouteInfoOptions {}

/** What the app learns about the matched route; handlers may read it. */
export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly name: string | undefined;
  readonly options: Readonly<RouteInfoOptions>;
}

/**
 * Per-request state of Palisade's own modules (the CSRF check, uploads, flashed messages,
 * form limits). Each module declares its field by augmenting this interface. Plain fields
 * rather than WeakMaps keyed by the request: V8's young-generation GC keeps a WeakMap
 * entry's value alive, and a value that refers back to its request (a closure, a promise)
 * then keeps the whole request alive until the next full GC. Not for applications.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by augmentation
export interface RequestInternals {}

// Requests without route parameters share one frozen empty object.
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

/**
 * An incoming request, as a handler and a hook see it: method, URL, headers, route
 * parameters, cookies, a lazily read body (`text()`, `json()`, `form()`), the session,
 * and the request-bound helpers (`csrfToken()`, `urlFor()`, `nonce`). `P` names the route
 * parameters, so `req.params.id` type-checks on `/notes/:id`.
 */
export class Request<P extends string = string> {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string;
  /** The request target (path and query); an absolute-form target keeps only these. */
  readonly url: string;
  /** The path part of the URL, as sent (percent-encoding kept). */
  readonly path: string;
  readonly headers: IncomingHeaders;
  /** Route parameters, decoded. Null-prototype. */
  params: Record<P, string> = NO_PARAMS as Record<P, string>;
  /** The matched route, or null for 404/405. */
  route: RouteInfo | null = null;

  readonly #rawQuery: string;
  /** The authority of an absolute-form request target, which overrides Host. */
  readonly #authority: string | undefined;
  readonly #init: RequestInit;
  readonly #settings: RequestSettings;
  #query: Params | undefined;
  #state: Record<string, unknown> | undefined;
  #cookies: Record<string, string> | undefined;
  #bodyBytes: Promise<Buffer> | undefined;
  #streamTaken = false;
  #form: Promise<Params> | undefined;
  #json: Promise<unknown> | undefined;
  #mediaType: MediaType | null | undefined;
  #internals: RequestInternals | undefined;
  #id: string | undefined;
  #log: Logger | undefined;
  /** Body limit for this request; the app lowers or raises it per route. */
  maxBodySize: number;
  /**
   * Internal: this request's scope, which adapters enter around the whole request and
   * protections fill in (src/http/context.ts). Not for applications: use `req.nonce`,
   * `req.csrfToken()`, `req.urlFor()`.
   */
  readonly [SCOPE]: RequestScope;

  constructor(init: RequestInit, settings: RequestSettings) {
    this.#init = init;
    this.#settings = settings;
    this.method = init.method.toUpperCase();
    let target = init.url;
    if (target.charCodeAt(0) !== 47 /* '/' */) {
      // RFC 9112 §3.2.2: an absolute-form target (`GET http://host/path`) names the host
      // itself, and the server must use it instead of Host; keep only its path and query.
      const m = /^https?:\/\/([^/?#]*)([^#]*)/i.exec(target);
      if (m !== null) {
        const authority = m[1]!;
        this.#authority = authority.slice(authority.lastIndexOf('@') + 1);
        target = m[2] === '' ? '/' : m[2]!.startsWith('/') ? m[2]! : `/${m[2]}`;
      }
    }
    this.url = target;
    this.headers = init.headers;
    this.maxBodySize = settings.maxBodySize;
    const q = target.indexOf('?');
    this.path = q === -1 ? target : target.slice(0, q);
    this.#rawQuery = q === -1 ? '' : target.slice(q + 1);
    this[SCOPE] = { request: this, urlFor: settings.urlFor, templates: settings.templates, logger: settings.logger };
  }

  /**
   * The CSP nonce of this request's response, which templates put on every `<script>` and
   * `<style>` they write; undefined when the app's policy uses no nonces. For a tag you
   * write yourself: `<script nonce="${req.nonce}">`. See docs/headers.md.
   */
  get nonce(): string | undefined {
    return this[SCOPE].nonce;
  }

  /**
   * A masked CSRF token for this request's session, for code that is not a template (a
   * JSON endpoint that hands it to a single-page app). Each call gives a new masking of
   * the same token. Throws when the app's CSRF protection is switched off.
   *
   * ```ts
   * app.get('/api/csrf', (req) => ({ token: req.csrfToken() }));
   * ```
   * See docs/forms-and-csrf.md#fetch-and-javascript.
   */
  csrfToken(): string {
    const scope = this[SCOPE];
    if (scope.csrfToken === undefined) throw new TypeError('req.csrfToken(): this app has no CSRF protection (csrf: { enabled: false })');
    return scope.csrfToken();
  }

  /**
   * Builds the URL path of a named route, as `app.urlFor` does.
   *
   * ```ts
   * app.post('/notes', async (req) => Response.redirect(req.urlFor('notes.show', { id: 3 })));
   * ```
   * See docs/routing.md#names-and-urlfor.
   */
  urlFor(name: string, params?: Record<string, unknown>, query?: Record<string, unknown>): string {
    const urlFor = this[SCOPE].urlFor;
    if (urlFor === undefined) throw new TypeError('req.urlFor(): this request was made without an app');
    return urlFor(name, params, query);
  }

  /** Internal: state of Palisade's own modules (see RequestInternals). Not for applications. */
  get [INTERNALS](): RequestInternals {
    return (this.#internals ??= {});
  }

  /** A place for hooks and handlers to keep per-request values. Null-prototype. */
  get state(): Record<string, unknown> {
    return (this.#state ??= Object.create(null) as Record<string, unknown>);
  }

  /** One header's value; repeated headers are joined with `, `. */
  header(name: string): string | undefined {
    // Internal callers pass lower-case names; only a miss pays for lower-casing.
    const v = this.headers[name] ?? this.headers[name.toLowerCase()];
    if (typeof v === 'string') return v;
    // node's header object inherits from Object.prototype: `constructor` is not a header.
    return Array.isArray(v) ? v.join(', ') : undefined;
  }

  /** The query string's values (repeated keys kept), read under the form limits (413 past them). */
  get query(): Params {
    return (this.#query ??= parseUrlencoded(this.#rawQuery, this.formLimits));
  }

  /**
   * The limits every form parse of this request applies — `req.query`, `req.form()`,
   * `req.files()`: the app's `forms` setting. See docs/forms-and-csrf.md#limits.
   */
  get formLimits(): Readonly<Required<FormLimits>> {
    return this.#settings.formLimits ?? DEFAULT_FORM_LIMITS;
  }

  /** The raw query string without `?`. */
  get queryString(): string {
    return this.#rawQuery;
  }

  /** Cookies sent with the request. Null-prototype; malformed pairs are skipped. */
  get cookies(): Readonly<Record<string, string>> {
    return (this.#cookies ??= parseCookies(this.header('cookie')));
  }

  /**
   * `http` or `https`. With `trustProxy`, the `X-Forwarded-Proto` value the trusted proxy
   * wrote (see `forwarded`); otherwise the connection's own.
   */
  get protocol(): 'http' | 'https' {
    if (this.#init.encrypted) return 'https';
    if (this.#settings.trustProxy) {
      const p = this.#forwarded('x-forwarded-proto');
      if (p !== undefined) return p.toLowerCase() === 'https' ? 'https' : 'http';
    }
    return this.#settings.https ? 'https' : 'http';
  }

  /** True when the request came over HTTPS (or the app is configured as HTTPS). */
  get secure(): boolean {
    return this.protocol === 'https';
  }

  /** The host the client asked for: with `trustProxy`, the `X-Forwarded-Host` value the trusted proxy wrote; otherwise `Host`. */
  get host(): string {
    if (this.#settings.trustProxy) {
      const h = this.#forwarded('x-forwarded-host');
      if (h !== undefined && h !== '') return h;
    }
    return this.#authority ?? this.header('host') ?? '';
  }

  /** `protocol://host` of this request. */
  get origin(): string {
    return `${this.protocol}://${this.host}`;
  }

  /**
   * This request's id, sent back in `X-Request-Id` and written on its log lines (`reqId`).
   * With `trustProxy`, the `X-Request-Id` the proxy sent, when it is one (1–128 letters,
   * digits and `_.:@/+=~-`); otherwise a random UUID. A client's own header is never
   * believed without a trusted proxy: it could forge another request's id in the logs.
   * See docs/deployment.md#request-ids.
   */
  get id(): string {
    if (this.#id !== undefined) return this.#id;
    const given = this.#settings.trustProxy ? this.header('x-request-id') : undefined;
    return (this.#id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID());
  }

  /**
   * A child of the app's logger whose every line carries this request's id (`reqId`).
   *
   * ```ts
   * app.post('/notes', async (req) => {
   *   req.log.info({ title }, 'note saved');
   * });
   * ```
   */
  get log(): Logger {
    if (this.#log !== undefined) return this.#log;
    const parent = this.#settings.logger?.();
    if (parent === undefined) throw new TypeError('req.log: this request was made without an app (no logger)');
    return (this.#log = parent.child({ reqId: this.id }));
  }

  /** The client's address: with `trustProxy`, the `X-Forwarded-For` value the trusted proxy wrote; otherwise the socket peer. */
  get ip(): string {
    return (this.#settings.trustProxy ? this.#forwarded('x-forwarded-for') : undefined) || (this.#init.remoteAddress ?? '');
  }

  /**
   * The value of an `X-Forwarded-*` header that the outermost trusted proxy wrote, or
   * undefined when the header is absent or proxies are not trusted. One rule for
   * `protocol`, `host` and `ip`: each proxy appends what it saw to the list, so with
   * `trustProxy: n` the n-th value from the right is the one written by the farthest proxy
   * we trust, and everything left of it came from the client, who can write anything. When
   * the list is shorter than n, the proxies replaced the header rather than appending, and
   * its leftmost value is theirs.
   * E.g. with `trustProxy: 1` and `X-Forwarded-Proto: https, http` (the client sent
   * "https", the proxy appended "http"), the protocol is `http`.
   */
  #forwarded(name: 'x-forwarded-for' | 'x-forwarded-proto' | 'x-forwarded-host'): string | undefined {
    const trust = this.#settings.trustProxy;
    if (!trust) return undefined;
    const v = this.header(name);
    if (v === undefined) return undefined;
    const hops = v.split(',');
    const n = trust === true ? 1 : trust;
    return hops[Math.max(0, hops.length - n)]!.trim();
  }

  /** The parsed Content-Type, or null when absent or malformed. */
  get mediaType(): MediaType | null {
    if (this.#mediaType === undefined) this.#mediaType = parseMediaType(this.header('content-type'));
    return this.#mediaType;
  }

  /** Content-Length as a number, or undefined. A malformed value is a 400. */
  get contentLength(): number | undefined {
    const v = this.header('content-length');
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new HttpError('HTTP_BAD_REQUEST', 'The Content-Length header is not a number.');
    return Number(v);
  }

  /** The raw body bytes, read once under the size limit. */
  bytes(): Promise<Buffer> {
    if (this.#bodyBytes === undefined) {
      if (this.#streamTaken) return Promise.reject(alreadyStreamed());
      this.#bodyBytes = readBody(this.#init.body ?? null, this.maxBodySize, this.contentLength);
    }
    return this.#bodyBytes;
  }

  /** The body as UTF-8 text (invalid UTF-8 is a 400). */
  async text(): Promise<string> {
    return decodeUTF8(await this.bytes(), 'request body');
  }

  /**
   * The urlencoded form body. Requires `Content-Type: application/x-www-form-urlencoded`
   * (415 otherwise). Read under `maxBodySize` and the form limits (413 past them).
   * Multipart bodies are read with `req.files()` or a form.
   */
  form(): Promise<Params> {
    return (this.#form ??= this.#readForm());
  }

  async #readForm(): Promise<Params> {
    const mt = this.mediaType;
    if (mt?.essence !== 'application/x-www-form-urlencoded') {
      if (mt?.essence === 'multipart/form-data') {
        throw new HttpError('BODY_UNSUPPORTED_MEDIA_TYPE', 'This is a multipart body; read it with `await req.files()` or a form, not `req.form()`.');
      }
      throw unsupported('application/x-www-form-urlencoded', this.header('content-type'));
    }
    return parseUrlencoded(decodeUTF8(await this.bytes(), 'form body'), this.formLimits);
  }

  /**
   * The JSON body. Requires `Content-Type: application/json` (or `application/*+json`):
   * a JSON-shaped `text/plain` body, which any site's form can send, is refused with 415.
   * Prototype-poisoning keys and nesting past the depth limit are a 400.
   */
  json<T = unknown>(): Promise<T> {
    return (this.#json ??= this.#readJSON()) as Promise<T>;
  }

  async #readJSON(): Promise<unknown> {
    if (!isJSONMediaType(this.mediaType)) throw unsupported('application/json', this.header('content-type'));
    const text = decodeUTF8(await this.bytes(), 'JSON body');
    const routeDepth = this.route?.options.jsonMaxDepth;
    return parseJSONBody(text, { maxDepth: typeof routeDepth === 'number' ? routeDepth : this.#settings.jsonMaxDepth });
  }

  /**
   * The body as a stream, for parsers that stream (multipart). Can be taken once, and not
   * after the body was read another way.
   */
  stream(): BodySource {
    if (this.#streamTaken || this.#bodyBytes !== undefined) throw alreadyStreamed();
    this.#streamTaken = true;
    return this.#init.body ?? null;
  }

  /** True once the body was read or taken as a stream. */
  get bodyUsed(): boolean {
    return this.#streamTaken || this.#bodyBytes !== undefined;
  }
}

function unsupported(expected: string, got: string | undefined): HttpError {
  return new HttpError(
    'BODY_UNSUPPORTED_MEDIA_TYPE',
    `Expected a body with Content-Type ${expected}, got ${got === undefined ? 'none' : JSON.stringify(got)}.`,
    { expected, got: got ?? null },
  );
}

function alreadyStreamed(): HttpError {
  return new HttpError('BODY_ALREADY_READ', 'The request body was already consumed as a stream; it can be read only once.');
}
