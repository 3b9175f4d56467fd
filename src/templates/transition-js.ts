/**
 * Transitions for JavaScript: inside `<script>` and inside event-handler attributes
 * (whose text the caller has already decoded from character references).
 *
 * Each function reads static text from `i` up to `end` and returns the context it leads
 * to and the index where it stopped. They follow the lexical grammar of ECMAScript 2024
 * §12: string literals (§12.9.4), template literals with `${}` substitutions (§12.9.6),
 * regular expression literals (§12.9.5), comments (§12.4) including the HTML-like
 * comments `<!--` and `-->` of Annex B.1.1.
 *
 * Whether a `/` starts a regular expression or is a division is decided by the token
 * before it (context.ts `JsCtx`), as in Go's `nextJSCtx` (golang/go
 * src/html/template/js.go), and further where Go guesses:
 * - a `)` closes the `(` it matches: after the condition of `if`, `while`, `for`, `with` a
 *   statement follows (`if (a) /re/.test(s)`), after any other `(` a value (`(a + b) / 2`);
 * - a `}` closes a block (a statement follows), an object literal (a value follows), or a
 *   `{` that could be a function or class body, whose `}` is followed by either;
 * - `of`, `yield`, `await` and `let` are names in some scripts and keywords in others;
 * - a word after `.` is a property name, whatever it spells; `return` followed by a line
 *   break ends the statement (§12.10 automatic semicolon insertion).
 * Where the meaning is not known, a `/` is a compile error (TEMPLATE_AMBIGUOUS_JS_SLASH)
 * rather than a guess: a wrong guess would make the escaper read the rest of the script
 * differently from the browser.
 */
import { type Context, type JsCtx, errorCtx, slashMeaning, withCtx } from './context.js';
import { isDigit, isIdent, isLineTerminator, isSpace } from './js-chars.js';
import { quotedRunEnd } from './quoted-run.js';

type Result = [Context, number];

// What the token after a keyword may be (words not listed here are names: a value).
const KEYWORDS: ReadonlyMap<string, JsCtx> = new Map<string, JsCtx>([
  // A statement can start after these.
  ...['break', 'continue', 'do', 'else', 'finally', 'try'].map((k) => [k, 'stmt'] as const),
  // An expression follows these.
  ...['case', 'const', 'default', 'delete', 'extends', 'in', 'instanceof', 'new', 'throw', 'typeof', 'var', 'void'].map((k) => [k, 'regexp'] as const),
  ['return', 'return'],
  // A condition in parentheses follows these.
  ...['catch', 'for', 'if', 'switch', 'while', 'with'].map((k) => [k, 'cond'] as const),
  // Keywords in some scripts (modules, generators, async functions, strict code), names in others.
  ...['await', 'let', 'of', 'yield'].map((k) => [k, 'unknown'] as const),
]);

/** True when only spaces precede `i` on its line within [start, i): where `-->` is a comment. */
function atLineStart(s: string, start: number, i: number): boolean {
  for (let k = i - 1; k >= start; k--) {
    const c = s.charCodeAt(k);
    if (isLineTerminator(c)) return true;
    if (!isSpace(c)) return false;
  }
  return start === 0;
}

/** The kind of a word token that follows a token of kind `prev`. */
function wordCtx(word: string, prev: JsCtx): JsCtx {
  if (prev === 'dot') return 'div'; // a property name
  const k = KEYWORDS.get(word);
  if (k === undefined) return 'div';
  if (prev === 'unknown') return 'unknown'; // perhaps after a `.` on another path
  if (prev === 'cond' && word === 'await') return 'cond'; // `for await (`
  return k;
}

/** What a `{` opens after a token of kind `j`. */
function braceKind(j: JsCtx): string {
  if (j === 'stmt') return 'b';
  return j === 'regexp' || j === 'return' ? 'o' : 'u';
}

