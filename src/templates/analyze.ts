/**
 * The context analysis over static text with holes between it, independent of any
 * template syntax. The template escaper (escaper.ts) calls `scanText` and `holePlan` while
 * it walks a template; the `html` tagged template calls `analyze` on its static strings.
 *
 * - `scanText(ctx, text)` runs the transitions over one run of static text and returns the
 *   context after it, plus the places where the compiler inserts text: the closing quote
 *   of an attribute value it quoted, the CSP nonce before the `>` of `<script>`/`<style>`,
 *   the CSRF field after the `>` of a same-origin POST `<form>`.
 * - `holePlan(ctx)` says what to do with a value in context `ctx`: which escapers to run,
 *   in order (names from ESCAPER_NAMES; runtime.ts has the functions), what static prefix
 *   to write before it, and the context after it — or that the value is dropped, or that
 *   the position is an attribute name, or an error.
 */
import { type Context, type ContextError, F, TEXT, errorCtx, formatContext, withCtx } from './context.js';
import { TAG_STATES, TRANSITIONS, attrValueEnd, enterValue, leaveValue } from './transition.js';
import { isRawContentElement } from './attr.js';
import { SCRIPT_STATE_BITS, completesTail, rawTail, scanRawText } from './raw-text.js';
import { decodeEntities } from '../escape/entities.js';

/** Something the compiler writes into static text at an offset. */
export interface Insert {
  readonly at: number;
  /** `quote`: a `"`; `nonce`: ` nonce="…"` when the request has one; `csrf`: the hidden CSRF input. */
  readonly kind: 'quote' | 'nonce' | 'csrf';
}

export interface ScanResult {
  readonly ctx: Context;
  readonly inserts: Insert[];
  /** Offset in the text where the context became an error, or -1. */
  readonly errorAt: number;
}

/** Runs the transitions over s[i:end) (no inserts can happen inside this range). */
function scanRange(c: Context, s: string, i: number, end: number): [Context, number] {
  while (i < end && c.state !== 'ERROR') {
    const [next, j] = TRANSITIONS[c.state](c, s, i, end);
    if (j === i && next.state === c.state) throw new Error(`transition ${c.state} made no progress`);
    c = next;
    i = j;
  }
  return [c, i];
}

const SPLIT_TOKEN = (tail: string): string =>
  `the text before a value or template tag ends with ${JSON.stringify(tail)} and this text completes it into an end tag, \`<!--\`, \`<script\` or \`-->\` ` +
  '(with an empty value between them, the browser reads it as one); write the whole token in one piece of text, or put a space between its parts';

/** Runs static text `s` from context `c`. */
export function scanText(c: Context, s: string): ScanResult {
  const inserts: Insert[] = [];
  let i = 0;
  while (i < s.length) {
    if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
    if ((c.flags & F.AT_LEADING_NEWLINE) !== 0) c = withCtx(c, { flags: c.flags & ~F.AT_LEADING_NEWLINE });
    if (c.delim !== 'none') {
      // Inside an attribute value: the browser decodes character references before the
      // value's own language (JS, CSS, URL) reads it, so the transitions see decoded text.
      const end = attrValueEnd(c.delim, s, i);
      if (c.delim === 'unqq' && s.slice(i, end).includes('"')) {
        return {
          ctx: errorCtx(c, 'TEMPLATE_UNQUOTED_VALUE', 'an unquoted attribute value that starts with a value contains a \'"\'; quote the attribute value'),
          inserts,
          errorAt: i + s.slice(i, end).indexOf('"'),
        };
      }
      const decoded = decodeEntities(s.slice(i, end));
      [c] = scanRange(c, decoded, 0, decoded.length);
      if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
      if (end >= s.length) return { ctx: c, inserts, errorAt: -1 };
      if (c.delim === 'unqq') inserts.push({ at: end, kind: 'quote' });
      const quoted = c.delim === 'dq' || c.delim === 'sq';
      c = leaveValue(c);
      i = quoted ? end + 1 : end;
      continue;
    }
    if (isRawContentElement(c.element) && !TAG_STATES.has(c.state)) {
      // Raw text up to the element's end tag. A token the text before a value or template
      // tag started (c.rawTail, only ever at i = 0) must not be completed here.
      const tail = c.rawTail;
      if (completesTail(tail, s.slice(i), c.element, c.flags)) {
        return { ctx: errorCtx(c, 'TEMPLATE_PARTIAL_NAME', SPLIT_TOKEN(tail)), inserts, errorAt: i };
      }
      const raw = scanRawText(s, i, c.element, c.flags);
      let at: number;
      [c, at] = scanRange(withCtx(c, { rawTail: '' }), s, i, raw.end);
      if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: at };
      if (raw.end >= s.length) {
        const flags = (c.flags & ~SCRIPT_STATE_BITS) | raw.flags;
        return { ctx: withCtx(c, { flags, rawTail: rawTail(tail + s.slice(i), c.element, flags) }), inserts, errorAt: -1 };
      }
      i = raw.end + 2 + c.element.length;
      c = withCtx(TEXT, { state: 'HTML_TAG', flags: F.END_TAG });
      continue;
    }
    const before = c;
    const [next, j] = TRANSITIONS[c.state](c, s, i, s.length);
    if (next.state === 'ERROR') return { ctx: next, inserts, errorAt: j };
    if (TAG_STATES.has(before.state) && !TAG_STATES.has(next.state) && next.delim === 'none' && (before.flags & F.END_TAG) === 0) {
      // The `>` of a start tag was just read (at j - 1).
      if ((before.element === 'script' || before.element === 'style') && (before.flags & F.NONCE_SEEN) === 0) {
        inserts.push({ at: j - 1, kind: 'nonce' });
      }
      if (before.element === 'form' && (before.flags & F.FORM_POST) !== 0 && (before.flags & F.FORM_ACTION_UNSAFE) === 0) {
        inserts.push({ at: j, kind: 'csrf' });
      }
    }
    c = next;
    i = j;
  }
  return { ctx: c, inserts, errorAt: -1 };
}

