/**
 * The fetch adapter: a web `Request` in, a web `Response` out, for fetch-style runtimes
 * and tests. Same dispatch as the node server.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { App } from '../app/app.js';
import type { Response } from '../http/response.js';
import { lastResortResponse, unwritable } from './write-guard.js';

export async function fetchAdapter(app: App, request: globalThis.Request): Promise<globalThis.Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = Object.create(null);
  request.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (headers['host'] === undefined) headers['host'] = url.host;
  const body = request.body === null ? null : Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  const req = app.createRequest({
    method: request.method,
    url: url.pathname + url.search,
    headers,
    body,
    encrypted: url.protocol === 'https:',
  });
  let res = await app.handle(req);
  // What node's writeHead would refuse, the node server answers with a logged 500; so does this adapter.
  const problem = unwritable(res, true);
  if (problem !== undefined) {
    req.log.error({ err: problem, method: req.method, path: req.path }, 'the response could not be written');
    res = lastResortResponse(problem, req, app.settings.env === 'development');
  }
  return toFetchResponse(res, request.method === 'HEAD');
}

/** Converts a Palisade Response into a web Response. */
export function toFetchResponse(res: Response, head: boolean): globalThis.Response {
  const h = new Headers();
  for (const k of Object.keys(res.headers)) {
    const v = res.headers[k]!;
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else h.set(k, v);
  }
  const nullBody = head || res.status === 204 || res.status === 304 || res.body === null;
  let body: BodyInit | null = null;
  if (!nullBody) {
    const b = res.body!;
    if (typeof b === 'string' || b instanceof Uint8Array) body = b as BodyInit;
    else body = Readable.toWeb(b instanceof Readable ? b : Readable.from(b)) as unknown as BodyInit;
  }
  return new globalThis.Response(body, { status: res.status, headers: h });
}