/** Why a `/` at `j` cannot be read, from the text before it in this run. */
function slashReason(s: string, i: number, j: number): string {
  let k = j - 1;
  while (k >= i && isSpace(s.charCodeAt(k))) k--;
  const before = k >= i ? s.charCodeAt(k) : -1;
  const tail = "; put the regular expression or the division in parentheses, or write it so that the token before the '/' decides";
  if (before === 125)
    return `'/' after a '}' that could close a block (a regular expression follows) or an object literal or function (a division follows)${tail}`;
  if (before === 41) return `'/' after a ')' whose '(' is not known to open the condition of if, while, for or with${tail}`;
  if (before !== -1 && isIdent(before)) return `'/' after a word that is a name in some scripts and a keyword in others (of, yield, await, let)${tail}`;
  return `'/' could start a regular expression or be a division: the branches or loop before it end differently${tail}`;
}

/** `var x = |` — an expression, between tokens. */
export function tJSExpr(c: Context, s: string, i: number, end: number): Result {
  let jsCtx: JsCtx = c.jsCtx;
  let nest = c.jsNest;
  const at = (state: Context['state'], k: number): Result => [withCtx(c, { state, jsCtx, jsNest: nest }), k];
  let j = i;
  while (j < end) {
    const ch = s.charCodeAt(j);
    if (isSpace(ch)) {
      if (jsCtx === 'return' && isLineTerminator(ch)) jsCtx = 'stmt';
      j++;
      continue;
    }
    switch (ch) {
      case 34: // "
        return at('JS_DQ_STR', j + 1);
      case 39: // '
        return at('JS_SQ_STR', j + 1);
      case 96: // `
        return at('JS_TMPL', j + 1);
      case 47: {
        // /
        const n = s.charCodeAt(j + 1);
        if (j + 1 < end && n === 47) return at('JS_LINE_CMT', j + 2);
        if (j + 1 < end && n === 42) return at('JS_BLOCK_CMT', j + 2);
        const meaning = slashMeaning(jsCtx);
        if (meaning === 'regexp') return at('JS_REGEXP', j + 1);
        if (meaning === 'unknown') return [errorCtx(c, 'TEMPLATE_AMBIGUOUS_JS_SLASH', slashReason(s, i, j)), j];
        jsCtx = 'regexp';
        j++;
        continue;
      }
      case 40: // (
        nest += jsCtx === 'cond' ? 'c' : jsCtx === 'unknown' ? 'q' : 'p';
        jsCtx = 'regexp';
        j++;
        continue;
      case 41: {
        // )
        const top = nest.charCodeAt(nest.length - 1);
        if (top === 99 /* c */ || top === 112 /* p */ || top === 113 /* q */) {
          nest = nest.slice(0, -1);
          jsCtx = top === 99 ? 'stmt' : top === 112 ? 'div' : 'unknown';
        } else {
          jsCtx = 'unknown'; // a `(` opened outside this template
        }
        j++;
        continue;
      }
      case 91: // [
        nest += 'k';
        jsCtx = 'regexp';
        j++;
        continue;
      case 93: // ]
        if (nest.endsWith('k')) nest = nest.slice(0, -1);
        jsCtx = 'div';
        j++;
        continue;
      case 123: {
        // {
        const kind = braceKind(jsCtx);
        nest += kind;
        jsCtx = kind === 'b' ? 'stmt' : kind === 'o' ? 'regexp' : 'colon';
        j++;
        continue;
      }
      case 125: {
        // }
        const top = nest.charCodeAt(nest.length - 1);
        if (top === 116 /* t */) {
          nest = nest.slice(0, -1);
          jsCtx = 'regexp'; // as at the literal's start: its end, a backtick, gives 'div'
          return at('JS_TMPL', j + 1);
        }
        if (top === 98 /* b */ || top === 111 /* o */ || top === 117 /* u */) {
          nest = nest.slice(0, -1);
          jsCtx = top === 98 ? 'stmt' : top === 111 ? 'div' : 'unknown';
        } else {
          jsCtx = 'unknown'; // a `{` opened outside this template
        }
        j++;
        continue;
      }
      case 59: // ;
        jsCtx = 'stmt';
        j++;
        continue;
      case 58: // :
        jsCtx = 'colon';
        j++;
        continue;
      case 61: // = (and `=>`, `==`, `===`)
        if (j + 1 < end && s.charCodeAt(j + 1) === 62) {
          jsCtx = 'stmt'; // an arrow function's body: a block or an expression
          j += 2;
        } else {
          jsCtx = 'regexp';
          j++;
        }
        continue;
      case 63: // ? (and `?.`, `??`)
        if (j + 1 < end && s.charCodeAt(j + 1) === 46 && !(j + 2 < end && isDigit(s.charCodeAt(j + 2)))) {
          jsCtx = 'dot';
          j += 2;
        } else {
          jsCtx = 'regexp';
          j++;
        }
        continue;
      case 46: // .
        if (j + 2 < end && s.charCodeAt(j + 1) === 46 && s.charCodeAt(j + 2) === 46) {
          jsCtx = 'regexp'; // spread
          j += 3;
        } else if (j + 1 < end && isDigit(s.charCodeAt(j + 1))) {
          j++;
          while (j < end && isIdent(s.charCodeAt(j))) j++; // `.5`, `.5e3`
          jsCtx = 'div';
        } else {
          jsCtx = 'dot';
          j++;
        }
        continue;
      case 60: // <
        if (s.startsWith('<!--', j) && j + 4 <= end) return at('JS_LINE_CMT', j + 4);
        jsCtx = 'regexp';
        j++;
        continue;
      case 43: // +
      case 45: // -
        if (ch === 45 && s.startsWith('-->', j) && j + 3 <= end && atLineStart(s, i, j)) return at('JS_LINE_CMT', j + 3);
        if (j + 1 < end && s.charCodeAt(j + 1) === ch) {
          jsCtx = 'div'; // `x++ / 2`: a prefix `++` cannot be followed by a regular expression
          j += 2;
        } else {
          jsCtx = 'regexp';
          j++;
        }
        continue;
      default:
        if (isIdent(ch)) {
          let k = j + 1;
          while (k < end && isIdent(s.charCodeAt(k))) k++;
          // A number with a fraction (`1.5`) is one token.
          if (isDigit(ch) && k + 1 < end && s.charCodeAt(k) === 46 && isDigit(s.charCodeAt(k + 1))) {
            k++;
            while (k < end && isIdent(s.charCodeAt(k))) k++;
          }
          jsCtx = wordCtx(s.slice(j, k), jsCtx);
          j = k;
          continue;
        }
        jsCtx = 'regexp'; // any other punctuator: * % & | ^ ! ~ > , @
        j++;
    }
  }
  return [withCtx(c, { jsCtx, jsNest: nest }), end];
}