/** Names of the escaping functions a hole can need; runtime.ts maps them to functions. */
export const ESCAPER_NAMES = [
  'text', 'rcdata', 'attr', 'attrUnquoted', 'srcdoc', 'url', 'urlPart', 'srcset', 'srcsetDescriptor',
  'jsValue', 'jsString', 'jsTemplate', 'jsRegexp', 'cssValue', 'cssString', 'cssURL',
  'edgeHTML', 'edgeJS', 'edgeCSS', 'edgeURL', 'refresh', 'refreshURL', 'animValues', 'urlFilter',
] as const;
export type EscaperName = (typeof ESCAPER_NAMES)[number];

export type HolePlan =
  /** Escape the value with `chain` (first to last), after writing `prefix`. */
  | { readonly kind: 'escape'; readonly chain: readonly EscaperName[]; readonly prefix: string; readonly ctx: Context; readonly after: Context }
  /** Write nothing: the value is in a comment. */
  | { readonly kind: 'drop'; readonly ctx: Context; readonly after: Context }
  /** An attribute name position: only a value checked to be a safe name may go here. */
  | { readonly kind: 'name'; readonly ctx: Context; readonly after: Context }
  | { readonly kind: 'error'; readonly ctx: Context; readonly code: ContextError['code'] | 'TEMPLATE_VALUE_IN_TAG' | 'TEMPLATE_AMBIGUOUS_URL' | 'TEMPLATE_SRCDOC_MARKUP'; readonly reason: string };

function attrStep(c: Context): EscaperName[] {
  if (c.delim === 'none') return [];
  return [c.delim === 'unq' ? 'attrUnquoted' : 'attr'];
}

/**
 * In raw text after the start of a token (`<`, `</ti`, `--`: c.rawTail), or in escaped
 * script data, the step that escapes the value's first character (and a final `-`), so
 * that the value cannot complete an end tag, `<!--`, `<script` or `-->` (raw-text.ts). A
 * JS expression's value (JSON) never starts with a letter, `/`, `!` or `-`, nor ends with `-`.
 */
function edgeStep(c: Context): EscaperName[] {
  if (c.delim !== 'none' || !isRawContentElement(c.element)) return [];
  if (c.rawTail === '' && (c.flags & SCRIPT_STATE_BITS) === 0) return [];
  switch (c.state) {
    case 'HTML_TEXT':
      return ['edgeHTML'];
    case 'JS_DQ_STR':
    case 'JS_SQ_STR':
    case 'JS_TMPL':
    case 'JS_REGEXP':
      return ['edgeJS'];
    case 'CSS':
    case 'CSS_DQ_STR':
    case 'CSS_SQ_STR':
      return ['edgeCSS'];
    case 'CSS_DQ_URL':
    case 'CSS_SQ_URL':
    case 'CSS_URL':
      return ['edgeURL'];
    default:
      return [];
  }
}

