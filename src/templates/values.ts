/**
 * The value model of templates: how values behave when a template computes with them —
 * Python truthiness, `+`, `*`, `%`, `~`, `==` and `in`, iteration and loop variables, safe
 * attribute and item access, calls of functions, macros and Python-style methods, dict
 * literals and namespaces — and the bounds on what one operation may build from a number.
 * How a value prints is print.ts. Kept small and monomorphic: generated code calls these
 * on every render.
 */
import { type Markup, isMarkup, markupFromSafe } from '../escape/markup.js';
import { escapeHTML } from '../escape/html.js';
import { BLOCKED_NAMES, readAttr } from './blocked-names.js';
import { str } from './print.js';
import { RenderFault, type Where, fail } from './render-errors.js';

/** Python truthiness: empty strings, lists, mappings and Markup are false, as are 0, none, false. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v == null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isMarkup(v)) return v.length > 0;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const _ in v) return true;
    return false;
  }
  return Boolean(v);
}

/**
 * The most a single operation may build from a number it is given: list items (`range()`,
 * `[x] * n`, `|batch`'s padding, `|slice`'s columns) and characters (`'-' * n`, `|center`,
 * `|indent`, the widths of `|format`). The number may come from the data a template is
 * rendered with; without a bound one value would have the render allocate gigabytes or
 * hold the event loop for minutes (`[0] * 10**9` ended the process). Past a bound the
 * render fails with TEMPLATE_RUNTIME, in a moment. Jinja's sandbox bounds `range()` alike.
 */
export const MAX_BUILT_ITEMS = 100_000;
export const MAX_BUILT_CHARS = 1_000_000;

/** Throws TEMPLATE_RUNTIME unless `n` (what `what` would build) is within `limit`. */
export function checkBuilt(n: number, limit: number, what: string): void {
  if (n <= limit) return;
  const unit = limit === MAX_BUILT_ITEMS ? 'items' : 'characters';
  throw new RenderFault('TEMPLATE_RUNTIME', `${what} is limited to ${limit} ${unit}${Number.isFinite(n) ? ` (this one would make ${n})` : ''}`);
}

// Python-style methods on strings and mappings, since templates written for Jinja use them.
const STRING_METHODS: Record<string, (s: string, ...a: any[]) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  strip: (s, c?: string) => (c == null ? s.trim() : stripChars(s, c, true, true)),
  lstrip: (s, c?: string) => (c == null ? s.trimStart() : stripChars(s, c, true, false)),
  rstrip: (s, c?: string) => (c == null ? s.trimEnd() : stripChars(s, c, false, true)),
  startswith: (s, p: string) => s.startsWith(p),
  endswith: (s, p: string) => s.endsWith(p),
  split: (s, sep?: string) =>
    sep == null
      ? s
          .trim()
          .split(/\s+/)
          .filter((x) => x !== '')
      : s.split(sep),
  replace: (s, a: string, b: string) => s.split(a).join(b),
  title: (s) => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()),
  capitalize: (s) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase()),
  join: (s, xs: unknown) => iter(xs).map(str).join(s),
  count: (s, x: string) => (x === '' ? s.length + 1 : s.split(x).length - 1),
  find: (s, x: string) => s.indexOf(x),
  format: (s, ...a: unknown[]) => {
    let k = 0;
    return s.replace(/\{\}/g, () => str(a[k++]));
  },
};

function stripChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  if (left) while (a < b && chars.includes(s[a]!)) a++;
  if (right) while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function mappingMethod(o: object, name: string): ((...a: unknown[]) => unknown) | undefined {
  if (o instanceof Map) {
    if (name === 'items') return () => [...o.entries()];
    if (name === 'keys') return () => [...o.keys()];
    if (name === 'values') return () => [...o.values()];
    if (name === 'get') return (k, d) => (o.has(k) ? o.get(k) : d);
    return undefined;
  }
  if (Array.isArray(o) || Object.prototype.hasOwnProperty.call(o, name)) return undefined;
  const rec = o as Record<string, unknown>;
  if (name === 'items') return () => Object.entries(rec);
  if (name === 'keys') return () => Object.keys(rec);
  if (name === 'values') return () => Object.values(rec);
  if (name === 'get') return (k, d) => (Object.prototype.hasOwnProperty.call(rec, k as string) ? rec[k as string] : d);
  return undefined;
}

