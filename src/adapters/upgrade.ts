/**
 * WebSocket handshakes on the node server (its `upgrade` event), on the same port as
 * every other request. Each handshake is a Request run through `app.upgrade`: host
 * validation, the CSRF origin check and the route's `before` hooks. A refusal is written
 * to the socket as an ordinary HTTP answer (the error page, with its code) and the
 * connection closed; an accepted handshake is completed by `ws` and handed to the
 * route's handler (src/realtime/ws-hub.ts).
 *
 * An `Upgrade` to anything but `websocket` (such as `h2c`) is not refused: it is answered
 * as the plain request it also is, without switching protocols (RFC 9110 §7.8).
 * See docs/realtime.md#websockets.
 */
import { ServerResponse, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { WebSocketServer } from 'ws';
import type { AppBase as App } from '../app/app-base.js';
import { HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { runInScope } from '../http/context.js';
import { CREATE_REQUEST, SCOPE, UPGRADE } from '../util/symbols.js';
import { WebSocketHub } from '../realtime/ws-hub.js';
import { lazyRequire } from '../util/lazy-require.js';
import { lingeringClose } from './linger.js';
import { discardBody, lastResortResponse, unwritable } from './write-guard.js';

const wsModule = lazyRequire<typeof import('ws')>('ws');

/** RFC 6455 §4.1: a base64 16-byte nonce. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** What the node server needs from the WebSocket side. */
export interface Upgrades {
  readonly hub: WebSocketHub;
  /** The `upgrade` listener. */
  listener(nreq: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface UpgradeContext {
  /** Answers a plain request (a non-WebSocket upgrade) as the server's request listener does. */
  answerPlain(nreq: IncomingMessage, nres: ServerResponse): void;
  /** Shutdown began: handshakes are refused with a 503. */
  draining(): boolean;
  /** The socket is a WebSocket now: graceful shutdown must not close it as an idle HTTP connection. */
  release(socket: Duplex): void;
}

/** Builds the upgrade handling for an app that has WebSocket routes. */
export function createUpgrades(app: App, ctx: UpgradeContext): Upgrades {
  const { websocket: limits, server: cfg } = app.settings;
  const dev = app.settings.env === 'development';
  const hub = new WebSocketHub(limits, () => app.logger);
  let wss: WebSocketServer | undefined;
  const server = (): WebSocketServer => {
    if (wss !== undefined) return wss;
    const { WebSocketServer } = wsModule();
    // perMessageDeflate stays off (ws's default for servers): compression next to secrets
    // is BREACH's ground, and each compressed connection holds a zlib context.
    wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayload, perMessageDeflate: false, clientTracking: false });
    // What ws would answer itself (a malformed Sec-WebSocket-Protocol…) gets Palisade's page.
    wss.on('wsClientError', (err: Error, socket: Duplex, nreq: IncomingMessage) => {
      writeRefusal(app, socket, badHandshake(`The WebSocket handshake is malformed: ${err.message}.`), nreq.method === 'HEAD', dev);
    });
    return wss;
  };

  const refuse = (socket: Duplex, err: unknown, req: Request | null) => {
    writeRefusal(app, socket, lastResortResponse(err, req, dev), false, dev);
  };
  // Refusals for a full hub are logged at most once a minute, with how many there were.
  let refusedFull = 0;
  let fullLoggedAt = 0;
  const tooMany = (): HttpError => {
    refusedFull++;
    const now = Date.now();
    if (now - fullLoggedAt >= 60_000) {
      app.logger.warn(
        { code: 'WS_TOO_MANY_CONNECTIONS', open: hub.size, refused: refusedFull },
        'WebSocket handshakes refused: websocket.maxConnections are open',
      );
      fullLoggedAt = now;
      refusedFull = 0;
    }
    return new HttpError('WS_TOO_MANY_CONNECTIONS', `${limits.maxConnections} WebSockets are open already (websocket.maxConnections); try again later.`);
  };

  return {
    hub,
    listener(nreq, socket, head) {
      // An upgraded socket has no error listener of node's; a reset must not end the process.
      socket.on('error', () => socket.destroy());
      if (nreq.headers.upgrade?.toLowerCase() !== 'websocket') return answerPlain(ctx, nreq, socket);
      let req: Request;
      try {
        req = app[CREATE_REQUEST]({
          method: nreq.method ?? 'GET',
          url: nreq.url ?? '/',
          headers: nreq.headers,
          body: null,
          remoteAddress: nreq.socket.remoteAddress,
          encrypted: (nreq.socket as TLSSocket).encrypted === true,
        });
      } catch (err) {
        return refuse(socket, err, null);
      }
      if (ctx.draining()) return refuse(socket, new HttpError('HTTP_TIMEOUT', 'The server is shutting down.'), req);
      if (hub.full) return refuse(socket, tooMany(), req);
      // A before hook that never answers must not hold the socket forever.
      const timer = setTimeout(() => {
        refuse(socket, new HttpError('HTTP_TIMEOUT', `The WebSocket handshake was not decided within ${cfg.handlerTimeout} ms.`), req);
      }, cfg.handlerTimeout);
      timer.unref();
      // The handshake runs in the request's scope, and so does the route's handler after it.
      runInScope(req[SCOPE], () =>
        app[UPGRADE](req).then(
          (decision) => {
            clearTimeout(timer);
            if (socket.destroyed || socket.writableEnded) return;
            if (decision instanceof Response) return writeRefusal(app, socket, decision, false, dev);
            const problem = handshakeProblem(nreq);
            if (problem !== undefined) return writeRefusal(app, socket, problem, false, dev);
            if (ctx.draining()) return refuse(socket, new HttpError('HTTP_TIMEOUT', 'The server is shutting down.'), req);
            // Checked again: other handshakes may have been accepted while the hooks ran. From
            // here to hub.accept nothing waits, so the count cannot pass the limit.
            if (hub.full) return refuse(socket, tooMany(), req);
            ctx.release(socket);
            server().handleUpgrade(nreq, socket, head, (ws) => hub.accept(ws, req, decision.handler, decision.scope));
          },
          (err: unknown) => {
            clearTimeout(timer);
            app.logger.error({ err, path: req.path }, 'WebSocket handshake failed');
            refuse(socket, err, req);
          },
        ),
      );
    },
  };
}

/** The handshake fields ws requires (RFC 6455 §4.2.1), checked before it sees them. */
function handshakeProblem(nreq: IncomingMessage): Response | undefined {
  const key = nreq.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key))
    return badHandshake('The WebSocket handshake has no valid Sec-WebSocket-Key header (16 random bytes in base64).');
  const version = nreq.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    const res = badHandshake(
      `The WebSocket handshake asks for protocol version ${JSON.stringify(String(version ?? '(none)').slice(0, 20))}; this server speaks version 13.`,
    );
    res.headers['sec-websocket-version'] = '13, 8';
    return res;
  }
  return undefined;
}

