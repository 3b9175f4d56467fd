/**
 * JSON that is safe to write inside a `<script>` element or an HTML attribute.
 *
 * Rule: `JSON.stringify` output is a JS value (ECMAScript §25.5.2), but it may contain
 * `</script>` or `<!--`, which end or change the script element before the JS parser sees
 * them (HTML Living Standard §13.2.5.4 script data state, §4.12.1.3 "restrictions for
 * contents of script elements"), and `&` and `'`, which matter when the JSON is then put in
 * an attribute. U+2028 and U+2029 are line terminators in older JS engines' string
 * literals. All of `< > & ' U+2028 U+2029` are written as `\uXXXX`, which every JSON and JS
 * parser decodes back to the same character, so the value is unchanged and can never close
 * the element or the attribute. `/` (only ever inside a string in JSON) is written as `\/`,
 * so the JSON holds no `/` that could end a regular expression literal (see js.ts).
 */

import { plainJSON } from './plain-json.js';

const UNSAFE = /[<>&'/\u2028\u2029]/;
const UNSAFE_G = /[<>&'/\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '/': '\\/',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  "'": '\\u0027',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const replace = (c: string): string => ESCAPES[c]!;

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}

/**
 * Encodes `value` as JSON that is safe inside `<script>` and HTML attributes.
 * `undefined`, functions and symbols become `null`, a Map becomes an object, a Set an
 * array, a bigint its decimal string.
 *
 * ```ts
 * toJSONForScript({ a: '</script>' }) // '{"a":"\u003c/script\u003e"}'
 * ```
 */
export function toJSONForScript(value: unknown, indent?: number | string): string {
  // A plain value (no BigInt, Map, Set or custom toJSON) needs no replacer.
  const s = plainJSON(value, 0) ? JSON.stringify(value, null, indent) : JSON.stringify(value, replacer, indent);
  if (s === undefined) return 'null';
  return UNSAFE.test(s) ? s.replace(UNSAFE_G, replace) : s;
}
