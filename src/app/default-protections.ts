/**
 * The default protections. Each feature module exports a factory that reads its settings
 * section and returns a Protection, or null when switched off. The order they run in is
 * not this list's: each protection names the phase of each of its steps, and
 * phase-order.ts orders them (see docs/architecture.md#protection-phases). Three cannot be
 * switched off: the open-redirect check and the HTML guard (finish phase `guard`, the
 * first) and the response basics (finish phase `basics`, the last).
 */
import type { ProtectionContext } from './protection.js';
import { orderProtections, type ProtectionOrder } from './phase-order.js';
import { corsProtection } from '../security/cors.js';
import { resourceIsolation } from '../security/resource-isolation.js';
import { hostsProtection } from '../security/hosts.js';
import { headersProtection } from '../security/headers.js';
import { sessionProtection } from '../security/session-manager.js';
import { csrfProtection } from '../security/csrf.js';
import { filesProtection } from '../files/files-protection.js';
import { formsProtection } from '../forms/forms-protection.js';
import { trustGuardProtection } from '../security/trust-guard.js';
import { loginProtection } from '../auth/login.js';
import { rateLimitProtection } from '../security/rate-limit/rate-limit-protection.js';
import { compressProtection } from '../http/compress.js';
import { openRedirectProtection } from '../security/open-redirect.js';
import { htmlGuardProtection } from '../security/html-guard.js';
import { responseBasicsProtection } from '../security/response-basics.js';
import { validationProtection } from '../validation/validation-protection.js';

const FACTORIES = [
  hostsProtection,
  corsProtection,
  filesProtection,
  resourceIsolation,
  sessionProtection,
  rateLimitProtection,
  csrfProtection,
  formsProtection,
  loginProtection,
  validationProtection,
  trustGuardProtection,
  openRedirectProtection,
  htmlGuardProtection,
  headersProtection,
  compressProtection,
  responseBasicsProtection,
];

/** Builds the protections the settings ask for, ordered by their phases. */
export function buildProtections(ctx: ProtectionContext): ProtectionOrder {
  return orderProtections(FACTORIES.map((f) => f(ctx)).filter((p) => p !== null));
}
