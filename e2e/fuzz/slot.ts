/**
 * A slot: one place in a page where a value can land, as a fragment of static HTML with
 * a hole in it (`before` + value + `after`), complete on its own (it starts and ends in
 * HTML text). The slot families (slots-*.ts) generate them; constructs.ts moves the hole
 * through template constructs; the judge loads the result.
 */

/** The reference value: plain letters that every context writes as they are. */
export const REF = 'zqREFqz';

/**
 * How the judge reads a value back from the element with id="t" (judge-page.js):
 * - `text`: its textContent; `value`: its value (textarea); `attr`: an attribute;
 * - `raw`: the textContent of a raw-text element, which decodes nothing;
 * - `html-source`: the textContent of an element whose content is HTML for another reader,
 *   parsed as HTML, then its text: `<noscript>` (shown only with scripts off, when its
 *   content is HTML) and data blocks such as `<script type="text/template">` (which client
 *   code inserts as HTML); Palisade escapes values there as HTML text on purpose
 *   (docs/templates.md, "Escaping by context");
 * - `js`: JSON of `window.__v` after the page's scripts and handlers ran;
 * - `regexp`: `window.__r` (source and flags);
 * - `json`: the element's text parsed as JSON, then written as JSON again;
 * - `url`: an attribute resolved as a URL; with `part`, decoded, as the value is one component;
 * - `srcset`: the first candidate of srcset, resolved;
 * - `css-prop`: a computed style, with the same value's computed style on a probe element;
 * - `css-quotes`: the first string of the computed `quotes`;
 * - `srcdoc`: the text of the document in srcdoc.
 */
export type Reader =
  | { readonly kind: 'text' | 'value' | 'raw' | 'html-source' | 'js' | 'regexp' | 'json' | 'srcset' | 'css-quotes' | 'srcdoc' }
  | { readonly kind: 'attr'; readonly name: string }
  | { readonly kind: 'url'; readonly name: string; readonly part: boolean }
  | { readonly kind: 'css-prop'; readonly prop: string };

/** Which benign values fit the slot: any text, URLs, CSS values of `cssProp`, or none. */
export type Pool = 'text' | 'url' | 'css' | 'none';

export interface Slot {
  /** The family and variant, for coverage counts: `attr-sq`, `js-regexp-after-paren`, … */
  readonly family: string;
  readonly before: string;
  readonly after: string;
  /** The value the reference render writes: REF, or a valid CSS value / descriptor. */
  readonly ref: string;
  /** How to read the value back (on the element with id="t"), or null. */
  readonly read: Reader | null;
  readonly pool: Pool;
  readonly cssProp?: string;
  /** Markup written here reads back as its text (HTML text, attributes, RCDATA, srcdoc). */
  readonly markupText: boolean;
  /** Attack fragments that fit this slot (with CODE_MARK for the code). */
  readonly hints: readonly string[];
}

/** ` id="t"` for the slot whose value is read back, else nothing. */
export type IdAttr = ' id="t"' | '';

export type Delim = 'dq' | 'sq' | 'unq';

/** Static text written inside an attribute value with delimiter `d`, as an author would. */
export function inAttr(d: Delim, s: string): string {
  let out = s.replace(/&/g, '&amp;');
  if (d === 'dq') return out.replace(/"/g, '&quot;');
  if (d === 'sq') return out.replace(/'/g, '&#39;');
  out = out.replace(/[\s"'<=`>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return out;
}

/** The quote that opens and closes a value with delimiter `d`. */
export function quote(d: Delim): string {
  return d === 'dq' ? '"' : d === 'sq' ? "'" : '';
}

/** A tag that makes a hidden script error or markup visible if a value ends its context early. */
export const TRIPWIRE = '<img src=x onerror=__pwned(0)>';
