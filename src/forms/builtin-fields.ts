/**
 * The built-in form fields: each turns what a browser sends for one name (strings, and
 * files for a file input) into a typed value or a list of messages, and knows the HTML
 * attributes (`required`, `maxlength`, `type`, `min`…) that make the browser check the
 * same rules before sending.
 *
 * ```ts
 * import { defineForm, fields as f } from 'palisade';
 * const signup = defineForm({
 *   name: f.string({ maxLength: 80 }),
 *   email: f.email(),
 *   age: f.integer({ min: 13 }).optional(),
 *   plan: f.choice(['free', 'pro']),
 *   terms: f.boolean({ required: true }),
 * });
 * ```
 * See docs/forms-and-csrf.md#fields.
 */
import type { UploadedFile } from '../files/uploaded-file.js';
import { RASTER_IMAGE_TYPES } from '../files/content-sniff.js';
import { Field, ListField, makeField, type FieldOptions, type HtmlHints, type Outcome, type RawInput } from './field.js';

type Msg = (key: string, fallback: string) => string;

/** A refusal with the message of `key` (the form's own when it gives one, else `fallback`). */
function refuse(msg: Msg, key: string, fallback: string): { ok: false; errors: string[] } {
  return { ok: false, errors: [msg(key, fallback)] };
}

/** `attrs` without the entries whose value is undefined: the HTML hints an option gives only when set. */
function given<A extends Record<string, string | number | undefined>>(attrs: A): { [K in keyof A]?: Exclude<A[K], undefined> } {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof A]?: Exclude<A[K], undefined> };
}

// ---- text ----------------------------------------------------------------------------

/** C0 controls other than tab, LF and CR, and DEL: never typed into a form. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The one text value of a single-value field, or undefined when nothing (or only blanks) was sent. */
function single(input: RawInput, msg: Msg, trim: boolean): Outcome<string> | undefined {
  const vs = input.values;
  if (vs.length === 0) return undefined;
  if (vs.length > 1) return refuse(msg, 'multiple', 'This field takes one value.');
  let v = vs[0]!.replace(/\r\n?/g, '\n'); // browsers send CRLF; count a line break once, as maxlength does
  if (trim) v = v.trim();
  if (v === '') return undefined;
  if (CONTROL.test(v)) return refuse(msg, 'control', 'This field contains characters that are not allowed.');
  return { ok: true, value: v };
}

/**
 * A field that takes one text value: the steps every such field shares (`single`: one
 * value, line breaks as LF, trimmed when `trim`, blank as nothing sent, control characters
 * refused), then `convert` for the rules of its kind.
 */
function textField<T>(kind: string, opts: FieldOptions, trim: boolean, convert: (text: string, msg: Msg) => Outcome<T>, hints: HtmlHints): Field<T> {
  return makeField<T>(
    kind,
    opts,
    (input, msg) => {
      const r = single(input, msg, trim);
      return r === undefined || !r.ok ? (r as Outcome<T> | undefined) : convert(r.value, msg);
    },
    hints,
  );
}

/** Options of `fields.string`. */
export interface StringOptions extends FieldOptions {
  minLength?: number;
  maxLength?: number;
  /** The whole value must match (as the HTML `pattern` attribute). Flags other than `u`/`v` keep it off the page. */
  pattern?: RegExp | string;
  /** Strip leading and trailing white space first. Default true (false for passwords). */
  trim?: boolean;
  /** How it is drawn. Default `text`. A `password` is never written back into the page. */
  widget?: 'text' | 'textarea' | 'password' | 'search' | 'tel';
}

function wholeMatch(p: RegExp | string): { test: RegExp; attr: string | undefined } {
  if (typeof p === 'string') return { test: new RegExp(`^(?:${p})$`, 'u'), attr: p };
  const flags = p.flags.replace(/[gy]/g, '');
  return { test: new RegExp(`^(?:${p.source})$`, flags), attr: /^[uv]?$/.test(flags) ? p.source : undefined };
}

function checkLength(v: string, o: { minLength?: number; maxLength?: number }, msg: Msg): string | undefined {
  if (o.maxLength !== undefined && v.length > o.maxLength) return msg('tooLong', `Enter at most ${o.maxLength} characters (you entered ${v.length}).`);
  if (o.minLength !== undefined && v.length < o.minLength) return msg('tooShort', `Enter at least ${o.minLength} characters.`);
  return undefined;
}

