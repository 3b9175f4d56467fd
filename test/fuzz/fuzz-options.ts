/**
 * Shared settings for the property-based fuzz tests in test/fuzz.
 *
 * The seed is fixed so CI is reproducible; a failure prints the seed and the shrunk
 * counterexample, and `FUZZ_SEED=<seed> FUZZ_RUNS=<n>` replays or widens a run:
 *
 *   FUZZ_RUNS=20000 node scripts/run-tests.mjs test fuzz
 *   FUZZ_SEED=$RANDOM node scripts/run-tests.mjs test fuzz
 *
 * See docs/reliability.md.
 */
import fc from 'fast-check';

/** The seed every property uses (env `FUZZ_SEED`, default a constant). */
export const FUZZ_SEED = intFromEnv('FUZZ_SEED', 0x5a11ade);
/** Cases per property (env `FUZZ_RUNS`, default small enough for CI). */
export const FUZZ_RUNS = intFromEnv('FUZZ_RUNS', 300);

function intFromEnv(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * Runs a property with the shared seed and run count. `scale` multiplies the run count
 * for cheap properties (or divides it, below 1, for expensive ones).
 */
export function check<Ts>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, opts: { scale?: number; params?: fc.Parameters<Ts> } = {}): Promise<void> | void {
  const numRuns = Math.max(10, Math.round(FUZZ_RUNS * (opts.scale ?? 1)));
  // FUZZ_NO_SHRINK=1 reports the first failing case as found, before shrinking: useful when
  // one failure leaves state behind that makes every smaller case fail too.
  const endOnFailure = process.env.FUZZ_NO_SHRINK === '1';
  return fc.assert(property as fc.IAsyncProperty<Ts>, { seed: FUZZ_SEED, numRuns, includeErrorInReport: true, endOnFailure, ...opts.params });
}

/** Any string of code points, lone surrogates included (what a hostile client can send). */
export const anyString = (maxLength = 64): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength }),
    fc.string({ unit: 'binary-ascii', maxLength }),
  );

/** A well-formed Unicode string (no lone surrogates): what can travel as UTF-8. */
export const unicodeString = (maxLength = 64): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }), fc.string({ maxLength }));

/** Strings built from a hostile alphabet: pieces a parser is likely to trip on. */
export const piecesOf = (pieces: readonly string[], maxLength = 24): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));

/** RFC 9110 token characters. */
export const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** A non-empty RFC 9110 token. */
export const token = (maxLength = 16): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength });

/** Snapshot of Object.prototype's own keys, to detect pollution. */
export function prototypeKeys(): string {
  return [
    Object.getOwnPropertyNames(Object.prototype).sort().join(','),
    Object.getOwnPropertyNames(Array.prototype).sort().join(','),
    String(({} as Record<string, unknown>).polluted),
  ].join('|');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** True when `s` has no lone surrogate (String#isWellFormed, which the ES2022 lib lacks). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
