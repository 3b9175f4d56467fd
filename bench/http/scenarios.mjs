/**
 * The HTTP scenarios. Each one names the route every server must serve and builds the
 * request wrk sends, after whatever setup the route needs against that very server (a
 * session cookie, a CSRF token). Every server prints the scenarios it serves; one it
 * does not serve is reported as "not available yet".
 */
import { fetchOnce } from '../lib/proc.mjs';

/** Joins Set-Cookie lines into one Cookie header (name=value pairs only). */
export function cookieHeader(setCookie) {
  const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return lines.map((l) => l.split(';', 1)[0].trim()).join('; ');
}

/** The value of the hidden `_csrf` field in an HTML form. */
export function csrfFromHTML(html) {
  const m =
    /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/i.exec(html) ?? /<input[^>]*value="([^"]*)"[^>]*name="_csrf"/i.exec(html);
  if (!m) throw new Error(`no _csrf field in the form page:\n${html.slice(0, 500)}`);
  return m[1].replace(/&#x2F;|&#47;/g, '/').replace(/&#x3D;|&#61;/g, '=').replace(/&amp;/g, '&').replace(/&#43;|&#x2B;/g, '+');
}

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
];

/** Scenario by name. */
export function scenario(name) {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** Sends the prepared request once and says whether it got a 2xx (with a body excerpt if not). */
export async function preflight(base, req) {
  const res = await fetchOnce(base + req.path, { method: req.method, headers: req.headers, body: req.body });
  return { ok: res.status >= 200 && res.status < 300, status: res.status, excerpt: res.body.slice(0, 300) };
}
