/**
 * Escaping and filtering for CSS, inside `<style>` and `style=""`.
 *
 * Rules (CSS Syntax Level 3, https://www.w3.org/TR/css-syntax-3/):
 * - Inside a quoted string (§4.3.5 consume a string token), an escape is `\` followed by
 *   1–6 hex digits and one optional whitespace (§4.3.7 consume an escaped code point).
 *   `escapeCSSString` writes every character that could end the string, the declaration,
 *   the rule or the element (quotes, `\`, newlines, `< > &`, `; { } ( ) /`, controls) as
 *   `\HEX ` (with the space that ends the escape), which decodes back to the same
 *   character. The value stays a string; `</style>` cannot appear.
 * - A value in a property-value or identifier position (`color: {{ c }}`) is checked by
 *   `filterCSSValue`: it may contain identifier characters (§4.2, including non-ASCII),
 *   digits, `#`, `%`, `.`, `,`, `+`, `-`, `!` and spaces. Anything else — quotes,
 *   brackets, parentheses, `:`, `;`, `\`, `/`, `@`, `<`, `>`, `&`, `=`, newlines, control
 *   characters — or a `--` turns it into the sentinel `palisadeUnsafe`, an identifier
 *   that no property accepts (docs/errors/ESCAPE_REFUSED_VALUE.md). Without `(` or `\` a
 *   value cannot call a function such as `url()` or `expression()` (§4.3.4: a function
 *   token needs the `(`); without `:`, `;` and `{}` it cannot add a declaration or leave
 *   the rule; without `<` it cannot close the element.
 * - Inside an unquoted `url( … )` (§4.3.6 consume a url token) whitespace, quotes, `(`,
 *   `)` and `\` end or break the token; `escapeCSSURL` percent-encodes them after the URL
 *   has been filtered (see url.ts).
 */
export const CSS_SENTINEL = 'palisadeUnsafe';

const STRING_SPECIAL = /[\0-\x1f"'\\<>&;{}()/\x7f\u2028\u2029]/;
const STRING_SPECIAL_G = /[\0-\x1f"'\\<>&;{}()/\x7f\u2028\u2029]/g;
const hexEscape = (c: string): string => '\\' + c.charCodeAt(0).toString(16) + ' ';

/** Escapes a string for the inside of a quoted CSS string. */
export function escapeCSSString(s: string): string {
  if (!STRING_SPECIAL.test(s)) return s;
  // NUL cannot be escaped in CSS (it decodes to U+FFFD either way).
  return s.replace(STRING_SPECIAL_G, (c) => (c === '\0' ? '\ufffd' : hexEscape(c)));
}

const VALUE_ALLOWED = /^[A-Za-z0-9_\u00a0-\u2027\u202a-\uffff#%.,+\-! ]*$/;

/** Returns the value when it is a harmless CSS value or identifier, otherwise the sentinel. */
export function filterCSSValue(s: string): string {
  if (!VALUE_ALLOWED.test(s) || s.includes('--')) return CSS_SENTINEL;
  return s;
}

const URL_SPECIAL_G = /[\0-\x20"'()\\<>\x7f]/g;
const pct = (c: string): string => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');

/** Percent-encodes what would end or break an unquoted CSS `url(…)` token. */
export function escapeCSSURL(s: string): string {
  return s.replace(URL_SPECIAL_G, pct);
}

/**
 * Writes the first character of an escaped CSS string or value as `\HEX ` when it is
 * ASCII: after style text that ends with `<` or `</sty`, the value then cannot complete
 * `</style` (templates/raw-text.ts). The escape decodes to the same character.
 */
export function escapeEdgesCSS(s: string): string {
  if (s === '') return s;
  const c = s.charCodeAt(0);
  return c < 128 && c !== 92 ? hexEscape(s[0]!) + s.slice(1) : s;
}
