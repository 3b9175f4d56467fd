/**
 * Lingering close (RFC 9112 §9.6). When a server closes a connection on which the client
 * is still sending — an upload the app did not read, requests pipelined behind one that
 * closes the connection, the rest of a request whose headers were refused — the kernel
 * answers those bytes with a reset, and a reset throws away what is still queued to send:
 * the client gets its response cut short. node's http server closes a `Connection: close`
 * connection that way (`socket.destroySoon()` once the response is written).
 *
 * So every connection this server closes is closed in two steps: its sending side first
 * (FIN, after everything queued), then, while what the client still sends is read and
 * thrown away, the socket itself — once the client has closed its side, or has sent
 * nothing for `QUIET_MS`, and at the latest `LINGER_MS` after the last byte was handed to
 * the kernel (a client that never stops sending cannot hold the socket).
 */
import type { Duplex } from 'node:stream';

/** A connection that has sent nothing for this long is closed (ms). */
export const QUIET_MS = 1000;
/** A closing connection is closed at the latest this long after its last byte went out (ms). */
export const LINGER_MS = 5000;

const lingering = new WeakSet<Duplex>();

/** The socket is being closed by `lingeringClose`: nothing more is sent on it. */
export function isLingering(socket: Duplex): boolean {
  return lingering.has(socket);
}

/**
 * Makes node's http server close `socket` the lingering way: its own close of a
 * `Connection: close` connection goes through `destroySoon`, which is replaced here.
 */
export function lingerOnClose(socket: Duplex & { destroySoon?: () => void }): void {
  socket.destroySoon = lingeringCloser;
}

function lingeringCloser(this: Duplex): void {
  lingeringClose(this);
}

/** Closes `socket` after what is queued on it, reading and dropping what the client sends. */
export function lingeringClose(socket: Duplex & { bytesRead?: number }): void {
  if (socket.destroyed || lingering.has(socket)) return;
  lingering.add(socket);
  if (!socket.writableEnded) socket.end();
  // Bytes that arrive from now on are read (by node's HTTP parser, or dropped by a socket
  // in flowing mode with no reader) instead of waiting in the kernel.
  socket.resume();
  const close = () => {
    clearInterval(timer);
    socket.destroy();
  };
  let timer: NodeJS.Timeout | undefined;
  // The clock starts once everything queued is handed to the kernel: a slow reader of a
  // large response is not cut off (node's own close waited for the same moment).
  const sent = () => {
    const started = Date.now();
    let seen = socket.bytesRead ?? 0;
    timer = setInterval(() => {
      const read = socket.bytesRead ?? 0;
      const quiet = read === seen;
      seen = read;
      if (quiet || Date.now() - started >= LINGER_MS) close();
    }, QUIET_MS);
    timer.unref();
  };
  if (socket.writableFinished) sent();
  else socket.once('finish', sent);
  // The client closed its side: nothing more will arrive, so once what is queued has gone
  // to the kernel the socket closes without a reset.
  socket.once('end', () => (socket.writableFinished ? close() : socket.once('finish', close)));
  socket.once('close', () => clearInterval(timer));
}
