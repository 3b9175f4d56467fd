/**
 * The fetch adapter: a web `Request` in, a web `Response` out, for fetch-style runtimes
 * and tests. Same dispatch as the node server.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { AppBase as App } from '../app/app-base.js';
import { runInScope, type RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { CREATE_REQUEST, RESPOND, SCOPE } from '../util/symbols.js';
import { discardBody, lastResortResponse, unwritable } from './write-guard.js';

export function fetchAdapter(app: App, request: globalThis.Request): Promise<globalThis.Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = Object.create(null);
  request.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (headers['host'] === undefined) headers['host'] = url.host;
  const body = request.body === null ? null : Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  const req = app[CREATE_REQUEST]({
    method: request.method,
    url: url.pathname + url.search,
    headers,
    body,
    encrypted: url.protocol === 'https:',
  });
  // The request's scope, entered once around all of it (src/http/context.ts).
  return runInScope(req[SCOPE], answer, app, req, request.method === 'HEAD');
}

async function answer(app: App, req: Request, head: boolean): Promise<globalThis.Response> {
  let res = await app[RESPOND](req);
  // What node's writeHead would refuse, the node server answers with a logged 500; so does this adapter.
  const problem = unwritable(res, true);
  if (problem !== undefined) {
    req.log.error({ err: problem, method: req.method, path: req.path }, 'the response could not be written');
    res = lastResortResponse(problem, req, app.settings.env === 'development');
  }
  return toFetchResponse(res, head, req[SCOPE]);
}

/**
 * Converts a Palisade Response into a web Response. A streamed body is read by whoever
 * reads the web Response, after `app.fetch` returned: each read runs in `scope`, the
 * request's, as it would on the node server.
 */
export function toFetchResponse(res: Response, head: boolean, scope?: RequestScope): globalThis.Response {
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
    else body = scope === undefined ? (Readable.toWeb(b instanceof Readable ? b : Readable.from(b)) as unknown as BodyInit) : scopedStream(b, scope);
  } else if (res.body !== null) {
    discardBody(res.body);
  }
  return new globalThis.Response(body, { status: res.status, headers: h });
}

/** A web stream over `src` whose every read (and cancel) runs in `scope`. */
function scopedStream(src: Readable | AsyncIterable<Uint8Array | string>, scope: RequestScope): ReadableStream<Uint8Array> {
  let it: AsyncIterator<unknown> | undefined;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull: (controller) =>
      runInScope(scope, async () => {
        it ??= src[Symbol.asyncIterator]();
        const r = await it.next();
        if (r.done === true) controller.close();
        else controller.enqueue(typeof r.value === 'string' ? encoder.encode(r.value) : (r.value as Uint8Array));
      }),
    cancel: () =>
      runInScope(scope, async () => {
        if (it !== undefined) await it.return?.();
        else discardBody(src);
      }),
  });
}
