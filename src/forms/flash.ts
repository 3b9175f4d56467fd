/**
 * Flashed messages, as in Flask: `flash(req, 'Saved.')` before a redirect, and the next
 * page shows it once (`get_flashed_messages()` in a template, `getFlashedMessages(req)`
 * in code). They are kept in the session under `_flashes`, so they survive the redirect
 * of post/redirect/get and are signed like the rest of the session.
 *
 * ```ts
 * app.post('/notes', async (req) => {
 *   const result = await noteForm.validate(req);
 *   if (!result.ok) return ...;
 *   await flash(req, 'Note saved.', 'success');
 *   return Response.redirect('/notes', { status: 303 });
 * });
 * ```
 * ```html
 * {% for category, message in get_flashed_messages(with_categories=true) %}
 *   <p class="flash {{ category }}">{{ message }}</p>
 * {% endfor %}
 * ```
 * See docs/forms-and-csrf.md#flashed-messages.
 */
import { currentScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import { sessionInternals } from '../security/session.js';
import { INTERNALS } from '../util/symbols.js';

/** The session key the messages are kept under (as in Flask). */
export const FLASH_KEY = '_flashes';
/** At most this many messages wait in a session; older ones are dropped first. */
export const MAX_FLASHES = 50;

type Flash = readonly [category: string, message: string];

interface FlashState {
  messages: Flash[];
  /** Read by this request: removed from the session. */
  popped: boolean;
  removal?: Promise<void>;
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** This request's flashed messages, once loaded. */
    flash?: FlashState;
  }
}

function sane(raw: unknown): Flash[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((f): f is Flash => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string');
}

/**
 * Adds a message to show on the next page the user sees (or this one, if it has not
 * read its messages yet). `category` is free text: `message` (default), `error`,
 * `success`…
 *
 * ```ts
 * await flash(req, 'Your note was deleted.', 'success');
 * ```
 * See docs/forms-and-csrf.md#flashed-messages.
 */
export async function flash(req: Request, message: string, category = 'message'): Promise<void> {
  if (typeof message !== 'string' || typeof category !== 'string') throw new TypeError('flash(req, message, category?) takes text');
  if (req.session === undefined) throw new TypeError('flash() needs the session protection (req.session)');
  const list = sane(await req.session.get(FLASH_KEY));
  list.push([category, message]);
  while (list.length > MAX_FLASHES) list.shift();
  await req.session.set(FLASH_KEY, list);
  const st = req[INTERNALS].flash;
  if (st === undefined) req[INTERNALS].flash = { messages: list.slice(), popped: false };
  else if (!st.popped) st.messages = list.slice();
}

/** Options of getFlashedMessages (`with_categories`, `category_filter` in templates). */
export interface FlashedOptions {
  /** Return `[category, message]` pairs instead of messages. */
  withCategories?: boolean;
  /** Only messages of these categories. */
  categoryFilter?: readonly string[];
}

/**
 * The messages flashed for this user, oldest first, removed from the session (a second
 * call in the same request returns the same ones).
 *
 * ```ts
 * const messages = await getFlashedMessages(req);                           // ['Saved.']
 * const pairs = await getFlashedMessages(req, { withCategories: true });    // [['success', 'Saved.']]
 * ```
 * See docs/forms-and-csrf.md#flashed-messages.
 */
export async function getFlashedMessages(req: Request, options: FlashedOptions & { withCategories: true }): Promise<[string, string][]>;
export async function getFlashedMessages(req: Request, options?: FlashedOptions): Promise<string[]>;
export async function getFlashedMessages(req: Request, options: FlashedOptions = {}): Promise<string[] | [string, string][]> {
  let st = req[INTERNALS].flash;
  if (st === undefined) {
    st = { messages: req.session === undefined ? [] : sane(await req.session.get(FLASH_KEY)), popped: false };
    req[INTERNALS].flash = st;
  }
  const out = pop(req, st, options);
  await st.removal;
  return out;
}

function pop(req: Request, st: FlashState, o: FlashedOptions): string[] | [string, string][] {
  if (!st.popped) {
    st.popped = true;
    sessionInternals.touch(req.session); // what the page shows now depends on the session
    // Templates render synchronously: the removal is awaited by finishFlashes before the
    // session is written (the forms protection's finish runs in the `flash` phase, before the session's).
    if (st.messages.length > 0) st.removal = req.session.delete(FLASH_KEY).catch(() => {});
  }
  const filter = o.categoryFilter;
  const list = filter === undefined || filter.length === 0 ? st.messages : st.messages.filter(([c]) => filter.includes(c));
  return o.withCategories === true ? list.map(([c, m]) => [c, m] as [string, string]) : list.map(([, m]) => m);
}

/**
 * Loads this request's messages before the handler, so that templates (which render
 * synchronously) can read them. Called by the forms protection when the request carries
 * a session cookie. A session store that does not answer means no messages, not an error.
 * Synchronous when the session data is at hand (the cookie store).
 */
export function preloadFlashes(req: Request): Promise<void> | undefined {
  if (req[INTERNALS].flash !== undefined) return undefined;
  const keep = (raw: unknown): void => {
    req[INTERNALS].flash ??= { messages: sane(raw), popped: false };
  };
  let peeked: unknown;
  try {
    // A peek: the response depends on the session only once the messages are read.
    peeked = sessionInternals.peek(req.session, FLASH_KEY);
  } catch {
    peeked = undefined;
  }
  if (!(peeked instanceof Promise)) {
    keep(peeked);
    return undefined;
  }
  // SESSION_STORE_UNAVAILABLE: the route may not need the session; it finds out itself.
  return peeked.then(keep, () => keep(undefined));
}

/** Waits for this request's read messages to leave the session (before it is written). */
export function finishFlashes(req: Request): Promise<void> | undefined {
  return req[INTERNALS].flash?.removal;
}

/**
 * The template global `get_flashed_messages(with_categories=false, category_filter=[])`.
 * It reads what the forms protection loaded (no session cookie: no messages).
 */
export function get_flashed_messages(a?: unknown, b?: unknown): string[] | [string, string][] {
  const req = currentScope()?.request as Request | undefined;
  if (req === undefined || req.session === undefined) return [];
  let st = req[INTERNALS].flash;
  if (st === undefined) {
    // No session cookie came with the request, so no messages are waiting.
    st = { messages: [], popped: false };
    req[INTERNALS].flash = st;
  }
  let withCategories = false;
  let categoryFilter: readonly string[] | undefined;
  for (const arg of [a, b]) {
    if (typeof arg === 'boolean') withCategories = arg;
    else if (Array.isArray(arg)) categoryFilter = arg.map(String);
    else if (typeof arg === 'object' && arg !== null) {
      const kw = arg as { with_categories?: unknown; category_filter?: unknown };
      if (kw.with_categories !== undefined) withCategories = kw.with_categories === true;
      if (Array.isArray(kw.category_filter)) categoryFilter = kw.category_filter.map(String);
    }
  }
  return pop(req, st, { withCategories, ...(categoryFilter !== undefined ? { categoryFilter } : {}) });
}
