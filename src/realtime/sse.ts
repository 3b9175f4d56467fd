/**
 * Server-sent events: `sse(source)` answers with a `text/event-stream` whose events come
 * from an async generator, in the format of the HTML Standard §9.2 ("Server-sent
 * events"): `event:`, `id:`, `retry:` and one `data:` line per line of data, an empty
 * line after each event.
 *
 * - The generator runs in the request's scope (`render()`, `urlFor`, the CSRF token work
 *   in it), step by step as the client reads: a client that reads slowly holds it at its
 *   `yield`.
 * - `Last-Event-ID`, which a browser sends when it reconnects, is handed to the generator.
 * - A comment line is sent when nothing else was for `heartbeat` ms, so proxies keep the
 *   connection and a client that left is noticed.
 * - When the client leaves (or the server shuts down), the generator is returned: its
 *   `finally` runs, and the `signal` it was given is aborted, for what it awaits.
 * - The stream is the response body: the handler has answered, so the handler timeout does
 *   not cut it, and compression leaves `text/event-stream` alone.
 *
 * ```ts
 * app.get('/clock', () => sse(async function* ({ signal }) {
 *   while (!signal.aborted) {
 *     yield { event: 'tick', data: new Date().toISOString() };
 *     await setTimeout(1000, undefined, { signal }).catch(() => {});
 *   }
 * }));
 * ```
 * See docs/realtime.md#server-sent-events.
 */
