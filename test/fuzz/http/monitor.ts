/**
 * What the app under the HTTP fuzzer shares with its child-process entry (child.ts):
 * a count of handlers still running, and the markers a handler uses to say that a 500
 * or a cut response is on purpose, so the judge can tell them from the framework's own.
 */

/** Handlers started and not yet settled, and handlers run in all. */
export const counters = { handlersPending: 0, handled: 0 };

/** Wraps a handler so that its run is counted until it returns or settles. */
export function tracked<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    counters.handlersPending++;
    counters.handled++;
    let r: R;
    try {
      r = fn(...args);
    } catch (err) {
      counters.handlersPending--;
      throw err;
    }
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      (r as unknown as Promise<unknown>).then(
        () => counters.handlersPending--,
        () => counters.handlersPending--,
      );
    } else counters.handlersPending--;
    return r;
  };
}

/** An error a handler throws on purpose: the app answers it with a marked 500. */
export class OnPurpose extends Error {}

/** On a 5xx: the handler failed on purpose. */
export const ON_PURPOSE_HEADER = 'x-fuzz-on-purpose';
/** On a response whose body is cut on purpose (a stream that fails half-way). */
export const MAY_CUT_HEADER = 'x-fuzz-may-cut';
/** What the child writes to stderr, then a JSON line, when an exception reaches the top. */
export const CRASH_MARK = 'HTTP-FUZZ-CRASH ';
