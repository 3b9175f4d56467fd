/**
 * Forms: validation with CSRF built in, rendering helpers, flashed messages.
 * See docs/forms-and-csrf.md#form-validation.
 */
import * as fieldBuilders from './fields-namespace.js';

export { defineForm, Form, CSRF_FAILED_MESSAGE } from './form.js';
export type { FormShape, InferShape, FormOptions, FormResult, FormSuccess, FormFailure, FormValues, FormCheckResult, FieldInfo } from './form.js';
export { Field, ListField } from './field.js';
export type { Check, FieldOptions, HtmlHints, RawInput } from './field.js';
export type { StringOptions, NumberOptions, DateOptions, FileOptions, Choice } from './builtin-fields.js';
export type { SchemaFieldOptions } from './standard-schema.js';
export { FormView, FieldView, type ViewOptions, type RenderOptions } from './render.js';
export { flash, getFlashedMessages, type FlashedOptions } from './flash.js';
export { DEFAULT_FORM_LIMITS, type FormLimits, type FormsOptions } from '../http/form-limits.js';

/**
 * The built-in fields: `fields.string()`, `email()`, `integer()`, `number()`, `boolean()`,
 * `choice()`, `date()`, `file()`, `list()` and `schema()` (one field from a Standard Schema).
 *
 * ```ts
 * defineForm({ title: fields.string({ maxLength: 100 }), tags: fields.list(fields.string()).optional() });
 * ```
 * See docs/forms-and-csrf.md#fields.
 */
export const fields = fieldBuilders;
