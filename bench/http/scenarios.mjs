/**
 * The HTTP scenarios. Each one names the route every server must serve and builds the
 * request wrk sends, after whatever setup the route needs against that very server (a
 * session cookie, a CSRF token). Every server prints the scenarios it serves; one it
 * does not serve is reported as "not available yet".
 */
import { brotliDecompressSync } from 'node:zlib';
import { fetchOnce } from '../lib/proc.mjs';
import { NOTE_INPUT } from './common.mjs';

/** Joins Set-Cookie lines into one Cookie header (name=value pairs only). */
export function cookieHeader(setCookie) {
  const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return lines.map((l) => l.split(';', 1)[0].trim()).join('; ');
}

const unescapeAttr = (v) =>
  v
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden CSRF field of the first form in a page: { field, value }. */
export function csrfFromHTML(html) {
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    const name = /\bname="([^"]*)"/i.exec(tag)?.[1];
    if (name === undefined || !/^(_csrf|csrf_token|csrfToken|_csrf_token)$/.test(name)) continue;
    return { field: name, value: unescapeAttr(/\bvalue="([^"]*)"/i.exec(tag)?.[1] ?? '') };
  }
  throw new Error(`no CSRF field in the form page:\n${html.slice(0, 600)}`);
}

/** GET /form: the cookies it sets and the token in its form. */
async function formSetup(base) {
  const res = await fetchOnce(`${base}/form`);
  if (res.status !== 200) throw new Error(`GET /form answered ${res.status}: ${res.body.slice(0, 300)}`);
  return { cookie: cookieHeader(res.headers['set-cookie']), ...csrfFromHTML(res.body) };
}

