/**
 * Static text read in context (analyze.ts): `scanText(ctx, text)` runs the transitions over
 * one run of a template's text and returns the context after it, with the places where the
 * compiler inserts text (inserts.ts). Character references are decoded first where the
 * browser decodes them (attribute values, HTML §13.2.5.72). Raw text, RCDATA and script
 * data are bounded by their end tag as the tokenizer finds it (raw-text.ts). An `srcdoc`
 * value and a `<noscript>` are regions with a document of their own (context.ts `inner`):
 * their text is read with the transitions of the context inside them, the `srcdoc` value
 * after its character references are decoded.
 *
 * A run of text followed by a value or a template tag may end with the start of a token
 * the text after could complete: a character reference (F.OPEN_REF), a tag in raw text
 * (F.OPEN_TAG), an end tag, `<!--`, `<script` or `-->` (rawTail). The context carries it,
 * the next text may not complete it, and hole-plan.ts escapes a value after it.
 */
import { type Context, F, TEXT, errorCtx, formatContext, withCtx } from './context.js';
import { TAG_STATES, TRANSITIONS, attrValueEnd, leaveValue } from './transition.js';
import { isRawContentElement, isRawTextElement } from './attr.js';
import { SCRIPT_STATE_BITS, completesTail, rawTail, scanRawText } from './raw-text.js';
import { type Insert, attrStep } from './inserts.js';
import { decodeEntities, decodeEntitiesMapped } from '../escape/entities.js';
import { SPLIT_CODE_TOKEN, codeTailOf, continuesToken } from './code-tail.js';

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
  `the text before a value or template tag ends with ${JSON.stringify(tail)} and this text completes it into an end tag, \`<!--\`, \`<script\`, \`-->\` or \`]]>\` ` +
  '(with an empty value between them, the browser reads it as one); write the whole token in one piece of text, or put a space between its parts';

// The start of a character reference at the end of a text (§13.2.5.72–80): `&`, `&#`,
// `&#x1F`, `&amp`. What may continue one: an ASCII letter or digit, `#`, `;`.
const OPEN_REF_AT_END = /&(?:#[xX]?[0-9a-fA-F]*|[A-Za-z][A-Za-z0-9]*)?$/;
const continuesRef = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 35 || c === 59;

// The start of a tag at the end of raw text (§13.2.5.12–14): `<`, `</`, `</xm`. What may
// continue one: `/`, an ASCII letter, and what ends a tag name (whitespace, `>`).
const OPEN_TAG_AT_END = /<\/?[A-Za-z]*$/;
const continuesTag = (c: number): boolean =>
  c === 47 || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 62 || c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** Text as the JS transitions read it: decoded inside an attribute value (an event handler). */
function codeText(c: Context, s: string): string {
  return c.delim !== 'none' ? decodeEntities(s) : s;
}

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
  if (c.state === 'HTML_CDATA' && c.rawTail !== '' && s.length > 0) {
    // `]` or `]]` before a value or template tag: this text must not complete `]]>`.
    const k = (c.rawTail + s.slice(0, 3)).indexOf(']]>');
    if (k !== -1 && k < c.rawTail.length) return { ctx: errorCtx(c, 'TEMPLATE_PARTIAL_NAME', SPLIT_TOKEN(c.rawTail)), inserts: [], errorAt: 0 };
    c = withCtx(c, { rawTail: '' });
  }
  if ((c.flags & (F.OPEN_REF | F.OPEN_TAG)) !== 0 && s.length > 0) {
    const ch = s.charCodeAt(0);
    if ((c.flags & F.OPEN_REF) !== 0 && continuesRef(ch)) {
      const err = errorCtx(
        c,
        'TEMPLATE_PARTIAL_NAME',
        'a character reference (&…) is cut off by a template tag or value, and this text would continue it; write the reference whole, as &amp; for a lone &',
      );
      return { ctx: err, inserts: [], errorAt: 0 };
    }
    if ((c.flags & F.OPEN_TAG) !== 0 && continuesTag(ch)) {
      const err = errorCtx(
        c,
        'TEMPLATE_PARTIAL_NAME',
        'a tag in raw text (<, </…) is cut off by a template tag or value, and this text would continue it; write the tag whole',
      );
      return { ctx: err, inserts: [], errorAt: 0 };
    }
    c = withCtx(c, { flags: c.flags & ~(F.OPEN_REF | F.OPEN_TAG) });
  }
  if (c.codeTail !== '' && s.length > 0) {
    // Script or style before a template tag ended with the start of a token (code-tail.ts).
    if (continuesToken(c.codeTail, codeText(c, s.slice(0, 16)))) {
      return { ctx: errorCtx(c, 'TEMPLATE_PARTIAL_NAME', SPLIT_CODE_TOKEN(c.codeTail)), inserts: [], errorAt: 0 };
    }
    c = withCtx(c, { codeTail: '' });
  }
  let r = scanRun(c, s);
  if (r.errorAt !== -1) return r;
  if (r.ctx.inner === null) {
    const codeTail = codeTailOf(r.ctx, codeText(r.ctx, s));
    if (codeTail !== '') r = { ...r, ctx: withCtx(r.ctx, { codeTail }) };
  }
  if (r.ctx.state === 'HTML_CDATA') {
    const tail = /\]{1,2}$/.exec(s)?.[0] ?? '';
    return tail === r.ctx.rawTail ? r : { ...r, ctx: withCtx(r.ctx, { rawTail: tail }) };
  }
  if (decodesRefs(r.ctx) && OPEN_REF_AT_END.test(s)) return { ...r, ctx: withCtx(r.ctx, { flags: r.ctx.flags | F.OPEN_REF }) };
  if (isRawTextElement(r.ctx.element) && r.ctx.state === 'HTML_TEXT' && r.ctx.inner === null && OPEN_TAG_AT_END.test(s)) {
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
      [c] = scanRange(c, decoded, 0, decoded.length);
      if (c.state === 'ERROR') return { ctx: c, inserts, errorAt: i };
      if (end >= s.length) return { ctx: c, inserts, errorAt: -1 };
      if (c.delim === 'unqq') inserts.push({ at: end, kind: 'quote', wrap: [] });
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
      c = withCtx(TEXT, { state: 'HTML_TAG', flags: F.END_TAG, stack: c.stack });
      continue;
    }
    const before = c;
    const [next, j] = TRANSITIONS[c.state](c, s, i, s.length);
    if (next.state === 'ERROR') return { ctx: next, inserts, errorAt: j };
    if (TAG_STATES.has(before.state) && !TAG_STATES.has(next.state) && next.delim === 'none' && (before.flags & F.END_TAG) === 0) {
      // The `>` of a start tag was just read (at j - 1), or `/>` (at j - 2, self-closing). A
      // `/` left by the text before (F.SLASH) gets no nonce: it would come between them.
      if (takesNonce(before) && (before.flags & (F.NONCE_SEEN | F.SLASH)) === 0) {
        inserts.push({ at: j - 2 >= i && s.charCodeAt(j - 2) === 47 ? j - 2 : j - 1, kind: 'nonce', wrap: [] });
      }
      if (before.element === 'form' && (before.flags & F.FORM_POST) !== 0) {
        inserts.push({ at: j, kind: (before.flags & F.FORM_ACTION_UNSAFE) === 0 ? 'csrf' : 'no-csrf', wrap: [] });
      }
    }
    c = next;
    i = j;
  }
  return { ctx: c, inserts, errorAt: -1 };
}

