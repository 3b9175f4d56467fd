/**
 * Forms: `defineForm(schema)` declares what a form takes; `await form.validate(req)` reads
 * the submission, checks its CSRF token, coerces each value to its declared type, and
 * returns either the typed data or the messages and submitted values to show the form
 * again. Input never makes it throw (over-limit and non-form bodies are 4xx pages).
 *
 * ```ts
 * const noteForm = defineForm({
 *   title: fields.string({ maxLength: 100 }),
 *   body: fields.string({ widget: 'textarea', maxLength: 10_000 }).optional(),
 * });
 *
 * app.post('/notes', async (req) => {
 *   const result = await noteForm.validate(req);
 *   if (!result.ok) return new Response(views.render('new.html', { form: noteForm.view(result) }), { status: 400 });
 *   await notes.add(result.data.title, result.data.body);   // title: string, body: string | undefined
 *   await flash(req, 'Note saved.');
 *   return Response.redirect('/notes', { status: 303 });
 * });
 * ```
 * See docs/forms-and-csrf.md#form-validation.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { HttpError, PalisadeError } from '../errors.js';
import type { Request } from '../http/request.js';
import { csrfTokenCheck } from '../security/csrf.js';
import { CSRF_FIELD } from '../http/csrf-names.js';
import { isField, type Field, type HtmlHints } from './field.js';
import { readRawForm, type RawForm } from './raw-form.js';
import { hintsFromJSONSchema, isStandardSchema, jsonSchemaOf, mapIssues, objectProperties, runSchema, schemaField, schemaInput } from './standard-schema.js';
import { buildView, type FormView, type ViewOptions } from './render.js';

/** A form's fields: built-in fields (`fields.string()`…) or Standard Schemas, by name. */
export type FormShape = Readonly<Record<string, Field<any> | StandardSchemaV1>>;

/** The data of a valid submission of a form with this shape. */
export type InferShape<S extends FormShape> = {
  -readonly [K in keyof S]: S[K] extends Field<infer T> ? T : S[K] extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S[K]> : never;
};

/** What a form-level check may return: nothing when fine, a message, or messages by field. */
export type FormCheckResult = void | undefined | string | Readonly<Record<string, string | readonly string[]>>;

/** Options of {@link defineForm}. */
export interface FormOptions<T> {
  /**
   * Check the CSRF token (default true). Only `false` for a form that changes nothing and
   * is sent with GET (a search box); such a form needs `method: 'get'`.
   */
  csrf?: boolean;
  /** `post` (default) reads the body; `get` reads the query string and needs `csrf: false`. */
  method?: 'post' | 'get';
  /** A check of the whole valid data (two passwords agree, a date range is ordered). May be async. */
  check?: (data: T) => FormCheckResult | Promise<FormCheckResult>;
  /** For a whole-form Standard Schema without JSON Schema: the field names, in order, to draw. */
  fields?: readonly string[];
  /** For a whole-form Standard Schema: names whose values are always given as arrays. */
  arrays?: readonly string[];
  /** Prefix of the inputs' `id`s. Default `''` (the id is the name). */
  idPrefix?: string;
}

/** Submitted values to show again: the text of each field (arrays for repeated fields). Never files or passwords. */
export type FormValues = Record<string, string | string[]>;

/** A valid submission: the typed data. */
export interface FormSuccess<T> {
  readonly ok: true;
  readonly data: T;
  readonly values: FormValues;
}

/** An invalid submission: messages by field, form-level messages, and what was sent. */
export interface FormFailure {
  readonly ok: false;
  /** Messages by field name (only fields with problems). */
  readonly errors: Record<string, string[]>;
  /** Messages about the form as a whole (the CSRF check, a form-level check). */
  readonly formErrors: string[];
  /** What was sent, for re-display; empty when the CSRF check failed. */
  readonly values: FormValues;
  /** True when the token was missing or wrong: nothing sent was looked at. */
  readonly csrfFailed: boolean;
}