/** Same-origin browser headers for an unsafe request. */
const sameOrigin = (base) => ({ origin: base, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' });

/** 64 KiB of fixed pseudo-random bytes (the same file every run). */
function fileBytes(size) {
  const b = Buffer.alloc(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** The whole page exactly once: 100 rows, one layout, the escaped values. */
function isWholePage(body) {
  return (
    body.includes('Item &lt;100&gt;') &&
    (body.match(/<tr class="row"/g) ?? []).length === 100 &&
    (body.match(/<!doctype html>/gi) ?? []).length === 1 &&
    (body.match(/<\/html>/g) ?? []).length === 1
  );
}

const BOUNDARY = '----palisadebench7MA4YWxkTrZu0gW';
const UPLOAD = fileBytes(64 * 1024);

export const SCENARIOS = [
  {
    name: 'hello',
    title: 'GET /hello',
    about: 'plain text',
    async request() {
      return { method: 'GET', path: '/hello', headers: {} };
    },
  },
  {
    name: 'json',
    title: 'GET /json',
    about: 'an object serialised as JSON',
    async request() {
      return { method: 'GET', path: '/json', headers: {} };
    },
  },
  {
    name: 'page',
    title: 'GET /page',
    about: 'a layout and 100 rows from a template, values in text, attribute and URL contexts',
    setup: 'Palisade: its own templates (contextual escaping). node:http and Hono: Eta (autoescape, cache on). Fastify and Express: Nunjucks (autoescape).',
    async request() {
      return { method: 'GET', path: '/page', headers: {} };
    },
    check: (body) => isWholePage(body),
  },
  {
    name: 'page-br',
    title: 'GET /page, brotli',
    about: 'the same page asked for with `Accept-Encoding: gzip, deflate, br`, compressed with brotli as it is sent',
    setup:
      'Palisade: the route option `{ compress: true }` (handler responses are not compressed by default). Fastify: @fastify/compress ' +
      'registered around the route only. Both: br before gzip, brotli quality 4, text mode, 1 KiB threshold.',
    async request() {
      return { method: 'GET', path: '/page', headers: { 'accept-encoding': 'gzip, deflate, br' } };
    },
    check: (body, headers, raw) => headers['content-encoding'] === 'br' && isWholePage(brotliDecompressSync(raw).toString('utf8')),
  },
  {
    name: 'form',
    title: 'POST /form',
    about: 'a urlencoded form with a valid CSRF token',
    setup:
      'A setup request (GET /form) gets the session cookie and the token from the page; every POST sends them back with ' +
      'same-origin `Origin` and `Sec-Fetch-Site`. Palisade: origin check and session-bound token. node:http: the same by hand ' +
      '(signed cookie, HMAC token). Fastify: @fastify/csrf-protection with its secret in @fastify/secure-session. ' +
      'Express: csrf-csrf bound to a cookie-session id. Hono: `csrf` middleware (origin only).',
    async request(base) {
      const { cookie, field, value } = await formSetup(base);
      const body = `${encodeURIComponent(field)}=${encodeURIComponent(value)}&title=Hello+bench&body=Some+text+%26+more+%3Cb%3E`;
      return {
        method: 'POST',
        path: '/form',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...sameOrigin(base) },
        body,
      };
    },
    check: (body) => body.startsWith('Saved: Hello bench'),
  },
  {
    name: 'upload',
    title: 'POST /upload',
    about: 'a 64 KiB file in a multipart body, CSRF token in `X-CSRF-Token`',
    setup: 'Token and cookies as for POST /form, the token in the `X-CSRF-Token` header. The handler reads the whole file and answers its name and size.',
    async request(base) {
      const { cookie, value } = await formSetup(base);
      const head =
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA file\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const body = Buffer.concat([Buffer.from(head), UPLOAD, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
      return {
        method: 'POST',
        path: '/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie, 'x-csrf-token': value, ...sameOrigin(base) },
        body,
      };
    },
    check: (body) => /"size":\s*65536/.test(body),
  },
  {
    name: 'validated',
    title: 'POST /validated',
    about: 'a small JSON object validated against a schema (title, tags, priority), answered as JSON',
    setup:
      'Palisade: the route option `schema: { body }` with a Zod 4 schema (default protections on: origin check and session-bound token). ' +
      'Fastify: the route\'s JSON Schema `body`, compiled by its ajv, with @fastify/csrf-protection. Hono: @hono/zod-validator with the same Zod schema, ' +
      'its `csrf` middleware (origin only). Token and cookies as for POST /form, the token in `X-CSRF-Token`.',
    async request(base) {
      const { cookie, value } = await formSetup(base);
      return {
        method: 'POST',
        path: '/validated',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': value, ...sameOrigin(base) },
        body: JSON.stringify(NOTE_INPUT),
      };
    },
    check: (body) => body.replace(/\s/g, '') === '{"title":"Hellobench","tags":2,"priority":3}',
  },
  {
    name: 'session',
    title: 'GET /session',
    about: 'reads a counter from the session cookie and writes it back',
    setup: 'Signed (HMAC) cookie sessions: Palisade default, node:http by hand, Express cookie-session, Hono signed cookie; Fastify @fastify/secure-session (encrypted).',
    async request(base) {
      const res = await fetchOnce(`${base}/session`);
      if (res.status !== 200) throw new Error(`GET /session answered ${res.status}: ${res.body.slice(0, 300)}`);
      return { method: 'GET', path: '/session', headers: { cookie: cookieHeader(res.headers['set-cookie']) } };
    },
    check: (body, headers) => body.trim() === 'count: 2' && headers['set-cookie'] !== undefined,
  },
];

/** Scenario by name. */
export function scenario(name) {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** Sends the prepared request once and says whether it got a 2xx (with a body excerpt if not). */
export async function preflight(base, req, check) {
  const res = await fetchOnce(base + req.path, { method: req.method, headers: req.headers, body: req.body });
  const ok2xx = res.status >= 200 && res.status < 300;
  const okBody = !ok2xx || check === undefined || check(res.body, res.headers, res.raw);
  return {
    ok: ok2xx && okBody,
    status: res.status,
    reason: ok2xx ? (okBody ? '' : 'unexpected body') : `status ${res.status}`,
    excerpt: res.body.slice(0, 300),
  };
}
