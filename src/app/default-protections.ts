/**
 * The default protections, in the order they run. Each feature module exports a factory
 * that reads its settings section and returns a Protection, or null when switched off.
 * Three cannot be switched off: the open-redirect check and the HTML guard, whose
 * `finish` runs first, and the response basics (nosniff, request id, Set-Cookie), whose
 * `finish` runs last.
 */
import type { Protection, ProtectionContext } from './protection.js';
import { corsProtection } from '../security/cors.js';
import { resourceIsolation } from '../security/resource-isolation.js';
import { hostsProtection } from '../security/hosts.js';
import { headersProtection } from '../security/headers.js';
import { sessionProtection } from '../security/session-manager.js';
import { csrfProtection } from '../security/csrf.js';
import { filesProtection } from '../files/protection.js';
import { flashFinishProtection, formsProtection } from '../forms/protection.js';
import { trustGuardProtection } from '../security/trust-guard.js';
import { loginProtection } from '../auth/login.js';
import { rateLimitProtection } from '../security/rate-limit/protection.js';
import { compressProtection } from '../http/compress.js';
import { openRedirectProtection } from '../security/open-redirect.js';
import { htmlGuardProtection } from '../security/html-guard.js';
import { responseBasicsProtection } from '../security/response-basics.js';
import { validationProtection } from '../validation/protection.js';

type Factory = (ctx: ProtectionContext) => Protection | null;

const FACTORIES: Factory[] = [
  openRedirectProtection, // finish first: a redirect to another host becomes an error page before anything is added to it
  htmlGuardProtection, // finish: a plain string sent as HTML is refused, likewise
  hostsProtection, // first: refuse foreign hosts before anything else
  trustGuardProtection, // development and test only: begin records the request for the trusting constructors' guard
  corsProtection, // answers CORS preflights before anything that would 404/405 them
  filesProtection, // serves /static; binds upload storage before CSRF may read a multipart body
  resourceIsolation, // refuses cross-site <script src>/<img src> loads before the handler
  flashFinishProtection, // finish: flashed messages a template read leave the session before it is written
  sessionProtection, // gives every request a lazy req.session; writes it back in finish
  rateLimitProtection, // counts the request against its route's limits (keys may read the session or the form) before CSRF and the handler
  csrfProtection, // origin check, then the session-bound token, before hooks and handler
  formsProtection, // app form limits; loads flashed messages for templates (after the session)
  loginProtection, // req.currentUser(), current_user for templates, loginRequired (after forms, whose globals it extends)
  validationProtection, // a route's schema: reads and validates its inputs (req.valid) once every refusal above had its say
  headersProtection, // its finish completes every response's headers
  compressProtection, // encodes the finished body (gzip, brotli)
  responseBasicsProtection, // last finish: nosniff, the request id, and the Set-Cookie lines of every cookie set before
];

export function buildProtections(ctx: ProtectionContext): Protection[] {
  const out: Protection[] = [];
  for (const f of FACTORIES) {
    const p = f(ctx);
    if (p !== null) out.push(p);
  }
  return out;
}