/** A string literal: it ends at its quote (quoted-run.ts). */
function quoted(quote: number): (c: Context, s: string, i: number, end: number) => Result {
  return (c, s, i, end) => {
    const k = quotedRunEnd(s, i, end, quote, false);
    return k === -1 ? [c, end] : [withCtx(c, { state: 'JS_EXPR', jsCtx: 'div' }), k + 1];
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
      return [withCtx(c, { state: 'JS_EXPR', jsCtx: 'regexp', jsNest: c.jsNest + 't' }), j + 2];
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

/** A comment that contains a line terminator counts as one for `return` (§12.10). */
const afterLineBreak = (c: Context): JsCtx => (c.jsCtx === 'return' ? 'stmt' : c.jsCtx);

/** `// |` — ends at a line terminator (§12.3). */
export function tJSLineCmt(c: Context, s: string, i: number, end: number): Result {
  for (let j = i; j < end; j++) {
    if (isLineTerminator(s.charCodeAt(j))) return [withCtx(c, { state: 'JS_EXPR', jsCtx: afterLineBreak(c) }), j + 1];
  }
  return [c, end];
}

/** `/* | *\/` */
export function tJSBlockCmt(c: Context, s: string, i: number, end: number): Result {
  const k = s.indexOf('*/', i);
  const stop = k === -1 || k + 2 > end ? end : k;
  for (let j = i; j < stop; j++) {
    if (isLineTerminator(s.charCodeAt(j)) && c.jsCtx === 'return') {
      c = withCtx(c, { jsCtx: 'stmt' });
      break;
    }
  }
  if (stop === end) return [c, end];
  return [withCtx(c, { state: 'JS_EXPR' }), k + 2];
}
