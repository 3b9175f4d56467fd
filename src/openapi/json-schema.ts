/**
 * JSON Schemas for the API description, from each route schema's Standard JSON Schema
 * interface (`~standard.jsonSchema`, which Zod 4 implements and Valibot gets from
 * `@valibot/to-json-schema`'s `toStandardJsonSchema`), or from the `jsonSchema` option of
 * `app.openapi()`. OpenAPI 3.1's Schema Object is JSON Schema 2020-12, so that is the
 * target asked for.
 *
 * A schema that refers to itself (`$ref: "#"`, `#/$defs/Node`) is moved to
 * `components.schemas` and its references are rewritten to point there: inside an OpenAPI
 * document `#` is the document, not the schema.
 */
import type { StandardJSONSchemaV1 } from '@standard-schema/spec';
import type { AnySchema } from '../validation/types.js';
import type { JSONSchemaObject, OpenAPIOptions } from './options.js';

/** Collects the component schemas of one document. */
export class SchemaComponents {
  readonly schemas: Record<string, JSONSchemaObject> = {};
  readonly #convert: OpenAPIOptions['jsonSchema'];

  constructor(convert: OpenAPIOptions['jsonSchema']) {
    this.#convert = convert;
  }

  /**
   * The JSON Schema of `schema` (`io`: input or output), with local references rewritten
   * to a component named after `hint` when it has any. Never throws: a schema that cannot
   * be converted is described as `{}` with a description that says why.
   */
  convert(schema: AnySchema, io: 'input' | 'output', hint: string): JSONSchemaObject {
    let js: JSONSchemaObject;
    try {
      js = this.#convert?.(schema, io) ?? standardJSONSchema(schema, io);
    } catch (err) {
      return { description: `No JSON Schema: ${err instanceof Error ? err.message : String(err)}` };
    }
    const { $schema: _dialect, ...rest } = js;
    if (!hasLocalRef(rest)) return rest;
    const name = this.#unique(hint);
    const base = `#/components/schemas/${name}`;
    const moved = rewriteRefs(rest, base) as JSONSchemaObject;
    this.schemas[name] = moved;
    return moved;
  }

  /** A reference to the component `convert` made for this value, or the value itself. */
  refTo(js: JSONSchemaObject): JSONSchemaObject {
    for (const [name, s] of Object.entries(this.schemas)) if (s === js) return { $ref: `#/components/schemas/${name}` };
    return js;
  }

  #unique(hint: string): string {
    let base = hint.replace(/[^A-Za-z0-9._-]+/g, '_');
    let from = 0;
    let to = base.length;
    while (from < to && base[from] === '_') from++;
    while (to > from && base[to - 1] === '_') to--;
    base = base.slice(from, to) || 'Schema';
    let name = base;
    for (let i = 2; name in this.schemas; i++) name = `${base}_${i}`;
    return name;
  }
}

const NO_INTERFACE =
  'the schema library does not implement Standard JSON Schema (for Valibot wrap the schema in toStandardJsonSchema from @valibot/to-json-schema), and app.openapi() was given no jsonSchema converter';

function standardJSONSchema(schema: AnySchema, io: 'input' | 'output'): JSONSchemaObject {
  const conv = (schema['~standard'] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (conv === undefined || typeof conv[io] !== 'function') throw new Error(NO_INTERFACE);
  const out = conv[io]({ target: 'draft-2020-12' });
  if (typeof out !== 'object' || out === null) throw new Error('the Standard JSON Schema converter returned no object');
  return out;
}

function hasLocalRef(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasLocalRef);
  if (typeof v !== 'object' || v === null) return false;
  for (const [k, x] of Object.entries(v)) {
    if (k === '$ref' && typeof x === 'string' && x.startsWith('#')) return true;
    if (hasLocalRef(x)) return true;
  }
  return false;
}

function rewriteRefs(v: unknown, base: string): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, base));
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const value = k === '$ref' && typeof x === 'string' && x.startsWith('#') ? base + x.slice(1) : rewriteRefs(x, base);
    // defineProperty: a property named "__proto__" in a schema stays a property.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
