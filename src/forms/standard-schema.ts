/**
 * Standard Schema (https://standardschema.dev) support: Zod, Valibot, ArkType and any other
 * validator that implements the `~standard` interface can check a whole form or one
 * field. Palisade depends only on the `@standard-schema/spec` types.
 *
 * What a schema receives: text values as sent (an empty value is `undefined`, as is a
 * missing one, so a required field reads "This field is required."), files as
 * UploadedFile, and arrays for names sent more than once or declared as arrays.
 * Coercion is the schema's job (`z.coerce.number()`, `v.pipe(v.string(), v.toNumber())`).
 *
 * When the schema also implements Standard JSON Schema (Zod 4 does), the form draws its
 * inputs with the same rules: `required`, `maxlength`, `min`, `type="email"`, `<select>`.
 *
 * See docs/forms-and-csrf.md#standard-schema.
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { makeField, type Field, type FieldOptions, type HtmlHints, type Outcome, type RawInput } from './field.js';

export type { StandardSchemaV1 };

/** True when `v` implements Standard Schema v1. */
export function isStandardSchema(v: unknown): v is StandardSchemaV1 {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return false;
  const s = (v as { '~standard'?: { version?: unknown; validate?: unknown } })['~standard'];
  return typeof s === 'object' && s !== null && s.version === 1 && typeof s.validate === 'function';
}

/** A field-level or form-level message list from a schema's issues. */
export interface MappedIssues {
  readonly fields: Record<string, string[]>;
  readonly form: string[];
}

const REQUIRED = 'This field is required.';

/** The first path segment of an issue as a field name, or undefined. */
function issueKey(issue: StandardSchemaV1.Issue): string | undefined {
  const first = issue.path?.[0];
  if (first === undefined) return undefined;
  const k = typeof first === 'object' && first !== null ? (first as StandardSchemaV1.PathSegment).key : first;
  return typeof k === 'symbol' ? undefined : String(k);
}

/** Runs a schema; any exception inside it becomes a form-level message (bad input never throws). */
export async function runSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Promise<StandardSchemaV1.Result<T>> {
  try {
    return await schema['~standard'].validate(value);
  } catch {
    return { issues: [{ message: 'Enter a valid value.' }] };
  }
}

/**
 * Maps a whole-form schema's issues to fields. An issue about a field the browser left
 * empty says "This field is required." instead of the validator's type message.
 */
