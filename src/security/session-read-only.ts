/**
 * The session of a WebSocket handshake, made read-only for the whole connection: the
 * route's `before` hooks and the handler read it, and a write throws
 * `WS_SESSION_READ_ONLY`. The handshake is answered with `101 Switching Protocols`, which
 * carries no session cookie and finishes no response, so a change made at any point of
 * the connection — in a hook as in the handler — could never be saved, and would be lost
 * silently (a hook's `set()` once seemed to work: the handler read it back, and nothing
 * kept it). See docs/realtime.md#the-session.
 */
import { PalisadeError } from '../errors.js';

/** Session methods that only read; any other method of a read-only session throws. */
const READS = new Set(['get', 'has', 'user', 'toObject', 'isNew', 'load']);

/**
 * Makes `session` read-only: reads work as in a route; every other method throws
 * `WS_SESSION_READ_ONLY` instead of losing the change silently. The object stays the
 * session itself (its methods are shadowed, not wrapped), so Palisade's own code that
 * reads it — the CSRF token, the current user — works on it as on any session.
 */
export function makeSessionReadOnly(session: object): void {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(session) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && typeof d?.value === 'function' && !READS.has(name)) names.add(name);
    }
  }
  for (const name of names) {
    Object.defineProperty(session, name, {
      value: () => {
        throw new PalisadeError(
          'WS_SESSION_READ_ONLY',
          `session.${name}() was called during a WebSocket connection (a before hook of its handshake, or its handler). The session is read-only there: the handshake's answer carries no session cookie, so the change could never be saved. Change the session in an HTTP route (a login, a form post) before opening the socket.`,
        );
      },
    });
  }
}
