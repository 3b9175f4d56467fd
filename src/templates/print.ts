/**
 * How a template writes a value: as Python's `str()` writes it, because templates are Jinja
 * and Jinja writes `str(value)` (https://docs.python.org/3/library/functions.html#func-repr).
 * JS values map to Python's as a Jinja user expects:
 *
 * | value | written |
 * |---|---|
 * | `undefined` (a missing name or attribute) | nothing, as Jinja's Undefined |
 * | `null` (`none`) | `None` |
 * | `true`, `false` | `True`, `False` |
 * | a number | as JS writes it (`1.5`, `42`), except `nan`, `inf`, `-inf` and a two-digit exponent (`1e-07`); JS has no separate float type, so `1.0` is `1` |
 * | an array | `[1, 'a', None]`: each item as `repr()` writes it; a tuple (below) `(1, 'a')` |
 * | a plain object, a Map | `{'a': 1}` |
 * | a Set | `{1, 2}` |
 * | Markup, a string | its text |
 * | anything else | `String(value)` |
 *
 * The escaper of the place the value lands in then escapes this text (hole-escapers.ts ESCAPERS);
 * in a script a value is JSON instead (escape/js.ts), where `null` stays `null`.
 */
import { isMarkup } from '../escape/markup.js';

const TUPLES = new WeakSet<readonly unknown[]>();

/**
 * Marks an array as a tuple: `(1, 2)` in a template, the pairs of `items()`, `dictsort` and
 * `groupby`. It is an array like any other and only prints as Python prints a tuple.
 */
export function tuple<T extends unknown[]>(a: T): T {
  TUPLES.add(a);
  return a;
}

/** A value as text, as Jinja writes it. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return written(v, null);
}

/** A number as Python writes it. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = String(n);
  // Python writes at least two exponent digits: 2.56e-09, 1e+21.
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, (_m, sign: string, d: string) => `e${sign}0${d}`) : s;
}

function written(v: unknown, seen: Set<object> | null): string {
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
      return numberText(v);
    case 'object':
      break;
    default:
      return String(v);
  }
  const o = v as object;
  if (isMarkup(o)) return o.toString();
  const isList = Array.isArray(o);
  const isMap = o instanceof Map;
  const isSet = o instanceof Set;
  const proto = Object.getPrototypeOf(o) as unknown;
  if (!isList && !isMap && !isSet && proto !== Object.prototype && proto !== null) return String(o);
  // A structure that holds itself is written `[...]`, as Python does.
  if (seen?.has(o)) return isList ? '[...]' : '{...}';
  const inner = new Set(seen ?? []).add(o);
  if (isList) {
    const items = o.map((x) => repr(x, inner));
    if (!TUPLES.has(o)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (isSet) return `{${[...o].map((x) => repr(x, inner)).join(', ')}}`;
  const entries = isMap ? [...o.entries()] : Object.entries(o);
  return `{${entries.map(([k, x]) => `${repr(k, inner)}: ${repr(x, inner)}`).join(', ')}}`;
}

/** A value as Python's `repr()` writes it: strings quoted, the rest as str(). */
export function repr(v: unknown, seen: Set<object> | null = null): string {
  if (typeof v === 'string' || isMarkup(v)) return quote(String(v));
  if (v === undefined) return '';
  return written(v, seen);
}

const REPR_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A string as Python's repr writes it: in single quotes, or double when it holds only `'`. */
function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q) out += '\\' + ch;
    else if (REPR_ESCAPES[ch] !== undefined) out += REPR_ESCAPES[ch];
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}
