/**
 * A route's `schema` option when the route is declared: the option is checked (each part a
 * Standard Schema, no unknown part), and a route with a response schema gets its handler
 * wrapped so that what it returns is checked against the schema of the response's status —
 * when the request's validation protection says responses are checked (development and
 * test by default; see `validation.responses`). The check never changes what is sent: the
 * handler's own value goes out, so a response is the same whether it was checked or not.
 * See docs/validation.md#response-schemas.
 */
import { ConfigError, PalisadeError } from '../errors.js';
import { INTERNALS } from '../util/symbols.js';
import { isStandardSchema } from '../forms/standard-schema.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { XSSI_PREFIX } from '../json/jsonify.js';
import { runRouteSchema, summarize, toIssues } from './issues.js';
import { INPUT_KINDS, type AnySchema } from './types.js';

const PARTS = new Set<string>([...INPUT_KINDS, 'response']);

/** The response schemas of a `schema.response` option, by status (one schema means 200). */
export function responseSchemas(response: unknown): ReadonlyMap<number, AnySchema> | undefined {
  if (response === undefined) return undefined;
  if (isStandardSchema(response)) return new Map([[200, response]]);
  return new Map(Object.entries(response as Record<string, AnySchema>).map(([k, v]) => [Number(k), v]));
}

/** Throws CONFIG_ROUTE when a `schema` option is not made of Standard Schemas. */
export function checkSchemaOption(schema: unknown, where: string): void {
  const bad = (what: string): never => {
    throw new ConfigError('CONFIG_ROUTE', `The schema option of ${where}: ${what}`, { route: where });
  };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) bad('must be an object such as { body, query, params, headers, response }.');
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (!PARTS.has(k)) bad(`"${k}" is not a part Palisade validates (body, query, params, headers, response).`);
    if (k !== 'response') {
      if (!isStandardSchema(v)) bad(`${k} is not a Standard Schema (a Zod, Valibot or ArkType schema, or any object with a "~standard" property).`);
      continue;
    }
    if (isStandardSchema(v)) continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('response must be a Standard Schema or an object of them by status ({ 200: schema }).');
    for (const [status, s] of Object.entries(v as Record<string, unknown>)) {
      if (!/^[1-5]\d\d$/.test(status)) bad(`response has the key "${status}", which is not an HTTP status.`);
      if (!isStandardSchema(s)) bad(`response[${status}] is not a Standard Schema.`);
    }
  }
}

type AnyHandler = (req: never) => unknown;

/**
 * Checks the `schema` option of a route being declared and returns the handler to mount:
 * the handler itself, or one that also checks its responses.
 */
export function withSchema<H extends AnyHandler>(handler: H, schema: unknown, where: string): H {
  if (schema === undefined) return handler;
  checkSchemaOption(schema, where);
  const responses = responseSchemas((schema as { response?: unknown }).response);
  if (responses === undefined) return handler;
  const checked = (req: Request): unknown => {
    const value = (handler as unknown as (req: Request) => unknown)(req);
    if (req[INTERNALS].checkResponse !== true) return value;
    const route = req.route === null ? where : `${req.route.method} ${req.route.path}`;
    return isThenable(value) ? Promise.resolve(value).then((v) => checkResponse(v, responses, route)) : checkResponse(value, responses, route);
  };
  return checked as unknown as H;
}

/** Checks a handler's value against the schema of its status; resolves to the value unchanged. */
function checkResponse(value: unknown, responses: ReadonlyMap<number, AnySchema>, route: string): unknown {
  const got = responseBody(value);
  const schema = responses.get(got.status);
  if (schema === undefined) return value;
  const judge = (body: unknown): unknown => {
    const r = runRouteSchema(schema, body, route, 'response');
    return r instanceof Promise ? r.then((x) => verdict(x.issues, value, route, got.status)) : verdict(r.issues, value, route, got.status);
  };
  if (got.kind === 'json') return got.body instanceof Promise ? got.body.then(judge) : judge(got.body);
  throw new PalisadeError(
    'VALIDATION_RESPONSE',
    `The response of ${route} (status ${got.status}) has a schema, so it must be JSON; the handler sent ${got.kind}.`,
    { route, status: got.status },
  );
}

function verdict(issues: Parameters<typeof toIssues>[1] | undefined, value: unknown, route: string, status: number): unknown {
  if (issues === undefined) return value;
  const list = toIssues('response', issues);
  throw new PalisadeError('VALIDATION_RESPONSE', `The response of ${route} (status ${status}) does not match its schema: ${summarize(list)}`, {
    route,
    status,
    errors: list,
  });
}

type Body = { status: number; kind: 'json'; body: unknown } | { status: number; kind: string; body?: undefined };

/** The status and JSON value of what a handler returned, or what kind of body it is otherwise. */
function responseBody(value: unknown): Body {
  if (value instanceof Response) {
    const type = value.getHeader('content-type');
    const body = value.body;
    if (typeof type === 'string' && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type) && (typeof body === 'string' || body instanceof Uint8Array)) {
      const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
      return { status: value.status, kind: 'json', body: JSON.parse(text.startsWith(XSSI_PREFIX) ? text.slice(XSSI_PREFIX.length) : text) };
    }
    return { status: value.status, kind: typeof type === 'string' ? type : 'a body without a content type' };
  }
  if (typeof globalThis.Response === 'function' && value instanceof globalThis.Response) {
    const type = value.headers.get('content-type') ?? '';
    if (/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) return { status: value.status, kind: 'json', body: value.clone().json() };
    return { status: value.status, kind: type === '' ? 'a body without a content type' : type };
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value) || proto === Object.prototype || proto === null) return { status: 200, kind: 'json', body: value };
  }
  return { status: 200, kind: typeof value === 'string' ? 'text' : 'a value that is not JSON' };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}
