/**
 * The context analysis over static text with holes between it, independent of any
 * template syntax. The template escaper (escaper.ts) calls `scanText` and `holePlan` while
 * it walks a template; the `html` tagged template calls `analyze` on its static strings.
 * The analysis is in three files, re-exported here:
 *
 * - scan-text.ts: `scanText(ctx, text)` runs the transitions over one run of static text
 *   and returns the context after it, plus the places where the compiler inserts text.
 * - inserts.ts: those inserts (the closing quote of an attribute value Palisade quoted, the
 *   CSP nonce, the CSRF field) and how they are written into static text.
 * - hole-plan.ts: `holePlan(ctx, next)` says what to do with a value in context `ctx`:
 *   which escapers to run, in order, what static prefix to write before it, and the
 *   context after it — or that the value is dropped, is an attribute name, or an error.
 */
import { type Context, TEXT, formatContext } from './context.js';
import { type Piece, applyInserts } from './inserts.js';
import { scanText } from './scan-text.js';
import { type HolePlan, holePlan } from './hole-plan.js';

export { type AttrStep, type Insert, type Piece, applyInserts } from './inserts.js';
export { type ScanResult, scanText } from './scan-text.js';
export { type HolePlan, closeQuoted, holePlan } from './hole-plan.js';
export { ESCAPER_NAMES, type EscaperName } from './escaper-table.js';

/**
 * True when a template or an `html` call site may end in `c`: in HTML text outside SVG and
 * MathML (what follows is then read as HTML), or inside a `<plaintext>`, which nothing ends
 * (§13.2.5.5), so a document that opens one ends in it.
 */
export function endsDocument(c: Context): boolean {
  return c.state === 'HTML_TEXT' && ((c.element === 'none' && c.stack === '') || c.element === 'plaintext');
}

export interface Analysis {
  /** The static parts with inserts applied, one list per part. */
  readonly parts: Piece[][];
  /** What to do at each hole (holes.length === parts.length - 1). */
  readonly holes: HolePlan[];
  /** The context at the end. */
  readonly end: Context;
}

/** Where an analysis error was found: part index and offset in it (or the hole index). */
export class AnalysisError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly part: number,
    readonly offset: number,
    readonly ctx: Context,
  ) {
    super(`${reason} (context ${formatContext(ctx)})`);
  }
}

/**
 * Analyzes static parts with a hole between each two, as the `html` tag needs:
 * `analyze(['<a href="', '">', '</a>'])`. Throws AnalysisError; `offset` is -1 when the
 * error is at the hole after `part`. Holes in attribute-name position come back as
 * `kind: 'name'`; the caller decides whether to allow them (with a checked name).
 */
export function analyze(parts: readonly string[], start: Context = TEXT): Analysis {
  let c = start;
  const out: Piece[][] = [];
  const holes: HolePlan[] = [];
  for (let p = 0; p < parts.length; p++) {
    const r = scanText(c, parts[p]!);
    if (r.errorAt !== -1) throw new AnalysisError(r.ctx.err!.code, r.ctx.err!.reason, p, r.errorAt, r.ctx);
    out.push(applyInserts(parts[p]!, r.inserts));
    c = r.ctx;
    if (p < parts.length - 1) {
      const plan = holePlan(c, parts[p + 1]);
      if (plan.kind === 'error') throw new AnalysisError(plan.code, plan.reason, p, -1, c);
      holes.push(plan);
      c = plan.after;
    }
  }
  return { parts: out, holes, end: c };
}
