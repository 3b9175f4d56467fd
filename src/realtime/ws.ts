/**
 * WebSocketConnection: what a WebSocket handler receives. Messages are read with
 * `for await`, sent with `send`, and the connection is held to the app's `websocket`
 * limits (ws-options.ts) in both directions:
 *
 * - in: a message larger than `maxPayload` closes the connection with 1009; messages the
 *   handler has not read yet are queued up to `maxQueued`, then the server stops reading
 *   from the socket (TCP flow control slows the client) until the handler catches up;
 * - out: `send` resolves once its data is handed to the operating system, so a handler
 *   that awaits it never queues more than one message; a client that stops reading while
 *   more than `maxBuffered` bytes wait for it is dropped (`WS_SEND_BUFFER_FULL`).
 *
 * ```ts
 * app.ws('/echo', async (socket) => {
 *   for await (const message of socket) await socket.send(`echo: ${message}`);
 * });
 * ```
 * See docs/realtime.md#websockets.
 */
import { type ErrorCode } from '../errors.js';
import type { WebSocketSettings } from './ws-options.js';

/** A message: text frames arrive as strings, binary frames as bytes. */
export type WebSocketMessage = string | Uint8Array;

/** How the connection ended: the close code and reason (1006 when it was cut without one). */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Reports a limit the client passed, for the app's log. */
export type ConnectionReport = (code: ErrorCode, message: string) => void;

const OPEN = 1;

/**
 * The part of a `ws` WebSocket this module uses, written out so that the published types
 * do not depend on `ws`'s own (which are a development dependency).
 */
export interface RawSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  on(event: 'message', fn: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'pong', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error & { code?: string }) => void): unknown;
  once(event: 'close', fn: (code: number, reason: Buffer) => void): unknown;
  send(data: string | Uint8Array, cb: (err?: Error | null) => void): void;
  ping(): void;
  pause(): void;
  resume(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** One WebSocket connection, as a handler sees it. */
export class WebSocketConnection implements AsyncIterable<WebSocketMessage> {
  readonly #ws: RawSocket;
  readonly #limits: WebSocketSettings;
  readonly #report: ConnectionReport;
  readonly #queue: WebSocketMessage[] = [];
  #reader: ((r: IteratorResult<WebSocketMessage>) => void) | undefined;
  #paused = false;
  #ended = false;
  readonly #closed: Promise<CloseInfo>;
  readonly #abort = new AbortController();
  /** The client answered the last ping (or none was sent yet). */
  #alive = true;

  /** Internal: made by the server for each accepted handshake. */
  constructor(ws: RawSocket, limits: WebSocketSettings, report: ConnectionReport) {
    this.#ws = ws;
    this.#limits = limits;
    this.#report = report;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      // ws closes the connection itself after an error (1009 for a message too large,
      // 1002 for a protocol error); what is left is to say why in the log.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        report(
          'WS_MESSAGE_TOO_LARGE',
          `A client sent a message larger than websocket.maxPayload (${limits.maxPayload} bytes); the connection was closed with 1009.`,
        );
      }
    });
    this.#closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.#ended = true;
        this.#abort.abort();
        const reader = this.#reader;
        this.#reader = undefined;
        reader?.({ value: undefined, done: true });
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  /** True while messages can be sent. */
  get isOpen(): boolean {
    return this.#ws.readyState === OPEN;
  }

  /** Resolves with the close code and reason once the connection is closed; never rejects. */
  get closed(): Promise<CloseInfo> {
    return this.#closed;
  }

  /** Aborted when the connection closes: pass it to whatever the handler waits on. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The subprotocol agreed in the handshake, or ''. */
  get protocol(): string {
    return this.#ws.protocol;
  }

  /**
   * Sends a message: a string as a text frame, bytes as a binary frame. Resolves true
   * once the data is handed to the operating system, false when the connection is closed
   * or was dropped; it never rejects, so a send nobody awaits cannot end the process.
   */
  send(data: string | Uint8Array): Promise<boolean> {
    const ws = this.#ws;
    if (ws.readyState !== OPEN) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      ws.send(data, (err) => resolve(err === undefined || err === null));
      if (ws.bufferedAmount > this.#limits.maxBuffered) {
        this.#report(
          'WS_SEND_BUFFER_FULL',
          `A client did not read its messages: ${ws.bufferedAmount} bytes waited for it, more than websocket.maxBuffered (${this.#limits.maxBuffered}); the connection was dropped.`,
        );
        ws.terminate();
      }
    });
  }

  /** Closes the connection (1000, normal closure, unless told otherwise). */
  close(code = 1000, reason = ''): void {
    const ws = this.#ws;
    if (ws.readyState === OPEN || ws.readyState === 0) ws.close(code, reason);
  }

  /**
   * The next message, or done once the connection is closed. One loop reads a
   * connection's messages; a second reader at the same time is a TypeError.
   */
  next(): Promise<IteratorResult<WebSocketMessage>> {
    const q = this.#queue;
    if (q.length > 0) {
      const value = q.shift()!;
      if (this.#paused && q.length <= this.#limits.maxQueued >> 1) {
        this.#paused = false;
        this.#ws.resume();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    if (this.#reader !== undefined) return Promise.reject(new TypeError('Only one loop may read the messages of a WebSocket connection at a time.'));
    return new Promise((resolve) => {
      this.#reader = resolve;
    });
  }

  /** `for await (const message of socket)`; leaving the loop early leaves the connection open. */
  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return {
      next: () => this.next(),
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  #onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const msg: WebSocketMessage = isBinary ? buf : buf.toString('utf8');
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader({ value: msg, done: false });
      return;
    }
    this.#queue.push(msg);
    if (!this.#paused && this.#queue.length >= this.#limits.maxQueued) {
      this.#paused = true;
      this.#ws.pause();
    }
  }

  /** Internal, for the server's ping round: false when the last ping went unanswered. */
  static ping(c: WebSocketConnection): boolean {
    if (!c.#alive) return false;
    c.#alive = false;
    try {
      c.#ws.ping();
    } catch {
      // closing already
    }
    return true;
  }

  /** Internal, for the server: drops the connection at once (no close handshake). */
  static terminate(c: WebSocketConnection): void {
    c.#ws.terminate();
  }
}
