/**
 * The default protections, in the order they run. Each feature module exports a factory
 * that reads its settings section and returns a Protection, or null when switched off.
 */
import type { Protection, ProtectionContext } from './protection.js';
import { corsProtection } from '../json/cors.js';
import { resourceIsolation } from '../json/isolation.js';
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
import { validationProtection } from '../validation/protection.js';

type Factory = (ctx: ProtectionContext) => Protection | null;

const FACTORIES: Factory[] = [
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
  compressProtection, // last: encodes the finished body (gzip, brotli)
];

export function buildProtections(ctx: ProtectionContext): Protection[] {
  const out: Protection[] = [];
  for (const f of FACTORIES) {
    const p = f(ctx);
    if (p !== null) out.push(p);
  }
  return out;
}