/**
 * A text field: a string, trimmed, with optional length bounds and pattern.
 *
 * ```ts
 * fields.string({ maxLength: 100 })                        // <input type="text" maxlength="100" required>
 * fields.string({ widget: 'textarea', maxLength: 5000 })   // <textarea>
 * fields.string({ pattern: /[a-z0-9-]+/, label: 'Slug' })
 * ```
 */
export function string(opts: StringOptions = {}): Field<string> {
  const secret = opts.widget === 'password';
  const trim = opts.trim ?? !secret;
  const pat = opts.pattern === undefined ? undefined : wholeMatch(opts.pattern);
  const widget = opts.widget ?? 'text';
  return textField<string>(
    'string',
    opts,
    trim,
    (text, msg) => {
      const bad = checkLength(text, opts, msg);
      if (bad !== undefined) return { ok: false, errors: [bad] };
      if (pat !== undefined && !pat.test.test(text)) return refuse(msg, 'pattern', 'Enter a value in the requested format.');
      return { ok: true, value: text };
    },
    {
      widget: widget === 'textarea' ? 'textarea' : 'input',
      ...given({
        type: widget === 'textarea' ? undefined : widget,
        minlength: opts.minLength,
        maxlength: opts.maxLength,
        pattern: widget === 'textarea' ? undefined : pat?.attr,
      }),
      ...(secret ? { secret: true } : {}),
    },
  );
}

/**
 * An e-mail address, as the HTML standard defines a valid one (§4.10.5.1.5): what
 * `<input type="email">` accepts, at most 254 characters.
 *
 * ```ts
 * fields.email()   // <input type="email" maxlength="254" required>
 * ```
 */
export function email(opts: FieldOptions & { maxLength?: number } = {}): Field<string> {
  const max = opts.maxLength ?? 254;
  return textField<string>(
    'email',
    opts,
    true,
    (text, msg) => (text.length > max || !EMAIL.test(text) ? refuse(msg, 'invalid', 'Enter a valid e-mail address.') : { ok: true, value: text }),
    { widget: 'input', type: 'email', maxlength: max },
  );
}

// HTML Living Standard §4.10.5.1.5 "valid e-mail address".
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

// ---- numbers -------------------------------------------------------------------------

