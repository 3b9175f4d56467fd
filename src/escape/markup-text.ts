/**
 * The text of Markup, apart from its markup: `splitMarkup` cuts HTML into the runs the
 * tokenizer reads as text (HTML Living Standard §13.2.5.1, data state) and everything else
 * (tags with their attributes, comments, doctypes, and the content of elements whose
 * content is not markup). Filters that change Markup's text (`|urlize`, `|replace`,
 * `|indent`, `|trim`) change only the text runs: what they add there is read as text or as the
 * elements they mean to add, never inside a tag, where a space and `=` would start an
 * attribute (`<p title="{{ bio }}">` urlized once gave `bio` an event handler).
 *
 * Rule: a run ends where the tokenizer leaves the data state, and starts again where it
 * returns to it. Each token is found as the tokenizer finds its end, or later, never
 * earlier, so text is never taken for more than it is:
 * - a start or end tag (`<` or `</` and a letter, §13.2.5.6–8) ends at the first `>` outside
 *   a quoted attribute value; a value is quoted when `"` or `'` follows an `=` and optional
 *   whitespace (§13.2.5.32–36). Every `=` is taken to start a value, which can only make the
 *   tag longer than the tokenizer's;
 * - a comment (`<!--`, §13.2.5.43–52) ends at the first `-->` (the abrupt `<!-->` and
 *   `<!--->` included) or `--!>`;
 * - `<![CDATA[` ends at `]]>` (a CDATA section in SVG and MathML, §13.2.5.69; in HTML a
 *   bogus comment that ends at the first `>`, which is no later);
 * - other `<!`, `<?` and `</` before a character that is not a letter start a bogus comment
 *   (§13.2.5.41), which ends at the first `>`; `</>` is dropped (§13.2.5.7);
 * - after the start tag of `script`, `style`, `textarea`, `title`, `xmp`, `iframe`,
 *   `noembed`, `noframes`, `noscript` or `plaintext`, everything up to its end tag
 *   (§13.2.5.2–5) is content, not text runs. Inside SVG and MathML some of these hold
 *   markup; leaving it unchanged is what any other place outside a text run gets.
 * - a `<` before anything else is text.
 */
import { rawTextEnd } from './html.js';

// Elements whose content the tokenizer reads as script data, RAWTEXT, RCDATA or PLAINTEXT
// (§13.2.6.4.7 "in body"), and noscript, whose content is raw text when scripting is on.
const RAW_CONTENT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;

/** The end of a tag whose name starts at `k`: after its `>`, or the end of the text. */
function tagEnd(html: string, k: number): number {
  const n = html.length;
  while (k < n) {
    const c = html.charCodeAt(k);
    if (c === 62 /* > */) return k + 1;
    k++;
    if (c !== 61 /* = */) continue;
    while (k < n && isWS(html.charCodeAt(k))) k++;
    const q = html.charCodeAt(k);
    if (q === 34 || q === 39) {
      const close = html.indexOf(html[k]!, k + 1);
      if (close === -1) return n;
      k = close + 1;
    }
  }
  return n;
}

/** The end of the comment whose `<!--` is at `i`: after `-->` (also `<!-->`, `<!--->`) or `--!>`. */
function commentEnd(html: string, i: number): number {
  for (let k = html.indexOf('--', i + 2); k !== -1; k = html.indexOf('--', k + 1)) {
    if (html.charCodeAt(k + 2) === 62) return k + 3;
    if (k >= i + 4 && html.charCodeAt(k + 2) === 33 && html.charCodeAt(k + 3) === 62) return k + 4;
  }
  return html.length;
}

