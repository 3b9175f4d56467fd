/**
 * The node:http adapter: turns IncomingMessage into a Request, writes the Response back,
 * and owns what only a real server has: timeouts, a bound on handlers that never answer,
 * and graceful shutdown on SIGTERM/SIGINT.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { HttpError } from '../errors.js';
import { describeError, errorResponse } from '../app/error-page.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import type { App } from '../app/app.js';

export interface ListenOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default `PORT` from the environment, else 8000. 0 picks a free port. */
  port?: number;
  /** Stop gracefully on SIGTERM and SIGINT, then exit. Default true except in test mode. */
  handleSignals?: boolean;
}

export interface RunningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to the grace period). */
  close(): Promise<void>;
}

interface InFlight {
  readonly started: number;
  readonly req: Request;
}

/** Builds the node:http request listener for an app. */
export function nodeHandler(app: App): {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  inFlight: Map<ServerResponse, InFlight>;
} {
  const inFlight = new Map<ServerResponse, InFlight>();
  // One close handler for every response with a body, not a closure per request. The
  // connection went away (client gone, request timeout) while a handler may still be
  // reading the body: end that read with an error instead of leaving it waiting.
  function onClose(this: ServerResponse): void {
    inFlight.delete(this);
    const nreq = this.req;
    if (!nreq.complete && !nreq.destroyed) nreq.destroy(new Error('connection closed before the body was complete'));
  }
  const listener = (nreq: IncomingMessage, nres: ServerResponse): void => {
    const body = hasBody(nreq);
    const req = app.createRequest({
      method: nreq.method ?? 'GET',
      url: nreq.url ?? '/',
      headers: nreq.headers,
      body: body ? nreq : null,
      remoteAddress: nreq.socket.remoteAddress,
      encrypted: (nreq.socket as TLSSocket).encrypted === true,
    });
    let out: Response | Promise<Response>;
    try {
      out = app.respond(req);
    } catch (err) {
      out = Promise.reject(err);
    }
    if (out instanceof Response) {
      writeResponse(nreq, nres, out);
      return;
    }
    // Only answers that wait are tracked: for the handler timeout and for shutdown.
    inFlight.set(nres, { started: Date.now(), req });
    if (body) nres.on('close', onClose);
    out.then(
      (res) => {
        inFlight.delete(nres);
        writeResponse(nreq, nres, res);
      },
      (err) => {
        inFlight.delete(nres);
        // respond() does not throw; this is a last line of defence.
        app.logger.error({ err }, 'unexpected failure in dispatch');
        if (!nres.headersSent) writeResponse(nreq, nres, errorResponse(describeError(err, false), req));
        else nres.destroy();
      },
    );
  };
  return { listener, inFlight };
}

function hasBody(nreq: IncomingMessage): boolean {
  return nreq.headers['content-length'] !== undefined || nreq.headers['transfer-encoding'] !== undefined;
}

/** Writes a Response to node's ServerResponse (no body for HEAD). */
export function writeResponse(nreq: IncomingMessage, nres: ServerResponse, res: Response): void {
  if (nres.headersSent || nres.destroyed) return; // already answered (timeout) or client gone
  const body = res.body;
  const head = nreq.method === 'HEAD';
  const headers = res.headers;
  // A body we did not read (a refused upload) is not drained: close the connection instead.
  const unread = !nreq.complete && hasBody(nreq);
  if (unread) headers['connection'] = 'close';
  if (typeof body === 'string' || body instanceof Uint8Array || body === null) {
    const len = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (headers['content-length'] === undefined && !(body === null && (res.status === 204 || res.status === 304))) {
      headers['content-length'] = String(len);
    }
    nres.writeHead(res.status, headers);
    if (head || body === null) nres.end();
    else nres.end(body);
  } else {
    nres.writeHead(res.status, headers);
    const stream = body instanceof Readable ? body : Readable.from(body);
    if (head) {
      stream.destroy();
      nres.end();
    } else {
      pipeline(stream, nres, (err) => {
        if (err) nres.destroy();
      });
    }
  }
  if (unread) {
    nres.once('finish', () => {
      nreq.socket.end();
      setTimeout(() => nreq.socket.destroy(), 1000).unref();
    });
  }
}

/** Serves `app` on node:http with Palisade's timeouts and graceful shutdown. */
export function listenNode(app: App, opts: ListenOptions = {}): Promise<RunningServer> {
  const cfg = app.settings.server;
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (process.env.PORT ? Number(process.env.PORT) : 8000);
  const { listener, inFlight } = nodeHandler(app);
  const server = createServer(
    {
      headersTimeout: cfg.headersTimeout,
      requestTimeout: cfg.requestTimeout,
      keepAliveTimeout: cfg.keepAliveTimeout,
      maxHeaderSize: cfg.maxHeaderSize,
      connectionsCheckingInterval: Math.min(1000, cfg.headersTimeout),
    },
    listener,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const code = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const reason = code === 431 ? 'Request Header Fields Too Large' : code === 408 ? 'Request Timeout' : 'Bad Request';
    const text = code === 431 ? `The request headers are larger than ${cfg.maxHeaderSize} bytes.\n` : `${reason}.\n`;
    socket.end(
      `HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });

  // One sweep a second bounds handlers that never answer, without a timer per request.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [nres, { started, req }] of inFlight) {
      if (now - started > cfg.handlerTimeout && !nres.headersSent) {
        const err = new HttpError('HTTP_TIMEOUT', `The handler did not answer within ${cfg.handlerTimeout} ms.`);
        app.logger.error({ path: nres.req?.url }, 'handler timed out');
        writeResponse(nres.req, nres, errorResponse(describeError(err, false), req));
        inFlight.delete(nres);
      }
    }
  }, 1000);
  sweep.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      clearInterval(sweep);
      removeSignals();
      server.close(() => resolve());
      // Ask keep-alive clients to go, and close idle sockets now.
      for (const nres of inFlight.keys()) if (!nres.headersSent) nres.setHeader('connection', 'close');
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), cfg.shutdownTimeout);
      force.unref();
      server.once('close', () => clearTimeout(force));
    }).then(() => app.close()));

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
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      const url = `http://${shownHost}:${addr.port}`;
      if (app.isLogging('info')) app.logger.info({ url }, 'listening');
      resolve({ server, host: addr.address, port: addr.port, url, close });
    });
  });
}
