/**
 * The test client: requests run in process through the same dispatch as the server (it is
 * one more adapter), with a cookie jar, like Flask's `app.test_client()`.
 *
 * ```ts
 * const client = app.test();
 * (await client.post('/api/notes', { json: { title: 'Hi' } })).expectStatus(201);
 * (await client.submit('/notes/new', { fields: { title: 'Hi' } })).expectStatus(303);
 * ```
 * See docs/testing.md.
 */
import { Readable } from 'node:stream';
import { parseSetCookie } from 'cookie';
import type { AppBase as App } from '../app/app-base.js';
import { lastResortResponse, unwritable } from '../adapters/write-guard.js';
import { failureOf } from '../http/error-page.js';
import { runInScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { CREATE_REQUEST, PROTECTIONS, RESPOND, SCOPE } from '../util/symbols.js';
import { issueCsrfTokenForTestClient } from '../security/csrf.js';
import { CSRF_HEADER_KEY } from '../http/csrf-names.js';
import { encodeForm, encodeQuery, fieldEntries, fileEntries, type TestFile } from './encode.js';
import { TestResponse } from './response.js';
import { buildSubmission, type FieldValue } from './submit.js';

export { TestResponse };
export type { TestFile, FieldValue };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which CSRF token a request carries (see docs/testing.md#csrf-tokens-in-tests):
 * - `true`: a valid `X-CSRF-Token` for the client's session, as a page's `fetch` helper
 *   sends, besides anything the body holds — the default of `get`, `post` and the other
 *   request methods;
 * - `'form'`: only a token the body itself holds — the default of `submit()`, which sends
 *   the token the page's form contains, and none when the template forgot it;
 * - `false`: none at all (`submit()` also leaves out the form's own token field).
 */
export type CsrfMode = boolean | 'form';

export interface TestClientOptions {
  /** Origin the client pretends to talk to. Default `http://localhost`. */
  baseUrl?: string;
  /** Follow redirects by default. Default false. */
  followRedirects?: boolean;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export interface TestRequestOptions {
  headers?: Record<string, string>;
  /** Appended to the URL's query string. */
  query?: Record<string, string | number | readonly (string | number)[]>;
  /** Sent as `application/x-www-form-urlencoded`, or as the text fields of a multipart body when `files` is given. */
  form?: Record<string, string | number | readonly (string | number)[]>;
  /** Files to upload: the body is `multipart/form-data`, with `form`'s fields first. */
  files?: Record<string, TestFile | readonly TestFile[]>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** A raw body; set `headers['content-type']` yourself. */
  body?: string | Uint8Array;
  followRedirects?: boolean;
  /**
   * The CSRF token of an unsafe method (POST, PUT, PATCH, DELETE). Default `true`: a valid
   * `X-CSRF-Token` for the client's session, as a page of the app would send. `false` (or
   * `'form'`) sends none but what the body holds, to test that the app refuses such
   * requests. See docs/testing.md#csrf-tokens-in-tests.
   */
  csrf?: CsrfMode;
}

/** Options of `client.submit()`: what a person does with a form of the page. */
export interface SubmitOptions {
  /** Which form of the page: its `id`, `name` or `action`. Default: the page's only form. */
  form?: string;
  /**
   * Values typed in, by field name; they replace what the page filled in. A list fills
   * repeated fields or a multiple select; `true`/`false` ticks or clears a checkbox. A name
   * the form does not have, or an option its select does not offer, is an error.
   */
  fields?: Record<string, FieldValue>;
  /** Files chosen in the form's file inputs (the form must be `enctype="multipart/form-data"`). */
  files?: Record<string, TestFile | readonly TestFile[]>;
  /** The submit button pressed, by name or value. Default: the form's first, as Enter does. */
  button?: string;
  /**
   * Default `'form'`: only the token the form holds, as a browser sends. `true` adds
   * `X-CSRF-Token` as the request methods do; `false` leaves out the form's token too.
   */
  csrf?: CsrfMode;
  headers?: Record<string, string>;
  followRedirects?: boolean;
}

interface JarCookie {
  value: string;
  path: string;
  secure: boolean;
  expires: number | undefined;
}

export class TestClient {
  readonly #app: App;
  readonly #base: URL;
  readonly #follow: boolean;
  readonly #headers: Record<string, string>;
  readonly #jar = new Map<string, JarCookie>();

  constructor(app: App, opts: TestClientOptions = {}) {
    this.#app = app;
    this.#base = new URL(opts.baseUrl ?? 'http://localhost');
    this.#follow = opts.followRedirects ?? false;
    this.#headers = opts.headers ?? {};
  }

  get(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('GET', path, opts);
  }
  head(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, opts);
  }
  post(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('POST', path, opts);
  }
  put(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, opts);
  }
  patch(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, opts);
  }
  delete(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, opts);
  }
  options(path: string, opts?: TestRequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, opts);
  }

  /**
   * Fills in and submits a form of a page, as a person in a browser would: gets the page
   * (or takes a response already fetched), finds the form, keeps the values the page put
   * in it (hidden fields and the CSRF token among them), types in `fields`, picks `files`,
   * and sends it to the form's action with its method and encoding. Only the token the
   * form holds is sent: a form whose template forgot it gets the 403 a browser would.
   *
   * ```ts
   * const res = await client.submit('/notes/new', { fields: { title: 'Groceries' } });
   * res.expectStatus(303);
   * ```
   * See docs/testing.md#submitting-forms.
   */
  async submit(page: string | TestResponse, opts: SubmitOptions = {}): Promise<TestResponse> {
    const shown = typeof page === 'string' ? (await this.get(page, { headers: opts.headers ?? {}, followRedirects: true })).expectStatus(200) : page;
    const pageUrl = new URL(shown.url, this.#base);
    const csrf = opts.csrf ?? 'form';
    const sub = buildSubmission(shown.text, pageUrl, {
      form: opts.form,
      fields: opts.fields,
      files: opts.files,
      button: opts.button,
      keepCsrfField: csrf !== false,
    });
    const headers = { ...(opts.headers ?? {}), referer: pageUrl.href };
    const common = { csrf, ...(opts.followRedirects === undefined ? {} : { followRedirects: opts.followRedirects }) };
    if (sub.method === 'GET') {
      const query = encodeQuery(sub.entries);
      return this.request('GET', query === '' ? sub.url : `${sub.url}?${query}`, { ...common, headers });
    }
    const { body, contentType } = encodeForm(sub.entries, sub.encoding);
    return this.request('POST', sub.url, { ...common, body, headers: { ...headers, 'content-type': contentType } });
  }

  /** The cookies the client holds now (name → value). */
  get cookies(): Record<string, string> {
    this.#expire();
    const out: Record<string, string> = Object.create(null);
    for (const [k, c] of this.#jar) out[k] = c.value;
    return out;
  }
  /** Sets or removes (`undefined`) a cookie in the jar. */
  setCookie(name: string, value: string | undefined): void {
    if (value === undefined) this.#jar.delete(name);
    else this.#jar.set(name, { value, path: '/', secure: false, expires: undefined });
  }

  async request(method: string, path: string, opts: TestRequestOptions = {}): Promise<TestResponse> {
    let res = await this.#once(method, path, opts);
    const follow = opts.followRedirects ?? this.#follow;
    for (let hops = 0; follow && res.status >= 300 && res.status < 400 && res.location !== undefined; hops++) {
      if (hops >= 10) throw new Error('test client: more than 10 redirects');
      const next = new URL(res.location, new URL(res.url, this.#base));
      if (next.origin !== this.#base.origin) break; // do not leave the app
      const keep = res.status === 307 || res.status === 308;
      res = await this.#once(keep ? method : 'GET', next.pathname + next.search, keep ? opts : { headers: opts.headers ?? {} });
    }
    return res;
  }

  async #once(method: string, path: string, opts: TestRequestOptions): Promise<TestResponse> {
    const url = new URL(path, this.#base);
    if (opts.query) for (const [k, v] of Object.entries(opts.query)) for (const x of [v].flat()) url.searchParams.append(k, String(x));
    const headers: Record<string, string> = Object.create(null);
    headers['host'] = url.host;
    for (const [k, v] of Object.entries({ ...this.#headers, ...(opts.headers ?? {}) })) headers[k.toLowerCase()] = v;
    let body: Uint8Array | null = null;
    if (opts.files !== undefined) {
      const encoded = encodeForm([...fieldEntries(opts.form ?? {}), ...fileEntries(opts.files)], 'multipart/form-data');
      body = encoded.body;
      headers['content-type'] ??= encoded.contentType;
    } else if (opts.form !== undefined) {
      const encoded = encodeForm(fieldEntries(opts.form), 'application/x-www-form-urlencoded');
      body = encoded.body;
      headers['content-type'] ??= encoded.contentType;
    } else if (opts.json !== undefined) {
      body = Buffer.from(JSON.stringify(opts.json));
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    }
    if (body !== null) headers['content-length'] = String(body.byteLength);
    const csrf = opts.csrf ?? true;
    if (csrf !== true && csrf !== 'form' && csrf !== false) throw new TypeError(`test client: csrf must be true, 'form' or false, not ${JSON.stringify(csrf)}`);
    if (csrf === true && !SAFE_METHODS.has(method.toUpperCase()) && headers[CSRF_HEADER_KEY] === undefined) {
      // Like a browser on the app's own page: a token for this session (created if need be).
      const cookieNow = this.#cookieHeader(url);
      const probe = this.#app[CREATE_REQUEST]({
        method: 'GET',
        url: url.pathname,
        headers: { host: url.host, ...(cookieNow === '' ? {} : { cookie: cookieNow }) },
        remoteAddress: '127.0.0.1',
        encrypted: url.protocol === 'https:',
      });
      // A failing session store is the app's answer to give, not the client's: send no token then.
      const issued = await issueCsrfTokenForTestClient(this.#app[PROTECTIONS], probe).catch(() => undefined);
      if (issued !== undefined) {
        headers[CSRF_HEADER_KEY] = issued.token;
        this.#store({ headers: { 'set-cookie': issued.setCookie } } as unknown as Response, url);
      }
    }
    const cookie = this.#cookieHeader(url);
    if (cookie !== '' && headers['cookie'] === undefined) headers['cookie'] = cookie;
    const req = this.#app[CREATE_REQUEST]({
      method,
      url: url.pathname + url.search,
      headers,
      body,
      remoteAddress: '127.0.0.1',
      encrypted: url.protocol === 'https:',
    });
    // The request's scope, entered once around all of it, reading the body included, as
    // the node server does (src/http/context.ts).
    const { res, bytes } = await runInScope(req[SCOPE], exchange, this.#app, req);
    this.#store(res, url);
    return new TestResponse(res.status, { ...res.headers }, bytes, url.pathname + url.search, req.method, failureOf(res));
  }

  #cookieHeader(url: URL): string {
    this.#expire();
    const parts: string[] = [];
    for (const [name, c] of this.#jar) {
      if (c.secure && url.protocol !== 'https:') continue;
      if (!url.pathname.startsWith(c.path)) continue;
      parts.push(`${name}=${c.value}`);
    }
    return parts.join('; ');
  }

  #store(res: Response, url: URL): void {
    const raw = res.headers['set-cookie'];
    if (raw === undefined) return;
    for (const line of Array.isArray(raw) ? raw : [raw]) {
      const c = parseSetCookie(line, { decode: (s) => s });
      if (!c.name) continue;
      let expires: number | undefined;
      if (c.maxAge !== undefined) expires = Date.now() + c.maxAge * 1000;
      else if (c.expires !== undefined) expires = c.expires.getTime();
      if (expires !== undefined && expires <= Date.now()) {
        this.#jar.delete(c.name);
        continue;
      }
      if (c.secure && url.protocol !== 'https:') continue; // browsers refuse Secure over http
      this.#jar.set(c.name, { value: c.value ?? '', path: c.path ?? '/', secure: c.secure === true, expires });
    }
  }

  #expire(): void {
    const now = Date.now();
    for (const [k, c] of this.#jar) if (c.expires !== undefined && c.expires <= now) this.#jar.delete(k);
  }
}

/** Answers `req` and reads the whole body, as a server writing it would. */
async function exchange(app: App, req: Request): Promise<{ res: Response; bytes: Buffer }> {
  let res = await app[RESPOND](req);
  // What node's writeHead would refuse, the server answers with a logged 500; so does the client.
  const problem = unwritable(res, true);
  if (problem !== undefined) {
    req.log.error({ err: problem, method: req.method, path: req.path }, 'the response could not be written');
    res = lastResortResponse(problem, req, app.settings.env === 'development');
  }
  const bytes = req.method === 'HEAD' ? Buffer.alloc(0) : await readAll(res);
  return { res, bytes };
}

async function readAll(res: Response): Promise<Buffer> {
  const b = res.body;
  if (b === null) return Buffer.alloc(0);
  if (typeof b === 'string') return Buffer.from(b);
  if (b instanceof Uint8Array) return Buffer.from(b);
  const chunks: Buffer[] = [];
  for await (const c of b instanceof Readable ? b : Readable.from(b)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
