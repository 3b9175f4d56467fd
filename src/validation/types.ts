/**
 * The types of a route's `schema` option and what a handler gets from it: `req.valid`
 * typed from each schema's output, and a return type held to the response schema's input.
 * Types only; nothing here runs. See docs/validation.md.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** Any Standard Schema (Zod, Valibot, ArkType…). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySchema = StandardSchemaV1<any, any>;

/** The statuses a response schema may be declared for, as numbers (`{ 200: Note, 201: Note }`). */
export type ResponseSchemas = { readonly [status: number]: AnySchema };

/**
 * What a route validates: each part of the request that has a schema, and optionally the
 * response. Each value is any Standard Schema.
 *
 * ```ts
 * app.post('/api/notes', (req) => ({ id: db.add(req.valid.body) }), {
 *   schema: { body: z.object({ title: z.string().min(1) }), response: { 200: z.object({ id: z.number() }) } },
 * });
 * ```
 * See docs/validation.md.
 */
export interface RouteSchema {
  /** The JSON body (`Content-Type: application/json`; any other is a 415). */
  readonly body?: AnySchema;
  /** The query string as an object: a name sent once is a string, sent more than once an array. */
  readonly query?: AnySchema;
  /** The path parameters, as strings. */
  readonly params?: AnySchema;
  /** The request headers, by lower-case name. */
  readonly headers?: AnySchema;
  /**
   * The JSON response: one schema (for a 200) or one per status. Checked in development
   * and test, not in production unless `validation.responses` says so.
   */
  readonly response?: AnySchema | ResponseSchemas;
}

/** The input kinds a schema can check, in the order they are checked. */
export const INPUT_KINDS = ['params', 'query', 'headers', 'body'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

type Out<T> = T extends AnySchema ? StandardSchemaV1.InferOutput<T> : never;

/** `req.valid` for a route's schema: one validated value per input that has a schema. */
export type Valid<S> = {
  readonly [K in InputKind as S extends { readonly [k in K]: AnySchema } ? K : never]: S extends { readonly [k in K]: infer T } ? Out<T> : never;
};

/** The values a handler may return as JSON under a response schema (the schema's input). */
export type ResponseValue<R> = R extends AnySchema
  ? StandardSchemaV1.InferInput<R>
  : R extends ResponseSchemas
    ? { [K in keyof R]: R[K] extends AnySchema ? StandardSchemaV1.InferInput<R[K]> : never }[keyof R]
    : never;