/**
 * `o.name` (and `o["name"]`): own or inherited data, never prototypes or constructors. A
 * missing attribute is undefined, as Jinja's Undefined; in strict mode an attribute of an
 * undefined value raises, as Jinja does in every mode (`none.x` is undefined there too).
 */
export function attr(o: unknown, name: string, strict: boolean, w: Where, p: number): unknown {
  if (o == null) {
    if (strict && o === undefined) fail('TEMPLATE_UNDEFINED', `cannot read "${name}" of an undefined value`, w, p);
    return undefined;
  }
  if (BLOCKED_NAMES.has(name)) return undefined;
  return readAttr(o, name);
}

/**
 * `o.name` when `name` is known at compile time not to be blocked and the template is
 * not strict: plain objects are read directly, everything else goes through attr().
 */
export function get(o: unknown, name: string, w: Where, p: number): unknown {
  if (typeof o === 'object' && o !== null) {
    const v = (o as Record<string, unknown>)[name];
    if (v !== undefined || !(o instanceof Map)) return v;
  }
  return attr(o, name, false, w, p);
}

/** `o[k]`: negative indexes count from the end, as in Python. */
export function item(o: unknown, k: unknown, strict: boolean, w: Where, p: number): unknown {
  if (typeof k === 'number' && (Array.isArray(o) || typeof o === 'string')) {
    const i = k < 0 ? o.length + k : k;
    return o[i];
  }
  return attr(o, str(k), strict, w, p);
}

/** `o[a:b:c]` on a list or string. */
export function slice(o: unknown, a: unknown, b: unknown, c: unknown): unknown {
  const seq = typeof o === 'string' ? [...o] : iter(o);
  const step = c == null ? 1 : Number(c);
  // As Python: a step is a whole number, never 0 (a 0 looped forever, a fraction made a
  // list of gaps as long as the sequence times its inverse).
  if (!Number.isInteger(step) || step === 0) throw new RenderFault('TEMPLATE_RUNTIME', `a slice step must be a whole number other than 0, not ${String(c)}`);
  const n = seq.length;
  const norm = (x: unknown, d: number): number => {
    if (x == null) return d;
    const i = Number(x);
    return i < 0 ? Math.max(0, n + i) : Math.min(n, i);
  };
  let out: unknown[];
  if (step > 0) {
    out = [];
    for (let i = norm(a, 0); i < norm(b, n); i += step) out.push(seq[i]);
  } else {
    out = [];
    const start = a == null ? n - 1 : Math.min(n - 1, norm(a, n - 1));
    const stop = b == null ? -1 : norm(b, -1);
    for (let i = start; i > stop; i += step) out.push(seq[i]);
  }
  return typeof o === 'string' ? out.join('') : out;
}

/** Marks a function compiled from `{% macro %}` (called with args, kwargs, caller). */
export const MACRO = Symbol('palisade.macro');
export type MacroFn = ((args: unknown[], kwargs: Record<string, unknown> | null, caller: unknown) => Markup) & { [MACRO]: true };

export function makeMacro(fn: (args: unknown[], kwargs: Record<string, unknown> | null, caller: unknown) => Markup): MacroFn {
  const m = fn as MacroFn;
  m[MACRO] = true;
  return m;
}

/** Calls `f` from a template; keyword arguments become a trailing object for JS functions. */
export function call(f: unknown, args: unknown[], kwargs: Record<string, unknown> | null, caller: unknown, w: Where, p: number): unknown {
  if (typeof f !== 'function') fail('TEMPLATE_RUNTIME', `${f === undefined ? 'an undefined value' : 'this value'} is not callable`, w, p);
  if ((f as Partial<MacroFn>)[MACRO] === true) return (f as MacroFn)(args, kwargs, caller);
  try {
    return kwargs === null ? f(...args) : f(...args, kwargs);
  } catch (e) {
    // Built-ins raise RenderFault; give it the position of this call.
    if (e instanceof RenderFault) fail(e.code, e.message, w, p);
    throw e;
  }
}

