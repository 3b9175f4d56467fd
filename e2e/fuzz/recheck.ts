/**
 * Judging given cases and values, apart from a run: to re-judge a failure alone before it
 * counts, to try the shrinker's candidates in one batch, and to judge the rows of found.ts.
 */
import { TemplateError } from '../../src/errors.js';
import type { FuzzCase } from './cases.js';
import type { Judge, JudgeDoc } from './judge.js';
import { type RenderOptions, compileCase, emptyRender } from './render.js';
import { type FailureKind, type Finding, fidelity, safety } from './verdict.js';
import { REF } from './slot.js';

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
  // For each case judged: its index, and where its documents are in `docs`.
  const owners: { i: number; ref: number; got: number; letters: number | null; asEmpty: boolean }[] = [];
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
    let letters: string | null;
    try {
      ref = render(x.c.ref);
      got = render(x.value);
      letters = x.c.ref === REF ? null : render(REF);
    } catch (e) {
      out[i] = [{ kind: 'render-crash', detail: String(e) }];
      return;
    }
    const at = docs.length;
    docs.push({ key: `s${i}:0`, html: ref, read: x.c.read, v: x.c.ref }, { key: `s${i}:1`, html: got, read: x.c.read, v: x.value });
    if (letters !== null) docs.push({ key: `s${i}:2`, html: letters, read: x.c.read, v: REF });
    owners.push({ i, ref: at, got: at + 1, letters: letters === null ? null : at + 2, asEmpty: got === emptyRender(render) });
  });
  if (docs.length === 0) return out;
  let seen;
  try {
    seen = (await judge.judge(docs)).observations;
  } catch (e) {
    for (const { i } of owners) out[i] = [{ kind: 'judge-crash', detail: String(e) }];
    return out;
  }
  for (const w of owners) {
    const ref = seen[w.ref]!;
    const o = seen[w.got]!;
    if (ref.canary.length > 0 || ref.dialogs.length > 0) continue; // the case attacks itself
    const x = cands[w.i]!;
    let findings = w.asEmpty ? [] : safety(ref, o);
    // A slot's own reference (`9` for a refresh delay) may be no valid value where the case
    // also writes it (`.{{ v }} {` makes `.9`, no selector): a finding counts only when the
    // plain letters of REF, which every context takes as they are, do not give it as well.
    const letters = w.letters === null ? undefined : seen[w.letters];
    if (letters !== undefined && letters.canary.length === 0 && findings.length > 0) {
      const again = safety(letters, o);
      findings = findings.filter((f) => again.some((g) => g.kind === f.kind));
    }
    if (benign) {
      const f = fidelity(x.c.read, x.c.transform, x.value, ref, o);
      if (f !== null) findings.push(f);
    }
    out[w.i] = findings;
  }
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
