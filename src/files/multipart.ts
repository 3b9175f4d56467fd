/**
 * Streaming multipart/form-data parsing (RFC 7578) with busboy, under limits.
 *
 * The body flows: request stream → MultipartGuard (whole-body and part-header limits) →
 * busboy → one temporary file per file part (0600, in the app's 0700 upload directory).
 * A limit passed, a malformed body or a client that goes away stops the parse, deletes
 * every temporary file it made, and rejects with an HttpError naming the cause.
 *
 * See docs/files.md#uploads.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, finished, type Writable } from 'node:stream';
import type { Busboy, FileInfo } from 'busboy';
import { lazyRequire } from '../util/lazy-require.js';

const busboy = lazyRequire<typeof import('busboy')>('busboy');
import { HttpError } from '../errors.js';
import { bodyTooLarge } from '../http/body.js';
import { checkFieldName, checkFieldValue, tooManyFields } from '../http/form-limits.js';
import { Params } from '../http/params.js';
import type { Request } from '../http/request.js';
import { SNIFF_BYTES } from './content-sniff.js';
import { MultipartGuard } from './multipart-guard.js';
import { UploadedFile } from './uploaded-file.js';
import type { RequestUploads } from './upload-store.js';
import { INTERNALS } from '../util/symbols.js';

/**
 * What `await req.files()` returns: the text fields and the files of a multipart body.
 *
 * ```ts
 * const body = await req.files();
 * body.fields.get('title');        // a text field
 * body.file('avatar');             // the first file sent as "avatar", or undefined
 * body.filesNamed('photos');       // every file sent as "photos"
 * body.files;                      // every file, in order
 * ```
 * See docs/files.md#uploads.
 */
export class MultipartBody {
  /** The non-file fields, in order (repeated names kept). */
  readonly fields: Params;
  /** Every file, in the order sent. */
  readonly files: readonly UploadedFile[];

  constructor(fields: Params, files: readonly UploadedFile[]) {
    this.fields = fields;
    this.files = files;
  }

  /** The first file sent under `name`, or undefined. */
  file(name: string): UploadedFile | undefined {
    return this.files.find((f) => f.fieldName === name);
  }

  /** Every file sent under `name`. */
  filesNamed(name: string): UploadedFile[] {
    return this.files.filter((f) => f.fieldName === name);
  }
}

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /**
     * This route takes file uploads: its multipart bodies may be as large as
     * `uploads.maxTotalSize` (20 MiB by default). Every other route holds a multipart body to
     * `maxBodySize`, like any body. See docs/files.md#uploads.
     */
    uploads?: boolean;
  }
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** The multipart parse of this request, once started (see fieldBeforeFiles in request-files.ts). */
    multipart?: MultipartRun;
  }
}

/**
 * Parses the request's multipart body into temporary files. Used by `req.files()`.
 *
 * The text fields are held to the form limits (`req.formLimits`), as urlencoded bodies
 * are. The whole body is held to `uploads.maxTotalSize` on a route that takes uploads
 * (`{ uploads: true }`), and to the request's `maxBodySize` on every other route.
 */
export async function parseMultipart(req: Request, uploads: RequestUploads): Promise<MultipartBody> {
  const mt = req.mediaType;
  if (mt?.essence !== 'multipart/form-data') {
    const got = req.header('content-type');
    throw new HttpError(
      'BODY_UNSUPPORTED_MEDIA_TYPE',
      `Expected a body with Content-Type multipart/form-data, got ${got === undefined ? 'none' : JSON.stringify(got)}. A form that uploads files needs enctype="multipart/form-data".`,
      { expected: 'multipart/form-data', got: got ?? null },
    );
  }
  const boundary = mt.params['boundary'];
  if (boundary === undefined || boundary === '' || boundary.length > 70) {
    throw new HttpError('UPLOAD_MALFORMED', 'The multipart Content-Type has no valid boundary parameter (1 to 70 characters, RFC 2046 §5.1.1).');
  }
  const { maxTotal, tooLarge } = bodyLimit(req, uploads.store.limits.maxTotalSize);
  const declared = req.contentLength;
  if (declared !== undefined && declared > maxTotal) throw tooLarge();

  // Made before the first await, so a check that starts the parse (fieldBeforeFiles) finds it.
  const run = new MultipartRun(req, uploads, boundary, maxTotal, tooLarge);
  req[INTERNALS].multipart = run;
  try {
    // Normally the body is streamed. If something before the handler already buffered it
    // with req.bytes() (under the route's maxBodySize), parse those bytes instead.
    const raw = req.bodyUsed ? await req.bytes() : req.stream();
    const source = raw === null ? Readable.from([]) : raw instanceof Readable ? raw : Readable.from(raw instanceof Uint8Array ? [raw] : raw);
    // Create the private directory before the first part arrives, so file parts open at once.
    const root = await uploads.store.root();
    return await run.start(source, root);
  } catch (err) {
    run.failEarly(err as Error);
    throw err;
  }
}