function badHandshake(message: string): Response {
  const err = new HttpError('WS_BAD_HANDSHAKE', message);
  return Response.text(`${err.code}: ${err.message}\nSee ${err.docs}\n`, { status: err.status });
}

/**
 * Writes a refused handshake's answer straight to the socket (there is no ServerResponse
 * for an upgrade request) and closes the connection. A response node would refuse is
 * replaced by a 500, as on the ordinary path (write-guard.ts); a streamed body is not
 * sent (error pages are strings).
 */
export function writeRefusal(app: App, socket: Duplex, res: Response, head: boolean, dev: boolean): void {
  if (socket.destroyed || socket.writableEnded) {
    discardBody(res.body);
    return;
  }
  let out = res;
  const problem = unwritable(out, true);
  if (problem !== undefined) {
    app.logger.error({ err: problem }, 'the handshake refusal could not be written');
    discardBody(out.body);
    out = lastResortResponse(problem, null, dev);
  }
  const b = out.body;
  const body = typeof b === 'string' ? Buffer.from(b) : b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.alloc(0);
  if (typeof b !== 'string' && !(b instanceof Uint8Array)) discardBody(b);
  out.headers['x-content-type-options'] = 'nosniff';
  let text = `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Error'}\r\n`;
  for (const name of Object.keys(out.headers)) {
    if (name === 'connection' || name === 'content-length' || name === 'transfer-encoding') continue;
    const v = out.headers[name]!;
    for (const one of Array.isArray(v) ? v : [v]) text += `${name}: ${one}\r\n`;
  }
  text += `content-length: ${body.byteLength}\r\nconnection: close\r\n\r\n`;
  socket.write(head ? Buffer.from(text, 'latin1') : Buffer.concat([Buffer.from(text, 'latin1'), body]));
  lingeringClose(socket);
}

/**
 * A request that asks to switch to another protocol (`Upgrade: h2c`…) is answered as
 * the HTTP/1.1 request it also is, on a ServerResponse made for the detached socket, and
 * the connection is closed after it. One with a body is refused: node has handed the
 * socket over, and nobody would read that body.
 */
function answerPlain(ctx: UpgradeContext, nreq: IncomingMessage, socket: Duplex): void {
  if (nreq.headers['content-length'] !== undefined || nreq.headers['transfer-encoding'] !== undefined) {
    const text = 'A request that asks to switch protocols cannot carry a body here.\n';
    socket.write(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nx-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
    lingeringClose(socket);
    return;
  }
  const nres = new ServerResponse(nreq);
  nres.shouldKeepAlive = false;
  nres.assignSocket(socket as Socket);
  nres.once('finish', () => {
    nres.detachSocket(socket as Socket);
    lingeringClose(socket);
  });
  nres.once('close', () => socket.destroy());
  ctx.answerPlain(nreq, nres);
}
