/**
 * The field type: what every form field is (a checker of what was sent under one name,
 * and the HTML hints for drawing it), and the building block the built-in fields of
 * builtin-fields.ts and the Standard Schema fields of standard-schema.ts are made with.
 * See docs/forms-and-csrf.md#fields.
 */
import type { UploadedFile } from '../files/uploaded-file.js';

/** What a browser sent under one field name: its text values and its files. */
export interface RawInput {
  readonly values: readonly string[];
  readonly files: readonly UploadedFile[];
}

/** What a field's check of one submission found. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: string[] };

/** How a field is drawn: the element and the attributes that come from its rules. */
export interface HtmlHints {
  readonly widget: 'input' | 'textarea' | 'select' | 'checkbox' | 'file';
  readonly type?: string;
  readonly required?: boolean;
  readonly minlength?: number;
  readonly maxlength?: number;
  readonly min?: string;
  readonly max?: string;
  readonly step?: string;
  readonly pattern?: string;
  readonly accept?: string;
  readonly multiple?: boolean;
  readonly choices?: readonly { readonly value: string; readonly label: string }[];
  /** Never written back into the page (passwords). */
  readonly secret?: boolean;
}

/**
 * A custom check: return `true`/nothing when the value is fine, `false` for the check's
 * message, or a message. May be async (a database lookup).
 */
export type Check<T> = (value: T) => boolean | string | undefined | void | Promise<boolean | string | undefined | void>;

/** Options every field takes. */
export interface FieldOptions {
  /** The text of the field's `<label>`. Default: the name, `first_name` → "First name". */
  label?: string;
  /** Replaces a built-in message by its key (`required`, `tooLong`, `invalid`…). */
  messages?: Readonly<Record<string, string>>;
}

interface Spec<T> {
  readonly kind: string;
  readonly required: boolean;
  readonly label: string | undefined;
  readonly messages: Readonly<Record<string, string>>;
  readonly checks: readonly { readonly fn: Check<any>; readonly message: string | undefined }[];
  /** Turns one present, non-empty submission into a value; `undefined` input means "nothing sent". */
  readonly parse: (input: RawInput, msg: Msg) => Outcome<T> | undefined | Promise<Outcome<T> | undefined>;
  readonly hints: HtmlHints;
  /** For lists: the item field. */
  readonly item?: Field<unknown>;
}

type Msg = (key: string, fallback: string) => string;

/**
 * A form field of type `T`: built by the functions of `fields` (`fields.string()`…),
 * immutable (each method returns a new field).
 *
 * ```ts
 * const title = fields.string({ maxLength: 100 }).check((t) => t !== 'admin' || 'That title is taken.');
 * ```
 * See docs/forms-and-csrf.md#fields.
 */
export class Field<T> {
  /** Only for type inference: the type of a valid value. */
  declare readonly _output: T;
  readonly #spec: Spec<T>;

  /** Made by the functions of `fields`. */
  constructor(spec: Spec<T>) {
    this.#spec = spec;
  }

  /** The field's kind (`string`, `email`, `integer`, `file`, `list`…). */
  get kind(): string {
    return this.#spec.kind;
  }

  /** True unless `.optional()`. */
  get required(): boolean {
    return this.#spec.required;
  }

  /** The label given in the options, if any. */
  get label(): string | undefined {
    return this.#spec.label;
  }

  /** The attributes the field's rules give its HTML element. */
  get hints(): HtmlHints {
    return this.#spec.hints;
  }

  /** The item field of a list (`fields.list(item)`). */
  get item(): Field<unknown> | undefined {
    return this.#spec.item;
  }

  /** The same field, but leaving it empty is fine: the value is then `undefined` (`[]` for a list). */
  optional(): Field<T | undefined> {
    const s = this.#spec;
    // A checkbox's `required` means "must be checked" and stays as fields.boolean() set it.
    const hints = s.kind === 'boolean' ? s.hints : { ...s.hints, required: false };
    return new (this.constructor as typeof Field)<T | undefined>({ ...s, required: false, hints } as Spec<T | undefined>);
  }

  /** The same field with one more check, run on a present value after the built-in rules. */
  check(fn: Check<Exclude<T, undefined>>, message?: string): Field<T> {
    return new (this.constructor as typeof Field)<T>({ ...this.#spec, checks: [...this.#spec.checks, { fn, message }] });
  }

  /** Checks what was sent under this field's name. Never throws for any input. */
  async validate(input: RawInput): Promise<Outcome<T>> {
    const s = this.#spec;
    const msg: Msg = (key, fallback) => s.messages[key] ?? fallback;
    let out: Outcome<T> | undefined;
    try {
      out = await s.parse(input, msg);
    } catch {
      out = { ok: false, errors: [msg('invalid', 'Enter a valid value.')] };
    }
    if (out === undefined) {
      if (s.required) return { ok: false, errors: [msg('required', 'This field is required.')] };
      return { ok: true, value: (s.kind === 'list' ? [] : undefined) as T };
    }
    if (!out.ok) return out;
    const errors: string[] = [];
    for (const c of s.checks) {
      const r = await c.fn(out.value);
      if (r === false) errors.push(c.message ?? msg('check', 'Enter a valid value.'));
      else if (typeof r === 'string') errors.push(r);
      if (errors.length > 0) break; // later checks may assume earlier ones passed
    }
    return errors.length > 0 ? { ok: false, errors } : out;
  }
}

/** True when `v` is a Field. */
export function isField(v: unknown): v is Field<unknown> {
  return v instanceof Field;
}

/** Builds a field from its parts (used by the functions below and by standard-schema.ts). */
export function makeField<T>(
  kind: string,
  opts: FieldOptions & { required?: boolean },
  parse: Spec<T>['parse'],
  hints: HtmlHints,
  item?: Field<unknown>,
  Kind: new (spec: Spec<T>) => Field<T> = Field,
): Field<T> {
  const spec: Spec<T> = {
    kind,
    required: opts.required ?? true,
    label: opts.label,
    messages: opts.messages ?? {},
    checks: [],
    parse,
    hints: { ...hints, required: hints.required ?? opts.required ?? true },
    ...(item !== undefined ? { item } : {}),
  };
  return new Kind(spec);
}

/** A repeated field (`fields.list()`): optional means "may be empty", and the value is still an array. */
export class ListField<I> extends Field<I[]> {
  /** The same list, but it may be empty: the value is then `[]`. */
  override optional(): ListField<I> {
    return super.optional() as unknown as ListField<I>;
  }

  /** The same list with one more check of the whole list. */
  override check(fn: Check<I[]>, message?: string): ListField<I> {
    return super.check(fn, message) as ListField<I>;
  }
}