/** What to do with a value written in context `c`. */
export function holePlan(c: Context): HolePlan {
  const esc = (chain: EscaperName[], after: Context = c, prefix = ''): HolePlan => ({
    kind: 'escape', chain: [...chain, ...edgeStep(c), ...attrStep(c)], prefix, ctx: c, after,
  });
  switch (c.state) {
    case 'HTML_TEXT': {
      const after = withCtx(c, { flags: c.flags & ~F.AT_LEADING_NEWLINE });
      const nl = (c.flags & F.AT_LEADING_NEWLINE) !== 0 ? '\n' : '';
      // RCDATA, RAWTEXT and data blocks: no markup, no end tag.
      return esc([c.element === 'none' ? 'text' : 'rcdata'], after, nl);
    }
    case 'HTML_ATTR_NAME':
      return {
        kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME',
        reason: 'a value continues an attribute name; write the whole attribute name in the template',
      };
    case 'HTML_TAG':
    case 'HTML_AFTER_NAME':
      if ((c.flags & F.JOINED_NAME) !== 0) {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME',
          reason: 'a value right after an if that ends inside a start tag could continue an attribute name; put a space before it',
        };
      }
      if ((c.flags & F.END_TAG) !== 0) {
        return { kind: 'error', ctx: c, code: 'TEMPLATE_VALUE_IN_TAG', reason: 'a value inside an end tag' };
      }
      return { kind: 'name', ctx: c, after: withCtx(c, { state: 'HTML_ATTR_NAME', attr: 'plain' }) };
    case 'HTML_BEFORE_VALUE': {
      // `<a href={{ u }}>`: Palisade quotes the value, so that an empty value or one with
      // spaces stays one attribute; the closing quote is inserted where the value ends.
      const inner = enterValue(c, 'unqq', '', 0);
      if (inner.state === 'ERROR') return { kind: 'error', ctx: inner, code: inner.err!.code, reason: inner.err!.reason };
      const p = holePlan(inner);
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
      if ((c.flags & F.SRCDOC_MARKUP) !== 0) {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_SRCDOC_MARKUP',
          reason: 'a value inside srcdoc after markup; render the inner document separately and pass it as one value',
        };
      }
      return esc(['srcdoc']);
    case 'URL':
      if (c.urlPart === 'unknown') {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL',
          reason: 'a value in a URL where the branches or loop before it leave it unclear whether the URL has started',
        };
      }
      // SVG animation values: every `;`-separated item is filtered as a URL, wherever the
      // value stands (it may write a `;` and start an item of its own).
      if (c.attr === 'anim') return esc(['animValues'], withCtx(c, { urlPart: 'value' }));
      if (c.attr === 'srcset') {
        if (c.urlPart === 'start') return esc(['srcset'], withCtx(c, { urlPart: 'rest' }));
        if (c.urlPart === 'descriptor') return esc(['srcsetDescriptor']);
        return esc(['urlPart']);
      }
      // After a value at the start, the text must not extend its scheme (transition.ts).
      if (c.urlPart === 'start') return esc(['url'], withCtx(c, { urlPart: 'value' }));
      return esc(['urlPart']);
    case 'REFRESH_START':
      // The whole refresh content, or its delay: its URL, if it has one, is filtered.
      return esc(['refresh'], withCtx(c, { state: 'REFRESH_AFTER_VALUE' }));
    case 'REFRESH_URL':
    case 'REFRESH_EQ':
      return esc(['refreshURL'], withCtx(c, { state: 'URL', urlPart: 'value' }));
    case 'REFRESH_DELAY':
    case 'REFRESH_SEP':
    case 'REFRESH_KEYWORD':
    case 'REFRESH_AFTER_VALUE':
      return {
        kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL',
        reason: 'a value inside a refresh content where it could change where the URL starts; write the value at the start of the content, or right after `url=`',
      };
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
      // A string CSS may read as a URL (transition-css.ts): a value at its start is
      // filtered like a URL, and no second value may follow it directly.
      if ((c.flags & F.CSS_TEXT_PROP) !== 0 || c.urlPart === 'rest') return esc(['cssString']);
      if (c.urlPart === 'value') {
        return {
          kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL',
          reason: 'a value right after another at the start of a CSS string that CSS may read as a URL: together they could form a scheme; write them as one value',
        };
      }
      return esc(['urlFilter', 'cssString'], withCtx(c, { urlPart: 'value' }));
    case 'CSS_DQ_URL':
    case 'CSS_SQ_URL':
    case 'CSS_URL': {
      if (c.urlPart === 'unknown') {
        return { kind: 'error', ctx: c, code: 'TEMPLATE_AMBIGUOUS_URL', reason: 'a value in a CSS url() whose start is unclear' };
      }
      if (c.urlPart !== 'start') return esc(['urlPart']);
      return esc(c.state === 'CSS_URL' ? ['url', 'cssURL'] : ['url', 'cssString'], withCtx(c, { urlPart: 'value' }));
    }
    case 'ERROR':
      return { kind: 'error', ctx: c, code: c.err?.code ?? 'TEMPLATE_PARTIAL_NAME', reason: c.err?.reason ?? 'unknown context' };
  }
}

/** A piece of rewritten static text: text, or a runtime insert (nonce, CSRF field). */
export type Piece = string | { readonly insert: 'nonce' | 'csrf' };

/** Static text with the compiler's inserts applied; quotes become text. */
export function applyInserts(s: string, inserts: readonly Insert[]): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  let text = '';
  for (const ins of inserts) {
    text += s.slice(last, ins.at);
    last = ins.at;
    if (ins.kind === 'quote') {
      text += '"';
    } else {
      if (text !== '') out.push(text);
      text = '';
      out.push({ insert: ins.kind });
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
      const plan = holePlan(c);
      if (plan.kind === 'error') throw new AnalysisError(plan.code, plan.reason, p, -1, c);
      holes.push(plan);
      c = plan.after;
    }
  }
  return { parts: out, holes, end: c };
}
