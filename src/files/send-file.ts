/**
 * sendFile: answers with a file the app itself ships (assets, generated reports), with
 * what browsers and caches expect: a content type from `mime-types` (with `charset=utf-8`
 * for text), a strong ETag and `Last-Modified` answered with 304 (RFC 9110 §13.1),
 * single byte ranges answered with 206 or 416 (RFC 9110 §14), and HEAD.
 *
 * Files users uploaded are not the app's own: send them with `sendUpload`.
 * See docs/files.md#sending-files.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { lazyRequire } from '../util/lazy-require.js';

const mime = lazyRequire<typeof import('mime-types')>('mime-types');
import { HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import { isHTMLContentType, Response } from '../http/response.js';
import { negotiateEncoding } from '../http/accept-encoding.js';
import type { Encoding } from '../http/compress.js';

/** Options for {@link sendFile}. */
export interface SendFileOptions {
  /** The Content-Type; default from the file's extension (`application/octet-stream` when unknown). */
  contentType?: string;
  /** `Cache-Control: public, max-age=N`; default `no-cache` (caches revalidate with the ETag). */
  maxAge?: number;
  /** Extra headers for a 200, 206 or 304 answer. */
  headers?: Record<string, string>;
  /**
   * Codings to look for as siblings (`report.html.br`, `report.html.gz`), best first. One
   * the client accepts, at least as new as the file, is sent instead with its
   * `Content-Encoding`; an older one is stale and ignored. Not for a Range request. The
   * static folder does this by default. See docs/deployment.md#precompressed-files.
   */
  precompressed?: readonly Encoding[];
}

/** What the shared core needs; sendUpload passes its own headers and never trusts HTML. */
export interface ServeFileOptions {
  contentType: string;
  cacheControl: string;
  headers: Record<string, string>;
  /** The file is the app's own, so an HTML or SVG type may be sent (not for uploads). */
  trustHTML: boolean;
  /** Codings to look for as siblings (see SendFileOptions.precompressed). */
  precompressed?: readonly Encoding[];
}

/**
 * Answers with the file at `path` (relative paths resolve from the working directory).
 * A missing file or a directory is a 404. Never pass a path built from request data
 * without `safeJoin`.
 *
 * ```ts
 * app.get('/report', (req) => sendFile(req, '/srv/app/reports/latest.pdf'));
 * ```
 * See docs/files.md#sending-files.
 */
export function sendFile(req: Request, path: string, options: SendFileOptions = {}): Promise<Response> {
  const contentType = options.contentType ?? (mime().contentType(basename(path)) || 'application/octet-stream');
  const maxAge = options.maxAge;
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0)) throw new TypeError('sendFile: maxAge must be a number of seconds');
  return serveFile(req, resolve(path), {
    contentType,
    cacheControl: maxAge === undefined ? 'no-cache' : `public, max-age=${maxAge}`,
    headers: options.headers ?? {},
    trustHTML: true,
    precompressed: options.precompressed,
  });
}