/** The size limit of a multipart body on this request's route, and the error past it. */
function bodyLimit(req: Request, maxTotalSize: number): { maxTotal: number; tooLarge: () => HttpError } {
  const options = req.route?.options;
  if (options?.uploads === true && typeof options.maxBodySize !== 'number') {
    return {
      maxTotal: maxTotalSize,
      tooLarge: () =>
        new HttpError(
          'UPLOAD_TOTAL_TOO_LARGE',
          `The upload is larger than the limit of ${maxTotalSize} bytes (uploads.maxTotalSize). Raise it in createApp({ uploads: { maxTotalSize } }) or with the route's maxBodySize option.`,
          { limit: maxTotalSize, setting: 'uploads.maxTotalSize' },
        ),
    };
  }
  const limit = req.maxBodySize;
  if (options?.uploads === true) return { maxTotal: limit, tooLarge: () => bodyTooLarge(limit, 'multipart body') };
  return {
    maxTotal: limit,
    tooLarge: () =>
      new HttpError(
        'BODY_TOO_LARGE',
        `The multipart body is larger than the limit of ${limit} bytes (maxBodySize): this route does not take file uploads. A route that does is declared with the option { uploads: true }, and may then receive up to uploads.maxTotalSize.`,
        { limit },
      ),
  };
}

/** A check waiting on one field of the body (see fieldBeforeFiles). */
interface Gate {
  readonly name: string;
  readonly check: (value: string | undefined) => Promise<void> | void;
  state: 'waiting' | 'checking' | 'passed' | 'failed';
  readonly done: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  /** File parts that arrived while the check ran; opened once it passes. */
  readonly held: (() => void)[];
}

/** One parse: owns the streams, the files being written, and the single outcome. */
export class MultipartRun {
  readonly #fields = new Params();
  /** One slot per file part, in order; null for a skipped empty part. */
  readonly #files: (UploadedFile | null)[] = [];
  /** Temporary paths of this parse, written or being written. */
  readonly #temps: string[] = [];
  /** Disk writes in flight; the parse resolves only when all have settled. */
  readonly #writes: Promise<void>[] = [];
  #failed: Error | undefined;
  #settled = false;
  /** File streams busboy is still feeding. */
  readonly #active = new Set<Readable>();
  readonly #guard: MultipartGuard;
  #bb: Busboy | undefined;
  #source: Readable | undefined;
  #resolve: ((b: MultipartBody) => void) | undefined;
  #reject: ((e: Error) => void) | undefined;
  /** Parts counted against forms.maxFields: text fields and files. */
  #count = 0;
  /** The first value of each text field sent before any file part. */
  readonly #early = new Map<string, string>();
  #sawFile = false;
  #gate: Gate | undefined;
  /** The private upload directory, once the parse has started. */
  #root = '';

