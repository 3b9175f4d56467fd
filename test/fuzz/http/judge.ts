/**
 * The HTTP fuzzer's judge: what counts as a failure in what a connection received.
 *
 * - Every response is well-formed HTTP/1.1 (response-parser.ts), and whole, unless the
 *   client itself cut the connection or the handler marked the response as cut on purpose.
 * - No 5xx unless the handler failed on purpose (ON_PURPOSE_HEADER); a 503 HTTP_TIMEOUT is
 *   a handler that hung.
 * - Every final response with a body carries `X-Content-Type-Options: nosniff`
 *   (docs/security-model.md).
 * - A `Location` never leads to another host or a non-HTTP scheme.
 * - The server answers or closes within the time the client waits.
 *
 * The process-wide checks (crash, event loop, stuck handlers, temporary files) are made by
 * run.ts after each case.
 */
import type { RawResult } from '../../faults/net-helpers.js';
import { MAY_CUT_HEADER, ON_PURPOSE_HEADER } from './monitor.js';
import { header, parseResponses, type ParsedResponse } from './response-parser.js';

export type FailureKind =
  | 'crash'
  | 'loop-blocked'
  | 'malformed-response'
  | 'cut-response'
  | 'server-error'
  | 'no-answer'
  | 'open-redirect'
  | 'missing-nosniff'
  | 'temp-file-left'
  | 'handler-stuck';

export interface Finding {
  kind: FailureKind;
  /** What was seen, for people. */
  detail: string;
  /** The same bug found again has the same signature. */
  signature: string;
}

/** What one connection was asked and what it got. */
export interface ExchangeOutcome {
  methods: readonly string[];
  finish: 'wait' | 'half-close' | 'abort';
  result: RawResult;
}

export interface ExchangeVerdict {
  findings: Finding[];
  /** Final responses' status codes and error codes, for the run's figures. */
  statuses: number[];
  codes: string[];
}

const LOCAL_HOST = /^(127\.0\.0\.1|localhost|(?:[a-z0-9-]+\.)+localhost|\[::1\])$/;

/** The error code an error page or JSON error names, if any. */
export function errorCode(r: ParsedResponse): string | undefined {
  const m = /Error code: <code>([A-Z_]+)<\/code>|"code":"([A-Z_]+)"/.exec(r.body);
  return m === null ? undefined : (m[1] ?? m[2]);
}

export function judgeExchange(o: ExchangeOutcome): ExchangeVerdict {
  const findings: Finding[] = [];
  const { result } = o;
  const parsed = parseResponses(result.data, o.methods, result.closed && !result.complete);
  const finals = parsed.responses.filter((r) => !r.interim);
  const statuses = finals.map((r) => r.status);
  const codes = finals.map(errorCode).filter((c): c is string => c !== undefined);

  if (parsed.error !== null) {
    findings.push({ kind: 'malformed-response', detail: parsed.error, signature: `malformed-response:${parsed.error.replace(/"[^"]*"?/g, '…').slice(0, 60)}` });
  }
  // The client cut it (half-close, abort) or gave up: an unfinished response is explained.
  const clientCut = o.finish !== 'wait' || result.halfClosed || result.gaveUp;
  if (parsed.partial !== null && !clientCut) {
    const r = parsed.partial.response;
    if (r === undefined || header(r, MAY_CUT_HEADER) === undefined) {
      findings.push({
        kind: 'cut-response',
        detail: `the server closed the connection in the middle of a ${parsed.partial.status ?? 'response'} (${result.error ?? 'closed'}) after ${result.data.length} bytes`,
        signature: `cut-response:${parsed.partial.status ?? '?'}`,
      });
    }
  }
  if (result.gaveUp && !result.halfClosed && o.finish === 'wait') {
    findings.push({ kind: 'no-answer', detail: 'the server neither answered nor closed the connection', signature: 'no-answer' });
  }
  for (const r of finals) {
    if (r.status >= 500 && header(r, ON_PURPOSE_HEADER) === undefined) {
      const code = errorCode(r) ?? '';
      findings.push({
        kind: 'server-error',
        detail: `${r.status} ${code} ${JSON.stringify(r.body.slice(0, 200))}`,
        signature: `server-error:${r.status}:${code}`,
      });
    }
    // Only a body can be sniffed (an empty 400 that node writes for a request without Host cannot).
    if (r.status >= 200 && r.body.length > 0 && header(r, 'x-content-type-options')?.toLowerCase() !== 'nosniff') {
      findings.push({ kind: 'missing-nosniff', detail: `a ${r.status} without X-Content-Type-Options: nosniff`, signature: `missing-nosniff:${r.status}` });
    }
    const location = header(r, 'location');
    if (location !== undefined) {
      const problem = foreignLocation(location);
      if (problem !== undefined)
        findings.push({ kind: 'open-redirect', detail: `Location ${JSON.stringify(location)}: ${problem}`, signature: 'open-redirect' });
    }
  }
  return { findings, statuses, codes };
}

/** Why a Location leaves the app (as a browser resolves it), or undefined. */
function foreignLocation(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location, 'http://127.0.0.1/base/');
  } catch {
    return undefined; // a browser does not follow what it cannot parse
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol}`;
  if (!LOCAL_HOST.test(url.hostname)) return `host ${url.hostname}`;
  return undefined;
}
