/**
 * sendUpload: answers with a file a user uploaded, so that the browser never treats it
 * as a page of this site. Flask's security notes ask you to remember
 * `Content-Disposition: attachment` and to fear content sniffing; this does both, always:
 *
 * - `Content-Disposition: attachment` with an RFC 6266 / RFC 8187 (ex-5987) `filename*`
 *   and an ASCII `filename` fallback, so the browser downloads instead of rendering;
 * - `X-Content-Type-Options: nosniff`, so no content type is guessed from the bytes;
 * - `Content-Security-Policy: sandbox; default-src 'none'`, so even a file that is
 *   somehow rendered runs no script, loads nothing and has an opaque origin;
 * - a content type from a short allow-list (raster images, PDF, `text/plain;
 *   charset=utf-8`); everything else, HTML and SVG included, is `application/octet-stream`.
 *
 * Showing an image inline is an explicit option, granted only when the type is a raster
 * image and the file's first bytes are that type's signature.
 * See docs/files.md#serving-uploads.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lazyRequire } from '../util/lazy-require.js';

const mime = lazyRequire<typeof import('mime-types')>('mime-types');
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { RASTER_IMAGE_TYPES, SNIFF_BYTES, sniffType } from './content-sniff.js';
import { secureFilename } from './secure-filename.js';
import { serveFile } from './send-file.js';

/** Options for {@link sendUpload}. */
export interface SendUploadOptions {
  /** The name the browser offers when saving: usually the name the user uploaded. */
  filename: string;
  /**
   * The type to label the file with (e.g. the sniffed type you stored). Default: from the
   * `filename` extension. Either way it must be on the allow-list, or it becomes
   * `application/octet-stream`.
   */
  contentType?: string;
  /**
   * Show the file in the page (`<img src>`, or opened in a tab) instead of downloading it.
   * Only for raster images (PNG, JPEG, GIF, WebP, AVIF, BMP) whose first bytes match the
   * type; anything else is still sent as an attachment.
   */
  inline?: boolean;
}

/** The types an upload may be labelled with; the value is what is sent. */
const ALLOWED: ReadonlyMap<string, string> = new Map([
  ...[...RASTER_IMAGE_TYPES].map((t) => [t, t] as const),
  ['application/pdf', 'application/pdf'],
  ['text/plain', 'text/plain; charset=utf-8'],
]);

/** The policy sent with every upload: no script, no subresources, an opaque origin. */
export const UPLOAD_CSP = "sandbox; default-src 'none'";

/**
 * Answers with an uploaded file as a download (or, for a verified raster image with
 * `inline: true`, as an image), with the headers above. Supports ETag/304, Range and HEAD
 * like `sendFile`.
 *
 * ```ts
 * app.get('/attachments/:id', async (req) => {
 *   const a = await db.attachment(req.params.id);
 *   return sendUpload(req, a.path, { filename: a.originalName });
 * });
 * ```
 * See docs/files.md#serving-uploads.
 */
export async function sendUpload(req: Request, path: string, options: SendUploadOptions): Promise<Response> {
  if (options === null || typeof options !== 'object' || typeof options.filename !== 'string') {
    throw new TypeError('sendUpload: pass { filename } — the name the browser should save the file as');
  }
  const full = resolve(path);
  const declared = (options.contentType ?? (mime().lookup(options.filename) || '')).split(';', 1)[0]!.trim().toLowerCase();
  const contentType = ALLOWED.get(declared) ?? 'application/octet-stream';
  let disposition: 'attachment' | 'inline' = 'attachment';
  if (options.inline === true && RASTER_IMAGE_TYPES.has(declared) && (await sniffFile(full)) === declared) {
    disposition = 'inline';
  }
  return serveFile(req, full, {
    contentType,
    cacheControl: 'private, no-cache',
    trustHTML: false,
    headers: {
      'content-disposition': contentDisposition(disposition, options.filename),
      'x-content-type-options': 'nosniff',
      'content-security-policy': UPLOAD_CSP,
    },
  });
}

/**
 * A Content-Disposition value (RFC 6266 §4.1) for `filename`: an ASCII `filename="…"`
 * fallback (secureFilename of the name, so old clients get a safe name) and, when the
 * name has anything else, `filename*=UTF-8''…` percent-encoded per RFC 8187 §3.2.1.
 *
 * ```ts
 * contentDisposition('attachment', 'résumé.pdf')
 * // attachment; filename="resume.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
 * ```
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  // What the browser shows: the user's name minus anything that is never part of a name
  // (controls, path separators), and never empty.
  const shown =
    filename
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .replace(/[/\\]/g, '_')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .trim() || 'download';
  const ascii = secureFilename(shown, { fallback: 'download' });
  if (shown === ascii) return `${type}; filename="${ascii}"`;
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRFC8187(shown)}`;
}

/** RFC 8187 `value-chars`: attr-char stays, everything else is %XX of its UTF-8 bytes. */
function encodeRFC8187(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function sniffFile(path: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined; // serveFile answers the 404
  }
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return sniffType(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
