/**
 * The test client: requests run in process through the same dispatch as the server (it is
 * one more adapter), with a cookie jar, like Flask's `app.test_client()`.
 *
 * ```ts
 * const client = app.test();
 * const res = await client.post('/notes', { form: { title: 'Hi' } });
 * assert.equal(res.status, 303);
 * ```
 * See docs/testing.md.
 */
import { Readable } from 'node:stream';
import { parseSetCookie } from 'cookie';
import type { App } from '../app/app.js';
import { lastResortResponse, unwritable } from '../adapters/write-guard.js';
import type { Response } from '../http/response.js';
import { issueCsrfTokenForTestClient } from '../security/csrf.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | number | readonly (string | number)[]>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** A raw body; set `headers['content-type']` yourself. */
  body?: string | Uint8Array;
  followRedirects?: boolean;
  /**
   * Unsafe methods (POST, PUT, PATCH, DELETE) carry a valid `X-CSRF-Token` for the
   * client's session by default, as a page of the app would. `false` sends none, to test
   * that the app refuses such requests. See docs/forms-and-csrf.md#testing.
   */
  csrf?: boolean;
}

/** A response as the test sees it: status, headers, body. */
export class TestResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers (Set-Cookie) are arrays. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** The URL path that produced this response (after redirects). */
  readonly url: string;

  constructor(status: number, headers: Record<string, string | string[]>, body: Buffer, url: string) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.url = url;
  }
  /** One header, repeated values joined with `, `. */
  header(name: string): string | undefined {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  get text(): string {
    return this.body.toString('utf8');
  }
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }
  get location(): string | undefined {
    return this.header('location');
  }
  /** The Set-Cookie header lines. */
  get setCookies(): string[] {
    const v = this.headers['set-cookie'];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
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
      res = await this.#once(keep ? method : 'GET', next.pathname + next.search, keep ? opts : { headers: opts.headers });
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
    if (opts.form !== undefined) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.form)) for (const x of [v].flat()) p.append(k, String(x));
      body = Buffer.from(p.toString());
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (opts.json !== undefined) {
      body = Buffer.from(JSON.stringify(opts.json));
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    }
    if (body !== null) headers['content-length'] = String(body.byteLength);
    if (opts.csrf !== false && !SAFE_METHODS.has(method.toUpperCase()) && headers['x-csrf-token'] === undefined) {
      // Like a browser on the app's own page: a token for this session (created if need be).
      const cookieNow = this.#cookieHeader(url);
      const probe = this.#app.createRequest({
        method: 'GET',
        url: url.pathname,
        headers: { host: url.host, ...(cookieNow === '' ? {} : { cookie: cookieNow }) },
        remoteAddress: '127.0.0.1',
        encrypted: url.protocol === 'https:',
      });
      // A failing session store is the app's answer to give, not the client's: send no token then.
      const issued = await issueCsrfTokenForTestClient(this.#app.protections, probe).catch(() => undefined);
      if (issued !== undefined) {
        headers['x-csrf-token'] = issued.token;
        this.#store({ headers: { 'set-cookie': issued.setCookie } } as unknown as Response, url);
      }
    }
    const cookie = this.#cookieHeader(url);
    if (cookie !== '' && headers['cookie'] === undefined) headers['cookie'] = cookie;
    const req = this.#app.createRequest({
      method,
      url: url.pathname + url.search,
      headers,
      body,
      remoteAddress: '127.0.0.1',
      encrypted: url.protocol === 'https:',
    });
    let res = await this.#app.handle(req);
    // What node's writeHead would refuse, the server answers with a logged 500; so does the client.
    const problem = unwritable(res, true);
    if (problem !== undefined) {
      this.#app.logger.error({ err: problem, method, path: url.pathname }, 'the response could not be written');
      res = lastResortResponse(problem, req, this.#app.settings.env === 'development');
    }
    const bytes = method === 'HEAD' ? Buffer.alloc(0) : await readAll(res);
    this.#store(res, url);
    return new TestResponse(res.status, { ...res.headers }, bytes, url.pathname + url.search);
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

async function readAll(res: Response): Promise<Buffer> {
  const b = res.body;
  if (b === null) return Buffer.alloc(0);
  if (typeof b === 'string') return Buffer.from(b);
  if (b instanceof Uint8Array) return Buffer.from(b);
  const chunks: Buffer[] = [];
  for await (const c of b instanceof Readable ? b : Readable.from(b)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
