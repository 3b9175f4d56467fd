/**
 * The node:http adapter: turns IncomingMessage into a Request, writes the Response back,
 * and owns what only a real server has: timeouts, a bound on handlers that never answer,
 * and graceful shutdown on SIGTERM/SIGINT (shutdown.ts). Writing a response never throws
 * out of it: what node would refuse becomes a logged 500 (write-guard.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ConfigError, HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import { runInScope } from '../http/context.js';
import { CREATE_REQUEST, FIX_SETUP, RESPOND, SCOPE } from '../util/symbols.js';
import { Response } from '../http/response.js';
import type { AppBase as App } from '../app/app-base.js';
import { isLingering, lingerOnClose, lingeringClose } from './linger.js';
import { Drain } from './shutdown.js';
import { createUpgrades, type Upgrades } from './upgrade.js';
import { EventStream } from '../realtime/sse.js';
import { discardBody, lastResortResponse, unwritable } from './write-guard.js';

/** What `app.listen(options)` takes. */
export interface ListenOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default `PORT` from the environment, else 8000. 0 picks a free port. */
  port?: number;
  /** Stop gracefully on SIGTERM and SIGINT, then exit. Default true except in test mode. */
  handleSignals?: boolean;
}

/** What `app.listen()` resolves to: the server, where it listens, and how to stop it. */
export interface RunningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  /**
   * Stops accepting connections, answers every request already accepted and closes the
   * connections, within `server.shutdownTimeout` (docs/deployment.md#graceful-shutdown).
   */
  close(): Promise<void>;
}

interface InFlight {
  readonly started: number;
  readonly req: Request;
}

/** The node:http request listener for an app, and what the server around it needs. */
export interface NodeHandler {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Responses whose handler has not answered yet, for the handler timeout and shutdown. */
  inFlight: Map<ServerResponse, InFlight>;
  /** Responses whose body is being streamed, and the stream, for shutdown. */
  streaming: Map<ServerResponse, Readable>;
  /** Writes a response; never throws (see `writeResponse`). */
  write(nreq: IncomingMessage, nres: ServerResponse, res: Response, req: Request | null): void;
  /** Set by the server: shutdown began, so every response says `Connection: close`. */
  drain: Drain | undefined;
}

/** Builds the node:http request listener for an app. */
export function nodeHandler(app: App): NodeHandler {
  const inFlight = new Map<ServerResponse, InFlight>();
  const streaming = new Map<ServerResponse, Readable>();
  const dev = app.settings.env === 'development';
  const onBodyError = (nreq: IncomingMessage, err: Error) => logBodyFailure(app, nreq, err);
  // One close handler for every response with a body, not a closure per request. The
  // connection went away (client gone, request timeout) while a handler may still be
  // reading the body: end that read with an error instead of leaving it waiting.
  function onClose(this: ServerResponse): void {
    inFlight.delete(this);
    const nreq = this.req;
    if (!nreq.complete && !nreq.destroyed) nreq.destroy(new Error('connection closed before the body was complete'));
  }
  // Runs inside the request's scope, and so does everything it starts: the handler's
  // continuations, the write, and the reads of a streamed body.
  function answer(nreq: IncomingMessage, nres: ServerResponse, req: Request, body: boolean): void {
    let out: Response | Promise<Response>;
    try {
      out = app[RESPOND](req);
    } catch (err) {
      out = Promise.reject(err);
    }
    if (out instanceof Response) {
      handler.write(nreq, nres, out, req);
      return;
    }
    // Only answers that wait are tracked: for the handler timeout and for shutdown.
    inFlight.set(nres, { started: Date.now(), req });
    if (body) nres.on('close', onClose);
    out.then(
      (res) => {
        inFlight.delete(nres);
        handler.write(nreq, nres, res, req);
      },
      (err: unknown) => {
        inFlight.delete(nres);
        // respond() does not throw; this is a last line of defence.
        logFailure(app, err, 'unexpected failure in dispatch');
        handler.write(nreq, nres, lastResortResponse(err, req, dev), req);
      },
    );
  }
  const handler: NodeHandler = {
    listener: (nreq, nres) => {
      const body = hasBody(nreq);
      let req: Request;
      try {
        req = app[CREATE_REQUEST]({
          method: nreq.method ?? 'GET',
          url: nreq.url ?? '/',
          headers: nreq.headers,
          body: body ? nreq : null,
          remoteAddress: nreq.socket.remoteAddress,
          encrypted: (nreq.socket as TLSSocket).encrypted === true,
        });
      } catch (err) {
        logFailure(app, err, 'unexpected failure in dispatch');
        handler.write(nreq, nres, lastResortResponse(err, null, dev), null);
        return;
      }
      // The request's scope, entered once around all of it (src/http/context.ts).
      runInScope(req[SCOPE], answer, nreq, nres, req, body);
    },
    inFlight,
    streaming,
    write(nreq, nres, res, req) {
      try {
        writeResponse(nreq, nres, res, handler.drain?.draining === true, streaming, onBodyError);
      } catch (err) {
        writeFailed(app, nreq, nres, res, req, err, dev, handler.drain?.draining === true);
      }
    },
    drain: undefined,
  };
  return handler;
}

