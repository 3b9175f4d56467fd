/**
 * Reading a submitted form under limits: how many fields, how long a field name, how long
 * a value. The body itself is read by the request (`req.form()`, under `maxBodySize`) or
 * by the upload parser (`req.files()`, under the `uploads` limits); these limits bound
 * what a form then has to look at.
 *
 * A submission over a limit is not something a person fills in by hand: it is answered
 * with a 413 page (FORM_TOO_MANY_FIELDS, FORM_NAME_TOO_LONG, FORM_VALUE_TOO_LONG) rather
 * than handed to the handler. A body that is not a form is a 415; a malformed one a 400.
 *
 * See docs/forms-and-csrf.md#limits.
 */
import { ConfigError, HttpError } from '../errors.js';
import '../files/request-files.js'; // installs req.files()
import type { UploadedFile } from '../files/uploaded-file.js';
import { Params } from '../http/params.js';
import type { Request } from '../http/request.js';
import type { RawInput } from './fields.js';

/**
 * Limits on a submitted form. Set them for the whole app (`createApp({ forms: {...} })`)
 * or for one form (`defineForm(shape, { limits })`); the form's own win.
 *
 * ```ts
 * createApp({ forms: { maxFields: 200, maxValueLength: 20_000 } });
 * ```
 * See docs/forms-and-csrf.md#limits.
 */
export interface FormLimits {
  /** Most fields (text values and files, counting repeats). Default 1000. Over it: 413 FORM_TOO_MANY_FIELDS. */
  maxFields?: number;
  /** Longest field name, in characters. Default 200. Over it: 413 FORM_NAME_TOO_LONG. */
  maxNameLength?: number;
  /** Longest text value, in characters. Default 65536. Over it: 413 FORM_VALUE_TOO_LONG. */
  maxValueLength?: number;
}

/** The `forms` section of `createApp` options. See docs/forms-and-csrf.md#limits. */
export type FormsOptions = FormLimits;

/** The defaults of {@link FormLimits}. */
export const DEFAULT_FORM_LIMITS: Readonly<Required<FormLimits>> = Object.freeze({
  maxFields: 1000,
  maxNameLength: 200,
  maxValueLength: 65536,
});

const KEYS = ['maxFields', 'maxNameLength', 'maxValueLength'] as const;

/** Checks a limits object (the app's `forms` section or a form's `limits`); throws naming the setting. */
export function checkLimits(raw: unknown, where: string): FormLimits {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "${where}" must be an object; got ${JSON.stringify(raw)}.`, { key: where });
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "${where}.${k}" (known: ${KEYS.join(', ')}).`, { key: `${where}.${k}` });
    }
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new ConfigError('CONFIG_INVALID', `Setting "${where}.${k}" must be a positive whole number; got ${JSON.stringify(v)}.`, { key: `${where}.${k}` });
    }
  }
  return o as FormLimits;
}

declare module '../http/request.js' {
  interface RequestInternals {
    /** The app's `forms` limits, set by the forms protection when the app has any. */
    formLimits?: FormLimits;
  }
}

/** The limits that apply to `req` for a form with `own` limits. */
export function limitsFor(req: Request, own: FormLimits): Required<FormLimits> {
  const app = req.internals.formLimits;
  return { ...DEFAULT_FORM_LIMITS, ...app, ...own };
}

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
 * multipart body, and checks the limits. Throws HttpError (413, 415, 400) for a
 * submission that is not a form a browser would send.
 */
export async function readRawForm(req: Request, method: 'get' | 'post', limits: Required<FormLimits>): Promise<RawForm> {
  let form: RawForm;
  if (method === 'get' || req.method === 'GET' || req.method === 'HEAD') {
    form = new RawForm(req.query, []);
  } else {
    const type = req.mediaType?.essence;
    if (type === 'application/x-www-form-urlencoded') {
      form = new RawForm(await req.form(), []);
    } else if (type === 'multipart/form-data') {
      const body = await req.files();
      form = new RawForm(body.fields, body.files);
    } else if (type === undefined && req.contentLength === 0) {
      form = new RawForm(new Params(), []); // an empty POST, as from a form with no fields
    } else {
      const got = req.header('content-type');
      throw new HttpError(
        'BODY_UNSUPPORTED_MEDIA_TYPE',
        `A form is sent as ${FORM_TYPES}; this body is ${got === undefined ? 'without a Content-Type' : JSON.stringify(got)}. Check the form's enctype, or read JSON with req.json().`,
        { expected: FORM_TYPES, got: got ?? null },
      );
    }
  }
  checkRawForm(form, limits);
  return form;
}

function checkRawForm(form: RawForm, limits: Required<FormLimits>): void {
  const count = form.params.size + form.files.length;
  if (count > limits.maxFields) {
    throw new HttpError(
      'FORM_TOO_MANY_FIELDS',
      `The form has ${count} fields; at most ${limits.maxFields} are accepted. If your own form is this large, raise forms.maxFields (or the form's limits.maxFields).`,
      { limit: limits.maxFields, count, setting: 'maxFields' },
    );
  }
  for (const name of form.names()) {
    if (name.length > limits.maxNameLength) {
      throw new HttpError(
        'FORM_NAME_TOO_LONG',
        `A field name is ${name.length} characters long; at most ${limits.maxNameLength} are accepted. Raise forms.maxNameLength if your own form uses such names.`,
        { limit: limits.maxNameLength, length: name.length, setting: 'maxNameLength' },
      );
    }
  }
  for (const [name, value] of form.params) {
    if (value.length > limits.maxValueLength) {
      throw new HttpError(
        'FORM_VALUE_TOO_LONG',
        `The value of the field "${clip(name)}" is ${value.length} characters long; at most ${limits.maxValueLength} are accepted. Give the field a maxLength (its input then stops the user typing more), or raise forms.maxValueLength.`,
        { limit: limits.maxValueLength, length: value.length, field: clip(name), setting: 'maxValueLength' },
      );
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
