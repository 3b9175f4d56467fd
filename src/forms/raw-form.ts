/**
 * Reading a submitted form: the query string of a GET form, else the urlencoded or
 * multipart body. The parsers apply the app's form limits (src/http/form-limits.ts) as
 * they read, so what reaches a form is already within them.
 *
 * A body that is not a form is a 415; a malformed one a 400; one over a limit a 413.
 *
 * See docs/forms-and-csrf.md#limits.
 */
import { HttpError } from '../errors.js';
import '../files/request-files.js'; // installs req.files()
import type { UploadedFile } from '../files/uploaded-file.js';
import { Params } from '../http/params.js';
import type { Request } from '../http/request.js';
import type { RawInput } from './field.js';

/** A submitted form: its text values and files by name. */
export class RawForm {
  readonly params: Params;
  readonly files: readonly UploadedFile[];
  readonly #files: Record<string, UploadedFile[]> = Object.create(null);

  constructor(params: Params, files: readonly UploadedFile[]) {
    this.params = params;
    this.files = files;
    for (const f of files) (this.#files[f.fieldName] ??= []).push(f);
  }

  /** What was sent under `name`. */
  get(name: string): RawInput {
    return { values: this.params.getAll(name), files: this.#files[name] ?? [] };
  }

  /** Every name sent, text fields first, in order. */
  names(): string[] {
    const out = this.params.keys();
    for (const k of Object.keys(this.#files)) if (!out.includes(k)) out.push(k);
    return out;
  }
}

const FORM_TYPES = 'application/x-www-form-urlencoded or multipart/form-data';

/**
 * Reads the form of `req`: the query string for a GET form, else the urlencoded or
 * multipart body, each under the form limits. Throws HttpError (413, 415, 400) for a
 * submission that is not a form a browser would send.
 */
export async function readRawForm(req: Request, method: 'get' | 'post'): Promise<RawForm> {
  if (method === 'get' || req.method === 'GET' || req.method === 'HEAD') return new RawForm(req.query, []);
  const type = req.mediaType?.essence;
  if (type === 'application/x-www-form-urlencoded') return new RawForm(await req.form(), []);
  if (type === 'multipart/form-data') {
    const body = await req.files();
    return new RawForm(body.fields, body.files);
  }
  if (type === undefined && req.contentLength === 0) return new RawForm(new Params(), []); // an empty POST, as from a form with no fields
  const got = req.header('content-type');
  throw new HttpError(
    'BODY_UNSUPPORTED_MEDIA_TYPE',
    `A form is sent as ${FORM_TYPES}; this body is ${got === undefined ? 'without a Content-Type' : JSON.stringify(got)}. Check the form's enctype, or read JSON with req.json().`,
    { expected: FORM_TYPES, got: got ?? null },
  );
}
