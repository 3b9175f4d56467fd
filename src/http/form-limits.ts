/**
 * The limits every form parse applies: how many fields, how long a field name, how long a
 * text value. One set for the app (`createApp({ forms: {...} })`), applied by the parsers
 * themselves — the urlencoded one (`req.form()`, `req.query`) and the multipart one
 * (`req.files()`) — so no way of reading a form gets past them.
 *
 * A submission over a limit is not something a person fills in by hand: it is answered
 * with a 413 (FORM_TOO_MANY_FIELDS, FORM_NAME_TOO_LONG, FORM_VALUE_TOO_LONG).
 *
 * ```ts
 * createApp({ forms: { maxFields: 200, maxValueLength: 20_000 } });
 * ```
 * See docs/forms-and-csrf.md#limits.
 */
import { ConfigError, HttpError } from '../errors.js';

/** Limits on a submitted form (the `forms` section of `createApp` options). See docs/forms-and-csrf.md#limits. */
export interface FormLimits {
  /** Most fields: text values and files, counting repeats. Default 1000. Over it: 413 FORM_TOO_MANY_FIELDS. */
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

/** Checks the app's `forms` option and fills in the defaults; throws a ConfigError naming the setting. */
export function resolveFormLimits(raw: unknown): Readonly<Required<FormLimits>> {
  if (raw === undefined) return DEFAULT_FORM_LIMITS;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "forms" must be an object; got ${JSON.stringify(raw)}.`, { key: 'forms' });
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      throw new ConfigError('CONFIG_INVALID', `Unknown setting "forms.${k}" (known: ${KEYS.join(', ')}).`, { key: `forms.${k}` });
    }
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new ConfigError('CONFIG_INVALID', `Setting "forms.${k}" must be a positive whole number; got ${JSON.stringify(v)}.`, { key: `forms.${k}` });
    }
  }
  return Object.freeze({ ...DEFAULT_FORM_LIMITS, ...(o as FormLimits) });
}

/** 413 FORM_TOO_MANY_FIELDS: `count` fields (or more, when the parser stopped counting) against `limit`. */
export function tooManyFields(limit: number, count?: number): HttpError {
  const has = count === undefined ? `more than ${limit} fields` : `${count} fields`;
  return new HttpError('FORM_TOO_MANY_FIELDS', `The form has ${has}; at most ${limit} are accepted. If your own form is this large, raise forms.maxFields.`, {
    limit,
    ...(count === undefined ? {} : { count }),
    setting: 'forms.maxFields',
  });
}

/** Throws 413 FORM_NAME_TOO_LONG when `name` is longer than the limit. */
export function checkFieldName(name: string, limits: Required<FormLimits>): void {
  if (name.length <= limits.maxNameLength) return;
  throw new HttpError(
    'FORM_NAME_TOO_LONG',
    `A field name is ${name.length} characters long; at most ${limits.maxNameLength} are accepted. Raise forms.maxNameLength if your own form uses such names.`,
    { limit: limits.maxNameLength, length: name.length, setting: 'forms.maxNameLength' },
  );
}

/**
 * Throws 413 FORM_VALUE_TOO_LONG when `value` (the value of `name`) is longer than the limit.
 * `length` is the value's length when the parser stopped reading it short of the end.
 */
export function checkFieldValue(name: string, value: string, limits: Required<FormLimits>, length = value.length): void {
  if (length <= limits.maxValueLength) return;
  const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  throw new HttpError(
    'FORM_VALUE_TOO_LONG',
    `The value of the field "${shown}" is ${length === Infinity ? 'too long' : `${length} characters long`}; at most ${limits.maxValueLength} are accepted. Give the field a maxLength (its input then stops the user typing more), or raise forms.maxValueLength.`,
    { limit: limits.maxValueLength, ...(length === Infinity ? {} : { length }), field: shown, setting: 'forms.maxValueLength' },
  );
}
