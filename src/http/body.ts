/**
 * Reading request bodies under a size limit. Pure of HTTP servers: the source is any
 * byte stream (a node IncomingMessage, a web stream converted by the adapter) or bytes
 * already in memory (the test client).
 */
import type { Readable } from 'node:stream';
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
    throw new HttpError('BODY_ABORTED', 'The client stopped sending the request body before it was complete.', {}, );
  }
  if (declaredLength !== undefined && total !== declaredLength) {
    throw new HttpError('BODY_ABORTED', 'The request body is shorter than its Content-Length.');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** Decodes UTF-8 strictly: invalid bytes are a 400, never silently replaced. */
export function decodeUTF8(buf: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new HttpError('BODY_MALFORMED', `The ${what} is not valid UTF-8.`);
  }
}
