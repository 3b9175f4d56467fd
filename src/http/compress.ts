/**
 * Response compression: gzip and brotli through `node:zlib`, chosen by `Accept-Encoding`
 * (accept-encoding.ts), for bodies whose type compresses (mime-db's `compressible`), and
 * never for a range (206), a 204 or 304, a HEAD, a body that already has a
 * `Content-Encoding`, a `Cache-Control: no-transform`, or an event stream.
 *
 * What is compressed by default: the static folder (the same bytes for everyone, so BREACH
 * has nothing to find) and nothing a handler returns. A page that reflects request data
 * next to a secret, compressed, tells an attacker who can watch its size how much of a
 * guess matched the secret (BREACH); Palisade cannot know which of your pages hold
 * secrets, so `compress: { responses: true }` is yours to ask for (CSRF tokens are masked
 * per response, so they are not such a secret). A route says `{ compress: false }` (or
 * `true`) to override the app.
 *
 * - Bodies of known size below `threshold` bytes are sent as they are, unless the client
 *   refused `identity`.
 * - A string or bytes up to 64 KiB is compressed at once (well under a millisecond); a
 *   larger one or a stream goes through a zlib stream, off the main thread, and each
 *   chunk the app sends is flushed as it comes, so streamed HTML still arrives in pieces.
 * - `Vary: Accept-Encoding` goes on every response whose coding depends on the header; a
 *   strong `ETag` becomes weak, since the bytes are not the file's.
 *
 * See docs/deployment.md#compression.
 */
import { Readable } from 'node:stream';
import type { BrotliCompress, Gzip } from 'node:zlib';
import type { Protection, ProtectionContext } from '../app/protection.js';
import { lazyRequire } from '../util/lazy-require.js';
import type { CompressSettings, Encoding } from './compress-options.js';
import { negotiateEncoding } from './accept-encoding.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /**
     * `false`: never compress this route's responses; `true`: compress them even when the
     * app's `compress.responses` is off. See docs/deployment.md#compression.
     */
    compress?: boolean;
  }
}

export { resolveCompress, type CompressOptions, type CompressSettings, type Encoding } from './compress-options.js';

// ---- which types compress ---------------------------------------------------------------

// node:zlib is loaded by the first response that is compressed, not at start-up.
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = (): typeof import('node:zlib') => (zlibModule ??= process.getBuiltinModule('node:zlib'));

const mimeDb = lazyRequire<Record<string, { compressible?: boolean }>>('mime-db');
const compressibleCache = new Map<string, boolean>();

/**
 * True when a body of this Content-Type is worth compressing: mime-db's `compressible`
 * flag, else any `text/*` and `+json`, `+text`, `+xml` type (the rule of the
 * `compressible` package). Images, audio, video, fonts in WOFF and archives are already
 * compressed. `text/event-stream` is left alone: its events must leave as they are sent.
 */
export function isCompressible(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  let hit = compressibleCache.get(contentType);
  if (hit === undefined) {
    const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
    const flag = essence === 'text/event-stream' ? false : mimeDb()[essence]?.compressible;
    hit = flag ?? /^text\/|\+(?:json|text|xml)$/.test(essence);
    if (compressibleCache.size > 512) compressibleCache.clear();
    compressibleCache.set(contentType, hit);
  }
  return hit;
}

// ---- the protection ---------------------------------------------------------------------

/** Responses answered from the static folder (they follow `compress.static`). */
const staticResponses = new WeakSet<Response>();

/** For the static folder: this response is one of its files. */
export function markStaticResponse(res: Response): void {
  staticResponses.add(res);
}

/** Strings and bytes up to this size are compressed synchronously. */
const SYNC_MAX = 64 * 1024;

/**
 * The compression step, in the `compress` phase of finish (only the basics come after): it
 * encodes the body every other step has finished. Null when `compress: false`.
 */
export function compressProtection(ctx: ProtectionContext): Protection | null {
  const s = ctx.settings.compress;
  if (!s.responses && !s.static) return null;
  return {
    name: 'compress',
    phases: { finish: 'compress' },
    optIn: !s.responses,
    finish(req, res) {
      compressResponse(req, res, s);
    },
    audit(routes) {
      if (!s.responses) return [];
      return [
        'compress: responses are compressed (compress.responses). A page that reflects request data next to a secret leaks the secret to BREACH; keep such pages off with { compress: false } (docs/security-model.md#compression-deployment).',
        ...routes
          .filter((r) => r.options.compress === true && !r.implicitHead)
          .map((r) => `compress: ${r.method} ${r.path} is compressed ({ compress: true }).`),
      ];
    },
  };
}

