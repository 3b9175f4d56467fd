/**
 * The OpenAPI 3.1 description of an app, built from its routes: one operation per route
 * and method (the implicit HEAD of a GET and WebSocket routes left out), its parameters,
 * body and responses from the route's `schema`, its words from the route options
 * (`summary`, `description`, `tags`, `deprecated`, `operationId`), and its security: the
 * session cookie and the CSRF token where the CSRF check covers the route, the session
 * where it needs a login, and `x-palisade-csrf-exempt` where an unsafe route is exempt.
 *
 * ```ts
 * app.get('/openapi.json', () => app.openapi({ info: { title: 'Notes', version: '1.0.0' } }));
 * ```
 * See docs/validation.md#openapi.
 */
import type { MountedRoute } from '../app/route-table.js';
import { ConfigError } from '../errors.js';
import { isStandardSchema } from '../forms/standard-schema.js';
import { csrfCovers, csrfExempt } from '../security/csrf.js';
import { CSRF_HEADER } from '../http/csrf-names.js';
import { responseSchemas } from '../validation/route.js';
import type { AnySchema } from '../validation/types.js';
import { SchemaComponents } from './json-schema.js';
import type { JSONSchemaObject, OpenAPIOptions } from './options.js';

/** What the description needs to know of the app besides its routes. */
export interface AppFacts {
  /** CSRF protection is on (`csrf.enabled` not false). */
  readonly csrf: boolean;
  /** The `csrf.exempt` setting. */
  readonly csrfExempt: ReadonlySet<string>;
  /** The session cookie's name as browsers see it (`__Host-` over HTTPS). */
  readonly sessionCookie: string;
}

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
};

/** RFC 9457 problem details as Palisade's 422 sends them (src/http/error-page.ts). */
const VALIDATION_PROBLEM: JSONSchemaObject = {
  type: 'object',
  description: "RFC 9457 problem details: the request does not match the route's schema.",
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', const: 422 },
    detail: { type: 'string' },
    code: { type: 'string', const: 'VALIDATION_FAILED' },
    docs: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          in: { type: 'string', enum: ['body', 'query', 'params', 'headers'] },
          path: { type: 'array', items: { type: ['string', 'integer'] } },
          pointer: { type: 'string', description: 'A JSON Pointer (RFC 6901) in URI fragment form into the part named by `in`.' },
          message: { type: 'string' },
        },
        required: ['in', 'path', 'pointer', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
};