/** `o.name(args)`: a method call with `this` bound, or a Python-style string/mapping method. */
export function callMethod(o: unknown, name: string, args: unknown[], kwargs: Record<string, unknown> | null, strict: boolean, w: Where, p: number): unknown {
  if (typeof o === 'string') {
    // Own names only: `'x'.constructor(…)` must not find Object.prototype's members here.
    const m = Object.hasOwn(STRING_METHODS, name) ? STRING_METHODS[name] : undefined;
    if (m !== undefined) return m(o, ...args);
  } else if (o !== null && typeof o === 'object') {
    const m = mappingMethod(o, name);
    if (m !== undefined) return m(...args);
  }
  const f = attr(o, name, strict, w, p);
  if (typeof f !== 'function') fail('TEMPLATE_RUNTIME', `"${name}" is not a method of this value`, w, p);
  if ((f as Partial<MacroFn>)[MACRO] === true) return (f as MacroFn)(args, kwargs, undefined);
  return kwargs === null ? f.apply(o, args) : f.apply(o, [...args, kwargs]);
}

/** The items a `for` loop visits: lists, strings, keys of mappings, any iterable. */
export function iter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v == null) return [];
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  if (typeof v === 'object' && Symbol.iterator in v) return Array.from(v as Iterable<unknown>);
  if (typeof v === 'object') return Object.keys(v);
  throw new TypeError(`${typeof v} is not iterable`);
}

/** Unpacks one item into `n` loop or set targets. */
export function unpack(v: unknown, n: number): unknown[] {
  const a = iter(v);
  if (a.length !== n) throw new TypeError(`cannot unpack ${a.length} values into ${n} names`);
  return a;
}

/** `loop` inside `for`. */
export class Loop {
  i = 0;
  /** `depth` is 1 for the outermost run of a recursive loop (and for any other loop). */
  constructor(
    readonly items: unknown[],
    readonly depth = 1,
  ) {}
  get index(): number {
    return this.i + 1;
  }
  get index0(): number {
    return this.i;
  }
  get revindex(): number {
    return this.items.length - this.i;
  }
  get revindex0(): number {
    return this.items.length - this.i - 1;
  }
  get first(): boolean {
    return this.i === 0;
  }
  get last(): boolean {
    return this.i === this.items.length - 1;
  }
  get length(): number {
    return this.items.length;
  }
  get depth0(): number {
    return this.depth - 1;
  }
  get previtem(): unknown {
    return this.items[this.i - 1];
  }
  get nextitem(): unknown {
    return this.items[this.i + 1];
  }
  cycle(...xs: unknown[]): unknown {
    return xs.length === 0 ? undefined : xs[this.i % xs.length];
  }
  #last: unknown[] | undefined;
  /** True when the arguments differ from the last call's (or on the first call). */
  changed(...xs: unknown[]): boolean {
    if (this.#last !== undefined && this.#last.length === xs.length && this.#last.every((x, i) => eq(x, xs[i]))) return false;
    this.#last = xs;
    return true;
  }
}

/**
 * `namespace(a=1)`, `namespace(d, b=2)`: an object whose attributes `{% set ns.a = … %}` may
 * change, starting with the entries of its mappings and keyword arguments, in order.
 */
export class Namespace {
  constructor(...inits: unknown[]) {
    for (const init of inits) {
      if (init === null || typeof init !== 'object') continue;
      const entries = init instanceof Map ? [...init.entries()] : Object.entries(init);
      for (const [k, v] of entries) if (!BLOCKED_NAMES.has(String(k))) (this as Record<string, unknown>)[String(k)] = v;
    }
  }
}

export function setAttr(o: unknown, name: string, v: unknown, w: Where, p: number): void {
  if (!(o instanceof Namespace) || BLOCKED_NAMES.has(name))
    fail('TEMPLATE_RUNTIME', `can set attributes only on a namespace(), not on this value ("${name}")`, w, p);
  (o as Record<string, unknown>)[name] = v;
}

function unwrap(v: unknown): unknown {
  return isMarkup(v) ? v.toString() : v;
}

/** Python `==`: Markup equals its text; lists compare item by item. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  a = unwrap(a);
  b = unwrap(b);
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => eq(x, b[i]));
  return false;
}

/** Python `+`: numbers add, lists concatenate, strings join. */
export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (isMarkup(a) || isMarkup(b)) return cat(a, b);
  return (a as number) + (b as number);
}

