/**
 * The one scanner of quoted runs in script and style text: a JS string literal, a CSS
 * string, a CSS url(). Both languages let a backslash escape the character after it
 * (ECMAScript §12.9.4 string literals; CSS Syntax 3 §4.3.5 consume a string token, §4.3.6
 * consume a url token); they differ in what ends the run, which the caller says.
 */

/** Line feed, form feed, carriage return: a CSS string ends at them, as a bad string (CSS Syntax 3 §4.3.5). */
const isCSSNewline = (c: number): boolean => c === 10 || c === 12 || c === 13;

/**
 * The index in s[i, end) of the character that ends a quoted run, `close` or, with
 * `newlineEnds`, a CSS newline, skipping every character after a backslash; -1 when the run
 * goes on past `end`.
 */
export function quotedRunEnd(s: string, i: number, end: number, close: number, newlineEnds: boolean): number {
  for (let j = i; j < end; j++) {
    const ch = s.charCodeAt(j);
    if (ch === 92) j++;
    else if (ch === close || (newlineEnds && isCSSNewline(ch))) return j;
  }
  return -1;
}
