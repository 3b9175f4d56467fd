/**
 * One fuzz case: a template (or an html call) from the grammar, regenerated exactly from
 * its own seed, and the values it is rendered with: the reference, attacks, benign text.
 */
import { Rng } from './rng.js';
import { type IdAttr, type Pool, REF, type Reader, type Slot } from './slot.js';
import { slot } from './slots.js';
import { type Sources, construct } from './constructs.js';
import { BENIGN_CSS, attackValue, benignText, benignURL } from './values.js';

export type Engine = 'template' | 'html';

export interface FuzzCase extends Sources {
  readonly seed: number;
  /** The family of the slot that is read back, and of the others. */
  readonly family: string;
  readonly extras: readonly string[];
  readonly read: Reader | null;
  readonly pool: Pool;
  readonly cssProp?: string;
  readonly ref: string;
  readonly hints: readonly string[];
}

/** Slots written alongside the carrier must take the reference value as it is. */
function extraSlot(rng: Rng): Slot {
  for (;;) {
    const s = slot(rng, '' as IdAttr);
    if (s.ref === REF) return s;
  }
}

/** The case for `seed`; `engines` limits which engine renders it. */
export function generateCase(seed: number, engines: readonly Engine[] = ['template', 'html']): FuzzCase {
  const rng = new Rng(seed);
  const carrier = slot(rng, ' id="t"');
  const extras = Array.from(
    {
      length: rng.weighted([
        [6, 0],
        [3, 1],
        [1, 2],
      ] as const),
    },
    () => extraSlot(rng),
  );
  const engine: Engine = engines.length === 1 ? engines[0]! : rng.chance(0.25) ? 'html' : 'template';
  const src = construct(rng, carrier, extras, engine);
  return {
    ...src,
    seed,
    family: carrier.family,
    extras: extras.map((e) => e.family),
    read: carrier.read,
    pool: carrier.pool,
    ...(carrier.cssProp === undefined ? {} : { cssProp: carrier.cssProp }),
    ref: carrier.ref,
    hints: [...carrier.hints, ...extras.flatMap((e) => e.hints)],
  };
}

export interface CaseValue {
  readonly v: string;
  readonly benign: boolean;
  /** The number an attack's code calls the canary with (0 for benign values). */
  readonly token: number;
}

/**
 * A value as a page would carry it: a lone surrogate (a mutation can split a pair) becomes
 * U+FFFD, as encoding the response in UTF-8 does; the judge writes documents without that step.
 */
const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** The values a case is judged with (besides its reference): attacks and benign text that fits. */
export function caseValues(c: FuzzCase, rng: Rng, nextToken: () => number, attacks = 2, benign = 1): CaseValue[] {
  const out: CaseValue[] = [];
  for (let k = 0; k < attacks; k++) {
    const token = nextToken();
    out.push({ v: wellFormed(attackValue(rng, token, c.hints)), benign: false, token });
  }
  for (let k = 0; k < benign; k++) {
    const v = c.pool === 'url' ? benignURL(rng) : c.pool === 'css' ? rng.pick(BENIGN_CSS[c.cssProp!]!) : benignText(rng);
    out.push({ v: wellFormed(v), benign: true, token: 0 });
  }
  return out;
}

/** A case written by hand (a row of found.ts): a template or an html recipe, and how to read it. */
export interface FixedCase {
  readonly template?: string;
  readonly html?: Sources['html'];
  readonly files?: Readonly<Record<string, string>>;
  readonly read?: Reader | null;
  readonly transform?: Sources['transform'];
  readonly ref?: string;
}

export function fixedCase(x: FixedCase): FuzzCase {
  return {
    engine: x.html === undefined ? 'template' : 'html',
    main: x.template ?? '',
    files: x.files ?? {},
    ...(x.html === undefined ? {} : { html: x.html }),
    transform: x.transform ?? null,
    construct: 'fixed',
    expr: 'v',
    seed: 0,
    family: 'fixed',
    extras: [],
    read: x.read ?? null,
    pool: 'text',
    ref: x.ref ?? REF,
    hints: [],
  };
}
