// Opening WebSockets against a test server with the `ws` client, and reading a refused
// handshake's answer.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export type Opened = { ok: true; ws: WebSocket } | { ok: false; status: number; headers: IncomingMessage['headers']; body: string };

/** Opens `url`; resolves with the socket, or with the HTTP answer that refused it. */
export function openSocket(url: string, opts: WebSocket.ClientOptions = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...opts });
    // Messages are queued from the start: one sent right after the handshake can arrive
    // with the 101, before whoever awaits 'open' can listen.
    const queue: Buffer[] = [];
    const waiting: ((b: Buffer) => void)[] = [];
    ws.on('message', (data: Buffer) => {
      const w = waiting.shift();
      if (w) w(data);
      else queue.push(data);
    });
    inboxes.set(ws, { queue, waiting });
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ ok: false, status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    ws.once('error', reject);
  });
}

/** Opens `url` and fails the test when the handshake is refused. */
export async function mustOpen(url: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const o = await openSocket(url, opts);
  if (!o.ok) throw new Error(`handshake refused: ${o.status} ${o.body}`);
  return o.ws;
}

const inboxes = new WeakMap<WebSocket, { queue: Buffer[]; waiting: ((b: Buffer) => void)[] }>();

/** The next message, as bytes. */
export function nextMessage(ws: WebSocket): Promise<Buffer> {
  const box = inboxes.get(ws)!;
  const b = box.queue.shift();
  if (b !== undefined) return Promise.resolve(b);
  return new Promise((resolve) => box.waiting.push(resolve));
}

/** The next message as text. */
export async function nextText(ws: WebSocket): Promise<string> {
  return (await nextMessage(ws)).toString('utf8');
}

/** Resolves with the close code and reason. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: -1, reason: 'already closed' });
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
  });
}
