/**
 * The verdict on one rendered value, against the same template rendered with the
 * reference value: unsafe if injected code ran (the canary, the trap, a dialog), the
 * frame navigated, an element, attribute or CSS declaration appeared, a URL that runs
 * script or loads a document (javascript:, vbscript:, data:) appeared, or a script error
 * appeared; and for benign values, wrong if the value does not read back exactly where
 * the context can hold it.
 */
import type { Observation } from './judge.js';
import { REF, type Reader } from './slot.js';
import type { Transform } from './constructs.js';

export type FailureKind = 'script' | 'navigation' | 'element' | 'css' | 'url' | 'script-error' | 'fidelity' | 'compile-crash' | 'render-crash' | 'judge-crash';

/** Safety failures, as opposed to fidelity (a benign value that does not read back). */
export const UNSAFE: ReadonlySet<FailureKind> = new Set(['script', 'navigation', 'element', 'css', 'url', 'script-error']);

export interface Finding {
  readonly kind: FailureKind;
  /** What the judge saw, in a line. */
  readonly detail: string;
}

const OWN_RANGE = /Range out of order in character class/;

/** Entries of `b` that `a` does not have (as multisets). */
function extra(a: readonly string[], b: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** Findings for a value rendered where the reference rendered `ref`. */
export function safety(ref: Observation, o: Observation): Finding[] {
  const out: Finding[] = [];
  if (o.canary.length > 0 || o.dialogs.length > 0)
    out.push({ kind: 'script', detail: `ran: ${[...o.canary.map((c) => `canary ${c}`), ...o.dialogs].join(', ')}` });
  if (o.navigated && !ref.navigated && !ref.mayNavigate) out.push({ kind: 'navigation', detail: 'the frame navigated' });
  const el = extra(ref.shape, o.shape);
  if (el.length > 0) out.push({ kind: 'element', detail: `new element or attribute: ${el.slice(0, 3).join(' ')}` });
  const css = extra(ref.decls, o.decls);
  if (css.length > 0) out.push({ kind: 'css', detail: `new CSS declaration: ${css.slice(0, 3).join(' ')}` });
  const bad = extra(ref.bad, o.bad);
  if (bad.length > 0) out.push({ kind: 'url', detail: `URL that runs script or loads a document: ${bad.slice(0, 3).join(' ')}` });
  // A range in a regular-expression class that a value's character ends or starts
  // (`[{{ v }}-z]`) is out of order for some values, escaped or not: the `-` is the
  // template's, and no escaping of the value changes which characters the range joins.
  const errors = o.errors.filter((e) => !OWN_RANGE.test(e));
  if (errors.length > ref.errors.length)
    out.push({ kind: 'script-error', detail: `script error the reference has not: ${extra(ref.errors, errors)[0] ?? errors[0]}` });
  return out;
}

export function applyTransform(t: Transform, s: string): string {
  return t === 'upper' ? s.toUpperCase() : t === 'lower' ? s.toLowerCase() : s;
}

const jsonInner = (s: string): string => JSON.stringify(s).slice(1, -1);

function decode(u: string): string {
  try {
    return decodeURIComponent(u);
  } catch {
    return `undecodable: ${u}`;
  }
}

/**
 * What was read from the reference render, with the value in place of the reference: the
 * transformed reference `R` becomes the transformed value, and the plain reference (a hole
 * of the case that writes the value without the slot's filter) the plain value.
 */
function withValue(text: string, R: string, tv: string, v: string): string {
  const t = text.split(R).join(tv);
  return R === REF ? t : t.split(REF).join(v);
}

/** Whether the context can hold `v` exactly (a limit of HTML, not of the escaper). */
function representable(read: Reader, v: string): boolean {
  if (/[\0\ud800-\udfff]/.test(v.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return false;
  switch (read.kind) {
    case 'raw':
      return !/[<&\r]/.test(v); // raw text decodes nothing, and CR becomes LF
    case 'srcdoc':
      return !/^[\t\n\f\r ]/.test(v); // the inner document drops leading white space
    case 'srcset':
      return !/[\s,]/.test(v) && v !== '';
    default:
      return true;
  }
}

/**
 * For a benign value: the finding when it does not read back as the reference read does
 * with the reference replaced by the value; null when it does, or when nothing can be
 * compared (no reader, the reference not found in what was read, a value the context
 * cannot hold).
 */
export function fidelity(read: Reader | null, t: Transform | null, v: string, ref: Observation, o: Observation): Finding | null {
  if (read === null || t === null || ref.read === null || !representable(read, v)) return null;
  const R = applyTransform(t, REF);
  const tv = applyTransform(t, v);
  const got = o.read;
  let want: string;
  let shown = got;
  switch (read.kind) {
    case 'js':
    case 'json':
      if (!ref.read.includes(R) || ref.read.startsWith('invalid JSON')) return null;
      want = ref.read.split(R).join(jsonInner(tv));
      break;
    case 'regexp': {
      const r = JSON.parse(ref.read) as { source: string };
      if (!r.source.includes(R) || got === null) return null;
      // The text the reference expression matches, with the value in place of the
      // reference. Only a reference whose static parts are literal (but for one enclosing
      // non-capturing group) says what that text is: a construct that moves grammar around
      // the value (a loop repeating `?:`, a shrunk `(`) makes regular-expression syntax of
      // them, and such a case is not compared.
      const body = r.source.replace(/^\(\?:([\s\S]*)\)$/, '$1');
      if (!/^[\w ]*$/.test(body.split(R).join(''))) return null;
      const input = body.split(R).join(tv);
      const g = JSON.parse(got) as { source: string; flags: string };
      let m: string | undefined;
      try {
        m = new RegExp(g.source, g.flags.replace(/[gy]/g, '')).exec(input)?.[0];
      } catch (e) {
        m = `invalid: ${String(e)}`;
      }
      if (m === input) return null;
      return {
        kind: 'fidelity',
        detail: `the regular expression /${g.source}/${g.flags} does not match ${JSON.stringify(input)} as itself (got ${JSON.stringify(m)})`,
      };
    }
    case 'url':
    case 'srcset': {
      // The reference itself is no URL here (a base the page's own value made invalid).
      if (ref.read.startsWith('invalid')) return null;
      const r = JSON.parse(ref.read) as { raw: string; base: string };
      // A value that is also in the document's <base> moves the base too: not compared.
      if (!r.raw.includes(R) || r.base.includes(R) || got === null || got.startsWith('invalid')) return null;
      // Two values in one URL: the second follows text no one knows at compile time (the
      // first may end in a query), and is written as a component, `/` encoded; the URL
      // cannot be compared as if each value stood alone.
      if (r.raw.indexOf(R) !== r.raw.lastIndexOf(R)) return null;
      const g = JSON.parse(got) as { u: string };
      // The slot says where it puts the value, but a construct may write text before it (a
      // layout's block with default content, then the page's value after super()): a value
      // after static text is a component of the URL wherever the slot meant it to be, and
      // the escaper rightly encodes a `:` that would make that text a scheme.
      const lead = r.raw.slice(0, r.raw.indexOf(R)).replace(/^[\t\n\f\r ]+/, '');
      const part = read.kind === 'url' && (read.part || lead !== '');
      try {
        want = part ? decode(new URL(r.raw.split(R).join(encodeURIComponent(tv)), r.base).href) : new URL(r.raw.split(R).join(tv), r.base).href;
      } catch {
        return null; // not a URL once the value is in (a host that cannot hold it)
      }
      shown = part ? decode(g.u) : g.u;
      break;
    }
    case 'css-prop': {
      const r = JSON.parse(ref.read) as { got?: string; want?: string };
      if (r.got !== r.want) return null; // the reference value itself does not apply here
      if (got === null) return { kind: 'fidelity', detail: 'nothing to read back' };
      const g = JSON.parse(got) as { skip?: boolean; got?: string; want?: string };
      if (g.skip === true || g.got === g.want) return null;
      return { kind: 'fidelity', detail: `computed ${read.prop} is ${JSON.stringify(g.got)}, the value alone gives ${JSON.stringify(g.want)}` };
    }
    case 'raw': {
      const i = ref.read.indexOf(R);
      if (i < 0) return null;
      // <plaintext> runs to the end of the document, so its text holds the markup of any
      // later hole as written for that hole's own context (a srcset, an attribute): only
      // the text up to the end of the first value, the slot's own, says what to expect.
      // A later hole may also write the value without the slot's transform.
      if (ref.read.indexOf(R, i + R.length) >= 0 || (R !== REF && ref.read.indexOf(REF, i + R.length) >= 0)) {
        want = ref.read.slice(0, i) + tv;
        shown = got?.slice(0, want.length) ?? null;
      } else want = withValue(ref.read, R, tv, v);
      break;
    }
    default:
      if (!ref.read.includes(R)) return null;
      want = withValue(ref.read, R, tv, v);
  }
  if (shown === want) return null;
  return { kind: 'fidelity', detail: `read back ${JSON.stringify(shown)}, expected ${JSON.stringify(want)}` };
}