export function mapIssues(issues: readonly StandardSchemaV1.Issue[], input: Record<string, unknown>): MappedIssues {
  const fields: Record<string, string[]> = Object.create(null);
  const form: string[] = [];
  for (const issue of issues) {
    const key = issueKey(issue);
    if (key === undefined) {
      if (!form.includes(issue.message)) form.push(issue.message);
      continue;
    }
    const message = input[key] === undefined && (issue.path?.length ?? 0) === 1 ? REQUIRED : issue.message;
    const list = (fields[key] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return { fields, form };
}

/**
 * The value a schema sees for one name: undefined when nothing or only an empty string
 * was sent, the file(s) for a file input, an array when repeated or declared as array.
 */
export function schemaInput(raw: RawInput, asArray: boolean): unknown {
  if (raw.files.length > 0) return asArray || raw.files.length > 1 ? [...raw.files] : raw.files[0];
  const vs = raw.values;
  if (asArray) return vs.filter((v) => v !== '');
  if (vs.length === 0) return undefined;
  if (vs.length > 1) return [...vs];
  return vs[0] === '' ? undefined : vs[0];
}

/** Options of `fields.schema`. */
export interface SchemaFieldOptions extends FieldOptions {
  /** Give the schema every value sent under the name, as an array. Default: from the JSON Schema, else false. */
  multiple?: boolean;
  /** HTML attributes to draw the input with, when the schema cannot say (no JSON Schema). */
  html?: Partial<HtmlHints>;
}

/**
 * One field checked by a Standard Schema.
 *
 * ```ts
 * defineForm({ age: fields.schema(z.coerce.number().int().min(18)), name: fields.string() });
 * // or simply { age: z.coerce.number().int().min(18) }
 * ```
 * See docs/forms-and-csrf.md#standard-schema.
 */
export function schemaField<S extends StandardSchemaV1>(schema: S, opts: SchemaFieldOptions = {}): Field<StandardSchemaV1.InferOutput<S>> {
  type T = StandardSchemaV1.InferOutput<S>;
  const js = jsonSchemaOf(schema);
  const multiple = opts.multiple ?? js?.type === 'array';
  const required = refusesNothing(schema, multiple);
  const base: HtmlHints = js !== undefined ? hintsFromJSONSchema(js, required) : { widget: 'input', type: 'text', ...(required ? { required } : {}) };
  const hints = { ...base, ...opts.html } as HtmlHints;
  return makeField<T>(
    'schema',
    { ...opts, required: false },
    async (input): Promise<Outcome<T>> => {
      const value = schemaInput(input, multiple);
      const r = await runSchema(schema as StandardSchemaV1<unknown, T>, value);
      if (r.issues === undefined) return { ok: true, value: (r as StandardSchemaV1.SuccessResult<T>).value };
      const errors = value === undefined ? [REQUIRED] : [...new Set(r.issues.map((i) => i.message))];
      return { ok: false, errors };
    },
    hints,
  );
}

/**
 * Whether the schema refuses an empty field (so the input gets `required`): asks the
 * schema about "nothing sent" once, when the form is defined. An async schema is not
 * asked (no `required` attribute; the server still checks).
 */
function refusesNothing(schema: StandardSchemaV1, multiple: boolean): boolean {
  try {
    const r = schema['~standard'].validate(multiple ? [] : undefined);
    if (r instanceof Promise) {
      r.catch(() => {});
      return false;
    }
    return r.issues !== undefined;
  } catch {
    return false;
  }
}

// ---- Standard JSON Schema → HTML hints ---------------------------------------------------

type JSONSchema = Record<string, unknown>;

/** The schema's input JSON Schema, when it implements Standard JSON Schema; never throws. */
export function jsonSchemaOf(schema: StandardSchemaV1): JSONSchema | undefined {
  const conv = (schema['~standard'] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (conv === undefined || typeof conv.input !== 'function') return undefined;
  try {
    const out = conv.input({ target: 'draft-2020-12' });
    return typeof out === 'object' && out !== null ? out : undefined;
  } catch {
    return undefined;
  }
}

/** The properties of an object JSON Schema and the names it requires. */
export function objectProperties(js: JSONSchema | undefined): { props: Record<string, JSONSchema>; required: Set<string> } | undefined {
  if (js === undefined || js.type !== 'object' || typeof js.properties !== 'object' || js.properties === null) return undefined;
  const required = new Set(Array.isArray(js.required) ? js.required.filter((x): x is string => typeof x === 'string') : []);
  return { props: js.properties as Record<string, JSONSchema>, required };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Input attributes from one property's JSON Schema (the subset HTML can check). */
export function hintsFromJSONSchema(p: JSONSchema, required: boolean): HtmlHints {
  const req = required ? { required: true } : {};
  if (Array.isArray(p.enum) && p.enum.every((x) => typeof x === 'string')) {
    return { widget: 'select', choices: (p.enum as string[]).map((v) => ({ value: v, label: v })), ...req };
  }
  if (p.type === 'array' && typeof p.items === 'object' && p.items !== null) {
    return { ...hintsFromJSONSchema(p.items as JSONSchema, false), multiple: true, ...req };
  }
  if (p.type === 'boolean') return { widget: 'checkbox', type: 'checkbox' };
  if (p.type === 'integer' || p.type === 'number') {
    const min = num(p.minimum);
    const max = num(p.maximum);
    return {
      widget: 'input',
      type: 'number',
      step: p.type === 'integer' ? '1' : 'any',
      ...(min !== undefined ? { min: String(min) } : {}),
      ...(max !== undefined ? { max: String(max) } : {}),
      ...req,
    };
  }
  const format = p.format;
  const type = format === 'email' ? 'email' : format === 'date' ? 'date' : format === 'uri' ? 'url' : 'text';
  const minLength = num(p.minLength);
  const maxLength = num(p.maxLength);
  // JSON Schema patterns search; HTML patterns match the whole value. Only an anchored
  // pattern means the same in both.
  const pattern = typeof p.pattern === 'string' && /^\^.*\$$/s.test(p.pattern) ? p.pattern : undefined;
  return {
    widget: 'input',
    type,
    ...(minLength !== undefined && minLength > 0 ? { minlength: minLength } : {}),
    ...(maxLength !== undefined ? { maxlength: maxLength } : {}),
    ...(pattern !== undefined && type === 'text' ? { pattern } : {}),
    ...req,
  };
}
