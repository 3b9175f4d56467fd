/**
 * The context analysis over static text with holes between it, independent of any
 * template syntax. The template escaper (escaper.ts) calls `scanText` and `holePlan` while
 * it walks a template; the `html` tagged template calls `analyze` on its static strings.
 *
 * - `scanText(ctx, text)` runs the transitions over one run of static text and returns the
 *   context after it, plus the places where the compiler inserts text: the closing quote
 *   of an attribute value it quoted, the CSP nonce before the `>` of `<script>`/`<style>`,
 *   the CSRF field after the `>` of a same-origin POST `<form>`. An `srcdoc` value and a
 *   `<noscript>` are regions with a document of their own (context.ts `inner`): their text
 *   is read with the transitions of the context inside them, the `srcdoc` value after its
 *   character references are decoded.
 * - `holePlan(ctx, next)` says what to do with a value in context `ctx` (followed by the
 *   static text `next`, when it is known): which escapers to run,
 *   in order (names from ESCAPER_NAMES; runtime.ts has the functions), what static prefix
 *   to write before it, and the context after it — or that the value is dropped, or that
 *   the position is an attribute name, or an error. In an `srcdoc` value, a value gets the
 *   escaping of its place in the inner document, then the attribute's.
 */
import { type Context, type ContextError, type Element, F, JOINED_BITS, TEXT, errorCtx, formatContext, withCtx } from './context.js';
import { TAG_STATES, TRANSITIONS, attrValueEnd, enterValue, leaveValue } from './transition.js';
import { isRawContentElement } from './attr.js';
import { decodeEntities, decodeEntitiesMapped } from '../escape/entities.js';
import { escapeHTML, escapeHTMLUnquoted } from '../escape/html.js';

/** An escaper that writes text into an attribute value; see attrStep. */
export type AttrStep = 'attr' | 'attrUnquoted';

/** Something the compiler writes into static text at an offset. */
export interface Insert {
  readonly at: number;
  /** `quote`: a `"`; `nonce`: ` nonce="…"` when the request has one; `csrf`: the hidden CSRF input. */
  readonly kind: 'quote' | 'nonce' | 'csrf';
  /** Inside `srcdoc` values: the escapers the text goes through, innermost value first. */
  readonly wrap: readonly AttrStep[];
}

export interface ScanResult {
  readonly ctx: Context;
  readonly inserts: Insert[];
  /** Offset in the text where the context became an error, or -1. */
  readonly errorAt: number;
}

/** Runs the transitions over s[i:end) (no inserts can happen inside this range). */
function scanRange(c: Context, s: string, i: number, end: number): Context {
  while (i < end && c.state !== 'ERROR') {
    const [next, j] = TRANSITIONS[c.state](c, s, i, end);
    if (j === i && next.state === c.state) throw new Error(`transition ${c.state} made no progress`);
    c = next;
    i = j;
  }
  return c;
}

/** Where the end tag of a raw-content element starts (`</script`, any case), or s.length. */
function endTagStart(s: string, i: number, element: string): number {
  if (element === 'plaintext') return s.length;
  const lower = s.toLowerCase();
  const needle = '</' + element;
  for (let k = lower.indexOf(needle, i); k !== -1; k = lower.indexOf(needle, k + 1)) {
    const after = s.charCodeAt(k + needle.length);
    // §13.2.5.11: the end tag name must be followed by whitespace, `/` or `>`.
    if (Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 12 || after === 13 || after === 47 || after === 62) {
      return k;
    }
  }
  return s.length;
}