function hasBody(nreq: IncomingMessage): boolean {
  return nreq.headers['content-length'] !== undefined || nreq.headers['transfer-encoding'] !== undefined;
}

/**
 * Writes a Response to node's ServerResponse (no body for HEAD). Throws when the response
 * cannot be written (a status or header node refuses); `NodeHandler.write` turns that into
 * a logged 500. `onBodyError` hears of a streamed body that failed after the headers went.
 */
function writeResponse(
  nreq: IncomingMessage,
  nres: ServerResponse,
  res: Response,
  closing: boolean,
  streaming: Map<ServerResponse, Readable> | null,
  onBodyError: ((nreq: IncomingMessage, err: Error) => void) | null,
): void {
  if (nres.headersSent || nres.destroyed) {
    // Already answered (timeout) or client gone: nobody will read this body.
    discardBody(res.body);
    return;
  }
  const problem = unwritable(res, false);
  if (problem !== undefined) throw problem;
  const body = res.body;
  const head = nreq.method === 'HEAD';
  const headers = res.headers;
  // A body we did not read (a refused upload) is not drained: close the connection instead
  // (node closes it once the response is written, the lingering way: linger.ts).
  const unread = !nreq.complete && hasBody(nreq);
  if (unread || closing) headers['connection'] = 'close';
  if (typeof body === 'string' || body instanceof Uint8Array || body === null) {
    const len = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (headers['content-length'] === undefined && !(body === null && (res.status === 204 || res.status === 304))) {
      headers['content-length'] = String(len);
    }
    nres.writeHead(res.status, headers);
    if (head || body === null) nres.end();
    else nres.end(body);
  } else {
    const stream = body instanceof Readable ? body : Readable.from(body);
    nres.writeHead(res.status, headers);
    if (head) {
      // A generator's cleanup may fail as it is closed; nobody reads this body.
      stream.on('error', () => {});
      stream.destroy();
      nres.end();
    } else {
      streaming?.set(nres, stream);
      pipeline(stream, nres, (err) => {
        streaming?.delete(nres);
        if (err) {
          // The headers are gone: all that is left is to cut the connection.
          nres.destroy();
          onBodyError?.(nreq, err);
        }
      });
    }
  }
}

/**
 * A response could not be written: before its headers went out it is replaced by a logged
 * 500 (whose own headers are valid); after, the connection is closed.
 */
function writeFailed(
  app: App,
  nreq: IncomingMessage,
  nres: ServerResponse,
  res: Response,
  req: Request | null,
  err: unknown,
  dev: boolean,
  closing: boolean,
): void {
  let reason: unknown = err;
  discardBody(res.body);
  try {
    reason = unwritable(res, true) ?? err;
    logFailure(app, reason, 'the response could not be written', nreq);
    if (nres.headersSent || nres.destroyed) {
      nres.destroy();
      return;
    }
    // writeHead may have stored some headers before it threw: none of them is kept.
    for (const name of nres.getHeaderNames()) nres.removeHeader(name);
    writeResponse(nreq, nres, lastResortResponse(reason, req, dev), closing, null, null);
  } catch {
    nres.destroy();
  }
}

function logBodyFailure(app: App, nreq: IncomingMessage, err: Error): void {
  // A client that went away mid-body is not the app's failure.
  if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
  logFailure(app, err, 'the response body failed after the headers were sent', nreq);
}

function logFailure(app: App, err: unknown, msg: string, nreq?: IncomingMessage): void {
  try {
    app.logger.error({ err, method: nreq?.method, path: nreq?.url }, msg);
  } catch {
    // Logging must not throw out of a callback of the server.
  }
}

/**
 * Why the server could not listen, in one line that says what to do (CONFIG_LISTEN_FAILED),
 * instead of node's EADDRINUSE stack; an error of another kind is returned as it is.
 */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const other = port === 8000 ? 8001 : 8000;
  const where = `${host}:${port}`;
  let message: string;
  switch (err.code) {
    case 'EADDRINUSE':
      message = `Port ${port} on ${host} is already in use: another server (another copy of this app?) is listening there. Stop it, or pick another port: PORT=${other} palisade run app.ts, or app.listen({ port: ${other} }).`;
      break;
    case 'EACCES':
      message = `Not allowed to listen on ${where}: ports below 1024 need administrator rights. Pick a port above 1023 (PORT=${other}) and let a reverse proxy take port 80 or 443 (docs/deployment.md#behind-a-proxy).`;
      break;
    case 'EADDRNOTAVAIL':
      message = `Cannot listen on ${where}: ${host} is not an address of this machine. Use 127.0.0.1 (the default), 0.0.0.0 for every address, or one this machine has (HOST=… or app.listen({ host })).`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `Cannot listen on ${where}: no host is named ${JSON.stringify(host)}. Use an address such as 127.0.0.1 or 0.0.0.0 (HOST=… or app.listen({ host })).`;
      break;
    default:
      return err;
  }
  return new ConfigError('CONFIG_LISTEN_FAILED', message, { host, port, errno: err.code });
}

