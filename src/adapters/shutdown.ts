/**
 * Graceful shutdown of a node:http server: every request the server accepted is answered,
 * and no client is cut off in the middle of sending one.
 *
 * 1. The listening socket closes (after accepting the connections the kernel already
 *    queued): new connections are refused.
 * 2. Every response written from then on says `Connection: close` (the adapter asks
 *    `draining`), so node closes its connection once the response is sent, and the client
 *    knows not to send another request on it.
 * 3. A keep-alive connection with no request in progress is closed (FIN) once it has been
 *    idle for `IDLE_MS`. Not at once: a keep-alive client sends its next request the moment
 *    the previous response ends, so a connection that is idle at the instant of SIGTERM
 *    often has a request on the wire already, and closing it resets that request. Waiting
 *    `IDLE_MS` lets such a request arrive; it is answered with `Connection: close`.
 *    (`server.close()` in node 19 and later closes idle connections itself, at once; that
 *    step is skipped here, and node 18's close(), which never did it, behaves the same.)
 * 4. WebSockets are closed with 1001 (going away) and event streams are ended at once:
 *    neither would ever finish by itself.
 * 5. After `shutdownTimeout` whatever is left is destroyed.
 *
 * See docs/deployment.md#graceful-shutdown.
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections that never finish by themselves: WebSockets (closed with 1001, going away)
 * and event streams (ended, so that the browser reconnects to another server). `begin`
 * runs when shutdown starts, `force` when the grace period is over.
 */
export interface LongLived {
  begin(): void;
  force(): void;
}

/** How long a connection must stay idle during shutdown before it is closed (ms). */
export const IDLE_MS = 250;

/** Tracks a server's connections and the responses in progress, and drains them on close. */
export class Drain {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Responses whose handler has not answered yet (the adapter's in-flight map). */
  readonly #waiting: ReadonlyMap<ServerResponse, unknown>;
  /** Responses whose body is still being streamed. */
  readonly #streaming: ReadonlyMap<ServerResponse, unknown>;
  #draining = false;
  #closed: Promise<void> | undefined;

  /** What else must be told of the shutdown: open WebSockets and event streams. */
  readonly #longLived: LongLived | undefined;

  constructor(server: Server, waiting: ReadonlyMap<ServerResponse, unknown>, streaming: ReadonlyMap<ServerResponse, unknown>, longLived?: LongLived) {
    this.#server = server;
    this.#waiting = waiting;
    this.#streaming = streaming;
    this.#longLived = longLived;
    server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
  }

  /**
   * The socket was handed over to another protocol (a WebSocket): it is no longer an HTTP
   * connection for the idle sweep to close; the long-lived hooks close it instead.
   */
  release(s: Socket): void {
    this.#sockets.delete(s);
  }

  /** True once shutdown began: responses say `Connection: close`. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Stops accepting, lets requests in progress finish, closes idle connections as above,
   * and resolves when every connection is closed (at the latest `graceMs` from now).
   */
  close(graceMs: number): Promise<void> {
    return (this.#closed ??= new Promise<void>((resolve) => {
      const server = this.#server;
      const force = setTimeout(() => {
        server.closeAllConnections();
        this.#longLived?.force();
      }, graceMs);
      force.unref();
      let timer: NodeJS.Timeout | undefined;
      server.once('close', () => {
        clearInterval(timer);
        clearTimeout(force);
        resolve();
      });
      // The listening socket closes after one more poll phase (an immediate queued from an
      // immediate runs after it), in which libuv accepts every connection the kernel has
      // queued: closing it at once would reset those, whose clients were told they had
      // connected. Only then do responses start saying `Connection: close`: a client told
      // so reconnects at once, and must find the port closed (refused), not still open and
      // about to close (reset).
      setImmediate(() =>
        setImmediate(() => {
          stopListening(server);
          this.#draining = true;
          this.#longLived?.begin();
          // Responses waiting for their handler get the header now; the adapter adds it to
          // those written later.
          for (const nres of this.#waiting.keys()) if (!nres.headersSent) nres.setHeader('connection', 'close');
          const sweep = this.#closeIdle();
          sweep();
          timer = setInterval(sweep, Math.max(10, Math.min(IDLE_MS, Math.floor(graceMs / 4))));
          timer.unref();
        }),
      );
    }));
  }

  /** A sweep that ends (FIN) each connection idle since the previous sweep. */
  #closeIdle(): () => void {
    const seen = new Map<Socket, number>();
    return () => {
      const busy = new Set<Socket | null>();
      for (const nres of this.#waiting.keys()) busy.add(nres.socket);
      for (const nres of this.#streaming.keys()) busy.add(nres.socket);
      for (const s of this.#sockets) {
        const io = s.bytesRead + s.bytesWritten;
        const before = seen.get(s);
        seen.set(s, io);
        // Only after a whole period with no byte in or out, no response in progress and
        // nothing left to send.
        if (before !== io || busy.has(s) || s.writableLength > 0 || s.destroyed || s.writableEnded) continue;
        // FIN, then the socket is released at once: some clients (browsers among them) only
        // notice a closed idle connection when they next look at their pool, seconds later.
        s.end(() => s.destroy());
      }
    };
  }
}

/** server.close(), without node's own immediate close of idle connections (see 3. above). */
function stopListening(server: Server): void {
  const own = Object.getOwnPropertyDescriptor(server, 'closeIdleConnections');
  server.closeIdleConnections = () => {};
  try {
    server.close();
  } finally {
    if (own === undefined) delete (server as { closeIdleConnections?: unknown }).closeIdleConnections;
    else Object.defineProperty(server, 'closeIdleConnections', own);
  }
}