/** Python `*`: a string or list times a number repeats it. */
export function mul(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'number') {
    const n = Math.max(0, Math.trunc(b));
    if (a.length > 0) checkBuilt(a.length * n, MAX_BUILT_CHARS, 'a string repeated with *');
    return a.repeat(Number.isNaN(n) ? 0 : n);
  }
  if (Array.isArray(a) && typeof b === 'number') {
    const n = Math.max(0, Math.trunc(b));
    if (a.length > 0) checkBuilt(a.length * n, MAX_BUILT_ITEMS, 'a list repeated with *');
    return Array.from({ length: Number.isNaN(n) ? 0 : n }, () => a).flat();
  }
  return (a as number) * (b as number);
}

/** Python `%` on numbers (the sign follows the divisor). */
export function mod(a: unknown, b: unknown): number {
  const x = Number(a);
  const y = Number(b);
  return ((x % y) + y) % y;
}

/** Jinja `~`: text concatenation; with Markup on either side the result is Markup. */
export function cat(a: unknown, b: unknown): unknown {
  if (isMarkup(a) || isMarkup(b)) {
    const h = (x: unknown): string => (isMarkup(x) ? x.toString() : escapeHTML(str(x)));
    return markupFromSafe(h(a) + h(b));
  }
  return str(a) + str(b);
}

/** Python `in`. */
export function inOp(x: unknown, c: unknown): boolean {
  if (typeof c === 'string' || isMarkup(c)) return str(c).includes(str(unwrap(x)));
  if (Array.isArray(c)) return c.some((y) => eq(x, y));
  if (c instanceof Map || c instanceof Set) return c.has(x);
  if (c != null && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, str(x));
  return false;
}

/** Reads a name in strict mode: a missing name is an error with its position. */
export function lookup(top: Record<string, unknown>, name: string, w: Where, p: number): unknown {
  const v = top[name];
  if (v === undefined && !(name in top)) fail('TEMPLATE_UNDEFINED', `"${name}" is not defined`, w, p);
  return v;
}

/** `**mapping` in a call: its entries as keyword arguments, own data only. */
export function kwargsOf(v: unknown): Record<string, unknown> {
  const pairs: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : v !== null && typeof v === 'object' ? Object.entries(v) : [];
  const o: Record<string, unknown> = {};
  for (const [k, x] of pairs) Object.defineProperty(o, str(k), { value: x, enumerable: true, writable: true, configurable: true });
  return o;
}

/**
 * A dict literal: own properties only, so `{'__proto__': 1}` is just a key. With a key that
 * is not a string (`{1: 'a'}`) it is a Map, which keeps the key as it is, as Python does.
 */
export function dict(pairs: [unknown, unknown][]): Record<string, unknown> | Map<unknown, unknown> {
  if (pairs.some(([k]) => typeof k !== 'string' && !isMarkup(k))) return new Map(pairs.map(([k, v]) => [isMarkup(k) ? k.toString() : k, v]));
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(o, str(k), { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** The context an include sees: the includer's namespace plus its visible local names. */
export function withLocals(top: Record<string, unknown>, locals: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(top)) o[k] = top[k];
  return Object.assign(o, locals);
}

/** `kwargs` in a macro: the keyword arguments its parameters do not take. */
export function extraKwargs(kw: Record<string, unknown> | null, params: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (kw !== null) for (const k of Object.keys(kw)) if (!params.includes(k) && k !== 'caller') out[k] = kw[k];
  return out;
}