/** Where the token that starts with the `<` at `i` ends; `i` when that `<` is text. */
function tokenEnd(html: string, i: number): number {
  const n = html.length;
  const after = (s: string, from: number, len: number): number => {
    const k = html.indexOf(s, from);
    return k === -1 ? n : k + len;
  };
  const c = html.charCodeAt(i + 1);
  if (isAlpha(c)) return tagEnd(html, i + 1);
  if (c === 47 /* / */) {
    const d = html.charCodeAt(i + 2);
    if (isAlpha(d)) return tagEnd(html, i + 2);
    if (d === 62) return i + 3;
    return i + 2 >= n ? i : after('>', i + 2, 1);
  }
  if (c === 33 /* ! */) {
    if (html.startsWith('<!--', i)) return commentEnd(html, i);
    if (html.startsWith('<![CDATA[', i)) return after(']]>', i + 9, 3);
    return after('>', i + 2, 1);
  }
  if (c === 63 /* ? */) return after('>', i + 2, 1);
  return i;
}

/**
 * Cuts `html` into text runs and the rest, alternately: the items at even indexes are
 * text runs (possibly empty), those at odd indexes markup. Joined, they are `html`.
 */
export function splitMarkup(html: string): string[] {
  const out: string[] = [];
  let from = 0;
  let i = html.indexOf('<');
  while (i !== -1) {
    const end = tokenEnd(html, i);
    if (end === i) {
      i = html.indexOf('<', i + 1);
      continue;
    }
    let next = end;
    if (isAlpha(html.charCodeAt(i + 1))) {
      let k = i + 1;
      while (k < end && !isWS(html.charCodeAt(k)) && html[k] !== '/' && html[k] !== '>') k++;
      const name = html.slice(i + 1, k).toLowerCase();
      if (RAW_CONTENT.has(name)) next = rawTextEnd(html, end, name);
    }
    out.push(html.slice(from, i), html.slice(i, next));
    from = next;
    i = html.indexOf('<', next);
  }
  out.push(html.slice(from));
  return out;
}

/** `html` with `f` applied to each of its text runs (see splitMarkup); the rest is kept as it is. */
export function mapMarkupText(html: string, f: (text: string) => string): string {
  if (html.indexOf('<') === -1) return f(html);
  const parts = splitMarkup(html);
  for (let k = 0; k < parts.length; k += 2) parts[k] = f(parts[k]!);
  return parts.join('');
}

// A character reference as the tokenizer may read one in text (§13.2.5.72): named, with or
// without `;`, or numeric.
const CHAR_REF = /&(?:#[xX][0-9a-fA-F]*|#[0-9]*|[A-Za-z][A-Za-z0-9]*);?/g;

/**
 * `html` with `f` applied to the text of its text runs, between character references, which
 * keep their spelling: `&amp;` and `&nbsp;` are names, and `&NBSP;` is no reference at all.
 * The case filters on Markup use it: a tag, a script or a style keeps its bytes, as an escape
 * in them changed in case means something else (`\u0022` in a script is `U0022` once
 * upper-cased, and a syntax error in JSON or a `u` regular expression).
 */
export function mapMarkupLetters(html: string, f: (text: string) => string): string {
  const outsideRefs = (t: string): string => {
    if (t.indexOf('&') === -1) return f(t);
    let out = '';
    let from = 0;
    for (const m of t.matchAll(CHAR_REF)) {
      out += f(t.slice(from, m.index)) + m[0];
      from = m.index + m[0].length;
    }
    return out + f(t.slice(from));
  };
  return mapMarkupText(html, outsideRefs);
}

/**
 * `html` with `trimStart` applied to its leading text run and `trimEnd` to its trailing
 * one: a trim stops at the first tag from either end, and never takes a tag's `>` (which
 * left the tag open, so that text after it became its attributes).
 */
export function trimMarkupText(html: string, trimStart: (text: string) => string, trimEnd: (text: string) => string): string {
  if (html.indexOf('<') === -1) return trimEnd(trimStart(html));
  const parts = splitMarkup(html);
  parts[0] = trimStart(parts[0]!);
  parts[parts.length - 1] = trimEnd(parts[parts.length - 1]!);
  return parts.join('');
}
