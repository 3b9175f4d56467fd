/**
 * `req.files()`: the multipart body of a request, parsed once.
 *
 * Added to Request by declaration merging, and installed on its prototype when this module
 * loads (the files protection imports it, and every app loads the protections). The result
 * is cached per request, so a protection that must read a field before the handler — the
 * CSRF check reading `csrf_token` from an upload form — and the handler both call
 * `await req.files()` and get the same files.
 *
 * ```ts
 * app.post('/upload', async (req) => {
 *   const { fields, files } = await req.files();
 *   ...
 * });
 * ```
 * See docs/files.md#uploads.
 */
import { Request } from '../http/request.js';
import { parseMultipart, type MultipartBody } from './multipart.js';
import { uploadsOf } from './upload-store.js';
import { INTERNALS } from '../util/symbols.js';

declare module '../http/request.js' {
  interface Request<P extends string = string> {
    /**
     * The text fields and files of a `multipart/form-data` body, streamed to private
     * temporary files under the app's `uploads` limits (413 naming the limit when one is
     * passed, 400 when the body is malformed, 415 when it is not multipart). Cached: every
     * call returns the same result. Files not saved with `file.save(dir)` are deleted when
     * the response is finished. See docs/files.md#uploads.
     */
    files(): Promise<MultipartBody>;
  }
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** The parsed multipart body, shared by every call of req.files(). */
    files?: Promise<MultipartBody>;
  }
}

function files(this: Request): Promise<MultipartBody> {
  return (this[INTERNALS].files ??= parseMultipart(this, uploadsOf(this)));
}

Object.defineProperty(Request.prototype, 'files', { value: files, writable: true, configurable: true, enumerable: false });

/**
 * Runs `check` on the first value of the text field `name`, read as the multipart body
 * streams: as soon as that field has arrived, or with `undefined` when a file part or the
 * end of the body comes first. No file part is written to disk until the check has passed,
 * and one that fails stops the parse at once, deleting what it made: a body refused for
 * what comes first is not read to its end. Starts `req.files()` when nothing has yet.
 *
 * The CSRF check reads an upload form's `csrf_token` this way (src/security/csrf.ts).
 */
export function fieldBeforeFiles(req: Request, name: string, check: (value: string | undefined) => Promise<void> | void): Promise<void> {
  const files = req.files();
  // The parse's outcome is the handler's to read; this caller only waits for its check.
  files.catch(() => {});
  const run = req[INTERNALS].multipart;
  // No parse was made: the body was refused before (not multipart, over the size limit).
  if (run === undefined) return files.then(() => check(undefined));
  return run.gate(name, check);
}
