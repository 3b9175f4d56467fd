/**
 * What each schema of a route sees, read under the same limits as every other reader:
 * the body through `req.json()` (size limit, JSON depth, `__proto__` and
 * `constructor.prototype` refused, 415 unless the body is JSON), the query through
 * `req.query` (the form limits), the path parameters as decoded, and the headers by
 * lower-case name. A `__proto__` name in the query or the headers is refused too: a schema
 * that passes its input through (`z.any()`, `v.unknown()`) would hand it to code that may
 * copy it with `Object.assign`, which reads such a key as the object's prototype.
 * See docs/validation.md#what-each-schema-sees.
 */
import { HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import type { InputKind } from './types.js';

/** Names of query parameters to give as arrays even when sent once (from the schema's JSON Schema). */
export type ArrayNames = ReadonlySet<string>;

/** Reads one input kind as its schema sees it; throws the 4xx of the reader that refuses it. */
export function readInput(req: Request, kind: InputKind, arrays: ArrayNames): unknown | Promise<unknown> {
  switch (kind) {
    case 'params':
      return { ...req.params };
    case 'query':
      return queryObject(req, arrays);
    case 'headers':
      return headersObject(req);
    case 'body':
      return hasNoBody(req) ? undefined : req.json();
  }
}

/** A request that sends no body at all (no Content-Type, no length, not chunked). */
function hasNoBody(req: Request): boolean {
  return req.header('content-type') === undefined && req.header('transfer-encoding') === undefined && (req.contentLength ?? 0) === 0;
}

function refuse(what: 'query parameter' | 'header'): never {
  throw new HttpError('HTTP_BAD_REQUEST', `The request has a ${what} named "__proto__"; such names are refused because they can poison object prototypes.`, {
    reason: 'prototype',
    in: what === 'header' ? 'headers' : 'query',
  });
}

/** The query as a plain object: a name sent once is a string, more than once (or declared as an array) a list. */
function queryObject(req: Request, arrays: ArrayNames): Record<string, string | string[]> {
  const q = req.query;
  const out: Record<string, string | string[]> = {};
  for (const k of q.keys()) {
    if (k === '__proto__') refuse('query parameter');
    const all = q.getAll(k);
    out[k] = all.length > 1 || arrays.has(k) ? all : all[0]!;
  }
  return out;
}

/** The headers as a plain object by lower-case name; repeated headers are joined with `, `. */
function headersObject(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(req.headers)) {
    const name = k.toLowerCase();
    if (name === '__proto__') refuse('header');
    const v = req.header(k);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
