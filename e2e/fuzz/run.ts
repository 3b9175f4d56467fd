/**
 * The escaper fuzzer's run: generates cases from a seed, compiles and renders them with
 * Palisade, judges batches of them in Chromium, shrinks each new kind of failure to a
 * small template and value, and reports what it tried and found.
 *
 *   const report = await runEscaperFuzz({ seed: 1, cases: 500 });
 *
 * `npm run fuzz -- escaper --minutes 10` (scripts/fuzz.ts) and the browser suite
 * (e2e/fuzz/escaper.test.ts) call it. See docs/security-model.md#how-it-is-tested.
 */
import { TemplateError } from '../../src/errors.js';
import { Rng } from './rng.js';
import { type CaseValue, type Engine, type FuzzCase, caseValues, generateCase } from './cases.js';
import { type RenderOptions, compileCase, emptyRender, holeContexts } from './render.js';
import { Judge, type JudgeDoc, type Observation } from './judge.js';
import { type FailureKind, type Finding, UNSAFE, fidelity, safety } from './verdict.js';
import { type Shrunk, shrink, tableRow } from './shrink.js';
import { recheck } from './recheck.js';

export interface EscaperFuzzOptions {
  readonly seed: number;
  /** Stop after this many templates. */
  readonly cases?: number;
  /** Stop after this many minutes (whichever comes first). */
  readonly minutes?: number;
  readonly log?: (line: string) => void;
  readonly render?: RenderOptions;
  readonly engines?: readonly Engine[];
  /** Templates per browser batch (each is loaded 4 times: reference, 2 attacks, 1 benign). */
  readonly batch?: number;
  /** Shrink failures (default true), each for at most `shrinkMs`, at most `maxShrinks` of them. */
  readonly shrink?: boolean;
  readonly shrinkMs?: number;
  readonly maxShrinks?: number;
  /** Stop once this many distinct failures are found. */
  readonly stopAfter?: number;
  /** Judge fidelity of benign values (default true). */
  readonly fidelity?: boolean;
  /** A judge to reuse; otherwise one is started and closed. */
  readonly judge?: Judge;
  /**
   * When given, a failure counts only if this says it is new (the controls re-judge it with
   * the real escaper, so that a hole the real escaper has cannot pass for the broken one's).
   */
  readonly isNew?: (c: FuzzCase, value: string, benign: boolean, kind: FailureKind) => Promise<boolean>;
}

/** A failure: the first case of its kind as found, shrunk, and how often its kind was seen. */
export interface Failure {
  readonly kind: FailureKind;
  readonly detail: string;
  readonly case: FuzzCase;
  readonly value: string;
  readonly benign: boolean;
  readonly shrunk: Shrunk | null;
  /** A row for e2e/fuzz/found.ts. */
  readonly row: string;
  count: number;
}

export interface EscaperFuzzReport {
  readonly seed: number;
  templates: number;
  /** Rendered documents judged (reference renders included). */
  renders: number;
  seconds: number;
  /** Templates refused at compile time, by error code. */
  readonly refused: Record<string, number>;
  /** Escaper contexts at the holes of compiled cases, with counts. */
  readonly contexts: Record<string, number>;
  /** Slot families and constructs of compiled cases, with counts. */
  readonly families: Record<string, number>;
  readonly constructs: Record<string, number>;
  /** Benign values whose read-back was compared. */
  fidelityChecks: number;
  /** Cases skipped because their reference render itself ran the canary. */
  dirtyReferences: number;
  /** Failures that did not recur when their case was judged alone. */
  flaky: number;
  /** Failures that `isNew` did not accept. */
  notNew: number;
  /** Where the time went (ms): generating, compiling and rendering; judging; shrinking. */
  readonly time: { render: number; judge: number; shrink: number };
  readonly failures: Failure[];
}

const bump = (r: Record<string, number>, k: string, n = 1): void => {
  r[k] = (r[k] ?? 0) + n;
};

interface Pending {
  readonly c: FuzzCase;
  readonly values: readonly CaseValue[];
  readonly docs: JudgeDoc[];
  /** The render with an empty value (emptyRender). */
  readonly empty: string | null;
}