/** Options of `fields.integer` and `fields.number`. */
export interface NumberOptions extends FieldOptions {
  min?: number;
  max?: number;
  /** For `number`: the HTML `step` (`'any'` by default); the server does not round. */
  step?: number | 'any';
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberField(kind: 'integer' | 'number', opts: NumberOptions): Field<number> {
  const shape = kind === 'integer' ? INTEGER : DECIMAL;
  return textField<number>(
    kind,
    opts,
    true,
    (text, msg) => {
      // Only plain decimal digits: no hex, no `Infinity`, no `1_000`, no thousands separators.
      const n = shape.test(text) && text.length <= 400 ? Number(text) : NaN;
      const ok = kind === 'integer' ? Number.isSafeInteger(n) : Number.isFinite(n);
      if (!ok) return refuse(msg, 'invalid', kind === 'integer' ? 'Enter a whole number.' : 'Enter a number.');
      const value = Object.is(n, -0) ? 0 : n;
      if (opts.min !== undefined && value < opts.min) return refuse(msg, 'tooSmall', `Enter a number of at least ${opts.min}.`);
      if (opts.max !== undefined && value > opts.max) return refuse(msg, 'tooLarge', `Enter a number of at most ${opts.max}.`);
      return { ok: true, value };
    },
    {
      widget: 'input',
      type: 'number',
      ...given({ min: opts.min?.toString(), max: opts.max?.toString() }),
      step: kind === 'integer' ? '1' : String(opts.step ?? 'any'),
    },
  );
}

/**
 * A whole number (a safe integer), written in plain decimal digits.
 *
 * ```ts
 * fields.integer({ min: 1, max: 10 })   // <input type="number" min="1" max="10" step="1" required>
 * ```
 */
export function integer(opts: NumberOptions = {}): Field<number> {
  return numberField('integer', opts);
}

/**
 * A finite decimal number (`12`, `-0.5`, `1e3`); never `Infinity`, `NaN` or hex.
 *
 * ```ts
 * fields.number({ min: 0, step: 0.01, label: 'Price' })
 * ```
 */
export function number(opts: NumberOptions = {}): Field<number> {
  return numberField('number', opts);
}

// ---- boolean, choice, date -------------------------------------------------------------

const TRUE = new Set(['on', 'true', '1', 'yes', 'y']);
const FALSE = new Set(['', 'off', 'false', '0', 'no', 'n']);

/**
 * A checkbox: `true` when checked, `false` when left unchecked (browsers send nothing
 * then). `{ required: true }` means it must be checked ("I accept the terms").
 *
 * ```ts
 * fields.boolean({ label: 'Remember me' })
 * fields.boolean({ required: true, label: 'I accept the terms' })
 * ```
 */
export function boolean(opts: FieldOptions & { required?: boolean } = {}): Field<boolean> {
  const required = opts.required ?? false;
  return makeField<boolean>(
    'boolean',
    { ...opts, required: false },
    (input, msg) => {
      let value = false;
      // A hidden "0" before the checkbox is a common pattern: any true value wins.
      for (const raw of input.values) {
        const v = raw.trim().toLowerCase();
        if (TRUE.has(v)) value = true;
        else if (!FALSE.has(v)) return refuse(msg, 'invalid', 'Enter yes or no.');
      }
      if (required && !value) return refuse(msg, 'required', 'This box must be checked.');
      return { ok: true, value };
    },
    { widget: 'checkbox', type: 'checkbox', required },
  );
}

/** One choice: a value, or a value and the text shown for it. */
export type Choice<T extends string> = T | { readonly value: T; readonly label: string };

/**
 * One value from a fixed list (a `<select>`); anything else is refused.
 *
 * ```ts
 * fields.choice(['low', 'normal', 'high'])          // type 'low' | 'normal' | 'high'
 * fields.choice([{ value: 'nl', label: 'Nederland' }, { value: 'be', label: 'België' }])
 * ```
 */
export function choice<const T extends string>(choices: readonly Choice<T>[], opts: FieldOptions = {}): Field<T> {
  const list = choices.map((c) => (typeof c === 'string' ? { value: c, label: c } : { value: c.value, label: c.label }));
  if (list.length === 0) throw new TypeError('fields.choice() needs at least one choice');
  const allowed = new Set<string>(list.map((c) => c.value));
  return textField<T>(
    'choice',
    opts,
    false,
    (text, msg) => (allowed.has(text) ? { ok: true, value: text as T } : refuse(msg, 'invalid', 'Select one of the choices.')),
    { widget: 'select', choices: list },
  );
}

/** Options of `fields.date`: bounds as `YYYY-MM-DD` or Date. */
export interface DateOptions extends FieldOptions {
  min?: string | Date;
  max?: string | Date;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → a Date at 00:00 UTC, or undefined when it is not a real calendar date. */
export function parseISODate(s: string): Date | undefined {
  const m = ISO_DATE.exec(s);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return undefined;
  const t = new Date(Date.UTC(y, mo - 1, d));
  t.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined; // 2023-02-30
  return t;
}

/** A Date as `YYYY-MM-DD` (UTC). */
export function formatISODate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/^\+0*/, '');
}

function dateBound(v: string | Date | undefined, what: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = typeof v === 'string' ? parseISODate(v) : v;
  if (d === undefined || Number.isNaN(d.getTime())) throw new TypeError(`fields.date(): ${what} must be a YYYY-MM-DD date or a Date`);
  return d;
}

/**
 * A calendar date sent as `YYYY-MM-DD` (what `<input type="date">` sends), as a Date at
 * 00:00 UTC. `2023-02-30` and other impossible dates are refused.
 *
 * ```ts
 * fields.date({ min: '2024-01-01' })   // <input type="date" min="2024-01-01" required>
 * ```
 */
export function date(opts: DateOptions = {}): Field<Date> {
  const min = dateBound(opts.min, 'min');
  const max = dateBound(opts.max, 'max');
  return textField<Date>(
    'date',
    opts,
    true,
    (text, msg) => {
      const d = parseISODate(text);
      if (d === undefined) return refuse(msg, 'invalid', 'Enter a valid date (YYYY-MM-DD).');
      if (min !== undefined && d < min) return refuse(msg, 'tooEarly', `Enter a date on or after ${formatISODate(min)}.`);
      if (max !== undefined && d > max) return refuse(msg, 'tooLate', `Enter a date on or before ${formatISODate(max)}.`);
      return { ok: true, value: d };
    },
    { widget: 'input', type: 'date', ...given({ min: min && formatISODate(min), max: max && formatISODate(max) }) },
  );
}

