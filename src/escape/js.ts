/**
 * Escaping for JavaScript: string literals, template literals, regular expressions and
 * whole values, inside `<script>` and inside event-handler attributes.
 *
 * Rules (ECMAScript 2024 §12.9.4 string literals, §12.9.6 template literal lexical
 * components, §12.9.5 regular expression literals; HTML §4.12.1.3 restrictions for
 * contents of script elements):
 * - In a string literal of any quote kind, the quotes, the backslash, every line
 *   terminator and every C0 control could end or corrupt the literal; `<` `>` `&` could end
 *   the element (`</script`), start an HTML comment state (`<!--`) or matter in an
 *   attribute. They are all written as `\uXXXX`, which the same literal decodes back, so
 *   the string the script sees is exactly the value. `\uXXXX` is also valid JSON, so the
 *   same escaper works inside `<script type="application/json">`.
 * - `/` is written as `\/` in every string, template literal and regular expression (and
 *   in JSON, where `\/` is a valid escape): the value then holds no `/` that could end a
 *   regular expression literal, so it stays inert even where a `/` before it is read as a
 *   regular expression by the browser and as a division by the escaper, or the other way
 *   round (`if (x) /{{ v }}/`).
 * - In a template literal, `` ` `` and `$` are escaped too, so neither the end of the
 *   literal nor a `${` substitution can be formed.
 * - In a regular expression literal, every character but ASCII letters, digits, `_` and
 *   non-ASCII characters that are not spaces is escaped (`\` before a syntax character,
 *   `\uXXXX` otherwise), so the value matches itself literally, and, read as code, is one
 *   name or a syntax error: never an operator, a call or a second statement. An empty value
 *   becomes `(?:)` so that `//` is never written (it would start a comment).
 * - In an expression position a value becomes exactly one JS value: JSON made safe by
 *   toJSONForScript. A leading `-` gets a space before it so that `a-{{ n }}` can not form `--`.
 */
import { toJSONForScript } from './json.js';

function hex4(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

// `/` as `\\/`, the rest as `\\uXXXX`.
const escapeChar = (c: string): string => (c === '/' ? '\\/' : hex4(c));

const STRING_SPECIAL = /[\0-\x1f"'`\\<>&/\u2028\u2029\x7f]/;
const STRING_SPECIAL_G = /[\0-\x1f"'`\\<>&/\u2028\u2029\x7f]/g;
const TEMPLATE_SPECIAL_G = /[\0-\x1f"'`\\<>&/\u2028\u2029\x7f$]/g;
// Syntax characters (§22.2.1) and `/` may be escaped with a backslash even in unicode
// mode; everything else is written as \\uXXXX, which works in both modes. Escaped: all
// ASCII but letters, digits and `_`, and the non-ASCII spaces and line terminators (§12.2,
// §12.3), which would separate tokens if the value were read as code.
const REGEXP_SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const REGEXP_SPECIAL_G = /[^A-Za-z0-9_\u0080-\u009f\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff\u3001-\ufefe\uff00-\uffff]/g;

/** Escapes a string for the inside of a JS string literal ("…", '…'), or a JSON string. */
export function escapeJSString(s: string): string {
  if (!STRING_SPECIAL.test(s)) return s;
  return s.replace(STRING_SPECIAL_G, escapeChar);
}

/** Escapes a string for the text of a JS template literal (`…`). */
export function escapeJSTemplate(s: string): string {
  return s.replace(TEMPLATE_SPECIAL_G, escapeChar);
}

/** Escapes a string for the inside of a JS regular expression literal, to match itself. */
export function escapeJSRegexp(s: string): string {
  if (s === '') return '(?:)';
  return s.replace(REGEXP_SPECIAL_G, (c) => (REGEXP_SYNTAX.has(c) ? '\\' + c : hex4(c)));
}

/**
 * Encodes a value as exactly one JS value for an expression position: JSON that cannot
 * close the script element or attribute.
 */
export function jsValue(v: unknown): string {
  if (typeof v === 'string') return '"' + escapeJSString(v) + '"';
  const s = toJSONForScript(typeof v === 'function' || typeof v === 'symbol' ? null : v);
  return s.charCodeAt(0) === 45 /* - */ ? ' ' + s : s;
}

/**
 * Writes the first character of an escaped JS string, template or regexp value as
 * `\uXXXX` when it is ASCII, and a final `-` as `\u002d`: after script text that ends
 * with `<`, `</scr` or `--`, the value then cannot complete `</script`, `<!--`, `<script`
 * or `-->` (templates/raw-text.ts). The literal decodes to the same text.
 */
export function escapeEdgesJS(s: string): string {
  if (s === '') return s;
  const c = s.charCodeAt(0);
  let out = c < 128 && c !== 92 ? hex4(s[0]!) + s.slice(1) : s;
  if (out.charCodeAt(out.length - 1) === 45 && out.length > 1) out = out.slice(0, -1) + '\\u002d';
  return out;
}
