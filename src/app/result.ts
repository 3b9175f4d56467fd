/**
 * Turning what a handler returned into a Response, safely: a string is text (never HTML),
 * Markup is HTML, a plain object is JSON through jsonify, a Response passes through.
 */
import { Readable } from 'node:stream';
import { isMarkup } from '../escape/markup.js';
import { PalisadeError } from '../errors.js';
import { Response } from '../http/response.js';
import { jsonify } from '../json/jsonify.js';
import type { MountedRoute } from './route-table.js';

export function toResponse(value: unknown, route: MountedRoute | null, pretty: boolean): Response {
  if (value instanceof Response) return value;
  if (typeof value === 'string') return new Response(value);
  if (isMarkup(value)) return new Response(value);
  if (value === undefined) {
    const where = route ? ` for ${route.method} ${route.path}` : '';
    throw new PalisadeError(
      'HTTP_NO_RESPONSE',
      `The handler${where} returned undefined. Return a string, Markup (render(...) or html\`...\`), an object for JSON, or a Response.`,
    );
  }
  if (value instanceof Uint8Array) return new Response(value);
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value) || isPlainObject(value)) {
      return jsonify(value, { allowTopLevelArray: route?.options.allowTopLevelArray === true, pretty });
    }
    if (typeof globalThis.Response === 'function' && value instanceof globalThis.Response) return fromFetchResponse(value);
  }
  const kind = value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new PalisadeError(
    'HTTP_BAD_RETURN',
    `The handler returned ${kind}, which is not a response. Return a string, Markup, a plain object for JSON, or a Response.`,
  );
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function fromFetchResponse(r: globalThis.Response): Response {
  const body = r.body === null ? null : Readable.fromWeb(r.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const res = new Response(body, { status: r.status });
  delete res.headers['content-type'];
  r.headers.forEach((v, k) => {
    if (k === 'set-cookie') return;
    res.headers[k] = v;
  });
  const cookies = r.headers.getSetCookie();
  if (cookies.length > 0) res.headers['set-cookie'] = cookies;
  return res;
}