/** Judges docs, splitting a batch that crashed the page until the document that did it is alone. */
async function judgeAll(judge: Judge, docs: JudgeDoc[], onCrash: (d: JudgeDoc, e: unknown) => void): Promise<Map<string, Observation>> {
  const out = new Map<string, Observation>();
  try {
    const r = await judge.judge(docs);
    docs.forEach((d, i) => out.set(d.key, r.observations[i]!));
    // Real dialogs (outside the instruments) and reports that came late name their value by token.
    for (const msg of [...r.dialogs, ...r.late.flatMap(([, rec]) => [...rec.canary, ...rec.dialogs])]) {
      const token = /(\d+)/.exec(msg)?.[1];
      const d = docs.find((x) => token !== undefined && x.key.endsWith(`#${token}`));
      if (d !== undefined) out.get(d.key)!.dialogs.push(msg);
    }
  } catch (e) {
    if (docs.length === 1) {
      onCrash(docs[0]!, e);
      return out;
    }
    const half = Math.ceil(docs.length / 2);
    for (const part of [docs.slice(0, half), docs.slice(half)]) for (const [k, o] of await judgeAll(judge, part, onCrash)) out.set(k, o);
  }
  return out;
}

export async function runEscaperFuzz(opts: EscaperFuzzOptions): Promise<EscaperFuzzReport> {
  const log = opts.log ?? (() => {});
  const rng = new Rng(opts.seed);
  const vrng = new Rng(opts.seed ^ 0x9e3779b9);
  const judge = opts.judge ?? (await Judge.start());
  const started = Date.now();
  const deadline = opts.minutes === undefined ? Infinity : started + opts.minutes * 60_000;
  const maxCases = opts.cases ?? Infinity;
  const batch = opts.batch ?? 40;
  const report: EscaperFuzzReport = {
    seed: opts.seed,
    templates: 0,
    renders: 0,
    seconds: 0,
    refused: {},
    contexts: {},
    families: {},
    constructs: {},
    fidelityChecks: 0,
    dirtyReferences: 0,
    flaky: 0,
    notNew: 0,
    failures: [],
    time: { render: 0, judge: 0, shrink: 0 },
  };
  const byKey = new Map<string, Failure>();
  const bySignature = new Map<string, Failure>();
  let shrinks = 0;
  let token = 1;

  const fail = async (kind: FailureKind, detail: string, c: FuzzCase, value: string, benign: boolean): Promise<void> => {
    if (opts.stopAfter !== undefined && report.failures.length >= opts.stopAfter) return;
    const key = `${kind}|${c.family.replace(/-(dq|sq|unq)\b/g, '')}|${c.construct}`;
    const known = byKey.get(key);
    if (known !== undefined) {
      known.count++;
      return;
    }
    // A failure must recur when its case is judged alone (a late event of another case does not).
    if (
      kind !== 'compile-crash' &&
      kind !== 'render-crash' &&
      kind !== 'judge-crash' &&
      (await recheck(judge, c, value, benign, kind, opts.render ?? {})) === null
    ) {
      report.flaky++;
      return;
    }
    if (opts.isNew !== undefined && !(await opts.isNew(c, value, benign, kind))) {
      report.notNew++;
      return;
    }
    const canShrink = opts.shrink !== false && shrinks < (opts.maxShrinks ?? 40);
    if (canShrink) shrinks++;
    const t0 = Date.now();
    const shrunk = canShrink ? await shrink(judge, c, value, benign, kind, opts.render ?? {}, opts.shrinkMs) : null;
    report.time.shrink += Date.now() - t0;
    const f: Failure = { kind, detail, case: c, value, benign, shrunk, row: tableRow(kind, shrunk ?? { case: c, value, detail }), count: 1 };
    byKey.set(key, f);
    // Shrunk cases that came out the same (but for the value) are one failure.
    const sig =
      shrunk === null
        ? null
        : `${kind}|${shrunk.case.engine === 'html' ? JSON.stringify(shrunk.case.html) : shrunk.case.main}|${JSON.stringify(shrunk.case.files)}`;
    const same = sig === null ? undefined : bySignature.get(sig);
    if (same !== undefined) {
      same.count++;
      byKey.set(key, same);
      return;
    }
    if (sig !== null) bySignature.set(sig, f);
    report.failures.push(f);
    log(
      `FAILURE ${kind} (${UNSAFE.has(kind) ? 'unsafe' : 'wrong'}) in ${c.family} via ${c.construct}, case seed ${c.seed}: ${shrunk?.detail ?? detail}\n  ${f.row}`,
    );
  };

  try {
    while (report.templates < maxCases && Date.now() < deadline && (opts.stopAfter === undefined || report.failures.length < opts.stopAfter)) {
      const t0 = Date.now();
      const pending: Pending[] = [];
      const crashes: { c: FuzzCase; v: string; benign: boolean; kind: FailureKind; detail: string }[] = [];
      for (let k = 0; k < batch && report.templates < maxCases; k++) {
        const c = generateCase(rng.seed(), opts.engines);
        report.templates++;
        let render: (v: string) => string;
        try {
          render = compileCase(c, opts.render);
        } catch (e) {
          if (e instanceof TemplateError) bump(report.refused, e.code);
          else crashes.push({ c, v: c.ref, benign: true, kind: 'compile-crash', detail: String(e) });
          continue;
        }
        bump(report.families, c.family.replace(/-(dq|sq|unq)\b.*$/, ''));
        bump(report.constructs, c.construct);
        for (const ctx of holeContexts(c)) bump(report.contexts, ctx);
        const values = [{ v: c.ref, benign: true, token: 0 }, ...caseValues(c, vrng, () => token++)];
        const docs: JudgeDoc[] = [];
        for (const [i, x] of values.entries()) {
          try {
            docs.push({ key: `${c.seed}:${i}#${x.token}`, html: render(x.v), read: c.read, v: x.v });
          } catch (e) {
            crashes.push({ c, v: x.v, benign: x.benign, kind: 'render-crash', detail: String(e) });
            break;
          }
        }
        if (docs.length === values.length) pending.push({ c, values, docs, empty: emptyRender(render) });
      }
      report.time.render += Date.now() - t0;
      for (const x of crashes) await fail(x.kind, x.detail, x.c, x.v, x.benign);
      const docs = pending.flatMap((p) => p.docs);
      const crashed: { d: JudgeDoc; e: unknown }[] = [];
      const t1 = Date.now();
      const seen = await judgeAll(judge, docs, (d, e) => crashed.push({ d, e }));
      report.time.judge += Date.now() - t1;
      report.renders += docs.length;
      for (const p of pending) {
        const ref = seen.get(p.docs[0]!.key);
        if (ref === undefined) continue;
        if (ref.canary.length > 0 || ref.dialogs.length > 0) {
          report.dirtyReferences++;
          continue;
        }
        for (let i = 1; i < p.docs.length; i++) {
          const o = seen.get(p.docs[i]!.key);
          const x = p.values[i]!;
          if (o === undefined) continue;
          const findings: Finding[] = p.docs[i]!.html === p.empty ? [] : safety(ref, o);
          if (x.benign && opts.fidelity !== false && p.c.read !== null && p.c.pool !== 'none') {
            report.fidelityChecks++;
            const f = fidelity(p.c.read, p.c.transform, x.v, ref, o);
            if (f !== null) findings.push(f);
          }
          if (findings.length > 0) await fail(findings[0]!.kind, findings.map((f) => f.detail).join('; '), p.c, x.v, x.benign);
        }
      }
      for (const { d, e } of crashed) {
        const p = pending.find((q) => q.docs.includes(d))!;
        await fail('judge-crash', String(e), p.c, p.values[p.docs.indexOf(d)]!.v, false);
      }
      report.seconds = (Date.now() - started) / 1000;
      if (report.templates % (batch * 10) < batch) {
        log(
          `${report.templates} templates, ${report.renders} renders judged, ${(report.renders / report.seconds).toFixed(1)} renders/s, ${report.failures.length} failures`,
        );
      }
    }
  } finally {
    if (opts.judge === undefined) await judge.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** The report as lines of text. */
export function summary(r: EscaperFuzzReport): string {
  const top = (o: Record<string, number>, n: number): string =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
  return [
    `seed ${r.seed}: ${r.templates} templates (${refused} refused at compile time), ${r.renders} renders judged in ${r.seconds.toFixed(0)} s: ` +
      `${(r.templates / r.seconds).toFixed(1)} templates/s, ${(r.renders / r.seconds).toFixed(1)} renders/s`,
    `refused: ${top(r.refused, 20)}`,
    `escaper contexts reached: ${Object.keys(r.contexts).length}; slot families: ${Object.keys(r.families).length}; constructs: ${Object.keys(r.constructs).length}`,
    `benign read-backs compared: ${r.fidelityChecks}; references that ran the canary themselves: ${r.dirtyReferences}; failures that did not recur alone: ${r.flaky}`,
    `time: rendering ${(r.time.render / 1000).toFixed(0)} s, judging ${(r.time.judge / 1000).toFixed(0)} s, shrinking ${(r.time.shrink / 1000).toFixed(0)} s`,
    `failures: ${r.failures.length} distinct (${r.failures.reduce((a, f) => a + f.count, 0)} in all)`,
    ...r.failures.map((f) => `  ${f.kind} ×${f.count}: ${f.row}`),
  ].join('\n');
}
