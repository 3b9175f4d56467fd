/**
 * Transitions for CSS: inside `<style>` and `style=""` (whose text the caller has already
 * decoded from character references).
 *
 * They follow the tokenizer of CSS Syntax Level 3 (§4.3): strings end at their quote or at
 * a newline (§4.3.5), `\` escapes the next character (§4.3.7), comments run from `/*` to
 * `*\/` (§4.3.2), and `url(` starts a URL — unquoted (§4.3.6 consume a url token, ended by
 * `)`), or quoted, which is a function taking a string.
 */
import { type Context, type UrlPart, errorCtx, withCtx } from './context.js';
import { schemeAfterValue } from '../escape/url.js';

type Result = [Context, number];

const isWS = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isNameChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c >= 0x80;

/** `p { color: | }` — outside strings and comments. */
export function tCSS(c: Context, s: string, i: number, end: number): Result {
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 34) return [withCtx(c, { state: 'CSS_DQ_STR' }), j + 1];
    if (ch === 39) return [withCtx(c, { state: 'CSS_SQ_STR' }), j + 1];
    if (ch === 92) {
      j++;
      continue;
    }
    if (ch === 47 && j + 1 < end && s.charCodeAt(j + 1) === 42) return [withCtx(c, { state: 'CSS_CMT' }), j + 2];
    if (ch === 40 /* ( */ && j >= i + 3 && s.slice(j - 3, j).toLowerCase() === 'url' && (j - 4 < 0 || !isNameChar(s.charCodeAt(j - 4)))) {
      let k = j + 1;
      while (k < end && isWS(s.charCodeAt(k))) k++;
      if (k < end && s.charCodeAt(k) === 34) return [withCtx(c, { state: 'CSS_DQ_URL', urlPart: 'start' }), k + 1];
      if (k < end && s.charCodeAt(k) === 39) return [withCtx(c, { state: 'CSS_SQ_URL', urlPart: 'start' }), k + 1];
      return [withCtx(c, { state: 'CSS_URL', urlPart: 'start' }), k];
    }
  }
  return [c, end];
}

function cssString(quote: number): (c: Context, s: string, i: number, end: number) => Result {
  return (c, s, i, end) => {
    for (let j = i; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (ch === 92) j++;
      else if (ch === quote || ch === 10 || ch === 12 || ch === 13) return [withCtx(c, { state: 'CSS' }), j + 1];
    }
    return [c, end];
  };
}

/** `"|"` */
export const tCSSDqStr = cssString(34);
/** `'|'` */
export const tCSSSqStr = cssString(39);

/**
 * The URL part after text s[i, end) of a url(): `rest` once anything but whitespace is
 * written. Right after a value at the start (`value`), text that continues the value's
 * scheme into a `:` is refused, as in URL attributes (transition.ts `afterURLValue`).
 */
function urlPartAfter(c: Context, s: string, i: number, end: number): Context {
  if (c.urlPart === 'value') {
    const scheme = schemeAfterValue(s, i, end);
    if (scheme === 'colon') {
      return errorCtx(c, 'TEMPLATE_AMBIGUOUS_URL', 'text right after a value at the start of a url() continues its scheme (`…:`), so the value would choose the scheme unchecked; pass the whole URL as one value');
    }
    return scheme === 'open' ? c : withCtx(c, { urlPart: 'rest' });
  }
  let part: UrlPart = c.urlPart;
  if (part !== 'rest') for (let j = i; j < end; j++) if (!isWS(s.charCodeAt(j))) part = 'rest';
  return part === c.urlPart ? c : withCtx(c, { urlPart: part });
}

function cssQuotedURL(quote: number): (c: Context, s: string, i: number, end: number) => Result {
  return (c, s, i, end) => {
    let k = end;
    for (let j = i; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (ch === 92) j++;
      else if (ch === quote || ch === 10 || ch === 12 || ch === 13) {
        k = j;
        break;
      }
    }
    const after = urlPartAfter(c, s, i, k);
    if (after.state === 'ERROR' || k === end) return [after, k === end ? end : i];
    return [withCtx(c, { state: 'CSS', urlPart: 'none' }), k + 1];
  };
}

/** `url("|")` */
export const tCSSDqURL = cssQuotedURL(34);
/** `url('|')` */
export const tCSSSqURL = cssQuotedURL(39);

/** `url(|)` */
export function tCSSURL(c: Context, s: string, i: number, end: number): Result {
  let k = end;
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === 41) {
      k = j;
      break;
    }
  }
  const after = urlPartAfter(c, s, i, k);
  if (after.state === 'ERROR' || k === end) return [after, k === end ? end : i];
  return [withCtx(c, { state: 'CSS', urlPart: 'none' }), k + 1];
}

/** `/* | *\/` */
export function tCSSCmt(c: Context, s: string, i: number, end: number): Result {
  const k = s.indexOf('*/', i);
  if (k === -1 || k + 2 > end) return [c, end];
  return [withCtx(c, { state: 'CSS' }), k + 2];
}