// ---- files ---------------------------------------------------------------------------

/** Options of `fields.file`. */
export interface FileOptions extends FieldOptions {
  /** Largest file in bytes. (The app's `uploads.maxFileSize` still applies first.) */
  maxSize?: number;
  /**
   * Allowed types. Raster images and PDF (`image/png`, `image/jpeg`, `image/gif`,
   * `image/webp`, `image/avif`, `image/bmp`, `application/pdf`, and `image/*` for any of
   * the images) are checked by the file's first bytes; any other type by the type the
   * browser declared, which the sender chooses.
   */
  types?: readonly string[];
}

const SNIFFABLE = new Set([...RASTER_IMAGE_TYPES, 'application/pdf']);

function typeAllowed(f: UploadedFile, types: readonly string[]): boolean {
  const declared = f.mimeType.split(';')[0]!.trim().toLowerCase();
  for (const t of types) {
    if (t === 'image/*') {
      if (f.sniffedType !== undefined && RASTER_IMAGE_TYPES.has(f.sniffedType)) return true;
    } else if (SNIFFABLE.has(t)) {
      if (f.sniffedType === t) return true; // by content, whatever the browser declared
    } else if (declared === t) {
      return true;
    }
  }
  return false;
}

/**
 * One uploaded file (the form must be `enctype="multipart/form-data"`).
 *
 * ```ts
 * fields.file({ maxSize: 2_000_000, types: ['image/png', 'image/jpeg'] })
 * // <input type="file" accept="image/png,image/jpeg" required>; a PNG is a PNG by its bytes
 * ```
 */
export function file(opts: FileOptions = {}): Field<UploadedFile> {
  const types = opts.types?.map((t) => t.toLowerCase());
  return makeField<UploadedFile>(
    'file',
    opts,
    (input, msg) => {
      const fs = input.files;
      if (fs.length === 0) return undefined;
      if (fs.length > 1) return refuse(msg, 'multiple', 'Choose one file.');
      const f = fs[0]!;
      if (opts.maxSize !== undefined && f.size > opts.maxSize) return refuse(msg, 'tooLarge', `Choose a file of at most ${formatBytes(opts.maxSize)}.`);
      if (types !== undefined && !typeAllowed(f, types)) return refuse(msg, 'type', `Choose a file of type ${types.join(', ')}.`);
      return { ok: true, value: f };
    },
    { widget: 'file', type: 'file', ...given({ accept: types?.join(',') }) },
  );
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

// ---- repeated fields ---------------------------------------------------------------------

/**
 * A repeated field: every value sent under the name (`getAll`), each checked by `item`.
 * Empty values are skipped. Required means at least one item; `.optional()` gives `[]`.
 *
 * ```ts
 * fields.list(fields.choice(['a', 'b', 'c']), { max: 2 })   // <select multiple>
 * fields.list(fields.file({ types: ['image/*'] }), { max: 5 }) // <input type="file" multiple>
 * ```
 */
export function list<T>(item: Field<T>, opts: FieldOptions & { min?: number; max?: number } = {}): ListField<Exclude<T, undefined>> {
  return makeField<Exclude<T, undefined>[]>(
    'list',
    opts,
    async (input, msg) => {
      const parts: RawInput[] =
        item.kind === 'file'
          ? input.files.map((f) => ({ values: [], files: [f] }))
          : input.values.filter((v) => v.trim() !== '').map((v) => ({ values: [v], files: [] }));
      if (parts.length === 0) return undefined;
      if (opts.max !== undefined && parts.length > opts.max) return refuse(msg, 'tooMany', `Choose at most ${opts.max}.`);
      if (opts.min !== undefined && parts.length < opts.min) return refuse(msg, 'tooFew', `Choose at least ${opts.min}.`);
      const value: Exclude<T, undefined>[] = [];
      const errors = new Set<string>();
      for (const p of parts) {
        const r = await item.validate(p);
        if (r.ok) value.push(r.value as Exclude<T, undefined>);
        else for (const e of r.errors) errors.add(e);
      }
      return errors.size > 0 ? { ok: false, errors: [...errors] } : { ok: true, value };
    },
    { ...item.hints, required: true, multiple: true },
    item as Field<unknown>,
    ListField,
  ) as ListField<Exclude<T, undefined>>;
}