/** The shared core of sendFile and sendUpload. */
export async function serveFile(req: Request, path: string, opts: ServeFileOptions): Promise<Response> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EACCES' || code === 'ENAMETOOLONG') throw notFound();
    throw err;
  }
  let keepOpen = false;
  try {
    let st = await handle.stat();
    if (!st.isFile()) throw notFound();
    let encoding: Encoding | undefined;
    if (opts.precompressed !== undefined && opts.precompressed.length > 0 && req.header('range') === undefined) {
      for (const enc of negotiateEncoding(req.header('accept-encoding'), opts.precompressed).codings) {
        const sibling = await openSibling(`${path}.${enc === 'br' ? 'br' : 'gz'}`, st.mtimeMs);
        if (sibling === undefined) continue;
        await handle.close().catch(() => {});
        handle = sibling.handle;
        st = sibling.st;
        encoding = enc;
        break;
      }
    }
    const size = st.size;
    const etag = `"${size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}${encoding === undefined ? '' : `-${encoding}`}"`;
    const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
    const common: Record<string, string> = {
      ...opts.headers,
      etag,
      'last-modified': lastModified.toUTCString(),
      'cache-control': opts.cacheControl,
      'accept-ranges': 'bytes',
    };
    // Which bytes are sent depends on Accept-Encoding, for a 304 as for a 200.
    if (opts.precompressed !== undefined) common['vary'] = 'Accept-Encoding';

    if (notModified(req, etag, lastModified)) return new Response(null, { status: 304, headers: common });
    if (encoding !== undefined) common['content-encoding'] = encoding;

    let range: { start: number; end: number } | null | 'unsatisfiable' = null;
    const rangeHeader = req.header('range');
    if (rangeHeader !== undefined && size > 0 && ifRangeHolds(req.header('if-range'), etag, lastModified)) {
      range = parseRange(rangeHeader, size);
    }
    if (range === 'unsatisfiable') {
      return Response.text('The requested range is outside the file.\n', {
        status: 416,
        headers: { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes' },
      });
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    const headers: Record<string, string> = { ...common, 'content-length': String(length) };
    if (range !== null) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    const status = range !== null ? 206 : 200;

    const res =
      opts.trustHTML && isHTMLContentType(opts.contentType)
        ? // The app's own HTML/SVG file: the same trust as Response.unsafeHTML() gives a
          // string the developer wrote. The body is swapped for the file's stream below.
          Response.unsafeHTML('', { status })
        : new Response(null, { status });
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('content-type', opts.contentType);
    if (req.method === 'HEAD' || length === 0) {
      res.body = null;
    } else {
      res.body = handle.createReadStream({ start, end, autoClose: true });
      keepOpen = true;
    }
    return res;
  } finally {
    if (!keepOpen) await handle.close().catch(() => {});
  }
}

/**
 * A precompressed sibling that may stand for the file: a regular file (not a link) at
 * least as new as it. One older than the file was made before the file last changed, and
 * is stale.
 */
async function openSibling(path: string, fileMtimeMs: number): Promise<{ handle: FileHandle; st: Stats } | undefined> {
  let h: FileHandle;
  try {
    // Never through a symbolic link: the file itself passed safeJoin, its sibling did not.
    h = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = await h.stat();
    if (st.isFile() && st.mtimeMs >= fileMtimeMs) return { handle: h, st };
  } catch {
    // treated as absent
  }
  await h.close().catch(() => {});
  return undefined;
}

function notFound(): HttpError {
  return new HttpError('HTTP_NOT_FOUND', 'No file is at this URL.');
}

/**
 * The longest conditional or Range header value read. Longer ones are ignored (the whole
 * file is sent): an entity tag list this app could match, an HTTP-date or one byte range
 * is far shorter, and every value is then read in a bounded time, whatever its shape.
 */
const MAX_HEADER = 1024;

/** RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since; only for GET and HEAD. */
function notModified(req: Request, etag: string, lastModified: Date): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const inm = req.header('if-none-match');
  if (inm !== undefined) {
    if (inm.length > MAX_HEADER) return false;
    if (inm.trim() === '*') return true;
    // Weak comparison (§8.8.3.2): W/ prefixes are ignored.
    return inm.split(',').some((t) => {
      const tag = t.trim();
      return (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
    });
  }
  const ims = req.header('if-modified-since');
  if (ims !== undefined && ims.length <= MAX_HEADER) {
    const t = Date.parse(ims);
    return !Number.isNaN(t) && lastModified.getTime() <= t;
  }
  return false;
}

/** RFC 9110 §13.1.5: a Range applies only if If-Range (when sent) still matches, strongly. */
function ifRangeHolds(ifRange: string | undefined, etag: string, lastModified: Date): boolean {
  if (ifRange === undefined) return true;
  if (ifRange.length > MAX_HEADER) return false;
  const v = ifRange.trim();
  if (v.startsWith('"')) return v === etag;
  if (v.startsWith('W/')) return false;
  const t = Date.parse(v);
  return !Number.isNaN(t) && t === lastModified.getTime();
}

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`), clamped to the file. Returns null
 * for anything else, including several ranges: a server may ignore Range and send the
 * whole file (§14.2), which is simpler and safer than multipart/byteranges.
 *
 * Read left to right, each character once (spaces and tabs are allowed around `=` and
 * `-`); a value longer than {@link MAX_HEADER} is ignored unread.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (header.length > MAX_HEADER) return null;
  let i = skipSpace(header, 0);
  if (header.slice(i, i + 5).toLowerCase() !== 'bytes') return null;
  i = skipSpace(header, i + 5);
  if (header[i] !== '=') return null;
  const aStart = skipSpace(header, i + 1);
  const aEnd = skipDigits(header, aStart);
  i = skipSpace(header, aEnd);
  if (header[i] !== '-') return null;
  const bStart = skipSpace(header, i + 1);
  const bEnd = skipDigits(header, bStart);
  if (skipSpace(header, bEnd) !== header.length) return null;
  const a = header.slice(aStart, aEnd);
  const b = header.slice(bStart, bEnd);
  if (a === '' && b === '') return null;
  if (a.length > 15 || b.length > 15) return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** The index of the first character at or after `i` that is not a space or a tab (RFC 9110 §5.6.3 OWS). */
function skipSpace(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/** The index of the first character at or after `i` that is not an ASCII digit. */
function skipDigits(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}