// The start of a character reference at the end of a text (§13.2.5.72–80): `&`, `&#`,
// `&#x1F`, `&amp`. What may continue one: an ASCII letter or digit, `#`, `;`.
const OPEN_REF_AT_END = /&(?:#[xX]?[0-9a-fA-F]*|[A-Za-z][A-Za-z0-9]*)?$/;
const continuesRef = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 35 || c === 59;

// The start of a tag at the end of raw text (§13.2.5.12–14): `<`, `</`, `</xm`. What may
// continue one: `/`, an ASCII letter, and what ends a tag name (whitespace, `>`).
const OPEN_TAG_AT_END = /<\/?[A-Za-z]*$/;
const continuesTag = (c: number): boolean => c === 47 || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 62 || c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** True when character references are decoded where `c` is: text, RCDATA, attribute and srcdoc values. */
function decodesRefs(c: Context): boolean {
  if (c.delim !== 'none') return true;
  return c.state === 'HTML_TEXT' && c.inner === null && (c.element === 'none' || c.element === 'title' || c.element === 'textarea');
}

/**
 * Runs static text `s` from context `c`. A reference left open at the end of `s` is marked
 * (F.OPEN_REF), and text that would continue one left open before it is refused.
 */
export function scanText(c: Context, s: string): ScanResult {
  if ((c.flags & (F.OPEN_REF | F.OPEN_TAG)) !== 0 && s.length > 0) {
    const ch = s.charCodeAt(0);
    if ((c.flags & F.OPEN_REF) !== 0 && continuesRef(ch)) {
      const err = errorCtx(c, 'TEMPLATE_PARTIAL_NAME', 'a character reference (&…) is cut off by a template tag or value, and this text would continue it; write the reference whole, as &amp; for a lone &');
      return { ctx: err, inserts: [], errorAt: 0 };
    }
    if ((c.flags & F.OPEN_TAG) !== 0 && continuesTag(ch)) {
      const err = errorCtx(c, 'TEMPLATE_PARTIAL_NAME', 'a tag in raw text (<, </…) is cut off by a template tag or value, and this text would continue it; write the tag whole');
      return { ctx: err, inserts: [], errorAt: 0 };
    }
    c = withCtx(c, { flags: c.flags & ~(F.OPEN_REF | F.OPEN_TAG) });
  }
  const r = scanRun(c, s);
  if (r.errorAt !== -1) return r;
  if (decodesRefs(r.ctx) && OPEN_REF_AT_END.test(s)) return { ...r, ctx: withCtx(r.ctx, { flags: r.ctx.flags | F.OPEN_REF }) };
  if (TEXT_ESCAPERS[r.ctx.element] === 'rawtext' && r.ctx.state === 'HTML_TEXT' && r.ctx.inner === null && OPEN_TAG_AT_END.test(s)) {
    return { ...r, ctx: withCtx(r.ctx, { flags: r.ctx.flags | F.OPEN_TAG }) };
  }
  return r;
}

/** scanText without the check of references at its ends. */
function scanRun(c: Context, s: string): ScanResult {
  const inserts: Insert[] = [];
  let i = 0;
  while (i < s.length) {
    if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
    if (c.inner !== null) {
      const r = c.state === 'ATTR_SRCDOC' ? scanSrcdoc(c, s, i, inserts) : scanNoscript(c, s, i, inserts);
      if (r.errorAt !== -1 || r.at >= s.length) return { ctx: r.ctx, inserts, errorAt: r.errorAt };
      c = r.ctx;
      i = r.at;
      continue;
    }
    if ((c.flags & F.AT_LEADING_NEWLINE) !== 0) c = withCtx(c, { flags: c.flags & ~F.AT_LEADING_NEWLINE });
    if (c.delim !== 'none') {
      // Inside an attribute value: the browser decodes character references before the
      // value's own language (JS, CSS, URL) reads it, so the transitions see decoded text.
      const end = attrValueEnd(c.delim, s, i);
      const quote = unquotedQuote(c, s, i, end);
      if (quote !== null) return { ctx: quote.ctx, inserts, errorAt: quote.at };
      const decoded = decodeEntities(s.slice(i, end));
      c = scanRange(c, decoded, 0, decoded.length);
      if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
      if (end >= s.length) return { ctx: c, inserts, errorAt: -1 };
      if (c.delim === 'unqq') inserts.push({ at: end, kind: 'quote', wrap: [] });
      const quoted = c.delim === 'dq' || c.delim === 'sq';
      c = leaveValue(c);
      i = quoted ? end + 1 : end;
      continue;
    }
    if (isRawContentElement(c.element) && !TAG_STATES.has(c.state)) {
      const end = endTagStart(s, i, c.element);
      c = scanRange(c, s, i, end);
      if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
      if (end >= s.length) return { ctx: c, inserts, errorAt: -1 };
      i = end + 2 + c.element.length;
      c = withCtx(TEXT, { state: 'HTML_TAG', flags: F.END_TAG });
      continue;
    }
    const before = c;
    const [next, j] = TRANSITIONS[c.state](c, s, i, s.length);
    if (next.state === 'ERROR') return { ctx: next, inserts, errorAt: j };
    if (TAG_STATES.has(before.state) && !TAG_STATES.has(next.state) && next.delim === 'none' && (before.flags & F.END_TAG) === 0) {
      // The `>` of a start tag was just read (at j - 1).
      if ((before.element === 'script' || before.element === 'style') && (before.flags & F.NONCE_SEEN) === 0) {
        inserts.push({ at: j - 1, kind: 'nonce', wrap: [] });
      }
      if (before.element === 'form' && (before.flags & F.FORM_POST) !== 0 && (before.flags & F.FORM_ACTION_UNSAFE) === 0) {
        inserts.push({ at: j, kind: 'csrf', wrap: [] });
      }
    }
    c = next;
    i = j;
  }
  return { ctx: c, inserts, errorAt: -1 };
}

/** A `"` in an unquoted value Palisade quotes (it would end it): the error, or null. */
function unquotedQuote(c: Context, s: string, i: number, end: number): { ctx: Context; at: number } | null {
  if (c.delim !== 'unqq') return null;
  const k = s.indexOf('"', i);
  if (k === -1 || k >= end) return null;
  return { ctx: errorCtx(c, 'TEMPLATE_UNQUOTED_VALUE', 'an unquoted attribute value that starts with a value contains a \'"\'; quote the attribute value'), at: k };
}

interface RegionScan {
  readonly ctx: Context;
  /** Where the text after the region's part starts (s.length when the region goes on). */
  readonly at: number;
  readonly errorAt: number;
}

/**
 * `<iframe srcdoc="<p>|">`: the part of the value in `s` from `i`, decoded, is read as the
 * inner document by the transitions of `c.inner`; the inner document's inserts are written
 * back at the offsets their decoded characters came from, escaped for this attribute.
 */
function scanSrcdoc(c: Context, s: string, i: number, inserts: Insert[]): RegionScan {
  const end = attrValueEnd(c.delim, s, i);
  const quote = unquotedQuote(c, s, i, end);
  if (quote !== null) return { ctx: quote.ctx, at: i, errorAt: quote.at };
  const { text, at } = decodeEntitiesMapped(s.slice(i, end));
  const r = scanText(c.inner!, text);
  const step = attrStep(c);
  for (const ins of r.inserts) inserts.push({ at: i + at[ins.at]!, kind: ins.kind, wrap: [...ins.wrap, step] });
  if (r.errorAt !== -1) return { ctx: r.ctx, at: i, errorAt: i + at[r.errorAt]! };
  if (end >= s.length) return { ctx: withCtx(c, { inner: r.ctx }), at: s.length, errorAt: -1 };
  if (c.delim === 'unqq') inserts.push({ at: end, kind: 'quote', wrap: [] });
  return { ctx: leaveValue(c), at: c.delim === 'dq' || c.delim === 'sq' ? end + 1 : end, errorAt: -1 };
}

/**
 * `<noscript><p>|`: the content is read as HTML (what it is with scripting off) up to the
 * first `</noscript` (where it ends with scripting on, as raw text). Both readings must
 * agree that the content ends there, in HTML text; no escaper writes `</noscript`, so a
 * value can end it in neither.
 */
function scanNoscript(c: Context, s: string, i: number, inserts: Insert[]): RegionScan {
  const end = endTagStart(s, i, 'noscript');
  const r = scanText(c.inner!, s.slice(i, end));
  for (const ins of r.inserts) inserts.push({ ...ins, at: i + ins.at });
  if (r.errorAt !== -1) return { ctx: r.ctx, at: i, errorAt: i + r.errorAt };
  if (end >= s.length) return { ctx: withCtx(c, { inner: r.ctx }), at: s.length, errorAt: -1 };
  const inner = r.ctx;
  if (inner.state !== 'HTML_TEXT' || inner.element !== 'none' || inner.inner !== null) {
    const why = inner.element === 'noscript' ? 'a <noscript> inside a <noscript>' : `its content, read as HTML, is still in ${formatContext(inner)}`;
    return {
      ctx: errorCtx(c, 'TEMPLATE_UNTERMINATED', `this </noscript> ends the <noscript> when scripts run, but ${why}; close everything the <noscript> opens before it`),
      at: i,
      errorAt: end,
    };
  }
  return { ctx: withCtx(TEXT, { state: 'HTML_TAG', flags: F.END_TAG }), at: end + '</noscript'.length, errorAt: -1 };
}

/**
 * True when a template or an `html` call site may end in `c`: in HTML text, or inside a
 * `<plaintext>`, which nothing ends (§13.2.5.5), so a document that opens one ends in it.
 */
export function endsDocument(c: Context): boolean {
  return c.state === 'HTML_TEXT' && (c.element === 'none' || c.element === 'plaintext');
}

/** Names of the escaping functions a hole can need; runtime.ts maps them to functions. */
export const ESCAPER_NAMES = [
  'text', 'rcdata', 'rawtext', 'attr', 'attrUnquoted', 'refStart', 'url', 'urlPart', 'srcset', 'srcsetURL', 'srcsetDescriptor',
  'jsValue', 'jsString', 'jsTemplate', 'jsRegexp', 'cssValue', 'cssString', 'cssURL',
] as const;
export type EscaperName = (typeof ESCAPER_NAMES)[number];

export type HolePlan =
  /** Escape the value with `chain` (first to last), after writing `prefix`. */
  | { readonly kind: 'escape'; readonly chain: readonly EscaperName[]; readonly prefix: string; readonly ctx: Context; readonly after: Context }
  /** Write nothing: the value is in a comment. */
  | { readonly kind: 'drop'; readonly ctx: Context; readonly after: Context }
  /** An attribute name position: only a value checked to be a safe name may go here. */
  | { readonly kind: 'name'; readonly ctx: Context; readonly after: Context }
  | { readonly kind: 'error'; readonly ctx: Context; readonly code: ContextError['code'] | 'TEMPLATE_VALUE_IN_TAG' | 'TEMPLATE_AMBIGUOUS_URL'; readonly reason: string };

/**
 * The escaper of text content by element: HTML text; RCDATA (`<title>`, `<textarea>`) and
 * script data blocks (their content is usually HTML a script will insert) as HTML text that
 * cannot end them; raw text written as it is (escapeRawText).
 */
const TEXT_ESCAPERS: Readonly<Record<Element, EscaperName>> = {
  none: 'text', form: 'text', pre: 'text', listing: 'text',
  title: 'rcdata', textarea: 'rcdata', script: 'rcdata', style: 'rcdata',
  xmp: 'rawtext', iframe: 'rawtext', noembed: 'rawtext', noframes: 'rawtext', plaintext: 'rawtext',
  noscript: 'rcdata',
};

/** The escaper that writes text into the attribute value `c` is in (it has a delimiter). */
function attrStep(c: Context): AttrStep {
  return c.delim === 'unq' ? 'attrUnquoted' : 'attr';
}

/** Static text written into an attribute value, as `step` writes a value's text. */
function escapeStatic(step: AttrStep, text: string): string {
  return step === 'attr' ? escapeHTML(text) : escapeHTMLUnquoted(text);
}

/**
 * True when `next`, the static text after a value, ends the attribute value `c` is in right
 * there (after whitespace, for a quoted value); false when it does not or is not known.
 */
function endsValue(c: Context, next: string | undefined): boolean {
  if (next === undefined || next === '') return false;
  if (c.delim === 'dq') return /^[\t\n\f\r ]*"/.test(next);
  if (c.delim === 'sq') return /^[\t\n\f\r ]*'/.test(next);
  return /^[\t\n\f\r >]/.test(next);
}

/**
 * What to do with a value written in context `c`. In a region (`c.inner`), the plan of the
 * context inside it, and in an `srcdoc` value, then escaped for the attribute: the inner
 * document's text is the attribute's text decoded.
 */
export function holePlan(c: Context, next?: string): HolePlan {
  if (c.inner !== null) {
    // The text after the value, as the inner document reads it.
    const inner = next === undefined || c.state !== 'ATTR_SRCDOC' ? next : decodeEntities(next.slice(0, attrValueEnd(c.delim, next, 0)));
    const p = holePlan(c.inner, inner);
    if (p.kind === 'error') return { ...p, ctx: c };
    const after = withCtx(c, { inner: p.after });
    if (p.kind !== 'escape' || c.state !== 'ATTR_SRCDOC') return { ...p, ctx: c, after };
    const step = attrStep(c);
    const chain: EscaperName[] = [...p.chain, step];
    if ((c.flags & F.OPEN_REF) !== 0) chain.push('refStart');
    return { kind: 'escape', chain, prefix: escapeStatic(step, p.prefix), ctx: c, after };
  }
  const plan = planHere(c, next);
  // After `&` (where references are decoded): the value's first character as a reference,
  // so that it cannot complete one (`&` and `lt;` would make `<`).
  if (plan.kind !== 'escape' || (c.flags & F.OPEN_REF) === 0) return plan;
  return { ...plan, chain: [...plan.chain, 'refStart'] };
}

/** holePlan for a context that is not a region. */
function planHere(c: Context, next: string | undefined): HolePlan {
  const esc = (chain: EscaperName[], after: Context = c, prefix = ''): HolePlan => ({
    kind: 'escape', chain: c.delim === 'none' ? chain : [...chain, attrStep(c)], prefix, ctx: c, after,
  });
  switch (c.state) {
    case 'HTML_TEXT': {
      const after = withCtx(c, { flags: c.flags & ~(F.AT_LEADING_NEWLINE | F.OPEN_TAG) });
      // After `<` in raw text, a U+200B first: what the value writes cannot end the element.
      const prefix = (c.flags & F.AT_LEADING_NEWLINE) !== 0 ? '\n' : (c.flags & F.OPEN_TAG) !== 0 ? '\u200b' : '';
      return esc([TEXT_ESCAPERS[c.element]], after, prefix);
    }
    case 'HTML_TAG_NAME':
      return {
        kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME',
        reason: 'a value continues a tag name; write the whole tag name in the template',
      };
    case 'HTML_ATTR_NAME':
      return {
        kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME',
        reason: 'a value continues an attribute name; write the whole attribute name in the template',
      };
    case 'HTML_TAG':
    case 'HTML_AFTER_NAME':
      if ((c.flags & (F.JOINED_NAME | F.JOINED_VALUE)) !== 0) {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME',
          reason: 'a value right after an if or a loop that ends inside a start tag could continue a name or an unquoted value; put a space before it',
        };
      }
      if ((c.flags & F.END_TAG) !== 0) {
        return { kind: 'error', ctx: c, code: 'TEMPLATE_VALUE_IN_TAG', reason: 'a value inside an end tag' };
      }
      return { kind: 'name', ctx: c, after: withCtx(c, { state: 'HTML_ATTR_NAME', attr: 'plain', flags: c.flags & ~JOINED_BITS }) };
    case 'HTML_BEFORE_VALUE': {
      // `<a href={{ u }}>`: Palisade quotes the value, so that an empty value or one with
      // spaces stays one attribute; the closing quote is inserted where the value ends.
      const inner = enterValue(c, 'unqq', '', 0);
      if (inner.state === 'ERROR') return { kind: 'error', ctx: inner, code: inner.err!.code, reason: inner.err!.reason };
      const p = holePlan(inner, next);
      if (p.kind === 'escape') return { ...p, prefix: '"' + p.prefix };
      return p;
    }
    case 'HTML_COMMENT':
    case 'HTML_BOGUS_COMMENT':
    case 'JS_LINE_CMT':
    case 'JS_BLOCK_CMT':
    case 'CSS_CMT':
      return { kind: 'drop', ctx: c, after: c };
    case 'ATTR_TEXT':
      return { kind: 'escape', chain: [c.delim === 'unq' ? 'attrUnquoted' : 'attr'], prefix: '', ctx: c, after: c };
    case 'ATTR_SRCDOC':
      throw new Error('an srcdoc value is a region: its plan is the plan of its inner context');
    case 'URL':
      if (c.urlPart === 'unknown') {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL',
          reason: 'a value in a URL where the branches or loop before it leave it unclear whether the URL has started',
        };
      }
      if (c.attr === 'srcset') {
        // At the start of a candidate: the rest of the list when the attribute ends right
        // after the value (`srcset="{{ images }}"`), else one URL (`srcset="{{ u }} 2x"`).
        if (c.urlPart === 'start') return esc([endsValue(c, next) ? 'srcset' : 'srcsetURL'], withCtx(c, { urlPart: 'rest' }));
        if (c.urlPart === 'descriptor') return esc(['srcsetDescriptor']);
        return esc(['urlPart']);
      }
      if (c.urlPart === 'start') return esc(['url'], withCtx(c, { urlPart: 'rest' }));
      return esc(['urlPart']);
    case 'JS_EXPR':
      return esc(['jsValue'], withCtx(c, { jsCtx: 'div' }));
    case 'JS_DQ_STR':
    case 'JS_SQ_STR':
      return esc(['jsString']);
    case 'JS_TMPL':
      return esc(['jsTemplate']);
    case 'JS_REGEXP':
      return esc(['jsRegexp']);
    case 'CSS':
      return esc(['cssValue']);
    case 'CSS_DQ_STR':
    case 'CSS_SQ_STR':
      return esc(['cssString']);
    case 'CSS_DQ_URL':
    case 'CSS_SQ_URL':
    case 'CSS_URL': {
      if (c.urlPart === 'unknown') {
        return { kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL', reason: 'a value in a CSS url() whose start is unclear' };
      }
      const after = withCtx(c, { urlPart: 'rest' });
      if (c.urlPart !== 'start') return esc(['urlPart'], after);
      return esc(c.state === 'CSS_URL' ? ['url', 'cssURL'] : ['url', 'cssString'], after);
    }
    case 'ERROR':
      return { kind: 'error', ctx: c, code: c.err?.code ?? 'TEMPLATE_PARTIAL_NAME', reason: c.err?.reason ?? 'unknown context' };
  }
}