/** Compresses `res` in place when the request, the route, the type and the size allow. */
export function compressResponse(req: Request, res: Response, s: CompressSettings): void {
  const status = res.status;
  if (status < 200 || status === 204 || status === 206 || status === 304) return;
  const body = res.body;
  if (body === null) return;
  const h = res.headers;
  if (h['content-encoding'] !== undefined || h['content-range'] !== undefined) return;
  const routeSays = req.route?.options.compress;
  const on = typeof routeSays === 'boolean' ? routeSays : staticResponses.has(res) ? s.static : s.responses;
  if (!on) return;
  if (!isCompressible(res.getHeader('content-type'))) return;
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.getHeader('cache-control') ?? '')) return;
  res.appendHeader('vary', 'Accept-Encoding');
  // A HEAD gets the GET's Vary, and its headers unchanged: there is no body to compress.
  if (req.method === 'HEAD') return;
  const n = negotiateEncoding(req.header('accept-encoding'), s.encodings);
  const encoding = n.codings[0];
  if (encoding === undefined) return;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : lengthOf(res.getHeader('content-length'));
  if (size !== undefined && size < s.threshold && !n.identityRefused) return;
  if ((typeof body === 'string' || body instanceof Uint8Array) && size! <= SYNC_MAX) {
    const out = encoding === 'br' ? zlib().brotliCompressSync(body, brotliOptions(s, size)) : zlib().gzipSync(body, { level: s.gzipLevel });
    res.body = out;
    h['content-length'] = String(out.byteLength);
  } else {
    const src = typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
    res.body = new CompressedBody(
      src,
      encoding === 'br' ? () => zlib().createBrotliCompress(brotliOptions(s, size)) : () => zlib().createGzip({ level: s.gzipLevel }),
      encoding,
    );
    delete h['content-length'];
  }
  h['content-encoding'] = encoding;
  const etag = h['etag'];
  if (typeof etag === 'string' && etag.startsWith('"')) h['etag'] = `W/${etag}`;
}

function lengthOf(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

function brotliOptions(s: CompressSettings, size: number | undefined) {
  const { constants } = zlib();
  const params: Record<number, number> = {
    [constants.BROTLI_PARAM_QUALITY]: s.brotliQuality,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  };
  if (size !== undefined) params[constants.BROTLI_PARAM_SIZE_HINT] = size;
  return { params };
}

/**
 * A streamed body, compressed as it is read: each chunk of the source is written to the
 * zlib stream and flushed, and what comes out is the next chunk. Returning it early (the
 * client left) releases the source, read or not.
 */
class CompressedBody implements AsyncIterableIterator<Uint8Array> {
  readonly #src: Readable | AsyncIterable<Uint8Array>;
  readonly #gen: AsyncGenerator<Uint8Array>;
  #started = false;

  constructor(src: Readable | AsyncIterable<Uint8Array>, make: () => BrotliCompress | Gzip, encoding: Encoding) {
    this.#src = src;
    const { constants } = zlib();
    this.#gen = compressChunks(src, make, encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    this.#started = true;
    return this.#gen.next();
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    const src = this.#src;
    if (src instanceof Readable) src.destroy();
    else if (!this.#started) {
      const ret = (src as Partial<AsyncIterator<unknown>>).return;
      if (typeof ret === 'function') Promise.resolve(ret.call(src)).catch(() => {});
    }
    return this.#gen.return(undefined);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

async function* compressChunks(src: AsyncIterable<Uint8Array | string>, make: () => BrotliCompress | Gzip, flushKind: number): AsyncGenerator<Uint8Array> {
  const z = make();
  const out: Buffer[] = [];
  let failed: Error | undefined;
  z.on('data', (b: Buffer) => out.push(b));
  z.on('error', (err: Error) => (failed = err));
  try {
    for await (const chunk of src) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (buf.byteLength === 0) continue;
      z.write(buf);
      await new Promise<void>((resolve) => z.flush(flushKind, () => resolve()));
      if (failed !== undefined) throw failed;
      if (out.length > 0) yield Buffer.concat(out.splice(0));
    }
    await new Promise<void>((resolve, reject) => {
      z.once('end', resolve);
      z.once('error', reject);
      z.end();
    });
    if (out.length > 0) yield Buffer.concat(out.splice(0));
  } finally {
    z.destroy();
  }
}
