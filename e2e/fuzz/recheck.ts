/**
 * Judging given cases and values, apart from a run: to re-judge a failure alone before it
 * counts, to try the shrinker's candidates in one batch, and to judge the rows of found.ts.
 */
import { TemplateError } from '../../src/errors.js';
import type { FuzzCase } from './cases.js';
import type { Judge, JudgeDoc } from './judge.js';
import { type RenderOptions, compileCase, emptyRender } from './render.js';
import { type FailureKind, type Finding, fidelity, safety } from './verdict.js';

export interface Candidate {
  readonly c: FuzzCase;
  readonly value: string;
}

/**
 * Every finding for each case and value (safety, and fidelity for benign values), judged
 * in one batch against each case's reference render; null for a case Palisade refuses to
 * compile. Compile and render exceptions other than refusals are findings too.
 */
export async function judgeCases(judge: Judge, cands: readonly Candidate[], benign: boolean, opts: RenderOptions): Promise<(Finding[] | null)[]> {
  const out: (Finding[] | null)[] = cands.map(() => null);
  const docs: JudgeDoc[] = [];
  const owners: number[] = [];
  const asEmpty: boolean[] = cands.map(() => false);
  cands.forEach((x, i) => {
    let render: (v: string) => string;
    try {
      render = compileCase(x.c, opts);
    } catch (e) {
      if (!(e instanceof TemplateError)) out[i] = [{ kind: 'compile-crash', detail: String(e) }];
      return;
    }
    let ref: string;
    let got: string;
    try {
      ref = render(x.c.ref);
      got = render(x.value);
    } catch (e) {
      out[i] = [{ kind: 'render-crash', detail: String(e) }];
      return;
    }
    docs.push({ key: `s${i}:0`, html: ref, read: x.c.read, v: x.c.ref }, { key: `s${i}:1`, html: got, read: x.c.read, v: x.value });
    owners.push(i);
    asEmpty[i] = got === emptyRender(render);
  });
  if (docs.length === 0) return out;
  let seen;
  try {
    seen = (await judge.judge(docs)).observations;
  } catch (e) {
    for (const i of owners) out[i] = [{ kind: 'judge-crash', detail: String(e) }];
    return out;
  }
  owners.forEach((i, k) => {
    const ref = seen[2 * k]!;
    const o = seen[2 * k + 1]!;
    if (ref.canary.length > 0 || ref.dialogs.length > 0) return; // the case attacks itself
    const x = cands[i]!;
    const findings = asEmpty[i] ? [] : safety(ref, o);
    if (benign) {
      const f = fidelity(x.c.read, x.c.transform, x.value, ref, o);
      if (f !== null) findings.push(f);
    }
    out[i] = findings;
  });
  return out;
}

/** The finding of `kind` for each candidate, or null. */
export async function check(judge: Judge, cands: readonly Candidate[], kind: FailureKind, benign: boolean, opts: RenderOptions): Promise<(Finding | null)[]> {
  return (await judgeCases(judge, cands, benign, opts)).map((fs) => fs?.find((f) => f.kind === kind) ?? null);
}

/** Judges a case and value again, alone: the finding of `kind`, or null when it does not recur. */
export async function recheck(judge: Judge, c: FuzzCase, value: string, benign: boolean, kind: FailureKind, opts: RenderOptions): Promise<Finding | null> {
  return (await check(judge, [{ c, value }], kind, benign, opts))[0] ?? null;
}
