/**
 * Tokens of JS, CSS and HTML comments cut by a template tag. The transitions read each piece of static
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
 * - a JS template literal: `$` + `{` (a substitution); a value after a `$` has its first
 *   character written as `\uXXXX` (hole-plan.ts, edgeStep), so a `{` there is text;
 * - CSS: a letter and a letter, `-`, `(` or `:` (`ur` + `l(`, `cont` + `ent:`), `/` + `*`,
 *   and `*` + `/` in a comment;
 * - a `\` in JS or CSS code, strings, templates and regular expressions, and anything: it
 *   escapes what follows, text or value;
 * - HTML comments: `-` + `->`, `--` + `>` or `!>`, `--!` + `>` end one where the analysis
 *   would read on; `<!` + `--` starts one where it would read a bogus comment, which ends at
 *   the first `>`. A value in a comment is dropped, so the token stays open across it.
 *
 * The context carries what such a piece ends with (`codeTail`: the character, or `w` for a
 * JS name, `r` for a regular expression's `/`, `L` for a CSS letter, `b` for `<!`, and
 * COMMENT_ENDS for an HTML comment); text after a
 * template tag that would continue it is refused (TEMPLATE_PARTIAL_NAME), and so is a
 * value after a `\`. Any other value ends the token: JS values start with a quote, a
 * digit, a bracket, a letter of `true`/`false`/`null` or a space; CSS values hold no `(`,
 * `:` or `/` (`p{{ id }}` with `#main` is a selector, as in Go's tests).
 */
import { type Context } from './context.js';
import { isIdent } from './js-chars.js';

const JS_PAIRS: Readonly<Record<string, string>> = {
  '/': '/*',
  '+': '+',
  '-': '->',
  '=': '>',
  '?': '.',
  '.': '.0123456789',
  '<': '!',
  '!': '-',
};
const isLetter = (ch: string): boolean => /^[A-Za-z]$/.test(ch);

/** The tail to carry after text `text` (as its language reads it, references decoded) that ends in state `c`, or ''. */
export function codeTailOf(c: Context, text: string): string {
  const last = text.slice(-1);
  if (last === '') return '';
  if (last === '\\' && trailingBackslashes(text) % 2 === 1) {
    // An odd run of backslashes: the last one escapes what follows.
    return STRING_LIKE.has(c.state) || c.state === 'JS_EXPR' || c.state === 'CSS' ? '\\' : '';
  }
  switch (c.state) {
    case 'JS_EXPR':
      return last in JS_PAIRS ? last : isIdent(last.charCodeAt(0)) ? 'w' : '';
    case 'JS_REGEXP':
      return last === '/' ? 'r' : ''; // the `/` that opened it, or a `/` inside a class: refused alike
    case 'JS_TMPL':
      return last === '$' ? '$' : ''; // `$` + `{` opens a substitution
    case 'JS_BLOCK_CMT':
    case 'CSS_CMT':
      return last === '*' ? '*' : '';
    case 'CSS':
      return last === '/' ? '/' : isLetter(last) ? 'L' : '';
    case 'HTML_COMMENT':
      for (const [end, tail] of COMMENT_ENDS) if (text.endsWith(end)) return tail;
      return '';
    case 'HTML_BOGUS_COMMENT':
      return text.endsWith('<!') || text.endsWith('<!-') ? 'b' : ''; // `<!` + `--` starts a comment, not a bogus one
    default:
      return '';
  }
}

function trailingBackslashes(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(text.length - 1 - n) === 92) n++;
  return n;
}

const STRING_LIKE: ReadonlySet<string> = new Set([
  'JS_DQ_STR',
  'JS_SQ_STR',
  'JS_TMPL',
  'JS_REGEXP',
  'CSS_DQ_STR',
  'CSS_SQ_STR',
  'CSS_DQ_URL',
  'CSS_SQ_URL',
  'CSS_URL',
]);

// What an HTML comment's text can end with, and what after it would end the comment at a
// `>` the analysis of the second text alone would not see (§13.2.5.43–52): `-` + `->`,
// `--` + `>`, `<!--` + `>` (an abruptly closed empty comment) …
const COMMENT_ENDS: readonly (readonly [string, string])[] = [
  ['--!', '3'],
  ['<!---', 'p'],
  ['<!--', 'o'],
  ['--', '2'],
  ['-', '1'],
];
const COMMENT_CLOSERS: Readonly<Record<string, readonly string[]>> = {
  1: ['->', '-!>'],
  2: ['>', '!>', '->'],
  3: ['>'],
  o: ['>', '->', '!>'],
  p: ['>', '->'],
};

/** True when `next` (the start of the next text) continues a token ending in `tail`. */
export function continuesToken(tail: string, next: string): boolean {
  const first = next.charAt(0);
  for (const t of tail) {
    const closers = COMMENT_CLOSERS[t];
    if (closers !== undefined) {
      if (closers.some((x) => next.startsWith(x))) return true;
      continue;
    }
    if (t === '\\') return true;
    if (t === 'r') {
      if (first === '/' || first === '*') return true;
    } else if (t === '*') {
      if (first === '/') return true;
    } else if (t === '$') {
      if (first === '{') return true;
    } else if (t === 'b') {
      if (first === '-') return true;
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

const SHOWN: Readonly<Record<string, string>> = {
  w: 'a name',
  r: 'the / of a regular expression',
  L: 'a letter',
  b: '"<!" or "<!-"',
  1: '"-" in a comment',
  2: '"--" in a comment',
  3: '"--!" in a comment',
  o: '"<!--"',
  p: '"<!---"',
};
const shown = (tail: string): string => [...tail].map((t) => SHOWN[t] ?? `"${t}"`).join(' or ');

export const SPLIT_CODE_TOKEN = (tail: string): string =>
  `the text before this template tag ends with ${shown(tail)} and the text after it continues it into one token ` +
  '(a name, a keyword, `//`, `/*`, `*/`, `++`, `=>`, `<!--`, `-->`, `url(` …), which the browser reads differently from the two parts; ' +
  'write the whole token in one piece of text, or put a space between its parts';

/** Why a value cannot come after `tail`, or null when it can (it ends the token). */
export function valueAfterTail(tail: string): string | null {
  if (tail.includes('\\')) {
    return 'a value right after a `\\` in a script or style: the backslash would escape the first character of the value; write `\\\\` for a backslash, or put it after the value';
  }
  return null;
}
