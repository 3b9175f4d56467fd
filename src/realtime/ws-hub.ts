/**
 * The server's WebSocket connections: runs each route's handler in the scope of its
 * handshake request, closes the connection when the handler is done, pings every
 * connection on an interval and drops those that stopped answering, and closes them all
 * with 1001 (going away) when the server shuts down.
 * See docs/realtime.md#websockets.
 */
import type { Logger } from 'pino';
import { runInScope, type RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import { WebSocketConnection, type RawSocket } from './ws.js';
import type { WebSocketSettings } from './ws-options.js';

/**
 * A WebSocket route's handler. The connection is closed when it returns (1000) or throws
 * (1011, and the error is logged): keep it running — read messages with `for await`, or
 * `await socket.closed` — for as long as the connection should stay open.
 */
export type WebSocketHandler<R = Request> = (socket: WebSocketConnection, req: R) => void | Promise<void>;

export class WebSocketHub {
  readonly #conns = new Set<WebSocketConnection>();
  readonly #limits: WebSocketSettings;
  readonly #log: () => Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(limits: WebSocketSettings, log: () => Logger) {
    this.#limits = limits;
    this.#log = log;
  }

  /** Open connections. */
  get size(): number {
    return this.#conns.size;
  }

  /** `websocket.maxConnections` are open: a new handshake is refused. */
  get full(): boolean {
    return this.#conns.size >= this.#limits.maxConnections;
  }

  /** Takes over an upgraded socket and runs `handler` on it in the handshake's scope. */
  accept(ws: RawSocket, req: Request, handler: WebSocketHandler, scope: RequestScope): void {
    const conn = new WebSocketConnection(ws, this.#limits, (code, message) => {
      try {
        this.#log().warn({ code, path: req.path }, message);
      } catch {
        // logging must not throw out of a socket event
      }
    });
    this.#conns.add(conn);
    void conn.closed.then(() => this.#conns.delete(conn));
    this.#startPings();
    let out: unknown;
    try {
      out = runInScope(scope, () => handler(conn, req));
    } catch (err) {
      out = Promise.reject(err);
    }
    Promise.resolve(out).then(
      () => conn.close(1000),
      (err: unknown) => {
        try {
          this.#log().error({ err, path: req.path }, 'WebSocket handler failed');
        } catch {
          // as above
        }
        conn.close(1011, 'internal error');
      },
    );
  }

  /** Shutdown: asks every connection to close with 1001 (going away). */
  closeAll(): void {
    this.#stopPings();
    for (const c of this.#conns) c.close(1001, 'server shutting down');
  }

  /** Shutdown, once the grace period is over: drops whatever is still open. */
  terminateAll(): void {
    this.#stopPings();
    for (const c of this.#conns) WebSocketConnection.terminate(c);
  }

  #startPings(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      for (const c of this.#conns) {
        if (WebSocketConnection.ping(c)) continue;
        try {
          this.#log().warn(
            { code: 'WS_IDLE_TIMEOUT' },
            `A WebSocket client did not answer a ping within websocket.pingInterval (${this.#limits.pingInterval} ms); the connection was dropped.`,
          );
        } catch {
          // as above
        }
        WebSocketConnection.terminate(c);
      }
      if (this.#conns.size === 0) this.#stopPings();
    }, this.#limits.pingInterval);
    this.#timer.unref();
  }

  #stopPings(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