/** OpenAPI ignores these header parameters (3.1 §4.8.12.1); they are described elsewhere. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Builds the document. */
export function buildOpenAPI(routes: readonly MountedRoute[], facts: AppFacts, opts: OpenAPIOptions): Record<string, unknown> {
  const components = new SchemaComponents(opts.jsonSchema);
  const paths: Record<string, Record<string, unknown>> = {};
  let usesSession = false;
  let usesCsrf = false;
  let usesProblem = false;
  const ids = new Map<string, string>();
  for (const route of routes) {
    if (route.implicitHead || route.websocket !== undefined) continue;
    if (opts.include !== undefined && !opts.include({ method: route.method, path: route.path, name: route.name })) continue;
    const { path, patterns } = openAPIPath(route.path);
    const op = operation(route, patterns, components);
    if (typeof op.operationId === 'string') {
      const other = ids.get(op.operationId);
      if (other !== undefined) {
        throw new ConfigError(
          'CONFIG_ROUTE',
          `Two routes have the operationId "${op.operationId}" (${other} and ${route.method} ${route.path}); an operation id must be unique.`,
          { operationId: op.operationId },
        );
      }
      ids.set(op.operationId, `${route.method} ${route.path}`);
    }
    if (op.responses['422'] !== undefined) usesProblem = true;
    const covered = facts.csrf && csrfCovers(route, facts.csrfExempt);
    const login = route.options.loginRequired === true;
    if (covered) {
      op.security = [{ sessionCookie: [], csrfToken: [] }];
      op.responses['403'] = { description: 'Refused by the CSRF check: a cross-site request, or no valid token for the session.' };
      usesSession = usesCsrf = true;
    } else if (login) {
      op.security = [{ sessionCookie: [] }];
      usesSession = true;
    }
    if (login) op.responses['401'] = { description: 'No logged-in user.' };
    if (facts.csrf && !SAFE.has(route.method) && csrfExempt(route, facts.csrfExempt)) op['x-palisade-csrf-exempt'] = true;
    (paths[path] ??= {})[route.method.toLowerCase()] = op;
  }
  if (usesProblem) components.schemas['ValidationProblem'] = VALIDATION_PROBLEM;
  const securitySchemes: Record<string, unknown> = {};
  if (usesSession) {
    securitySchemes['sessionCookie'] = {
      type: 'apiKey',
      in: 'cookie',
      name: facts.sessionCookie,
      description: 'The signed session cookie the app sets; a browser sends it by itself.',
    };
  }
  if (usesCsrf) {
    securitySchemes['csrfToken'] = {
      type: 'apiKey',
      in: 'header',
      name: CSRF_HEADER,
      description:
        'A CSRF token bound to the session: a page of the app gets it from csrf_token() and its fetch sends it. Requests from other sites are refused whatever they carry.',
    };
  }
  const doc: Record<string, unknown> = { openapi: '3.1.0', info: opts.info };
  if (opts.servers !== undefined) doc.servers = opts.servers;
  if (opts.tags !== undefined) doc.tags = opts.tags;
  doc.paths = paths;
  const comp: Record<string, unknown> = {};
  if (Object.keys(components.schemas).length > 0) comp.schemas = components.schemas;
  if (Object.keys(securitySchemes).length > 0) comp.securitySchemes = securitySchemes;
  if (Object.keys(comp).length > 0) doc.components = comp;
  return doc;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Operation extends Record<string, unknown> {
  responses: Record<string, unknown>;
  security?: unknown[];
}

function operation(route: MountedRoute, patterns: ReadonlyMap<string, string>, components: SchemaComponents): Operation {
  const o = route.options;
  const schema = o.schema ?? {};
  const id = o.operationId ?? route.name;
  const hint = id ?? `${route.method}_${route.path}`;
  const op: Operation = { responses: {} };
  if (o.summary !== undefined) op.summary = o.summary;
  if (o.description !== undefined) op.description = o.description;
  if (o.tags !== undefined) op.tags = [...o.tags];
  if (id !== undefined) op.operationId = id;
  if (o.deprecated === true) op.deprecated = true;

  const parameters: Record<string, unknown>[] = [];
  const pathSchema = schema.params === undefined ? undefined : objectOf(components.convert(schema.params, 'input', `${hint}_params`));
  for (const [name, pattern] of patterns) {
    const declared = pathSchema?.props[name];
    const s: JSONSchemaObject = declared ?? { type: 'string', ...(pattern !== '' ? { pattern } : {}) };
    parameters.push({ name, in: 'path', required: true, schema: s });
  }
  for (const [kind, place] of [
    ['query', 'query'],
    ['headers', 'header'],
  ] as const) {
    const s = schema[kind];
    if (s === undefined) continue;
    const obj = objectOf(components.convert(s, 'input', `${hint}_${kind}`));
    if (obj === undefined) continue;
    for (const [name, p] of Object.entries(obj.props)) {
      if (place === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
      const param: Record<string, unknown> = { name, in: place, schema: p };
      if (obj.required.has(name)) param.required = true;
      if (typeof p.description === 'string') param.description = p.description;
      parameters.push(param);
    }
  }
  if (parameters.length > 0) op.parameters = parameters;

  if (schema.body !== undefined) {
    const js = components.convert(schema.body, 'input', `${hint}_body`);
    op.requestBody = { required: !acceptsNothing(schema.body), content: { 'application/json': { schema: components.refTo(js) } } };
  }
  const responses = responseSchemas(schema.response);
  if (responses !== undefined) {
    for (const [status, s] of responses) {
      // The handler's value is sent as it is (the check does not transform it): its schema's input side.
      const js = components.convert(s, 'input', `${hint}_${status}`);
      op.responses[String(status)] = {
        description: STATUS_TEXT[status] ?? `Status ${status}`,
        content: { 'application/json': { schema: components.refTo(js) } },
      };
    }
  } else {
    op.responses['default'] = { description: 'The response (the route declares no response schema).' };
  }
  if (schema.body !== undefined || schema.query !== undefined || schema.params !== undefined || schema.headers !== undefined) {
    op.responses['422'] = {
      description: "The request does not match the route's schema.",
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
    };
  }
  return op;
}

/** The properties and required names of an object JSON Schema, or undefined. */
function objectOf(js: JSONSchemaObject): { props: Record<string, JSONSchemaObject>; required: Set<string> } | undefined {
  if (typeof js.properties !== 'object' || js.properties === null) return undefined;
  const required = new Set(Array.isArray(js.required) ? js.required.filter((x): x is string => typeof x === 'string') : []);
  return { props: js.properties as Record<string, JSONSchemaObject>, required };
}

/** Whether a body schema accepts no body at all (asked once, synchronously; an async schema is taken to need one). */
function acceptsNothing(schema: AnySchema): boolean {
  if (!isStandardSchema(schema)) return false;
  try {
    const r = schema['~standard'].validate(undefined);
    if (r instanceof Promise) {
      r.catch(() => {});
      return false;
    }
    return r.issues === undefined;
  } catch {
    return false;
  }
}

/**
 * A find-my-way path as an OpenAPI path template: `:id` → `{id}`, `:id(^\d+$)` → `{id}`
 * with its pattern, `*` → `{*}`; `::` is a literal colon.
 */
export function openAPIPath(path: string): { path: string; patterns: Map<string, string> } {
  const patterns = new Map<string, string>();
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === ':' && path[i + 1] === ':') {
      out += ':';
      i++;
    } else if (ch === ':') {
      let j = i + 1;
      while (j < path.length && /[\w$]/.test(path[j]!)) j++;
      const name = path.slice(i + 1, j);
      let pattern = '';
      if (path[j] === '(') {
        let depth = 0;
        let k = j;
        for (; k < path.length; k++) {
          if (path[k] === '\\') k++;
          else if (path[k] === '(') depth++;
          else if (path[k] === ')' && --depth === 0) break;
        }
        pattern = path.slice(j + 1, k);
        j = k + 1;
      }
      patterns.set(name, pattern);
      out += `{${name}}`;
      i = j - 1;
    } else if (ch === '*') {
      patterns.set('*', '');
      out += '{*}';
    } else {
      out += ch;
    }
  }
  return { path: out, patterns };
}