/** Serves `app` on node:http with Palisade's timeouts and graceful shutdown. */
export function listenNode(app: App, opts: ListenOptions = {}): Promise<RunningServer> {
  const cfg = app.settings.server;
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (process.env.PORT ? Number(process.env.PORT) : 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const given = opts.port === undefined ? `PORT=${process.env.PORT}` : `port ${JSON.stringify(opts.port)}`;
    return Promise.reject(
      new ConfigError('CONFIG_INVALID', `Cannot listen on ${given}: a port is a whole number from 0 to 65535 (0 picks a free one).`, { key: 'port' }),
    );
  }
  app[FIX_SETUP]('the app began listening');
  const handler = nodeHandler(app);
  const { listener, inFlight } = handler;
  const server = createServer(
    {
      headersTimeout: cfg.headersTimeout,
      requestTimeout: cfg.requestTimeout,
      keepAliveTimeout: cfg.keepAliveTimeout,
      maxHeaderSize: cfg.maxHeaderSize,
      connectionsCheckingInterval: Math.min(1000, cfg.headersTimeout),
      // node keeps only the first copy of some headers (Host, Content-Type, Authorization…)
      // and drops the rest unseen; a proxy in front may have used another copy. Joined with
      // ", " instead, as fetch joins them, a repeated Host is refused (hosts.ts) and a
      // repeated Content-Type parses as none.
      joinDuplicateHeaders: true,
    },
    listener,
  );
  // Every connection the server closes is closed the lingering way (linger.ts), so that a
  // client still sending does not lose the end of its response to a reset.
  server.on('connection', lingerOnClose);
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A closing connection's parser still reads (and refuses) what the client sends.
    if (isLingering(socket)) return;
    if (!socket.writable) return socket.destroy();
    // The 400 below is written straight to the socket, so it must be the only answer on
    // the wire. A malformed request pipelined behind one whose response is being (or was)
    // written gets none: as node's own default does, the current response finishes, then
    // the connection closes. An error in the current request's own body (cut short, bad
    // chunk framing) is that request's answer, as long as none of its response went out.
    const sock = socket as Socket & { _httpMessage?: ServerResponse | null };
    const current = sock._httpMessage;
    if (current && (current.headersSent || current.req.complete)) {
      // Each chunk the client sends after the error is refused again: once is enough (when
      // keep-alive is already off, node itself closes the connection after the response).
      if (!current.shouldKeepAlive) return;
      current.shouldKeepAlive = false;
      if (current.writableFinished) lingeringClose(sock);
      else current.once('finish', () => lingeringClose(sock));
      return;
    }
    if (!current && sock.bytesWritten > 0) return void lingeringClose(sock);
    const code = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const reason = code === 431 ? 'Request Header Fields Too Large' : code === 408 ? 'Request Timeout' : 'Bad Request';
    const text = code === 431 ? `The request headers are larger than ${cfg.maxHeaderSize} bytes.\n` : `${reason}.\n`;
    socket.write(
      `HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
    lingeringClose(socket);
  });

  // One sweep a second bounds handlers that never answer, without a timer per request.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [nres, { started, req }] of inFlight) {
      if (now - started > cfg.handlerTimeout && !nres.headersSent) {
        const err = new HttpError('HTTP_TIMEOUT', `The handler did not answer within ${cfg.handlerTimeout} ms.`);
        app.logger.error({ path: nres.req?.url }, 'handler timed out');
        inFlight.delete(nres);
        handler.write(nres.req, nres, lastResortResponse(err, req, false), req);
      }
    }
  }, 1000);
  sweep.unref();

  // WebSocket routes: handshakes arrive as the server's `upgrade` event (upgrade.ts). An app
  // without any keeps node's own handling, which answers an Upgrade as a plain request.
  let upgrades: Upgrades | undefined;
  if (app.routes.some((r) => r.websocket !== undefined)) {
    upgrades = createUpgrades(app, {
      answerPlain: listener,
      draining: () => drain.draining,
      release: (s) => drain.release(s as Socket),
    });
    server.on('upgrade', upgrades.listener);
  }
  const drain = new Drain(server, inFlight, handler.streaming, {
    begin() {
      upgrades?.hub.closeAll();
      // An event stream never ends by itself: end it, and the browser reconnects elsewhere.
      for (const stream of handler.streaming.values()) if (stream instanceof EventStream) stream.stop();
    },
    force() {
      upgrades?.hub.terminateAll();
    },
  });
  handler.drain = drain;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (() => {
      clearInterval(sweep);
      removeSignals();
      return drain.close(cfg.shutdownTimeout).then(() => app.close());
    })());

  const handleSignals = opts.handleSignals ?? app.settings.env !== 'test';
  const onSignal = (sig: NodeJS.Signals) => {
    app.logger.info({ signal: sig }, 'shutting down');
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  const removeSignals = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  if (handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      clearInterval(sweep);
      removeSignals();
      reject(listenError(err, host, port));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      const url = `http://${shownHost}:${addr.port}`;
      if (app.isLogging('info')) app.logger.info({ url }, 'listening');
      resolve({ server, host: addr.address, port: addr.port, url, close });
    });
  });
}
