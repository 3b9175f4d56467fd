/**
 * What to do with a value (analyze.ts): `holePlan(ctx, next)` says, for a value in context
 * `ctx` followed by the static text `next` when it is known, which escapers to run, in
 * order (names from escaper-table.ts; hole-escapers.ts has the functions), what static prefix to
 * write before it, and the context after it — or that the value is dropped, or that the
 * position is an attribute name, or an error. In a region (an `srcdoc` value, a
 * `<noscript>`), a value gets the escaping of its place in the document inside, and in an
 * `srcdoc` value then the attribute's.
 */
import { type Context, type ContextError, type Element, F, JOINED_BITS, withCtx } from './context.js';
import { attrValueEnd, enterValue, leaveValue } from './transition.js';
import { isRawContentElement, isRawTextElement } from './attr.js';
import { SCRIPT_STATE_BITS } from './raw-text.js';
import { describe, inForeignScript, markupIsForeign, startRules } from './foreign.js';
import { attrStep, escapeStatic } from './inserts.js';
import { decodeEntities } from '../escape/entities.js';
import { valueAfterTail } from './code-tail.js';
import type { EscaperName } from './escaper-table.js';

export type HolePlan =
  /** Escape the value with `chain` (first to last), after writing `prefix`. */
  | { readonly kind: 'escape'; readonly chain: readonly EscaperName[]; readonly prefix: string; readonly ctx: Context; readonly after: Context }
  /** Write nothing: the value is in a comment. */
  | { readonly kind: 'drop'; readonly ctx: Context; readonly after: Context }
  /** An attribute name position: only a value checked to be a safe name may go here. */
  | { readonly kind: 'name'; readonly ctx: Context; readonly after: Context }
  | {
      readonly kind: 'error';
      readonly ctx: Context;
      readonly code: ContextError['code'] | 'TEMPLATE_VALUE_IN_TAG' | 'TEMPLATE_AMBIGUOUS_URL';
      readonly reason: string;
    };

/**
 * The escaper of text content by element: HTML text; RCDATA (`<title>`, `<textarea>`) and
 * script data blocks (their content is usually HTML a script will insert) as HTML text that
 * cannot end them; raw text written as it is (escapeRawText). (A `<noscript>` is a region,
 * whose values are planned for the context inside; `<meta>` and SVG animations hold no text.)
 */
const TEXT_ESCAPERS: Readonly<Record<Element, EscaperName>> = {
  none: 'text',
  form: 'text',
  pre: 'text',
  listing: 'text',
  title: 'rcdata',
  textarea: 'rcdata',
  script: 'rcdata',
  style: 'rcdata',
  xmp: 'rawtext',
  iframe: 'rawtext',
  noembed: 'rawtext',
  noframes: 'rawtext',
  plaintext: 'rawtext',
  noscript: 'rcdata',
  meta: 'text',
  animation: 'text',
  'annotation-xml': 'text',
};

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
 * In raw text after the start of a token (`<`, `</ti`, `--`: c.rawTail), or in escaped
 * script data, the step that escapes the value's first character (and a final `-`), so
 * that the value cannot complete an end tag, `<!--`, `<script` or `-->` (raw-text.ts). A
 * JS expression's value (JSON) never starts with a letter, `/`, `!` or `-`, nor ends with `-`.
 */
function edgeStep(c: Context): EscaperName[] {
  // `$` in a template literal right before the value: a `{` it starts with would open a
  // substitution (code-tail.ts). In a script or an event handler alike.
  if (c.state === 'JS_TMPL' && c.codeTail.includes('$')) return ['edgeJS'];
  if (c.delim !== 'none' || !isRawContentElement(c.element)) return [];
  if (c.rawTail === '' && (c.flags & SCRIPT_STATE_BITS) === 0) return [];
  return edgeEscaper(c);
}

const EDGE_STEPS: ReadonlySet<EscaperName> = new Set<EscaperName>(['edgeHTML', 'edgeJS', 'edgeCSS', 'edgeURL']);

