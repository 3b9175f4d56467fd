/**
 * The signed-cookie session and the CSRF token that raw node:http writes by hand: what a
 * careful person without a framework would do (HMAC-SHA256, constant-time comparison).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SECRET } from './common.mjs';

const mac = (data) => createHmac('sha256', SECRET).update(data).digest('base64url');

function equal(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads one cookie from a Cookie header without parsing the rest. */
export function readCookie(header, name) {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The session stored in the cookie, or a fresh one when it is missing, tampered with or not JSON. */
export function loadSession(cookieHeader) {
  const raw = readCookie(cookieHeader, 'session');
  if (raw) {
    const dot = raw.lastIndexOf('.');
    if (dot > 0) {
      const data = raw.slice(0, dot);
      if (equal(raw.slice(dot + 1), mac(data))) {
        try {
          const value = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
          if (value !== null && typeof value === 'object' && typeof value.id === 'string') return value;
        } catch {
          // fall through to a fresh session
        }
      }
    }
  }
  return { id: randomBytes(16).toString('base64url') };
}

/** Set-Cookie line for a session. */
export function sessionCookie(session) {
  const data = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `session=${data}.${mac(data)}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The CSRF token bound to a session id. */
export const csrfToken = (session) => mac(`csrf:${session.id}`);

/** True when the token belongs to the session. */
export const csrfValid = (session, token) => typeof token === 'string' && equal(token, csrfToken(session));

/** Origin check for unsafe methods: Sec-Fetch-Site, else Origin against our own host. */
export function sameOrigin(req) {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  return origin !== undefined && origin === `http://${req.headers.host}`;
}
