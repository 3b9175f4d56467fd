/**
 * UploadedFile: one file from a multipart body, already streamed to a private temporary
 * file. Keep it with `save(dir)`; anything not saved is deleted when the response is done.
 *
 * ```ts
 * app.post('/avatar', async (req) => {
 *   const { files } = await req.files();
 *   const path = await files[0]!.save('/srv/uploads');   // name: secureFilename(original)
 *   return Response.redirect('/profile', { status: 303 });
 * });
 * ```
 * See docs/files.md#uploads.
 */
import { constants, createReadStream, type ReadStream } from 'node:fs';
import { access, copyFile, link, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { HttpError, PalisadeError } from '../errors.js';
import { decodeUTF8 } from '../http/body.js';
import { sniffType } from './content-sniff.js';
import { safeJoin } from './safe-join.js';
import { secureFilename } from './secure-filename.js';
import type { RequestUploads } from './upload-store.js';

/** Options for {@link UploadedFile.save}. */
export interface SaveOptions {
  /** Replace a file of the same name. Default false: an existing file is a 409 `UPLOAD_FILE_EXISTS`. */
  overwrite?: boolean;
}

/** What the parser knows when a file has been written. */
export interface UploadedFileInit {
  fieldName: string;
  filename: string;
  mimeType: string;
  size: number;
  head: Buffer;
  tempPath: string;
  owner: RequestUploads;
}

/**
 * A file from a multipart upload, streamed to a temporary file and checked against the
 * route's upload rules. Keep it with `save(dir)` before the response is sent; the
 * temporary file is removed after the request either way (docs/files.md).
 */
export class UploadedFile {
  /** The form field the file came in (`<input type=file name=…>`). */
  readonly fieldName: string;
  /**
   * The file name the client sent, as sent (busboy keeps only its last path segment).
   * Untrusted: never use it as a path. `safeFilename` is the cleaned version.
   */
  readonly filename: string;
  /** The Content-Type the client declared for the part. Untrusted: anyone can say `image/png`. */
  readonly mimeType: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * The type the file's first bytes show (raster images and PDF only; see content-sniff),
   * or undefined. Unlike `mimeType`, this comes from the content.
   */
  readonly sniffedType: string | undefined;
  #path: string;
  #state: 'temp' | 'saved' | 'gone' = 'temp';
  readonly #owner: RequestUploads;

  /** Made by the multipart parser; not meant to be built by hand. */
  constructor(init: UploadedFileInit) {
    this.fieldName = init.fieldName;
    this.filename = init.filename;
    this.mimeType = init.mimeType;
    this.size = init.size;
    this.sniffedType = sniffType(init.head);
    this.#path = init.tempPath;
    this.#owner = init.owner;
  }

  /** `secureFilename(filename)`: the default name `save()` uses. */
  get safeFilename(): string {
    return secureFilename(this.filename);
  }

  /** Where the file is now: its temporary path, or where `save()` put it. */
  get path(): string {
    this.#assertPresent();
    return this.#path;
  }

  /** True once `save()` moved the file out of the temporary directory. */
  get saved(): boolean {
    return this.#state === 'saved';
  }

  /**
   * Moves the file into `dir` under `name` (default: `secureFilename` of the client's name)
   * and returns the final path. `name` is joined with `safeJoin`, so it cannot leave `dir`.
   * The move is atomic: a rename (or, across file systems, a copy to a hidden temporary
   * name in `dir` followed by a rename or link), so readers never see a half-written file.
   * Without `overwrite`, an existing file is never replaced.
   *
   * ```ts
   * await file.save('/srv/uploads');                          // /srv/uploads/report.pdf
   * await file.save('/srv/uploads', `${user.id}.png`, { overwrite: true });
   * ```
   */
  async save(dir: string, name?: string, options: SaveOptions = {}): Promise<string> {
    this.#assertPresent();
    if (this.#state !== 'temp') throw this.#goneError();
    const dest = await safeJoin(dir, name ?? this.safeFilename);
    const from = this.#path;
    if (options.overwrite === true) await moveReplacing(from, dest);
    else await moveExclusive(from, dest);
    this.#owner.untrack(from);
    this.#path = dest;
    this.#state = 'saved';
    return dest;
  }

  /** Reads the whole file into memory. */
  async bytes(): Promise<Buffer> {
    this.#assertPresent();
    return readFile(this.#path);
  }

  /** Reads the file as UTF-8 text (invalid UTF-8 is a 400). */
  async text(): Promise<string> {
    return decodeUTF8(await this.bytes(), `uploaded file "${this.fieldName}"`);
  }

  /** A read stream over the file. */
  stream(): ReadStream {
    this.#assertPresent();
    return createReadStream(this.#path);
  }

  /** Deletes the temporary file now (it would be deleted when the response is done anyway). */
  async discard(): Promise<void> {
    if (this.#state !== 'temp') return;
    this.#state = 'gone';
    await this.#owner.remove(this.#path);
  }

  #assertPresent(): void {
    if (this.#state === 'gone' || (this.#state === 'temp' && this.#owner.finished)) throw this.#goneError();
  }

  #goneError(): PalisadeError {
    const why =
      this.#state === 'saved'
        ? 'it was already saved; use the path save() returned'
        : 'its temporary file was deleted (discarded, or the response was already sent)';
    return new PalisadeError('UPLOAD_FILE_GONE', `The uploaded file "${this.fieldName}" cannot be used: ${why}.`);
  }
}

/** Rename, or across file systems copy to a hidden name next to `dest` and rename that. */
async function moveReplacing(from: string, dest: string): Promise<void> {
  try {
    await rename(from, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const part = partPath(dest);
    await copyFile(from, part, constants.COPYFILE_EXCL);
    try {
      await rename(part, dest);
    } catch (e) {
      await unlink(part).catch(() => {});
      throw e;
    }
    await unlink(from).catch(() => {});
  }
}

/**
 * Link (atomic, and fails if `dest` exists), then drop the temporary name. Across file
 * systems, link from a copy placed next to `dest`. On file systems without hard links,
 * a rename after an existence check (a tiny race, documented).
 */
async function moveExclusive(from: string, dest: string): Promise<void> {
  let source = from;
  let copied = false;
  for (;;) {
    try {
      await link(source, dest);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        if (copied) await unlink(source).catch(() => {});
        throw exists(dest);
      }
      if (code === 'EXDEV' && !copied) {
        source = partPath(dest);
        await copyFile(from, source, constants.COPYFILE_EXCL);
        copied = true;
        continue;
      }
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        await renameIfAbsent(source, dest);
        if (copied) await unlink(from).catch(() => {});
        return;
      }
      if (copied) await unlink(source).catch(() => {});
      throw err;
    }
  }
  await unlink(source).catch(() => {});
  if (copied) await unlink(from).catch(() => {});
}

async function renameIfAbsent(from: string, dest: string): Promise<void> {
  const present = await access(dest).then(
    () => true,
    () => false,
  );
  if (present) throw exists(dest);
  await rename(from, dest);
}

function partPath(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${randomUUID()}.part`);
}

function exists(dest: string): HttpError {
  return new HttpError(
    'UPLOAD_FILE_EXISTS',
    `A file named "${basename(dest)}" already exists; pass { overwrite: true } to replace it, or choose another name.`,
    {
      name: basename(dest),
    },
  );
}
