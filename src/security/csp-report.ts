/**
 * A handler for CSP violation reports: browsers POST a JSON report (`report-uri`,
 * `application/csp-report`; or the Reporting API's `application/reports+json`) when the
 * policy blocks something. Mount it without CSRF protection (browsers send no token) and
 * point `headers.csp.reportUri` at it:
 *
 * ```ts
 * const app = createApp({ headers: { csp: { reportUri: '/csp-report' } } });
 * app.post('/csp-report', cspReportHandler(), CSP_REPORT_ROUTE);
 * ```
 * The body is capped at 16 KiB, parsed with the safe JSON parser, and logged at `warn`
 * with the app's logger.
 * See docs/headers.md#violation-reports.
 */
import type { Logger } from 'pino';
import { planLogger } from '../util/logger.js';
import type { Handler, RouteOptions } from '../app/route-collector.js';
import { HttpError } from '../errors.js';
import type { Request } from '../http/request.js';
import { Response } from '../http/response.js';
import { parseJSONBody } from '../http/json-body.js';
import { currentScope } from '../http/context.js';
import { resolveMode } from '../mode.js';

/** Options for `cspReportHandler`. */
export interface CspReportOptions {
  /** Called with each parsed report instead of logging it. */
  onReport?: (report: unknown, req: Request) => void | Promise<void>;
  /** Largest report body accepted, in bytes. Default 16 384. */
  maxBytes?: number;
}

/**
 * The route options the report endpoint needs: exempt from CSRF (a browser sends reports
 * without a token) and a small body limit. `palisade check` knows this route and does not
 * list it as a CSRF exemption.
 */
export const CSP_REPORT_ROUTE: Readonly<RouteOptions> = Object.freeze({ csrf: false, maxBodySize: 16_384 });

const TYPES = new Set(['application/csp-report', 'application/reports+json', 'application/json']);
let defaultLogger: Logger | undefined;

/** Marks handlers made by `cspReportHandler`, so `palisade check` can recognise them. */
export const CSP_REPORT_HANDLER: unique symbol = Symbol('palisade.cspReportHandler');

/**
 * Makes the handler that receives CSP violation reports and logs them (or passes them to
 * `onReport`). Answers 204. See docs/headers.md#violation-reports.
 *
 * ```ts
 * app.post('/csp-report', cspReportHandler(), CSP_REPORT_ROUTE);
 * ```
 */
export function cspReportHandler(opts: CspReportOptions = {}): Handler {
  const maxBytes = opts.maxBytes ?? 16_384;
  const handler: Handler = async (req) => {
    const type = req.mediaType?.essence;
    if (type === undefined || !TYPES.has(type)) {
      throw new HttpError('BODY_UNSUPPORTED_MEDIA_TYPE', 'A CSP report must be sent as application/csp-report or application/reports+json.');
    }
    req.maxBodySize = Math.min(req.maxBodySize, maxBytes);
    const text = (await req.bytes()).toString('utf8');
    const report = parseJSONBody(text, { maxDepth: 8 });
    if (opts.onReport) await opts.onReport(report, req);
    else {
      // The app's logger: its level follows the app's mode and `logger` setting.
      const log = currentScope()?.logger?.() ?? (defaultLogger ??= defaultReportLogger());
      log.warn({ cspReport: report, ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 200) }, 'CSP violation');
    }
    return new Response(null, { status: 204 });
  };
  Object.defineProperty(handler, CSP_REPORT_HANDLER, { value: true });
  return handler;
}

/** The logger of a report handler called outside an app's request (its own tests). */
function defaultReportLogger(): Logger {
  const mode = resolveMode();
  return planLogger({ level: mode === 'test' ? 'silent' : 'warn' }, mode).make();
}

/** True for a handler made by `cspReportHandler`. */
export function isCspReportHandler(h: unknown): boolean {
  return typeof h === 'function' && (h as unknown as Record<symbol, unknown>)[CSP_REPORT_HANDLER] === true;
}
