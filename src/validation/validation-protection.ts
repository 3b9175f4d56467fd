/**
 * Validation: a route's `schema` option checks its body, query, params and headers with any
 * Standard Schema before the route's hooks and handler run, and gives the handler the
 * validated values as `req.valid`, typed from the schemas. Everything is read first, under
 * the limits every reader applies (size, JSON depth, the form limits, prototype-poisoning
 * keys refused), then each schema runs; any issue in any part is one 422 in RFC 9457 shape
 * listing them all. It runs after the checks that turn a request away (hosts, rate limits,
 * CSRF, logins), so a refused request learns nothing of the schema.
 *
 * ```ts
 * app.post('/api/notes', (req) => ({ id: db.add(req.valid.body.title) }), {
 *   schema: { body: z.object({ title: z.string().min(1).max(200) }) },
 * });
 * ```
 * See docs/validation.md.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { INTERNALS } from '../util/symbols.js';
import { ConfigError, HttpError } from '../errors.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import type { MountedRoute } from '../app/route-table.js';
import { jsonSchemaOf, objectProperties } from '../forms/standard-schema.js';
import type { Request } from '../http/request.js';
import { readInput, type ArrayNames } from './input.js';
import { runRouteSchema, summarize, toIssues, type ValidationIssue } from './issues.js';
import { INPUT_KINDS, type AnySchema, type InputKind, type RouteSchema } from './types.js';

declare module '../app/route-collector.js' {
  interface RouteOptions {
    /**
     * Standard Schemas for what this route reads and answers: `{ body, query, params,
     * headers, response }`. Invalid input is a 422 that never reaches the handler; the
     * handler reads the validated values from `req.valid`. See docs/validation.md.
     */
    schema?: RouteSchema;
  }
}

declare module '../http/request.js' {
  interface Request {
    /**
     * The validated inputs of a route with a `schema` option (`req.valid.body`,
     * `req.valid.query`…), each the output of its schema; typed in the route's handler.
     * Undefined on other routes. See docs/validation.md.
     */
    valid: unknown;
  }
  interface RequestInternals {
    /** Set on routes with a response schema: check what the handler returns (src/validation/route.ts). */
    checkResponse?: boolean;
  }
}

/** The `validation` section of `createApp` options. */
export interface ValidationOptions {
  /**
   * Check what handlers return against their response schemas. Default: true in
   * development and test, false in production (a check costs a pass over every response).
   */
  responses?: boolean;
}

/** What a route's schema asks for, worked out once per route. */
interface Plan {
  readonly where: string;
  readonly parts: readonly (readonly [InputKind, AnySchema])[];
  /** Query names whose schema is an array, given as arrays even when sent once. */
  readonly arrays: ArrayNames;
  readonly hasResponse: boolean;
}

const KEYS = new Set(['responses']);

function readOptions(raw: unknown, env: string): { responses: boolean } {
  const fallback = env !== 'production';
  if (raw === undefined) return { responses: fallback };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', `Setting "validation" must be an object; got ${JSON.stringify(raw)}.`, { key: 'validation' });
  }
  for (const k of Object.keys(raw)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "validation.${k}" (known: responses).`, { key: `validation.${k}` });
  }
  const r = (raw as ValidationOptions).responses;
  if (r !== undefined && typeof r !== 'boolean') {
    throw new ConfigError('CONFIG_INVALID', `Setting "validation.responses" must be true or false; got ${JSON.stringify(r)}.`, { key: 'validation.responses' });
  }
  return { responses: r ?? fallback };
}

function planFor(route: MountedRoute): Plan | null {
  const schema = route.options.schema;
  if (schema === undefined) return null;
  const parts: [InputKind, AnySchema][] = [];
  for (const kind of INPUT_KINDS) {
    const s = schema[kind];
    if (s !== undefined) parts.push([kind, s]);
  }
  const arrays = new Set<string>();
  const q = schema.query === undefined ? undefined : objectProperties(jsonSchemaOf(schema.query));
  if (q !== undefined) for (const [name, p] of Object.entries(q.props)) if (p.type === 'array') arrays.add(name);
  return { where: `${route.method} ${route.path}`, parts, arrays, hasResponse: schema.response !== undefined };
}

/** Reads every part first (limits and refusals before any schema), then runs each schema. */
async function validate(req: Request, plan: Plan): Promise<void> {
  const raw: unknown[] = [];
  for (const [kind] of plan.parts) {
    const v = readInput(req, kind, plan.arrays);
    raw.push(v instanceof Promise ? await v : v);
  }
  const valid: Partial<Record<InputKind, unknown>> = {};
  const errors: ValidationIssue[] = [];
  for (let i = 0; i < plan.parts.length; i++) {
    const [kind, schema] = plan.parts[i]!;
    let r: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>> = runRouteSchema(schema, raw[i], plan.where, kind);
    if (r instanceof Promise) r = await r;
    if (r.issues !== undefined) errors.push(...toIssues(kind, r.issues));
    else valid[kind] = r.value;
  }
  if (errors.length > 0) {
    throw new HttpError('VALIDATION_FAILED', `The request does not match the schema of ${plan.where}: ${summarize(errors)}`, { errors });
  }
  req.valid = valid;
}

/** The validation protection, named for the route option; its check runs in the `validation` phase, the last, after logins. */
export function validationProtection(ctx: ProtectionContext): Protection {
  const { responses } = readOptions(ctx.options.validation, ctx.settings.env);
  const plans = new WeakMap<MountedRoute, Plan | null>();
  return {
    name: 'schema', // the route option it acts on, as `palisade routes` shows it
    phases: { check: 'validation' },
    optIn: true,
    check(req, route) {
      if (route === null) return;
      let plan = plans.get(route);
      if (plan === undefined) plans.set(route, (plan = planFor(route)));
      if (plan === null) return;
      if (plan.hasResponse) req[INTERNALS].checkResponse = responses;
      if (plan.parts.length === 0) return;
      return validate(req, plan);
    },
  };
}