/**
 * Ends a value Palisade quoted (`unqq`) where the template does not: before an if or a loop
 * whose paths do not all go on in the value (escaper.ts). Returns the context between
 * attributes, marked so that the text after may not continue the value, and the quote.
 */
export function closeQuoted(c: Context): { readonly ctx: Context; readonly text: string } {
  if (c.inner !== null) {
    const r = closeQuoted(c.inner);
    const text = c.state === 'ATTR_SRCDOC' ? escapeStatic(attrStep(c), r.text) : r.text;
    return { ctx: withCtx(c, { inner: r.ctx }), text };
  }
  const left = leaveValue(c);
  return { ctx: withCtx(left, { flags: left.flags | F.JOINED_VALUE }), text: '"' };
}

/**
 * A piece of rewritten static text: text, or a runtime insert (nonce, CSRF field), which
 * inside `srcdoc` values goes through `wrap` (escapers, innermost value first).
 */
export type Piece = string | { readonly insert: 'nonce' | 'csrf'; readonly wrap?: readonly AttrStep[] };

/** Static text with the compiler's inserts applied; quotes become text. */
export function applyInserts(s: string, inserts: readonly Insert[]): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  let text = '';
  for (const ins of inserts) {
    text += s.slice(last, ins.at);
    last = ins.at;
    if (ins.kind === 'quote') {
      text += ins.wrap.reduce((t, step) => escapeStatic(step, t), '"');
    } else {
      if (text !== '') out.push(text);
      text = '';
      out.push(ins.wrap.length === 0 ? { insert: ins.kind } : { insert: ins.kind, wrap: ins.wrap });
    }
  }
  text += s.slice(last);
  if (text !== '') out.push(text);
  return out;
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
