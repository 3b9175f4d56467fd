/**
 * The counting rule every rate limit store follows, and what its answer means.
 *
 * Time is cut into windows of `windowMs` starting at multiples of it (since the Unix
 * epoch). A key keeps two counts: the current window's and the one before. A request is
 * allowed when, with it, the count stays within the limit; only allowed requests are
 * counted, so a client that keeps sending past its limit does not push its own reset
 * further away, and one that stops gets in again on time.
 *
 * - Fixed window: the count is the current window's.
 * - Sliding window: the count is the current window's plus the previous window's weighted
 *   by the share of it still within `windowMs` of now — the sliding window counter that
 *   Cloudflare describes ("How we built rate limiting capable of scaling to millions of
 *   domains", 2017). A burst at the end of one window and another at the start of the next
 *   cannot pass twice the limit, as they can with fixed windows.
 *
 * A store applies this rule atomically (memory: in one synchronous step; Redis: in one Lua
 * script) and reports the counts it saw, from which `verdict` derives the headers.
 */

/** What a store saw for one request: the counts after it, and the time it used. */
export interface WindowCounts {
  /** True when the request was within the limit (and was counted). */
  readonly allowed: boolean;
  /** The current window's count, this request included if it was allowed. */
  readonly current: number;
  /** The previous window's count (0 for a fixed window). */
  readonly previous: number;
  /** The store's clock, in milliseconds since the epoch. */
  readonly now: number;
}

/** What a store is asked to count. */
export interface WindowQuery {
  readonly windowMs: number;
  readonly limit: number;
  readonly sliding: boolean;
}

/**
 * Where rate limit counts live. `hit` applies the rule above atomically for `key` and
 * reports what it saw; a store that cannot answer throws (the request then gets a 503,
 * RATE_LIMIT_STORE_UNAVAILABLE).
 *
 * See docs/auth.md#rate-limits.
 */
export interface RateLimitStore {
  /** Shown in logs and by `palisade check`. */
  readonly name: string;
  hit(key: string, q: WindowQuery): WindowCounts | Promise<WindowCounts>;
  /** Releases connections when the app shuts down. */
  close?(): Promise<void>;
}

/** The decision for counts `previous` and `current`, `elapsed` ms into the current window. */
export function allows(q: WindowQuery, previous: number, current: number, elapsed: number): boolean {
  return weighted(q, previous, current, elapsed) + 1 <= q.limit;
}

function weighted(q: WindowQuery, previous: number, current: number, elapsed: number): number {
  return q.sliding ? (previous * (q.windowMs - elapsed)) / q.windowMs + current : current;
}

/** What the response says about a rule after a hit. */
export interface Verdict {
  readonly allowed: boolean;
  /** Requests left in the window (0 when refused). */
  readonly remaining: number;
  /** Seconds until the current window ends (the `t` of the RateLimit field). */
  readonly reset: number;
  /** Refused: seconds until a request would be allowed (Retry-After); 0 when allowed. */
  readonly retryAfter: number;
}

/** Turns a store's counts into the numbers the headers carry (whole seconds, rounded up). */
export function verdict(q: WindowQuery, c: WindowCounts): Verdict {
  const w = q.windowMs;
  const elapsed = ((c.now % w) + w) % w;
  const reset = Math.max(1, Math.ceil((w - elapsed) / 1000));
  const used = weighted(q, c.previous, c.current, elapsed);
  const remaining = Math.max(0, Math.floor(q.limit - used + 1e-9));
  if (c.allowed) return { allowed: true, remaining, reset, retryAfter: 0 };
  return { allowed: false, remaining: 0, reset, retryAfter: Math.max(1, Math.ceil(waitMs(q, c.previous, c.current, elapsed) / 1000)) };
}

/** Milliseconds until one more request fits, if nothing else is counted meanwhile. */
function waitMs(q: WindowQuery, previous: number, current: number, elapsed: number): number {
  const w = q.windowMs;
  const room = q.limit - 1; // the count must fall to this for one more to fit
  if (!q.sliding || current > room) {
    // Wait for the next window; sliding, the current count then fades as the previous one.
    const toNext = w - elapsed;
    if (!q.sliding || current <= room) return toNext;
    return toNext + Math.ceil(w * (1 - room / current));
  }
  // Sliding, and the current count alone fits: the previous one must fade enough.
  if (previous <= 0) return 0;
  const at = w * (1 - (room - current) / previous); // elapsed at which the weighted count is `room`
  return Math.max(0, Math.ceil(at - elapsed));
}
