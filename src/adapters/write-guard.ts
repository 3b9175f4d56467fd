/**
 * The last check before a response leaves an adapter, shared by the node server, the
 * fetch adapter and the test client so that all three refuse the same responses.
 *
 * `Response.setHeader` and `setCookie` already refuse what cannot be sent. This catches
 * the rest: a header written straight into `res.headers`, a status outside 200–599, a body
 * of the wrong kind. Such a response is replaced by a logged 500 (`HTTP_INVALID_HEADER`,
 * `HTTP_INVALID_STATUS` or `HTTP_BAD_RETURN`) whose own headers are known to be valid; it
 * never reaches node's `writeHead`, where it would throw out of the server.
 * See docs/security-model.md#the-process.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { Readable } from 'node:stream';
import { PalisadeError } from '../errors.js';
import { describeError, errorResponse, recordFailure } from '../http/error-page.js';
import { invalidValue, isHeaderName } from '../http/header-check.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';

/**
 * Why this response cannot be written, or undefined. Checks the status and the body's
 * kind; with `headers`, also every header name and value, by node's own rules (what
 * `writeHead` would throw on). The node server skips the header pass and lets `writeHead`
 * find a bad header, then asks again with `headers` to name it.
 */
export function unwritable(res: Response, headers: boolean): PalisadeError | undefined {
  const status = res.status;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    return new PalisadeError('HTTP_INVALID_STATUS', `The response status ${JSON.stringify(status)} is not a whole number from 200 to 599.`, {
      status: String(status).slice(0, 20),
    });
  }
  const b = res.body;
  if (!(b === null || typeof b === 'string' || b instanceof Uint8Array || b instanceof Readable || isAsyncIterable(b))) {
    return new PalisadeError('HTTP_BAD_RETURN', 'The response body is not a string, bytes, a stream, an async iterable or null.');
  }
  if (!headers) return undefined;
  const h = res.headers;
  for (const name of Object.keys(h)) {
    const v = h[name];
    for (const one of Array.isArray(v) ? v : [v]) {
      const problem = headerProblem(name, one);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function headerProblem(name: string, value: unknown): PalisadeError | undefined {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value as string);
    return undefined;
  } catch {
    if (!isHeaderName(name)) {
      return new PalisadeError('HTTP_INVALID_HEADER', `${JSON.stringify(name.slice(0, 100))} is not a header name.`, { header: name.slice(0, 100) });
    }
    if (typeof value !== 'string') return new PalisadeError('HTTP_INVALID_HEADER', `The header ${name} has no value.`, { header: name });
    // node's rule (lib/_http_common.js checkInvalidHeaderChar): tab, U+0020–U+007E, U+0080–U+00FF.
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if ((c < 0x20 && c !== 9) || c === 0x7f || c > 0xff) return invalidValue(name, value, i);
    }
    return invalidValue(name, value, 0);
  }
}

function isAsyncIterable(b: unknown): boolean {
  return b !== null && typeof b === 'object' && Symbol.asyncIterator in b;
}

/**
 * The error page an adapter sends when the app's own answer cannot be used: a response
 * that could not be written (500), a handler that never answered (503). It has the
 * headers every response gets and a CSP that allows nothing (it has no nonce to offer).
 */
export function lastResortResponse(err: unknown, req: Request | null, dev: boolean): Response {
  const res = recordFailure(errorResponse(describeError(err, dev), req), err);
  const h = res.headers;
  h['x-content-type-options'] = 'nosniff';
  h['content-security-policy'] = "default-src 'none'; frame-ancestors 'none'";
  h['cache-control'] = 'no-store';
  return res;
}

/**
 * Releases a streamed body that will never be written (the client left, the response was
 * replaced by an error page): a file stream holds an open file until it is read or
 * destroyed, and since Node 26 a file handle that reaches the garbage collector still open
 * ends the process. Anything else is left alone.
 */
export function discardBody(body: unknown): void {
  try {
    if (body instanceof Readable) {
      if (!body.destroyed) {
        body.on('error', () => {});
        body.destroy();
      }
    } else if (body !== null && typeof body === 'object' && typeof (body as AsyncIterator<unknown>).return === 'function') {
      Promise.resolve((body as AsyncIterator<unknown>).return!()).catch(() => {});
    }
  } catch {
    // Releasing must not throw out of the server either.
  }
}