/** What `form.validate(req)` returns. */
export type FormResult<T> = FormSuccess<T> | FormFailure;

/** The message shown when the token is missing or wrong (the page was open too long, or another site sent it). */
export const CSRF_FAILED_MESSAGE = 'This form has expired or was not sent from this site. Please submit it again.';

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;
/** Names the view object uses itself. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([CSRF_FIELD, 'fields', 'form_errors', 'has_errors', 'render', 'errors', 'values', 'csrf_failed']);

/** How one field is known to the form: its checker and how it is drawn. */
export interface FieldInfo {
  readonly name: string;
  readonly label: string | undefined;
  readonly hints: HtmlHints;
  readonly kind: string;
}

/**
 * A form: what it takes, how to check a submission (`validate`), and how to draw it
 * (`view`). Made by {@link defineForm}.
 */
export class Form<T> {
  /** Only for type inference: the data of a valid submission. */
  declare readonly _data: T;
  readonly #fields: ReadonlyMap<string, Field<unknown>>;
  readonly #schema: StandardSchemaV1 | undefined;
  readonly #arrays: ReadonlySet<string>;
  readonly #info: readonly FieldInfo[];
  readonly #opts: FormOptions<T>;

  /** Made by {@link defineForm}. */
  constructor(fieldsOrSchema: ReadonlyMap<string, Field<unknown>> | StandardSchemaV1, opts: FormOptions<T>) {
    this.#opts = opts;
    if (isStandardSchema(fieldsOrSchema)) {
      this.#schema = fieldsOrSchema;
      this.#fields = new Map();
      const obj = objectProperties(jsonSchemaOf(fieldsOrSchema));
      const names = opts.fields ?? (obj !== undefined ? Object.keys(obj.props) : []);
      for (const n of names) checkName(n);
      this.#arrays = new Set([...(opts.arrays ?? []), ...names.filter((n) => obj?.props[n]?.type === 'array')]);
      this.#info = names.map((name) => ({
        name,
        label: undefined,
        kind: 'schema',
        hints: obj?.props[name] !== undefined ? hintsFromJSONSchema(obj.props[name]!, obj.required.has(name)) : { widget: 'input', type: 'text' },
      }));
    } else {
      this.#schema = undefined;
      this.#fields = fieldsOrSchema;
      this.#arrays = new Set();
      this.#info = [...fieldsOrSchema].map(([name, f]) => ({ name, label: f.label, kind: f.kind, hints: f.hints }));
    }
  }

  /** The fields, in order, as the view draws them. */
  get fields(): readonly FieldInfo[] {
    return this.#info;
  }

  /** Whether the form checks a CSRF token (true unless declared with `csrf: false`). */
  get csrf(): boolean {
    return this.#opts.csrf !== false;
  }

  /** `post` or `get`. */
  get method(): 'post' | 'get' {
    return this.#opts.method ?? 'post';
  }

  /** The prefix of the inputs' ids. */
  get idPrefix(): string {
    return this.#opts.idPrefix ?? '';
  }

  /**
   * Reads and checks a submission. Resolves to `{ ok: true, data }` or `{ ok: false,
   * errors, formErrors, values }`; a missing or wrong CSRF token is always `ok: false`.
   * Throws only HttpErrors for submissions no browser form sends (over the limits: 413;
   * not a form body: 415; malformed: 400), which the app answers with its error page.
   *
   * ```ts
   * const result = await form.validate(req);
   * if (result.ok) result.data.title;
   * ```
   */
  async validate(req: Request): Promise<FormResult<T>> {
    const raw = await readRawForm(req, this.method);
    if (this.csrf && !(await this.#csrfPasses(req))) {
      return { ok: false, errors: Object.create(null), formErrors: [CSRF_FAILED_MESSAGE], values: Object.create(null), csrfFailed: true };
    }
    const values = this.#values(raw);
    let errors: Record<string, string[]> = Object.create(null);
    let formErrors: string[] = [];
    let data: Record<string, unknown>;
    if (this.#schema !== undefined) {
      const input = this.#schemaInput(raw);
      const r = await runSchema(this.#schema, input);
      if (r.issues !== undefined) {
        const mapped = mapIssues(r.issues, input);
        errors = mapped.fields;
        formErrors = mapped.form;
      }
      data = r.issues === undefined ? (r.value as Record<string, unknown>) : {};
    } else {
      data = {};
      for (const [name, field] of this.#fields) {
        const r = await field.validate(raw.get(name));
        if (r.ok) data[name] = r.value;
        else errors[name] = r.errors;
      }
    }
    if (Object.keys(errors).length === 0 && formErrors.length === 0 && this.#opts.check !== undefined) {
      let c: FormCheckResult;
      try {
        c = await this.#opts.check(data as T);
      } catch (err) {
        if (err instanceof PalisadeError) throw err;
        throw new PalisadeError(
          'FORM_DEFINITION',
          `The form's check() threw: ${err instanceof Error ? err.message : String(err)}. A check returns its messages; it should not throw.`,
          {},
          { cause: err },
        );
      }
      if (typeof c === 'string') formErrors.push(c);
      else if (c !== undefined && c !== null) {
        for (const [k, v] of Object.entries(c)) {
          const list = typeof v === 'string' ? [v] : [...v];
          if (list.length === 0) continue;
          if (this.#info.some((f) => f.name === k)) errors[k] = [...(errors[k] ?? []), ...list];
          else formErrors.push(...list);
        }
      }
    }
    if (Object.keys(errors).length > 0 || formErrors.length > 0) return { ok: false, errors, formErrors, values, csrfFailed: false };
    return { ok: true, data: data as T, values };
  }

  /**
   * The form for a template: each field with its name, id, value, errors and an `input()`
   * helper. Pass the failed result to show the submission again, or `{ initial }` to fill
   * an edit form. See docs/forms-and-csrf.md#rendering.
   *
   * ```ts
   * views.render('edit.html', { form: noteForm.view(null, { initial: note }) });
   * ```
   */
  view(result?: FormResult<T> | null, options: ViewOptions<T> = {}): FormView {
    return buildView(this, result ?? null, options);
  }

  /** True when the token check passes. The CSRF protection's own check, run (at most) once per request. */
  async #csrfPasses(req: Request): Promise<boolean> {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false; // no token is ever checked on GET
    const check = csrfTokenCheck(req);
    if (check === undefined) {
      throw new PalisadeError(
        'FORM_CSRF_UNAVAILABLE',
        'This form checks a CSRF token, but the app has no CSRF protection (csrf: { enabled: false }), so no token can be checked and the form would never be valid. Switch CSRF protection on, or declare a form that changes nothing with defineForm(shape, { csrf: false, method: "get" }).',
      );
    }
    try {
      await check();
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.code.startsWith('CSRF_')) return false;
      throw err;
    }
  }

  /** What was sent under each field's name, as text, for re-display. */
  #values(raw: RawForm): FormValues {
    const out: FormValues = Object.create(null);
    const names = this.#schema !== undefined && this.#info.length === 0 ? raw.names().filter((n) => n !== CSRF_FIELD) : this.#info.map((f) => f.name);
    for (const name of names) {
      const info = this.#info.find((f) => f.name === name);
      if (info?.hints.secret === true || info?.hints.widget === 'file') continue;
      const vs = raw.params.getAll(name);
      if (info?.hints.multiple === true || info?.kind === 'list' || this.#arrays.has(name)) out[name] = vs;
      else if (vs.length > 0) out[name] = vs.length === 1 ? vs[0]! : vs;
    }
    return out;
  }

  /** The object a whole-form schema checks. */
  #schemaInput(raw: RawForm): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    const names = new Set([...this.#info.map((f) => f.name), ...raw.names()]);
    names.delete(CSRF_FIELD);
    for (const name of names) {
      // defineProperty: a field named __proto__ is an own key, never the prototype.
      Object.defineProperty(input, name, { value: schemaInput(raw.get(name), this.#arrays.has(name)), enumerable: true, writable: true, configurable: true });
    }
    return input;
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new PalisadeError(
      'FORM_DEFINITION',
      `The field name ${JSON.stringify(name)} is not allowed: use a letter or _ first, then letters, digits, _ . : or -, at most 100 characters.`,
      { field: name },
    );
  }
  if (RESERVED_NAMES.has(name)) {
    throw new PalisadeError('FORM_DEFINITION', `The field name "${name}" is reserved (${[...RESERVED_NAMES].join(', ')}); choose another.`, { field: name });
  }
}

/**
 * Declares a form, from built-in fields and Standard Schemas by name, or from one
 * Standard Schema of the whole object (Zod, Valibot, ArkType…). The data type of a valid
 * submission is inferred.
 *
 * ```ts
 * const login = defineForm({ email: fields.email(), password: fields.string({ widget: 'password' }) });
 * const signup = defineForm(z.object({ email: z.email(), age: z.coerce.number().int().min(18) }));
 * const search = defineForm({ q: fields.string().optional() }, { method: 'get', csrf: false });
 * ```
 * See docs/forms-and-csrf.md#form-validation.
 */
export function defineForm<S extends StandardSchemaV1>(
  schema: S,
  options?: FormOptions<StandardSchemaV1.InferOutput<S>>,
): Form<StandardSchemaV1.InferOutput<S>>;
export function defineForm<S extends FormShape>(shape: S, options?: FormOptions<InferShape<S>>): Form<InferShape<S>>;
export function defineForm(shapeOrSchema: FormShape | StandardSchemaV1, options: FormOptions<any> = {}): Form<any> {
  checkOptions(options);
  if (isStandardSchema(shapeOrSchema)) return new Form(shapeOrSchema, options);
  if (typeof shapeOrSchema !== 'object' || shapeOrSchema === null || Array.isArray(shapeOrSchema)) {
    throw new PalisadeError('FORM_DEFINITION', 'defineForm() takes an object of fields ({ title: fields.string() }) or a Standard Schema (z.object({...})).');
  }
  const map = new Map<string, Field<unknown>>();
  for (const name of Object.keys(shapeOrSchema)) {
    checkName(name);
    const f = shapeOrSchema[name];
    if (isField(f)) map.set(name, f);
    else if (isStandardSchema(f)) map.set(name, schemaField(f) as Field<unknown>);
    else throw new PalisadeError('FORM_DEFINITION', `The field "${name}" is neither a field (fields.string()…) nor a Standard Schema.`, { field: name });
  }
  if (map.size === 0) throw new PalisadeError('FORM_DEFINITION', 'A form needs at least one field.');
  return new Form(map, options);
}

function checkOptions(o: FormOptions<unknown>): void {
  const known = new Set(['csrf', 'method', 'check', 'fields', 'arrays', 'idPrefix']);
  if ('limits' in o) {
    throw new PalisadeError(
      'FORM_DEFINITION',
      "A form has no limits of its own: every parse of a request applies the app's form limits, before any form sees the body. Set them with createApp({ forms: { maxFields, maxNameLength, maxValueLength } }).",
      { option: 'limits' },
    );
  }
  for (const k of Object.keys(o)) {
    if (!known.has(k)) throw new PalisadeError('FORM_DEFINITION', `Unknown form option "${k}" (known: ${[...known].join(', ')}).`, { option: k });
  }
  if (o.method !== undefined && o.method !== 'post' && o.method !== 'get') {
    throw new PalisadeError('FORM_DEFINITION', `The form option method must be 'post' or 'get'; got ${JSON.stringify(o.method)}.`, { option: 'method' });
  }
  if (o.method === 'get' && o.csrf !== false) {
    throw new PalisadeError(
      'FORM_DEFINITION',
      "A form sent with GET cannot carry a CSRF token (it would end up in URLs, logs and Referer headers). A GET form must change nothing: declare it with { method: 'get', csrf: false }.",
      { option: 'csrf' },
    );
  }
}