/**
 * True for the start tag of a `<script>` or `<style>`, which gets the CSP nonce: in HTML, and
 * in SVG (where they run too) and MathML, whose element kind is none (foreign.ts).
 */
function takesNonce(c: Context): boolean {
  return c.element === 'script' || c.element === 'style' || c.tag === 'script' || c.tag === 'style';
}

/** A `"` in an unquoted value Palisade quotes (it would end it): the error, or null. */
function unquotedQuote(c: Context, s: string, i: number, end: number): { ctx: Context; at: number } | null {
  if (c.delim !== 'unqq') return null;
  const k = s.indexOf('"', i);
  if (k === -1 || k >= end) return null;
  return {
    ctx: errorCtx(c, 'TEMPLATE_UNQUOTED_VALUE', "an unquoted attribute value that starts with a value contains a '\"'; quote the attribute value"),
    at: k,
  };
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
 * value can end it in neither. As in raw text (raw-text.ts), the start of `</noscript` the
 * text ends with is kept (c.rawTail): the next text may not complete it, and a value after
 * it has its first character escaped (regionEdge).
 */
function scanNoscript(c: Context, s: string, i: number, inserts: Insert[]): RegionScan {
  const tail = c.rawTail;
  if (completesTail(tail, s.slice(i), 'noscript', 0)) {
    return { ctx: errorCtx(c, 'TEMPLATE_PARTIAL_NAME', SPLIT_TOKEN(tail)), at: i, errorAt: i };
  }
  const end = scanRawText(s, i, 'noscript', 0).end;
  const r = scanText(c.inner!, s.slice(i, end));
  for (const ins of r.inserts) inserts.push({ ...ins, at: i + ins.at });
  if (r.errorAt !== -1) return { ctx: r.ctx, at: i, errorAt: i + r.errorAt };
  if (end >= s.length) return { ctx: withCtx(c, { inner: r.ctx, rawTail: rawTail(tail + s.slice(i), 'noscript', 0) }), at: s.length, errorAt: -1 };
  const inner = r.ctx;
  if (inner.state !== 'HTML_TEXT' || inner.element !== 'none' || inner.inner !== null || inner.stack !== '') {
    const why = inner.element === 'noscript' ? 'a <noscript> inside a <noscript>' : `its content, read as HTML, is still in ${formatContext(inner)}`;
    return {
      ctx: errorCtx(
        c,
        'TEMPLATE_UNTERMINATED',
        `this </noscript> ends the <noscript> when scripts run, but ${why}; close everything the <noscript> opens before it`,
      ),
      at: i,
      errorAt: end,
    };
  }
  return { ctx: withCtx(TEXT, { state: 'HTML_TAG', flags: F.END_TAG, stack: c.stack }), at: end + '</noscript'.length, errorAt: -1 };
}
