/**
 * Transitions for JavaScript: inside `<script>` and inside event-handler attributes
 * (whose text the caller has already decoded from character references).
 *
 * Each function reads static text from `i` up to `end` and returns the context it leads
 * to and the index where it stopped. They follow the lexical grammar of ECMAScript 2024
 * §12: string literals (§12.9.4), template literals with `${}` substitutions (§12.9.6),
 * regular expression literals (§12.9.5), comments (§12.4) including the HTML-like
 * comments `<!--` and `-->` of Annex B.1.1. Whether a `/` starts a regular expression or
 * is a division depends on the token before it; like Go's `nextJSCtx`, the last token
 * decides (an identifier, number, `)` or `]` means division; punctuation or one of the
 * keywords below means a regular expression).
 */
import { type Context, type JsCtx, errorCtx, withCtx } from './context.js';

type Result = [Context, number];

// Keywords after which an expression (and so a regexp) can start.
const REGEXP_KEYWORDS = new Set([
  'break', 'case', 'continue', 'delete', 'do', 'else', 'finally', 'in', 'instanceof', 'return', 'throw',
  'try', 'typeof', 'void', 'yield', 'await', 'new', 'of',
]);

const isSpace = (c: number): boolean =>
  c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
const isIdent = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95 || c === 92 || c === 35 || (c >= 0x80 && c !== 0x2028 && c !== 0x2029 && c !== 0xa0 && c !== 0xfeff);

/** True when only spaces precede `i` on its line within [start, i): where `-->` is a comment. */
function atLineStart(s: string, start: number, i: number): boolean {
  for (let k = i - 1; k >= start; k--) {
    const c = s.charCodeAt(k);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
    if (!isSpace(c)) return false;
  }
  return start === 0;
}

/** `var x = |` — an expression, between tokens. */
export function tJSExpr(c: Context, s: string, i: number, end: number): Result {
  let jsCtx: JsCtx = c.jsCtx;
  let j = i;
  while (j < end) {
    const ch = s.charCodeAt(j);
    if (isSpace(ch)) {
      j++;
      continue;
    }
    switch (ch) {
      case 34: // "
        return [withCtx(c, { state: 'JS_DQ_STR', jsCtx }), j + 1];
      case 39: // '
        return [withCtx(c, { state: 'JS_SQ_STR', jsCtx }), j + 1];
      case 96: // `
        return [withCtx(c, { state: 'JS_TMPL', jsCtx }), j + 1];
      case 47: { // /
        const n = s.charCodeAt(j + 1);
        if (j + 1 < end && n === 47) return [withCtx(c, { state: 'JS_LINE_CMT', jsCtx }), j + 2];
        if (j + 1 < end && n === 42) return [withCtx(c, { state: 'JS_BLOCK_CMT', jsCtx }), j + 2];
        if (jsCtx === 'regexp') return [withCtx(c, { state: 'JS_REGEXP', jsCtx }), j + 1];
        if (jsCtx === 'unknown') {
          return [
            errorCtx(c, 'TEMPLATE_AMBIGUOUS_JS_SLASH', "'/' could start a regular expression or be a division: the branches or loop before it end differently"),
            j,
          ];
        }
        jsCtx = 'regexp';
        j++;
        continue;
      }
      case 123: { // {
        if (c.jsBraces.length > 0) {
          const b = c.jsBraces.slice();
          b[b.length - 1]!++;
          c = withCtx(c, { jsBraces: b });
        }
        jsCtx = 'regexp';
        j++;
        continue;
      }
      case 125: { // }
        if (c.jsBraces.length > 0) {
          const b = c.jsBraces.slice();
          if (b[b.length - 1] === 0) {
            b.pop();
            return [withCtx(c, { state: 'JS_TMPL', jsBraces: b, jsCtx: 'regexp' }), j + 1];
          }
          b[b.length - 1]!--;
          c = withCtx(c, { jsBraces: b });
        }
        jsCtx = 'regexp';
        j++;
        continue;
      }
      case 60: // <
        if (s.startsWith('<!--', j) && j + 4 <= end) return [withCtx(c, { state: 'JS_LINE_CMT', jsCtx }), j + 4];
        jsCtx = 'regexp';
        j++;
        continue;
      case 43: // +
      case 45: // -
        if (ch === 45 && s.startsWith('-->', j) && j + 3 <= end && atLineStart(s, i, j)) {
          return [withCtx(c, { state: 'JS_LINE_CMT', jsCtx }), j + 3];
        }
        if (j + 1 < end && s.charCodeAt(j + 1) === ch) {
          jsCtx = 'div'; // `x++ / 2`: postfix is far more common before a slash
          j += 2;
        } else {
          jsCtx = 'regexp';
          j++;
        }
        continue;
      case 41: // )
      case 93: // ]
        jsCtx = 'div';
        j++;
        continue;
      default:
        if (isIdent(ch)) {
          let k = j + 1;
          while (k < end && isIdent(s.charCodeAt(k))) k++;
          const word = s.slice(j, k);
          jsCtx = REGEXP_KEYWORDS.has(word) ? 'regexp' : 'div';
          j = k;
          continue;
        }
        if (ch === 46 /* . */ && j + 1 < end && s.charCodeAt(j + 1) >= 48 && s.charCodeAt(j + 1) <= 57) {
          jsCtx = 'div';
          j++;
          continue;
        }
        jsCtx = 'regexp';
        j++;
    }
  }
  return [withCtx(c, { jsCtx }), end];
}

function quoted(quote: number): (c: Context, s: string, i: number, end: number) => Result {
  return (c, s, i, end) => {
    for (let j = i; j < end; j++) {
      const ch = s.charCodeAt(j);
      if (ch === 92) j++;
      else if (ch === quote) return [withCtx(c, { state: 'JS_EXPR', jsCtx: 'div' }), j + 1];
    }
    return [c, end];
  };
}

/** `"|"` */
export const tJSDqStr = quoted(34);
/** `'|'` */
export const tJSSqStr = quoted(39);

/** `` `|` `` — template literal text; `${` opens a substitution. */
export function tJSTmpl(c: Context, s: string, i: number, end: number): Result {
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === 96) return [withCtx(c, { state: 'JS_EXPR', jsCtx: 'div' }), j + 1];
    else if (ch === 36 && j + 1 < end && s.charCodeAt(j + 1) === 123) {
      return [withCtx(c, { state: 'JS_EXPR', jsCtx: 'regexp', jsBraces: [...c.jsBraces, 0] }), j + 2];
    }
  }
  return [c, end];
}

/** `/|/` — a regular expression literal; `/` inside `[...]` does not end it. */
export function tJSRegexp(c: Context, s: string, i: number, end: number): Result {
  let inClass = false;
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === 91) inClass = true;
    else if (ch === 93) inClass = false;
    else if (ch === 47 && !inClass) return [withCtx(c, { state: 'JS_EXPR', jsCtx: 'div' }), j + 1];
  }
  return [c, end];
}

/** `// |` — ends at a line terminator (§12.3). */
export function tJSLineCmt(c: Context, s: string, i: number, end: number): Result {
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) return [withCtx(c, { state: 'JS_EXPR' }), j + 1];
  }
  return [c, end];
}

/** `/* | *\/` */
export function tJSBlockCmt(c: Context, s: string, i: number, end: number): Result {
  const k = s.indexOf('*/', i);
  if (k === -1 || k + 2 > end) return [c, end];
  return [withCtx(c, { state: 'JS_EXPR' }), k + 2];
}
