/**
 * The answer for an error: an HTML page or a JSON object, chosen by `Accept`, that names
 * the error code, says what went wrong and links its docs page. In development a 500
 * also shows the stack, escaped; in production no stack leaves the server.
 */
import { escapeHTML } from '../escape/html.js';
import { PalisadeError } from '../errors.js';
import type { Request } from './request.js';
import { Response } from './response.js';

export interface ErrorInfo {
  status: number;
  code: string;
  message: string;
  docs: string | undefined;
  /**
   * The problems a 4xx lists one by one (a failed validation: where and what). Such an
   * answer is RFC 9457 problem details (`application/problem+json`) whatever `Accept` says,
   * so a client reads one shape. See docs/validation.md#the-422-answer.
   */
  errors?: readonly unknown[];
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  426: 'Upgrade Required',
  431: 'Request Header Fields Too Large',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// The error each error response was made from. In process only, never sent: the test
// client shows it to the test (TestResponse.error), whatever the page was allowed to say.
const FAILURES = new WeakMap<Response, unknown>();

/** Remembers that `res` answers `err` (the original error, with its stack). */
export function recordFailure(res: Response, err: unknown): Response {
  FAILURES.set(res, err);
  return res;
}

/** The error `res` was made from, if it was made from one. */
export function failureOf(res: Response): unknown {
  return FAILURES.get(res);
}

/** What the client may be told about an error. Unknown errors say nothing specific. */
export function describeError(err: unknown, dev: boolean): ErrorInfo {
  if (err instanceof PalisadeError) {
    const hidden = err.status >= 500 && !dev;
    const errors = err.status < 500 && Array.isArray(err.details.errors) ? (err.details.errors as unknown[]) : undefined;
    return {
      status: err.status,
      code: err.code,
      message: hidden ? 'The server could not complete this request.' : err.message,
      docs: err.docs,
      ...(errors !== undefined ? { errors } : {}),
    };
  }
  return {
    status: 500,
    code: 'HTTP_INTERNAL',
    message: dev && err instanceof Error ? `${err.name}: ${err.message}` : 'The server could not complete this request.',
    docs: dev ? 'docs/errors/HTTP_INTERNAL.md' : undefined,
  };
}

/** True when the client prefers JSON over HTML. */
export function wantsJSON(req: Request | null): boolean {
  if (req === null) return false;
  const accept = req.header('accept') ?? '';
  const j = accept.indexOf('application/json');
  if (j === -1) return accept === '' && req.mediaType?.essence === 'application/json';
  const h = accept.indexOf('text/html');
  return h === -1 || j < h;
}

/** Builds the error response. `stack` is shown only when given (development). */
export function errorResponse(info: ErrorInfo, req: Request | null, opts: { stack?: string; nonce?: string } = {}): Response {
  const reason = REASONS[info.status] ?? 'Error';
  if (info.errors !== undefined) {
    // RFC 9457 §3: `type` about:blank, so `title` is the status phrase; `code`, `docs` and
    // `errors` are extension members (§3.2), `errors` shaped as in the RFC's own example.
    const problem = { type: 'about:blank', title: reason, status: info.status, detail: info.message, code: info.code, docs: info.docs, errors: info.errors };
    const res = new Response(JSON.stringify(problem), { status: info.status });
    res.headers['content-type'] = 'application/problem+json; charset=utf-8';
    return res;
  }
  if (wantsJSON(req)) {
    const body: Record<string, unknown> = { error: { status: info.status, code: info.code, message: info.message } };
    if (info.docs) (body.error as Record<string, unknown>).docs = info.docs;
    if (opts.stack) (body.error as Record<string, unknown>).stack = opts.stack;
    const res = new Response(JSON.stringify(body), { status: info.status });
    res.headers['content-type'] = 'application/json; charset=utf-8';
    return res;
  }
  const nonceAttr = opts.nonce ? ` nonce="${escapeHTML(opts.nonce)}"` : '';
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${info.status} ${escapeHTML(reason)}</title>` +
    `<style${nonceAttr}>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#222}` +
    `code,pre{background:#f4f4f4;padding:.1rem .3rem}pre{padding:1rem;overflow:auto}</style></head><body>` +
    `<h1>${info.status} ${escapeHTML(reason)}</h1><p>${escapeHTML(info.message)}</p>` +
    `<p>Error code: <code>${escapeHTML(info.code)}</code>` +
    (info.docs ? ` — see <code>${escapeHTML(info.docs)}</code>` : '') +
    `</p>` +
    (opts.stack ? `<pre>${escapeHTML(opts.stack)}</pre>` : '') +
    `</body></html>\n`;
  return Response.unsafeHTML(html, { status: info.status });
}
