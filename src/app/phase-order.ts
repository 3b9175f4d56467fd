/**
 * The order protections run in, computed once when the app is created from the phase each
 * step declares (protection.ts): the steps of one kind run phase by phase in the order of
 * BEGIN_PHASES, CHECK_PHASES and FINISH_PHASES, and protections that share a phase run in
 * the order of their names, so no order ever depends on where a protection was listed.
 * Dispatch and finish then iterate plain arrays, as cheap as a hand-ordered list.
 * See docs/architecture.md#protection-phases.
 */
import { BEGIN_PHASES, CHECK_PHASES, FINISH_PHASES, type Protection } from './protection.js';

/** The protections of an app, in the order each step runs. */
export interface ProtectionOrder {
  /** Every protection once: in the order of their checks, then of their finishes, then of their begins. */
  readonly all: readonly Protection[];
  /** Those with a `begin`, in the order it runs. */
  readonly begin: readonly Protection[];
  /** Those with a `check`, in the order it runs. */
  readonly check: readonly Protection[];
  /** Those with a `finish`, in the order it runs. */
  readonly finish: readonly Protection[];
}

type Step = 'begin' | 'check' | 'finish';

const PHASES: Readonly<Record<Step, readonly string[]>> = { begin: BEGIN_PHASES, check: CHECK_PHASES, finish: FINISH_PHASES };

/**
 * Orders `protections` by their phases. Throws an Error that names the protection and the
 * fix when a declaration cannot be followed: a step with no phase, a phase that is not one
 * of its step's, two protections with one name.
 */
export function orderProtections(protections: readonly Protection[]): ProtectionOrder {
  const names = new Set<string>();
  for (const p of protections) {
    if (names.has(p.name))
      throw new Error(`Two protections are named "${p.name}": each needs a name of its own (route options and palisade routes know a protection by it).`);
    names.add(p.name);
  }
  const begin = inPhaseOrder(protections, 'begin');
  const check = inPhaseOrder(protections, 'check');
  const finish = inPhaseOrder(protections, 'finish');
  return { all: [...new Set([...check, ...finish, ...begin])], begin, check, finish };
}

/** The protections that have `step`, phase by phase, by name within a phase. */
function inPhaseOrder(protections: readonly Protection[], step: Step): Protection[] {
  const phases = PHASES[step];
  const buckets: Protection[][] = phases.map(() => []);
  for (const p of protections) {
    const phase: string | undefined = p.phases[step];
    if (p[step] === undefined) {
      if (phase !== undefined && !phases.includes(phase)) throw unknownPhase(p, step, phase);
      continue;
    }
    if (phase === undefined) {
      throw new Error(`The protection "${p.name}" has a ${step} step but no phase for it: give it phases: { ${step}: '…' }, one of ${phases.join(', ')}.`);
    }
    const i = phases.indexOf(phase);
    if (i === -1) throw unknownPhase(p, step, phase);
    buckets[i]!.push(p);
  }
  return buckets.flatMap((b) => b.sort((a, b2) => (a.name < b2.name ? -1 : 1)));
}

function unknownPhase(p: Protection, step: Step, phase: string): Error {
  return new Error(
    `The protection "${p.name}" runs its ${step} in the phase "${phase}", which is not a ${step} phase; the ${step} phases are, in order: ${PHASES[step].join(', ')}.`,
  );
}

/** One phase and the protections that run in it, in order. */
export interface PhaseRow {
  readonly phase: string;
  readonly protections: readonly string[];
}

/**
 * The phases of each step with the protections in each, leaving out empty phases: what
 * `palisade routes` prints and docs/architecture.md shows.
 */
export function describePhases(protections: readonly Protection[]): Readonly<Record<Step, readonly PhaseRow[]>> {
  const order = orderProtections(protections);
  const rows = (step: Step): PhaseRow[] =>
    PHASES[step]
      .map((phase) => ({ phase, protections: order[step].filter((p) => p.phases[step] === phase).map((p) => p.name) }))
      .filter((row) => row.protections.length > 0);
  return { begin: rows('begin'), check: rows('check'), finish: rows('finish') };
}
