/**
 * What the compiler writes into static text besides the template's own (analyze.ts): the
 * closing quote of an attribute value it quoted, the CSP nonce before the `>` of
 * `<script>`/`<style>`, the CSRF field after the `>` of a same-origin POST `<form>`. Inside
 * `srcdoc` values (HTML §4.8.5, an HTML document in an attribute) each of these is escaped
 * for the attribute it is in, once per level (`wrap`), as a value's text would be
 * (HTML §13.1.2.3: `&` and the delimiting quote, or what ends an unquoted value).
 */
import type { Context } from './context.js';
import { escapeHTML, escapeHTMLUnquoted } from '../escape/html.js';

/** An escaper that writes text into an attribute value; see attrStep. */
export type AttrStep = 'attr' | 'attrUnquoted';

/** The escaper that writes text into the attribute value `c` is in (it has a delimiter). */
export function attrStep(c: Context): AttrStep {
  return c.delim === 'unq' ? 'attrUnquoted' : 'attr';
}

/** Static text written into an attribute value, as `step` writes a value's text. */
export function escapeStatic(step: AttrStep, text: string): string {
  return step === 'attr' ? escapeHTML(text) : escapeHTMLUnquoted(text);
}

/** Something the compiler writes into static text at an offset. */
export interface Insert {
  readonly at: number;
  /**
   * `quote`: a `"`; `nonce`: ` nonce="…"` when the request has one; `csrf`: the hidden CSRF
   * input; `no-csrf`: nothing, it marks the end of a POST form's start tag that gets no CSRF
   * field (its action may leave this site), for `palisade check` (Templates.check).
   */
  readonly kind: 'quote' | 'nonce' | 'csrf' | 'no-csrf';
  /** Inside `srcdoc` values: the escapers the text goes through, innermost value first. */
  readonly wrap: readonly AttrStep[];
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
    if (ins.kind === 'no-csrf') continue;
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
