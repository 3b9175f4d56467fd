/**
 * `Accept-Encoding` (RFC 9110 §12.5.3): which content codings the client accepts, and in
 * what order the server should pick among those it offers.
 *
 * - Each element is a coding with an optional weight (`br;q=0.8`); `q=0` means "not
 *   acceptable". A coding not listed takes the weight of `*`, if any, else is not
 *   acceptable. `x-gzip` is the same as `gzip` (§8.4.1.3).
 * - Among acceptable codings the highest weight wins; on a tie the server's order does.
 * - `identity` (no coding) is acceptable unless `identity;q=0`, or `*;q=0` with no
 *   `identity` element, says otherwise.
 * - No header means the client asked for nothing: the response is sent as it is.
 *
 * The value is read once, left to right; one longer than 1 KiB is read as no header.
 */

/** What a client accepts, among the codings a server offers. */
export interface Negotiated<E extends string> {
  /** The acceptable codings the server offers, best first; empty when none is. */
  readonly codings: readonly E[];
  /** The client refused `identity`: send a coding even where the server would not bother. */
  readonly identityRefused: boolean;
}

const MAX = 1024;
const NONE: Negotiated<never> = Object.freeze({ codings: Object.freeze([]), identityRefused: false });
// Browsers send a handful of distinct values; each one is read once per offer list.
const cache = new Map<string, Negotiated<string>>();

/** Negotiates `header` against `offered` (in the server's order of preference). */
export function negotiateEncoding<E extends string>(header: string | undefined, offered: readonly E[]): Negotiated<E> {
  if (header === undefined || header.length > MAX) return NONE;
  const key = `${offered.join(',')}|${header}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit as Negotiated<E>;
  const weights = parseWeights(header);
  const star = weights.get('*');
  const weight = (c: string): number => weights.get(c) ?? (c === 'gzip' ? weights.get('x-gzip') : undefined) ?? star ?? 0;
  const codings = offered
    .map((c, i) => ({ c, q: weight(c), i }))
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.c);
  const id = weights.get('identity');
  const out: Negotiated<E> = Object.freeze({ codings: Object.freeze(codings), identityRefused: id !== undefined ? id === 0 : star === 0 });
  if (cache.size >= 256) cache.clear();
  cache.set(key, out);
  return out;
}

/**
 * The weight of each coding named in the header (lower-cased). An element with a weight
 * that is not a qvalue (`0`–`1`, up to three decimals) is ignored; a coding named twice
 * keeps its first weight.
 */
function parseWeights(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const element of header.split(',')) {
    const parts = element.split(';');
    const name = parts[0]!.trim().toLowerCase();
    if (name === '' || out.has(name)) continue;
    let q = 1;
    let ok = true;
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i]!.trim();
      const eq = p.indexOf('=');
      if (eq === -1 || p.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const v = p.slice(eq + 1).trim();
      if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(v)) {
        ok = false;
        break;
      }
      q = Number(v);
    }
    if (ok) out.set(name, q);
  }
  return out;
}
