/**
 * The one deny-list of attribute reads, used by every path a template reads an attribute
 * through: `x.name` and `x['name']` (values.ts `attr`, and the compiled fast path, which
 * leaves every name here to `attr`), method calls, `{% set ns.name %}`, `namespace(name=…)`
 * and the `attribute=` arguments of filters (`map`, `sort`, `join`, `unique`, `sum`, `min`,
 * `max`, `selectattr`, `rejectattr`: filters.ts).
 *
 * - BLOCKED_NAMES are never read, whatever holds them: they lead to prototypes and
 *   constructors, and from there to `Function`, which compiles code (ECMAScript §20.2.1.1).
 *   The legacy accessors (Annex B.2.2.2–5, `__defineGetter__` and friends) are there too:
 *   they reach and change prototype properties.
 * - FUNCTION_METHODS (`call`, `apply`, `bind`) are refused when the value found is
 *   Function.prototype's own method (§20.2.3.1–3), which would let a template call a
 *   function with a `this` of its choosing; a mapping's own `call` key stays readable.
 */

/** Names a template can never read. */
export const BLOCKED_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Names refused when they resolve to Function.prototype's own method. */
export const FUNCTION_METHODS: ReadonlySet<string> = new Set(['call', 'apply', 'bind']);

// eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
const FUNCTION_METHOD_VALUES: ReadonlySet<unknown> = new Set([Function.prototype.call, Function.prototype.apply, Function.prototype.bind]);

/** True for every name on either list: reads of it must go through `readAttr`. */
export function isGuardedName(name: string): boolean {
  return BLOCKED_NAMES.has(name) || FUNCTION_METHODS.has(name);
}

/** True for a value a template may not hold: one of Function.prototype's call, apply, bind. */
export function isBlockedValue(v: unknown): boolean {
  return typeof v === 'function' && FUNCTION_METHOD_VALUES.has(v);
}

/**
 * `o[name]` as a template reads it: a Map's entry for a Map, a string's `length`, an
 * object's or function's property; undefined for a blocked name or a blocked value, and
 * for any other name of a string or other primitive.
 */
export function readAttr(o: unknown, name: string): unknown {
  if (BLOCKED_NAMES.has(name)) return undefined;
  let v: unknown;
  if (o instanceof Map) v = o.get(name);
  else if ((typeof o === 'object' && o !== null) || typeof o === 'function') v = (o as Record<string, unknown>)[name];
  else return typeof o === 'string' && name === 'length' ? o.length : undefined;
  return isBlockedValue(v) ? undefined : v;
}
