import { checkFieldName, checkFieldValue, DEFAULT_FORM_LIMITS, tooManyFields, type FormLimits } from './form-limits.js';

/**
 * Params holds the values of a query string or form body: every key may repeat, and keys
 * live in a null-prototype object, so `__proto__` or `constructor` is just another key.
 *
 * ```ts
 * req.query.get('page')      // first value or undefined
 * req.query.getAll('tag')    // every value, in order
 * ```
 */
export class Params implements Iterable<[string, string]> {
  // A Map keeps keys in the order first sent, integer-like keys included (an object would
  // move `2` before `b`), and has no prototype keys to collide with.
  readonly #map = new Map<string, string[]>();
  #size = 0;

  /** Builds Params from pairs (as `URLSearchParams` yields them). */
  static from(pairs: Iterable<[string, string]>): Params {
    const p = new Params();
    for (const [k, v] of pairs) p.append(k, v);
    return p;
  }

  append(key: string, value: string): void {
    const list = this.#map.get(key);
    if (list === undefined) this.#map.set(key, [value]);
    else list.push(value);
    this.#size++;
  }
  /** The first value of `key`, or undefined. */
  get(key: string): string | undefined {
    return this.#map.get(key)?.[0];
  }
  /** Every value of `key` (a fresh array; empty when absent). */
  getAll(key: string): string[] {
    const list = this.#map.get(key);
    return list === undefined ? [] : list.slice();
  }
  has(key: string): boolean {
    return this.#map.has(key);
  }
  keys(): string[] {
    return [...this.#map.keys()];
  }
  /** Number of pairs, counting repeats. */
  get size(): number {
    return this.#size;
  }
  /** A null-prototype object of first values. */
  toObject(): Record<string, string> {
    const o: Record<string, string> = Object.create(null);
    for (const [k, list] of this.#map) o[k] = list[0]!;
    return o;
  }
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [k, list] of this.#map) for (const v of list) yield [k, v];
  }
}

/**
 * Parses `a=1&b=2` (application/x-www-form-urlencoded rules, WHATWG URL §5.1) under the
 * form limits (src/http/form-limits.ts): the pairs are counted before any is decoded, and
 * a body or query with too many, or with a name or value too long, is a 413.
 */
export function parseUrlencoded(s: string, limits: Required<FormLimits> = DEFAULT_FORM_LIMITS): Params {
  const p = new Params();
  if (s === '') return p;
  // §5.1 step 1: the sequences between `&` are the pairs; empty ones are skipped.
  let count = 0;
  for (let i = 0; i <= s.length;) {
    let amp = s.indexOf('&', i);
    if (amp === -1) amp = s.length;
    if (amp > i) count++;
    i = amp + 1;
  }
  if (count > limits.maxFields) throw tooManyFields(limits.maxFields, count);
  for (const [k, v] of new URLSearchParams(s)) {
    checkFieldName(k, limits);
    checkFieldValue(k, v, limits);
    p.append(k, v);
  }
  return p;
}