  constructor(
    readonly req: Request,
    readonly uploads: RequestUploads,
    readonly boundary: string,
    readonly maxTotal: number,
    tooLarge: () => HttpError,
  ) {
    const limits = uploads.store.limits;
    this.#guard = new MultipartGuard(boundary, {
      maxTotal,
      maxPartHeader: limits.maxPartHeaderSize,
      tooLarge,
      headerTooLarge: () =>
        limitError(
          'UPLOAD_PART_HEADER_TOO_LARGE',
          `A part's headers are larger than ${limits.maxPartHeaderSize} bytes`,
          'maxPartHeaderSize',
          limits.maxPartHeaderSize,
        ),
    });
  }

  /** Parses `source`, writing file parts under `root`. */
  start(source: Readable, root: string): Promise<MultipartBody> {
    return new Promise<MultipartBody>((resolve, reject) => {
      this.#source = source;
      this.#resolve = resolve;
      this.#reject = reject;
      if (this.#failed) return reject(this.#failed); // a check failed while the parse was starting
      this.#run(source, root);
    });
  }

  /** The parse failed before it started streaming (the body could not be read). */
  failEarly(err: Error): void {
    if (this.#failed || this.#settled) return;
    this.#failed = err;
    this.#failGate(err);
  }

  /** See fieldBeforeFiles. One check per parse. */
  gate(name: string, check: Gate['check']): Promise<void> {
    if (this.#gate !== undefined) throw new Error('a multipart body takes one field check (the CSRF check)');
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const g: Gate = { name, check, state: 'waiting', done, resolve, reject, held: [] };
    this.#gate = g;
    if (this.#failed) {
      g.state = 'failed';
      reject(this.#failed);
    } else if (this.#early.has(name) || this.#sawFile || this.#settled) {
      this.#decide(this.#early.get(name));
    }
    return done;
  }

  #run(source: Readable, root: string): void {
    this.#root = root;
    // The client may have gone before the handler asked for the files.
    if (source.destroyed || source.errored !== null) {
      this.#fail(aborted);
      return;
    }
    const limits = this.uploads.store.limits;
    const form = this.req.formLimits;
    try {
      // busboy reports a limit when a size *reaches* it; +1 lets a value of exactly the
      // limit through and reports only what passes it. A text value is limited in
      // characters: no charset spends more than 4 bytes on one UTF-16 code unit, so busboy
      // stops reading at 4 bytes a character and the exact length is checked when decoded.
      this.#bb = busboy()({
        headers: { 'content-type': this.req.header('content-type')! },
        defParamCharset: 'utf8',
        limits: {
          fileSize: limits.maxFileSize + 1,
          files: limits.maxFiles,
          fieldSize: 4 * form.maxValueLength + 1,
          parts: form.maxFields + 1,
        },
      });
    } catch (err) {
      this.#fail(new HttpError('UPLOAD_MALFORMED', `The multipart body cannot be parsed: ${(err as Error).message}.`));
      return;
    }
    const bb = this.#bb;
    bb.on('field', (name, value, info) => {
      if (this.#failed) return;
      if (typeof name !== 'string') return this.#fail(nameless());
      try {
        this.#countPart();
        checkFieldName(name, form);
        checkFieldValue(name, value, form, info.valueTruncated ? Infinity : value.length);
      } catch (err) {
        return this.#fail(err as Error);
      }
      this.#fields.append(name, value);
      if (!this.#sawFile && !this.#early.has(name)) this.#early.set(name, value);
      if (this.#gate?.state === 'waiting' && name === this.#gate.name) this.#decide(value);
    });
    bb.on('file', (name, stream, info) => {
      if (!this.#sawFile) {
        this.#sawFile = true;
        // A check still waiting for its field: the field did not come before the files.
        if (this.#gate?.state === 'waiting') this.#decide(undefined);
      }
      if (this.#gate?.state === 'checking' && !this.#failed) {
        // Not a byte to disk before the check has passed: busboy holds the rest of the
        // body while this stream is not read.
        this.#gate.held.push(() => this.#onFile(name, stream, info));
        return;
      }
      this.#onFile(name, stream, info);
    });
    bb.on('filesLimit', () =>
      this.#fail(limitError('UPLOAD_TOO_MANY_FILES', `The upload has more than ${limits.maxFiles} files`, 'maxFiles', limits.maxFiles)),
    );
    bb.on('partsLimit', () => this.#fail(tooManyFields(form.maxFields)));

    // A response sent while the upload still streams (the handler did not wait) ends it.
    this.uploads.onFinish(() => this.#fail(aborted));
    // The client's stream is piped by hand, not with pipeline(): on failure it must be
    // drained, not destroyed, so the client can still read the 413/400 answer.
    source.on('error', () => this.#fail(aborted));
    source.on('aborted', () => this.#fail(aborted));
    source.on('close', () => {
      if (!source.readableEnded) this.#fail(aborted);
    });
    source.pipe(this.#guard);
    pipeStreams(this.#guard, bb, (err) => {
      if (err) return this.#fail(err instanceof HttpError ? err : malformed(err));
      void this.#complete();
    });
  }

  /** Counts one part against forms.maxFields (busboy's own count stops at the part after). */
  #countPart(): void {
    if (++this.#count > this.req.formLimits.maxFields) throw tooManyFields(this.req.formLimits.maxFields);
  }

  /** Runs the gate's check on `value`; file parts wait while it runs. */
  #decide(value: string | undefined): void {
    const g = this.#gate!;
    g.state = 'checking';
    let pending: Promise<void> | void;
    try {
      pending = g.check(value);
    } catch (err) {
      this.#gateFailed(g, err as Error);
      return;
    }
    if (pending instanceof Promise)
      pending.then(
        () => this.#gatePassed(g),
        (err: Error) => this.#gateFailed(g, err),
      );
    else this.#gatePassed(g);
  }

  #gatePassed(g: Gate): void {
    if (g.state !== 'checking') return;
    g.state = 'passed';
    g.resolve();
    for (const open of g.held.splice(0)) open();
  }

  #gateFailed(g: Gate, err: Error): void {
    if (g.state !== 'checking') return;
    g.state = 'failed';
    g.reject(err);
    this.#fail(err);
    for (const open of g.held.splice(0)) open(); // each sees the failure and discards its part
  }

  /** Rejects a gate that has not decided with the parse's own failure. */
  #failGate(err: Error): void {
    const g = this.#gate;
    if (g === undefined || g.state === 'passed' || g.state === 'failed') return;
    g.state = 'failed';
    g.reject(err);
    for (const open of g.held.splice(0)) open();
  }

  #onFile(name: string, stream: Readable, info: FileInfo): void {
    if (this.#failed) {
      stream.on('error', () => {});
      stream.resume();
      return;
    }
    // Tracked so a failure can end it: busboy, once destroyed, never ends its file streams.
    this.#active.add(stream);
    stream.once('close', () => this.#active.delete(stream));
    if (typeof name !== 'string') {
      stream.on('error', () => {});
      stream.resume();
      return this.#fail(nameless());
    }
    try {
      this.#countPart();
      checkFieldName(name, this.req.formLimits);
    } catch (err) {
      stream.on('error', () => {});
      stream.resume();
      return this.#fail(err as Error);
    }
    const limits = this.uploads.store.limits;
    stream.on('limit', () =>
      this.#fail(
        limitError(
          'UPLOAD_FILE_TOO_LARGE',
          `The file "${clip(info.filename ?? name)}" is larger than ${limits.maxFileSize} bytes`,
          'maxFileSize',
          limits.maxFileSize,
        ),
      ),
    );
    const path = join(this.#root, `${randomUUID()}.upload`);
    const slot = this.#files.push(null) - 1;
    this.#temps.push(path);
    this.uploads.track(path);
    let size = 0;
    const head: Buffer[] = [];
    let headLen = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (headLen < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headLen));
        headLen += Math.min(chunk.length, SNIFF_BYTES - headLen);
      }
    });
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.#writes.push(
      new Promise<void>((done) => {
        // Settled only once the file descriptor is closed: deleting earlier could race the
        // open and leave a file behind.
        let piped = false;
        let closed = false;
        out.once('close', () => {
          closed = true;
          if (piped) done();
        });
        pipeStreams(stream, out, (err) => {
          if (err) this.#fail(err instanceof HttpError ? err : malformed(err));
          else if ((info.filename ?? '') !== '' || size > 0) {
            // A file input left empty sends a part with filename="" and no bytes: skip it.
            this.#files[slot] = new UploadedFile({
              fieldName: name,
              filename: info.filename ?? '',
              mimeType: info.mimeType,
              size,
              head: Buffer.concat(head),
              tempPath: path,
              owner: this.uploads,
            });
          } else void this.uploads.remove(path).catch(() => {});
          piped = true;
          if (closed) done();
        });
      }),
    );
  }

  async #complete(): Promise<void> {
    // busboy is done; wait for the disk writes.
    await Promise.all(this.#writes);
    if (this.#failed) return;
    // A check still waiting for its field: the body ended without it. Wait for the check.
    const g = this.#gate;
    if (g?.state === 'waiting') this.#decide(undefined);
    if (g !== undefined) await g.done.catch(() => {});
    if (this.#failed) return;
    this.#settled = true;
    if (this.uploads.finished) {
      // The response was already sent (the handler did not wait): nothing may stay.
      await this.#removeAll();
      this.#reject!(aborted());
      return;
    }
    this.#resolve!(
      new MultipartBody(
        this.#fields,
        this.#files.filter((f) => f !== null),
      ),
    );
  }

  /** Fails the parse with `error`, or the error `error()` builds (made only when it is used). */
  #fail(error: Error | (() => Error)): void {
    if (this.#failed || this.#settled) return;
    const err = typeof error === 'function' ? error() : error;
    this.#failed = err;
    this.#failGate(err);
    // Stop parsing; keep reading the client's bytes into nothing so it can read our answer.
    this.#source?.unpipe(this.#guard);
    this.#source?.resume();
    void (async () => {
      // busboy emits limits from inside its parser and keeps going after the listener
      // returns: destroy it only once that call stack has unwound.
      await new Promise((r) => process.nextTick(r));
      this.#guard.destroy();
      this.#bb?.destroy();
      for (const stream of this.#active) stream.destroy(err);
      await Promise.allSettled(this.#writes);
      await this.#removeAll();
      this.#reject?.(err);
    })();
  }

  async #removeAll(): Promise<void> {
    await Promise.all(this.#temps.map((p) => this.uploads.remove(p).catch(() => {})));
  }
}

function limitError(
  code:
    | 'UPLOAD_FILE_TOO_LARGE'
    | 'UPLOAD_TOO_MANY_FILES'
    | 'UPLOAD_TOO_MANY_FIELDS'
    | 'UPLOAD_FIELD_TOO_LARGE'
    | 'UPLOAD_TOO_MANY_PARTS'
    | 'UPLOAD_PART_HEADER_TOO_LARGE',
  what: string,
  setting: string,
  limit: number,
): HttpError {
  return new HttpError(code, `${what} (uploads.${setting}). Raise it with createApp({ uploads: { ${setting} } }) if such uploads are expected.`, {
    limit,
    setting: `uploads.${setting}`,
  });
}

function malformed(err: Error): HttpError {
  return new HttpError('UPLOAD_MALFORMED', `The multipart body is malformed: ${err.message}.`);
}

function nameless(): HttpError {
  return new HttpError('UPLOAD_MALFORMED', 'A part of the multipart body has no name in its Content-Disposition header (RFC 7578 §4.2 requires one).');
}

/**
 * pipeline() for two streams, without the AbortController node's pipeline() makes and
 * aborts (building an AbortError with its stack) on every call: `done` once `to` has
 * finished, or with the first error, after which both streams are destroyed.
 */
function pipeStreams(from: Readable, to: Writable, done: (err: Error | null) => void): void {
  let called = false;
  const end = (err: Error | null | undefined): void => {
    if (called) return;
    called = true;
    if (err) {
      from.destroy();
      to.destroy();
    }
    done(err ?? null);
  };
  finished(from, (err) => {
    if (err) end(err);
  });
  finished(to, end);
  from.pipe(to);
}

function aborted(): HttpError {
  return new HttpError('BODY_ABORTED', 'The client stopped sending the upload before it was complete; its partial files were deleted.');
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
