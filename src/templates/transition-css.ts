/**
 * Transitions for CSS: inside `<style>` and `style=""` (whose text the caller has already
 * decoded from character references).
 *
 * They follow the tokenizer of CSS Syntax Level 3 (§4.3): strings end at their quote or at
 * a newline (§4.3.5), `\` escapes the next character (§4.3.7), comments run from `/*` to
 * `*\/` (§4.3.2), and `url(` starts a URL — unquoted (§4.3.6 consume a url token, ended by
 * `)`), or quoted, which is a function taking a string.
 *
 * A string is also read as a URL by `@import`, `@namespace`, `image-set()`, `image()`,
 * `cross-fade()` and `src()` (CSS Cascade §6.1, CSS Images 4 §2.2–2.4, CSS Values 4 §4.5),
 * and through a custom property that one of them reads with `var()`. So a value at the
 * start of a string is filtered like a URL, unless the string is in the value of a
 * property that reads strings as text (TEXT_PROPERTIES: `content`, `font-family`, …) and
 * outside those functions: F.CSS_TEXT_PROP marks that, from the property's `:` to the
 * declaration's end.
 */
import { type Context, F, type UrlPart, errorCtx, withCtx } from './context.js';
import { schemeAfterValue } from '../escape/url.js';
import { quotedRunEnd } from './quoted-run.js';

type Result = [Context, number];

const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isNameChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c >= 0x80;

// Properties and descriptors whose <string> values are text, never URLs (CSS Generated
// Content §2 content/quotes, Fonts 4 font-family/font/font-feature-settings/…, Lists 3,
// Overflow 4 text-overflow, Text Decoration 3 text-emphasis, Text 4 hyphenate-character,
// Grid 2 grid-template-areas, GCPM string-set/bookmark-label, Counter Styles 3 descriptors).
const TEXT_PROPERTIES = new Set([
  'content',
  'quotes',
  'font-family',
  'font',
  'font-feature-settings',
  'font-variation-settings',
  'font-language-override',
  'list-style-type',
  'list-style',
  'text-overflow',
  'text-emphasis-style',
  'text-emphasis',
  'hyphenate-character',
  'grid-template-areas',
  'grid-template',
  'grid',
  'string-set',
  'bookmark-label',
  'prefix',
  'suffix',
  'symbols',
  'pad',
  'negative',
  'additive-symbols',
]);

// Functions whose <string> arguments are URLs.
const URL_FUNCTIONS = new Set(['image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade', 'src']);

/** The name that ends right before `j` in s[i, j) (after optional spaces), lower-cased. */
function nameBefore(s: string, i: number, j: number): string {
  let k = j;
  while (k > i && isWS(s.charCodeAt(k - 1))) k--;
  const e = k;
  while (k > i && isNameChar(s.charCodeAt(k - 1))) k--;
  return s.slice(k, e).toLowerCase();
}

/** `p { color: | }` — outside strings and comments. */
export function tCSS(c: Context, s: string, i: number, end: number): Result {
  let flags = c.flags;
  const at = (changes: Partial<Context>, k: number): Result => [withCtx(c, { ...changes, flags }), k];
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    // A string read as text has no URL part; any other starts like a URL.
    if (ch === 34 || ch === 39) {
      const urlPart = (flags & F.CSS_TEXT_PROP) !== 0 ? 'none' : 'start';
      return at({ state: ch === 34 ? 'CSS_DQ_STR' : 'CSS_SQ_STR', urlPart }, j + 1);
    }
    if (ch === 92) {
      j++;
      continue;
    }
    if (ch === 47 && j + 1 < end && s.charCodeAt(j + 1) === 42) return at({ state: 'CSS_CMT' }, j + 2);
    if (ch === 58 /* : */) {
      flags = TEXT_PROPERTIES.has(nameBefore(s, i, j)) ? flags | F.CSS_TEXT_PROP : flags & ~F.CSS_TEXT_PROP;
    } else if (ch === 59 || ch === 123 || ch === 125) {
      flags &= ~F.CSS_TEXT_PROP; // the declaration ends
    } else if (ch === 40 /* ( */) {
      const fn = nameBefore(s, i, j);
      if (URL_FUNCTIONS.has(fn)) flags &= ~F.CSS_TEXT_PROP;
      if (fn === 'url' && (j - 4 < i || !isNameChar(s.charCodeAt(j - 4)))) {
        let k = j + 1;
        while (k < end && isWS(s.charCodeAt(k))) k++;
        if (k < end && s.charCodeAt(k) === 34) return at({ state: 'CSS_DQ_URL', urlPart: 'start' }, k + 1);
        if (k < end && s.charCodeAt(k) === 39) return at({ state: 'CSS_SQ_URL', urlPart: 'start' }, k + 1);
        return at({ state: 'CSS_URL', urlPart: 'start' }, k);
      }
    }
  }
  return flags === c.flags ? [c, end] : [withCtx(c, { flags }), end];
}

/**
 * A quoted run of CSS: a string (`close` a quote; it ends at a newline too), in url() or
 * not, or an unquoted url() (`close` is `)`), scanned by quoted-run.ts. Unless the property
 * reads a string as text, the run may be a URL: its start is tracked (see urlPartAfter).
 */
function cssRun(close: number, inURL: boolean): (c: Context, s: string, i: number, end: number) => Result {
  return (c, s, i, end) => {
    const j = quotedRunEnd(s, i, end, close, close !== 41);
    const k = j === -1 ? end : j;
    const after = !inURL && (c.flags & F.CSS_TEXT_PROP) !== 0 ? c : urlPartAfter(c, s, i, k, inURL ? 'url()' : 'string');
    if (after.state === 'ERROR' || k === end) return [after, k === end ? end : i];
    return [withCtx(c, { state: 'CSS', urlPart: 'none' }), k + 1];
  };
}

/** `"|"` */
export const tCSSDqStr = cssRun(34, false);
/** `'|'` */
export const tCSSSqStr = cssRun(39, false);

/**
 * The URL part after text s[i, end) of a url(): `rest` once anything but whitespace is
 * written. Right after a value at the start (`value`), text that continues the value's
 * scheme into a `:` is refused, as in URL attributes (transition.ts `afterURLValue`).
 */
function urlPartAfter(c: Context, s: string, i: number, end: number, what = 'url()'): Context {
  if (c.urlPart === 'value') {
    const scheme = schemeAfterValue(s, i, end);
    if (scheme === 'colon') {
      return errorCtx(
        c,
        'TEMPLATE_AMBIGUOUS_URL',
        `text right after a value at the start of a CSS ${what} continues a URL scheme (\`…:\`), so the value would choose the scheme unchecked; pass the whole URL as one value`,
      );
    }
    return scheme === 'open' ? c : withCtx(c, { urlPart: 'rest' });
  }
  let part: UrlPart = c.urlPart;
  if (part !== 'rest') for (let j = i; j < end; j++) if (!isWS(s.charCodeAt(j))) part = 'rest';
  return part === c.urlPart ? c : withCtx(c, { urlPart: part });
}

/** `url("|")` */
export const tCSSDqURL = cssRun(34, true);
/** `url('|')` */
export const tCSSSqURL = cssRun(39, true);

/** `url(|)` */
export const tCSSURL = cssRun(41, true);

/** `/* | *\/` */
export function tCSSCmt(c: Context, s: string, i: number, end: number): Result {
  const k = s.indexOf('*/', i);
  if (k === -1 || k + 2 > end) return [c, end];
  return [withCtx(c, { state: 'CSS' }), k + 2];
}
