/**
 * The default protections, in the order they run. Each feature module exports a factory
 * that reads its settings section and returns a Protection, or null when switched off.
 */
import type { Protection, ProtectionContext } from './protection.js';
import { corsProtection } from '../json/cors.js';
import { resourceIsolation } from '../json/isolation.js';

type Factory = (ctx: ProtectionContext) => Protection | null;

const FACTORIES: Factory[] = [
  // (the host check goes first)
  corsProtection, // answers CORS preflights before anything that would 404/405 them
  resourceIsolation, // refuses cross-site <script src>/<img src> loads before the handler
];

export function buildProtections(ctx: ProtectionContext): Protection[] {
  const out: Protection[] = [];
  for (const f of FACTORIES) {
    const p = f(ctx);
    if (p !== null) out.push(p);
  }
  return out;
}
