/**
 * Tokens of JS and CSS cut by a template tag. The transitions read each piece of static
 * text on its own, so `awai{% block b %}t /x/{% endblock %}` is read as the name `awai`,
 * then `t`, and the `/` as a division, where the browser reads `await /x/`, a regular
 * expression; and `"a\{% if c %}" + {{ v }}{% endif %}` ends the string at the `"` where
 * the browser reads `\"`, an escaped quote, so the value would be written as code inside a
 * string. The pieces that can join (CODE_PAIRS):
 *
 * - JS code: a name or number and a name character (`awai` + `t`), `/` + `/` or `*` (a
 *   comment), `+` + `+`, `-` + `-` or `>`, `=` + `>`, `?` + `.`, `.` + `.` or a digit,
 *   `<` + `!` and `!` + `-` (`<!--`, a comment in scripts); a regular expression's opening
 *   `/` + `/` or `*`; `*` + `/` in a comment;
 * - CSS: a letter and a letter, `-`, `(` or `:` (`ur` + `l(`, `cont` + `ent:`), `/` + `*`,
 *   and `*` + `/` in a comment;
 * - a `\` in JS or CSS code, strings, templates and regular expressions, and anything: it
 *   escapes what follows, text or value.
 *
 * The context carries what such a piece ends with (`codeTail`: the character, or `w` for a
 * JS name, `r` for a regular expression's `/`, `L` for a CSS letter); text after a
 * template tag that would continue it is refused (TEMPLATE_PARTIAL_NAME), and so is a
 * value after a `\`. Any other value ends the token: JS values start with a quote, a
 * digit, a bracket, a letter of `true`/`false`/`null` or a space; CSS values hold no `(`,
 * `:` or `/` (`p{{ id }}` with `#main` is a selector, as in Go's tests).
 */
import { type Context } from './context.js';
import { isIdent } from './js-chars.js';

const JS_PAIRS: Readonly<Record<string, string>> = {
  '/': '/*', '+': '+', '-': '->', '=': '>', '?': '.', '.': '.0123456789', '<': '!', '!': '-',
};
const isLetter = (ch: string): boolean => /^[A-Za-z]$/.test(ch);

/**
 * The tail to carry after code text whose last character is `last`, read in state `c`,
 * or ''. `escaped` says `last` is a `\` that escapes what follows (an odd run of them).
 */
export function codeTailOf(c: Context, last: string, escaped: boolean): string {
  if (last === '') return '';
  if (escaped) return STRING_LIKE.has(c.state) || c.state === 'JS_EXPR' || c.state === 'CSS' ? '\\' : '';
  switch (c.state) {
    case 'JS_EXPR':
      return last in JS_PAIRS ? last : isIdent(last.charCodeAt(0)) ? 'w' : '';
    case 'JS_REGEXP':
      return last === '/' ? 'r' : ''; // the `/` that opened it, or a `/` inside a class: refused alike
    case 'JS_BLOCK_CMT':
    case 'CSS_CMT':
      return last === '*' ? '*' : '';
    case 'CSS':
      return last === '/' || isLetter(last) ? (last === '/' ? '/' : 'L') : '';
    default:
      return '';
  }
}

const STRING_LIKE: ReadonlySet<string> = new Set([
  'JS_DQ_STR', 'JS_SQ_STR', 'JS_TMPL', 'JS_REGEXP', 'CSS_DQ_STR', 'CSS_SQ_STR', 'CSS_DQ_URL', 'CSS_SQ_URL', 'CSS_URL',
]);

/** True when `first` (the next text's first character) continues a token ending in `tail`. */
export function continuesToken(tail: string, first: string): boolean {
  for (const t of tail) {
    if (t === '\\') return true;
    if (t === 'r') {
      if (first === '/' || first === '*') return true;
    } else if (t === '*') {
      if (first === '/') return true;
    } else if (t === 'L') {
      if (isLetter(first) || first === '-' || first === '(' || first === ':') return true;
    } else if (t === 'w') {
      if (isIdent(first.charCodeAt(0))) return true;
    } else if (JS_PAIRS[t]?.includes(first) === true) {
      return true;
    }
  }
  return false;
}

const SHOWN: Readonly<Record<string, string>> = { w: 'a name', r: 'the / of a regular expression', L: 'a letter' };
const shown = (tail: string): string => [...tail].map((t) => SHOWN[t] ?? `"${t}"`).join(' or ');

export const SPLIT_CODE_TOKEN = (tail: string): string =>
  `the script or style before this template tag ends with ${shown(tail)} and the text after it continues it into one token ` +
  '(a name, a keyword, `//`, `/*`, `*/`, `++`, `=>`, `<!--`, `url(` …), which the browser reads differently from the two parts; ' +
  'write the whole token in one piece of text, or put a space between its parts';

/** Why a value cannot come after `tail`, or null when it can (it ends the token). */
export function valueAfterTail(tail: string): string | null {
  if (tail.includes('\\')) {
    return 'a value right after a `\\` in a script or style: the backslash would escape the first character of the value; write `\\\\` for a backslash, or put it after the value';
  }
  return null;
}
