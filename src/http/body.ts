/**
 * Reading request bodies under a size limit. Pure of HTTP servers: the source is any
 * byte stream (a node IncomingMessage, a web stream converted by the adapter) or bytes
 * already in memory (the test client).
 */
import { Readable } from 'node:stream';
import { HttpError } from '../errors.js';

export type BodySource = Readable | AsyncIterable<Uint8Array> | Uint8Array | null;

/** The 413 error for a body over `limit`; names the limit and how to raise it. */
export function bodyTooLarge(limit: number, what = 'request body'): HttpError {
  return new HttpError(
    'BODY_TOO_LARGE',
    `The ${what} is larger than the limit of ${limit} bytes. Raise \`maxBodySize\` for the app or the route if larger bodies are expected.`,
    { limit },
  );
}

/**
 * Reads the whole body into one Buffer, refusing it as soon as it passes `limit` bytes
 * (before reading anything when Content-Length already says so).
 */
export async function readBody(src: BodySource, limit: number, declaredLength: number | undefined): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > limit) throw bodyTooLarge(limit);
  if (src === null) return Buffer.alloc(0);
  if (src instanceof Uint8Array) {
    if (src.byteLength > limit) throw bodyTooLarge(limit);
    return Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  }
  if (src instanceof Readable) return readStream(src, limit, declaredLength);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of src as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > limit) throw bodyTooLarge(limit);
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError('BODY_ABORTED', 'The client stopped sending the request body before it was complete.', {});
  }
  if (declaredLength !== undefined && total !== declaredLength) {
    throw new HttpError('BODY_ABORTED', 'The request body is shorter than its Content-Length.');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/**
 * readBody for a node stream, with listeners rather than an async iterator: one promise per
 * body instead of one per chunk. Past the limit it stops collecting and lets the rest flow
 * away, so the client can still read the 413 (the adapter then closes the connection).
 */
function readStream(src: Readable, limit: number, declaredLength: number | undefined): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const settle = (err: HttpError | undefined): void => {
      src.off('data', onData);
      src.off('end', onEnd);
      src.off('error', onError);
      src.off('close', onClose);
      if (err !== undefined) {
        src.resume();
        reject(err);
        return;
      }
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const aborted = (): HttpError => new HttpError('BODY_ABORTED', 'The client stopped sending the request body before it was complete.');
    const onData = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += b.byteLength;
      if (total > limit) settle(bodyTooLarge(limit));
      else chunks.push(b);
    };
    const onEnd = (): void => {
      if (declaredLength !== undefined && total !== declaredLength) {
        settle(new HttpError('BODY_ABORTED', 'The request body is shorter than its Content-Length.'));
      } else settle(undefined);
    };
    const onError = (): void => settle(aborted());
    const onClose = (): void => {
      if (!src.readableEnded) settle(aborted());
    };
    if (src.destroyed || src.errored !== null) {
      reject(aborted());
      return;
    }
    src.on('data', onData);
    src.on('end', onEnd);
    src.on('error', onError);
    src.on('close', onClose);
  });
}

// Stateless between calls (no `stream` option), so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly: invalid bytes are a 400, never silently replaced. */
export function decodeUTF8(buf: Buffer, what: string): string {
  try {
    return UTF8.decode(buf);
  } catch {
    throw new HttpError('BODY_MALFORMED', `The ${what} is not valid UTF-8.`);
  }
}