/** The escaper that writes the edges of a value in `c` so that they start no token (edgeStep). */
function edgeEscaper(c: Context): EscaperName[] {
  switch (c.state) {
    case 'HTML_TEXT':
      // Raw text (`<xmp>`, …) decodes no references, so `&#47;` would be read as it is
      // written: there the edge is the U+200B holePlan writes before a value that follows
      // the start of a tag (F.OPEN_TAG, which a tail in raw text always comes with), and
      // escapeRawText breaks a tag the value itself ends with.
      return isRawTextElement(c.element) ? [] : ['edgeHTML'];
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

/**
 * The edge step for a value in the `<noscript>` region `c` whose text before ends with the
 * start of `</noscript` (c.rawTail; with scripting on the content is raw text, which ends
 * there whatever the context inside): chosen by the context inside, where a value in an
 * attribute value is written as HTML text too. Empty when the inner plan has one already.
 */
function regionEdge(c: Context, chain: readonly EscaperName[]): EscaperName[] {
  if (c.rawTail === '' || chain.some((e) => EDGE_STEPS.has(e))) return [];
  const inner = c.inner!;
  return inner.delim !== 'none' ? ['edgeHTML'] : edgeEscaper(inner);
}

/**
 * What to do with a value written in context `c`. In a region (`c.inner`), the plan of the
 * context inside it, and in an `srcdoc` value, then escaped for the attribute: the inner
 * document's text is the attribute's text decoded.
 *
 * `sameOrigin` says the value is meant to be a path on this site (a `url_for()` call,
 * escaper.ts). As the whole `action` of a POST form it lets the form keep its CSRF field:
 * it is written through `sameOriginURL`, which writes the URL sentinel for anything that
 * would leave this origin (`//host`, a scheme), so the field is never sent elsewhere.
 */
export function holePlan(c: Context, next?: string, sameOrigin = false): HolePlan {
  if (c.inner !== null) {
    // The text after the value, as the inner document reads it.
    const inner = next === undefined || c.state !== 'ATTR_SRCDOC' ? next : decodeEntities(next.slice(0, attrValueEnd(c.delim, next, 0)));
    const p = holePlan(c.inner, inner, sameOrigin);
    if (p.kind === 'error') return { ...p, ctx: c };
    const after = withCtx(c, { inner: p.after });
    if (p.kind !== 'escape') return { ...p, ctx: c, after };
    if (c.state !== 'ATTR_SRCDOC') return { ...p, chain: [...p.chain, ...regionEdge(c, p.chain)], ctx: c, after };
    const step = attrStep(c);
    const chain: EscaperName[] = [...p.chain, step];
    if ((c.flags & F.OPEN_REF) !== 0) chain.push('refStart');
    return { kind: 'escape', chain, prefix: escapeStatic(step, p.prefix), ctx: c, after };
  }
  if (c.codeTail !== '') {
    // Script or style text right before the value ended with the start of a token (code-tail.ts).
    const why = valueAfterTail(c.codeTail);
    if (why !== null) return { kind: 'error', ctx: c, code: 'TEMPLATE_PARTIAL_NAME', reason: why };
  }
  let plan = planHere(c, next, sameOrigin);
  // A value written there ends the token; one dropped (in a comment) leaves it open, and so
  // may an empty one: a `$` before an empty value in a template literal still meets what
  // follows (`${{ v }}{`), so it stays (JSON values are never empty).
  if (plan.kind === 'escape' && plan.after.codeTail !== '') {
    const codeTail = plan.after.state === 'JS_TMPL' && plan.after.codeTail.includes('$') ? '$' : '';
    plan = { ...plan, after: withCtx(plan.after, { codeTail }) };
  }
  // Only the first value of an action can be the whole action (F.FORM_ACTION_VALUE).
  if (plan.kind !== 'error' && (plan.after.flags & F.FORM_ACTION_VALUE) !== 0)
    plan = { ...plan, after: withCtx(plan.after, { flags: plan.after.flags & ~F.FORM_ACTION_VALUE }) };
  // After `&` (where references are decoded): the value's first character as a reference,
  // so that it cannot complete one (`&` and `lt;` would make `<`).
  if (plan.kind !== 'escape' || (c.flags & F.OPEN_REF) === 0) return plan;
  return { ...plan, chain: [...plan.chain, 'refStart'] };
}

/** holePlan for a context that is not a region. */
function planHere(c: Context, next: string | undefined, sameOrigin: boolean): HolePlan {
  const esc = (chain: EscaperName[], after: Context = c, prefix = ''): HolePlan => ({
    kind: 'escape',
    chain: c.delim === 'none' ? [...chain, ...edgeStep(c)] : [...chain, ...edgeStep(c), attrStep(c)],
    prefix,
    ctx: c,
    after,
  });
  switch (c.state) {
    case 'HTML_TEXT': {
      if (c.element === 'none' && c.stack !== '') {
        // Text in SVG or MathML: HTML text, but Markup there is read as SVG or MathML.
        if (inForeignScript(c.stack)) return foreignScriptError(c);
        if (markupIsForeign(c.stack)) return esc(['foreignText'], withCtx(c, { flags: c.flags & ~F.AT_LEADING_NEWLINE }));
      }
      const after = withCtx(c, { flags: c.flags & ~(F.AT_LEADING_NEWLINE | F.OPEN_TAG) });
      // After `<` in raw text, a U+200B first: what the value writes cannot end the element.
      const prefix = (c.flags & F.AT_LEADING_NEWLINE) !== 0 ? '\n' : (c.flags & F.OPEN_TAG) !== 0 ? '\u200b' : '';
      return esc([TEXT_ESCAPERS[c.element]], after, prefix);
    }
    case 'HTML_CDATA':
      // `]]>`, the value as text, `<![CDATA[`: the value cannot end the section, and reads
      // back as itself (CDATA holds no references, the text between the sections does).
      if (inForeignScript(c.stack)) return foreignScriptError(c);
      return esc(['cdata'], withCtx(c, { rawTail: '' }));
    case 'HTML_TAG_NAME':
      return {
        kind: 'error',
        ctx: c,
        code: 'TEMPLATE_PARTIAL_NAME',
        reason: 'a value continues a tag name; write the whole tag name in the template',
      };
    case 'HTML_ATTR_NAME':
      return {
        kind: 'error',
        ctx: c,
        code: 'TEMPLATE_PARTIAL_NAME',
        reason: 'a value continues an attribute name; write the whole attribute name in the template',
      };
    case 'HTML_TAG':
    case 'HTML_AFTER_NAME':
      if ((c.flags & (F.JOINED_NAME | F.JOINED_VALUE)) !== 0) {
        return {
          kind: 'error',
          ctx: c,
          code: 'TEMPLATE_PARTIAL_NAME',
          reason: 'a value right after an if or a loop that ends inside a start tag could continue a name or an unquoted value; put a space before it',
        };
      }
      if ((c.flags & F.END_TAG) !== 0) {
        return { kind: 'error', ctx: c, code: 'TEMPLATE_VALUE_IN_TAG', reason: 'a value inside an end tag' };
      }
      if (c.element === 'annotation-xml' || (c.tag === 'font' && startRules(c.stack, 'font') === 'foreign')) {
        return {
          kind: 'error',
          ctx: c,
          code: 'TEMPLATE_FOREIGN_CONTENT',
          reason: `an attribute name from a value on <${c.tag}> in ${describe(c.stack)}: the attribute could decide whether what follows is HTML (encoding on annotation-xml; color, face or size on font); write the attribute in the template`,
        };
      }
      return { kind: 'name', ctx: c, after: withCtx(c, { state: 'HTML_ATTR_NAME', attr: 'plain', flags: c.flags & ~(JOINED_BITS | F.SLASH) }) };
    case 'HTML_BEFORE_VALUE': {
      // `<a href={{ u }}>`: Palisade quotes the value, so that an empty value or one with
      // spaces stays one attribute; the closing quote is inserted where the value ends.
      const inner = enterValue(c, 'unqq', '', 0);
      if (inner.state === 'ERROR') return { kind: 'error', ctx: inner, code: inner.err!.code, reason: inner.err!.reason };
      const p = holePlan(inner, next, sameOrigin);
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
          kind: 'error',
          ctx: c,
          code: 'TEMPLATE_AMBIGUOUS_URL',
          reason: 'a value in a URL where the branches or loop before it leave it unclear whether the URL has started',
        };
      }
      // SVG animation values: every `;`-separated item is filtered as a URL, wherever the
      // value stands (it may write a `;` and start an item of its own).
      if (c.attr === 'anim') return esc(['animValues'], withCtx(c, { urlPart: 'value' }));
      if (c.attr === 'srcset') {
        // At the start of a candidate: the rest of the list when the attribute ends right
        // after the value (`srcset="{{ images }}"`), else one URL (`srcset="{{ u }} 2x"`).
        // As after any URL a value starts, the text after must not extend its scheme.
        if (c.urlPart === 'start') return esc([endsValue(c, next) ? 'srcset' : 'srcsetURL'], withCtx(c, { urlPart: 'value' }));
        if (c.urlPart === 'descriptor') return esc(['srcsetDescriptor']);
        return esc(['urlPart']);
      }
      if (sameOrigin && c.attr === 'form-action' && c.urlPart === 'start' && (c.flags & F.FORM_ACTION_VALUE) !== 0 && endsValue(c, next)) {
        // The whole action of a form, a path on this site: the form keeps its CSRF field.
        const flags = c.flags & ~(F.FORM_ACTION_UNSAFE | F.FORM_ACTION_VALUE);
        return esc(['sameOriginURL'], withCtx(c, { urlPart: 'value', flags }));
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
        kind: 'error',
        ctx: c,
        code: 'TEMPLATE_AMBIGUOUS_URL',
        reason:
          'a value inside a refresh content where it could change where the URL starts; write the value at the start of the content, or right after `url=`',
      };
    case 'JS_EXPR':
      // After a name (`typeof`, `return`), a space: `typeofnull` and `return1` are names too.
      return esc(['jsValue'], withCtx(c, { jsCtx: 'div' }), c.codeTail.includes('w') ? ' ' : '');
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
          kind: 'error',
          ctx: c,
          code: 'TEMPLATE_AMBIGUOUS_URL',
          reason:
            'a value right after another at the start of a CSS string that CSS may read as a URL: together they could form a scheme; write them as one value',
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

/** The refusal of a value in the text of an SVG or MathML `<script>` or `<style>`. */
function foreignScriptError(c: Context): HolePlan {
  return {
    kind: 'error',
    ctx: c,
    code: 'TEMPLATE_FOREIGN_CONTENT',
    reason: `a value in the text of a <script> or <style> inside ${describe(c.stack)}: there it is markup, whose decoded text SVG runs as script or CSS; put the <script> or <style> outside the <svg> or <math>, or pass the value in a data- attribute`,
  };
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
