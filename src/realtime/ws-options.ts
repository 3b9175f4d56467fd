/**
 * The `websocket` section of the app's options: limits every WebSocket connection is held
 * to, with their defaults and start-up validation (a wrong value is a ConfigError naming
 * the setting).
 *
 * ```ts
 * createApp({ websocket: { maxPayload: 256 * 1024, pingInterval: 20_000 } });
 * ```
 * See docs/realtime.md#limits.
 */
import { ConfigError } from '../errors.js';

/** Limits for WebSocket connections (`createApp({ websocket: {...} })`). */
export interface WebSocketOptions {
  /**
   * Largest message a client may send, in bytes. A larger one closes the connection with
   * 1009 (`WS_MESSAGE_TOO_LARGE`). Default 64 KiB.
   */
  maxPayload?: number;
  /**
   * Most bytes waiting to be sent to one client. A client that stops reading while the
   * app keeps sending is dropped once this is passed (`WS_SEND_BUFFER_FULL`). Default 1 MiB.
   */
  maxBuffered?: number;
  /**
   * Messages received but not yet read by the handler. Past it the server stops reading
   * from that client (TCP flow control slows it down) until the handler catches up. Default 16.
   */
  maxQueued?: number;
  /**
   * A ping is sent every `pingInterval` ms; a client that has not answered the previous
   * one by then is dropped (`WS_IDLE_TIMEOUT`). Default 30 000.
   */
  pingInterval?: number;
  /**
   * Most WebSockets open at once in this process. A handshake past it is refused with a
   * 503 (`WS_TOO_MANY_CONNECTIONS`) before any hook runs. With the other limits it bounds
   * what clients can make the server hold: each connection up to `maxBuffered` bytes out
   * and `maxQueued` messages of `maxPayload` bytes in (about 2 MiB at the defaults).
   * Default 1000.
   */
  maxConnections?: number;
}

export type WebSocketSettings = Readonly<Required<WebSocketOptions>>;

export const WEBSOCKET_DEFAULTS: WebSocketSettings = Object.freeze({
  maxPayload: 64 * 1024,
  maxBuffered: 1024 * 1024,
  maxQueued: 16,
  pingInterval: 30_000,
  maxConnections: 1000,
});

/** Reads and checks the `websocket` section; throws ConfigError naming the setting. */
export function resolveWebSocketOptions(raw: unknown): WebSocketSettings {
  if (raw === undefined) return WEBSOCKET_DEFAULTS;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "websocket" must be an object like { maxPayload: 65536 }; got ${JSON.stringify(raw)}.`, {
      key: 'websocket',
    });
  }
  const out: Record<string, number> = { ...WEBSOCKET_DEFAULTS };
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in WEBSOCKET_DEFAULTS)) {
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "websocket.${k}" (known: ${Object.keys(WEBSOCKET_DEFAULTS).join(', ')}).`, {
        key: `websocket.${k}`,
      });
    }
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
      throw new ConfigError('CONFIG_INVALID', `Setting "websocket.${k}" must be a positive integer; got ${JSON.stringify(v)}.`, { key: `websocket.${k}` });
    }
    out[k] = v;
  }
  return Object.freeze(out) as unknown as WebSocketSettings;
}
