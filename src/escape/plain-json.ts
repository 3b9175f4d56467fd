/**
 * The plain-value test shared by jsonify and the JSON written into scripts: when it holds,
 * `JSON.stringify` needs no replacer, and a replacer call per value costs about as much as
 * the walk and the stringify together.
 */

/**
 * True when `v` holds only values JSON.stringify writes faithfully: strings, finite
 * numbers, booleans, null, arrays without holes or undefined, plain data objects and
 * Dates. False sends the value down the checking path (also for deep or cyclic values,
 * past 256 levels, where JSON.stringify then reports the cycle).
 */
export function plainJSON(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth > 256) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined || !plainJSON(x, depth + 1)) return false;
        }
        return true;
      }
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v instanceof Date;
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null && (v instanceof Map || v instanceof Set)) return false;
      // for-in with an own-property test visits what JSON.stringify does (own enumerable
      // string keys) without allocating the array Object.keys makes.
      for (const k in v) {
        if (!ownProp.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined && !plainJSON(x, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const ownProp = Object.prototype.hasOwnProperty;