import { Readable } from 'node:stream';
import { PalisadeError } from '../errors.js';
import { currentScope, runInScope, type RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';

/** One event. A string yielded alone is an event with that data. */
export interface ServerEvent {
  /** The event's data: a string as it is (one `data:` line per line), anything else as JSON. */
  data?: unknown;
  /** The event type (`addEventListener(type, …)` in the browser); default `message`. */
  event?: string;
  /** The id the browser sends back as `Last-Event-ID` when it reconnects. */
  id?: string | number;
  /** How long the browser waits before reconnecting, in ms. */
  retry?: number;
}

/** What the generator is given. */
export interface EventStreamContext {
  /** The `Last-Event-ID` the browser sent on reconnecting (at most 1,024 characters), or undefined. */
  readonly lastEventId: string | undefined;
  /** Aborted when the client leaves or the server shuts down. */
  readonly signal: AbortSignal;
}

/** Options of an event stream (docs/realtime.md#server-sent-events). */
export interface SseOptions {
  /** A `retry:` sent first: the browser's reconnection delay in ms. Default none (the browser's own, about 3 s). */
  retry?: number;
  /** A comment line after this many ms without an event; 0 switches it off. Default 15 000. */
  heartbeat?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export type EventSource = (ctx: EventStreamContext) => AsyncIterable<ServerEvent | string>;

const MAX_LAST_EVENT_ID = 1024;

/**
 * A `text/event-stream` response whose events come from `source`, an async generator
 * function. Call it inside a handler (it reads `Last-Event-ID` from the current request).
 *
 * ```ts
 * app.get('/feed', () => sse(async function* ({ lastEventId }) {
 *   for (const n of await newsSince(lastEventId)) yield { id: n.id, data: n };
 * }));
 * ```
 * See docs/realtime.md#server-sent-events.
 */
export function sse(source: EventSource, options: SseOptions = {}): Response {
  const scope = currentScope();
  if (scope === undefined) throw new TypeError('sse() is called outside a request: return it from a handler.');
  const req = scope.request as Request;
  const retry = options.retry;
  if (retry !== undefined) checkRetry(retry);
  const heartbeat = options.heartbeat ?? 15_000;
  if (!Number.isSafeInteger(heartbeat) || heartbeat < 0) throw new TypeError('sse(): heartbeat must be a whole number of ms (0 for none)');
  const last = req.header('last-event-id');
  const lastEventId = last !== undefined && last.length <= MAX_LAST_EVENT_ID ? last : undefined;
  const stream = new EventStream(source, lastEventId, scope, retry, heartbeat);
  const res = new Response(stream, { headers: options.headers });
  res.headers['content-type'] = 'text/event-stream; charset=utf-8';
  res.headers['cache-control'] ??= 'no-store';
  // nginx buffers proxied responses unless told otherwise; events must arrive when sent.
  res.headers['x-accel-buffering'] = 'no';
  return res;
}

/** The body of an `sse()` response: a Readable that pulls events from the generator as it is read. */
export class EventStream extends Readable {
  readonly #source: EventSource;
  readonly #scope: RequestScope;
  readonly #abort = new AbortController();
  readonly #lastEventId: string | undefined;
  #it: AsyncIterator<ServerEvent | string> | undefined;
  #pulling = false;
  #done = false;
  #returned = false;
  /** Something was sent since the last heartbeat tick. */
  #sent = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(source: EventSource, lastEventId: string | undefined, scope: RequestScope, retry: number | undefined, heartbeat: number) {
    super();
    this.#source = source;
    this.#lastEventId = lastEventId;
    this.#scope = scope;
    if (retry !== undefined) this.push(`retry: ${retry}\n\n`);
    if (heartbeat > 0) {
      this.#timer = setInterval(() => {
        if (!this.#sent && this.readableLength === 0 && !this.#done) this.push(':\n\n');
        this.#sent = false;
      }, heartbeat);
      this.#timer.unref();
    }
  }

  override _read(): void {
    if (this.#pulling || this.#done) return;
    this.#pulling = true;
    let step: Promise<IteratorResult<ServerEvent | string>>;
    try {
      step = runInScope(this.#scope, () => {
        this.#it ??= this.#source({ lastEventId: this.#lastEventId, signal: this.#abort.signal })[Symbol.asyncIterator]();
        return this.#it.next();
      });
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    step.then(
      (r) => {
        this.#pulling = false;
        if (this.#done) return;
        if (r.done === true) return this.#end();
        let chunk: string;
        try {
          chunk = formatEvent(r.value);
        } catch (err) {
          this.destroy(err as Error);
          return;
        }
        this.#sent = true;
        this.push(chunk);
      },
      (err: unknown) => {
        this.#pulling = false;
        this.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  /** Ends the stream now (server shutdown): the generator is returned, the response ends. */
  stop(): void {
    if (this.#done) return;
    this.#end();
    this.#release();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#done = true;
    clearInterval(this.#timer);
    this.#release();
    cb(err);
  }

  #end(): void {
    this.#done = true;
    clearInterval(this.#timer);
    this.push(null);
  }

  /** Aborts the signal and returns the generator, so that its `finally` runs. */
  #release(): void {
    if (this.#returned) return;
    this.#returned = true;
    this.#abort.abort();
    const it = this.#it;
    if (it?.return === undefined) return;
    try {
      const r = runInScope(this.#scope, () => it.return!());
      Promise.resolve(r).catch(() => {});
    } catch {
      // a generator's cleanup failing must not throw out of the server
    }
  }
}

/** One event in the wire format; an id or event name that could add a field is refused. */
export function formatEvent(e: ServerEvent | string): string {
  if (typeof e === 'string') return `${dataLines(e)}\n`;
  if (e === null || typeof e !== 'object') throw new TypeError(`sse(): an event is a string or an object like { data }, not ${e === null ? 'null' : typeof e}`);
  let out = '';
  if (e.event !== undefined) out += `event: ${field('event', String(e.event))}\n`;
  if (e.id !== undefined) out += `id: ${field('id', String(e.id))}\n`;
  if (e.retry !== undefined) {
    checkRetry(e.retry);
    out += `retry: ${e.retry}\n`;
  }
  if (e.data !== undefined) out += dataLines(typeof e.data === 'string' ? e.data : JSON.stringify(e.data));
  return `${out}\n`;
}

/** Each line of `s` (split at CR LF, CR or LF, as the browser splits them) on a `data:` line of its own. */
function dataLines(s: string): string {
  let out = '';
  for (const line of s.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out;
}

/** An id or event name: a line break would end the field and start one of the sender's choosing. */
function field(name: string, v: string): string {
  if (/[\r\n\0]/.test(v)) {
    throw new PalisadeError(
      'SSE_INVALID_FIELD',
      `An event ${name} holds a line break or NUL (${JSON.stringify(v.slice(0, 60))}), which would add fields to the stream; it was not sent.`,
      { field: name },
    );
  }
  return v;
}

function checkRetry(v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new TypeError(`sse(): retry must be a whole number of ms; got ${JSON.stringify(v)}`);
}
