/**
 * The default protections, in the order they run. Each feature module exports a factory
 * that reads its settings section and returns a Protection, or null when switched off.
 */
import type { Protection, ProtectionContext } from './protection.js';

type Factory = (ctx: ProtectionContext) => Protection | null;

const FACTORIES: Factory[] = [
];

export function buildProtections(ctx: ProtectionContext): Protection[] {
  const out: Protection[] = [];
  for (const f of FACTORIES) {
    const p = f(ctx);
    if (p !== null) out.push(p);
  }
  return out;
}
