/**
 * The one registry of Palisade's error codes.
 *
 * Every error Palisade raises or answers with carries a stable code from this table, an
 * HTTP status, a message and a link to its page in `docs/errors/<CODE>.md`. A test
 * (`test/errors.test.ts`) fails when a code here has no page or a page has no code.
 * Codes are never reused: a retired code stays here with `deprecated: true`.
 *
 * Each area keeps its own section below; add new codes to the section of their area.
 */

export interface ErrorSpec {
  /** HTTP status used when the error reaches the client (500 for programming errors). */
  readonly status: number;
  /** One line saying what went wrong, in general terms. */
  readonly title: string;
  readonly deprecated?: boolean;
}

export const ERROR_CODES = {
  // ---- HTTP: requests and routing -------------------------------------------------
  HTTP_NOT_FOUND: { status: 404, title: 'No route matches this URL.' },
  HTTP_METHOD_NOT_ALLOWED: { status: 405, title: 'The route exists but does not accept this method.' },
  HTTP_BAD_REQUEST: { status: 400, title: 'The request is malformed.' },
  HTTP_BAD_HOST: { status: 400, title: 'The Host header names a host this app does not serve.' },
  HTTP_INTERNAL: { status: 500, title: 'The handler failed.' },
  HTTP_NO_RESPONSE: { status: 500, title: 'The handler returned nothing.' },
  HTTP_BAD_RETURN: { status: 500, title: 'The handler returned a value that cannot become a response.' },
  HTTP_OPEN_REDIRECT: { status: 400, title: 'A redirect pointed to another host or an unsafe URL.' },
  HTTP_UNSAFE_HTML_RESPONSE: { status: 500, title: 'An HTML response was built from a plain string.' },
  HTTP_TIMEOUT: { status: 503, title: 'The handler did not answer in time.' },

  // ---- BODY: request bodies and their limits ------------------------------------------
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than the limit.' },
  BODY_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body has the wrong Content-Type for the parser asked for.' },
  BODY_MALFORMED: { status: 400, title: 'The body could not be parsed.' },
  BODY_ALREADY_READ: { status: 500, title: 'The body was read twice in different forms.' },
  BODY_ABORTED: { status: 400, title: 'The client stopped sending the body.' },

  // ---- CONFIG: settings checked at start-up -------------------------------------------
  CONFIG_INVALID: { status: 500, title: 'A setting has a value of the wrong kind.' },
  CONFIG_SECRET_MISSING: { status: 500, title: 'Production mode needs a secret key.' },
  CONFIG_SECRET_WEAK: { status: 500, title: 'The secret key is too short.' },
  CONFIG_ROUTE: { status: 500, title: 'A route is declared wrongly.' },

  // ---- TEMPLATE: parsing and contextual escaping -------------------------------------

  // ---- ESCAPE: trusted values -----------------------------------------------------

  // ---- SESSION: signed cookies and server-side stores ---------------------------------

  // ---- CSRF: cross-site request forgery protection ------------------------------------

  // ---- JSON: output and input ---------------------------------------------------------
  JSON_TOP_LEVEL_NOT_OBJECT: { status: 500, title: 'jsonify was given a top-level array or other non-object.' },
  JSON_UNSERIALIZABLE: { status: 500, title: 'The value cannot be represented as JSON.' },
  JSON_CROSS_SITE_LOAD: { status: 403, title: 'Another site tried to load this URL as a script, image or other subresource.' },
  JSON_CORS_REFUSED: { status: 403, title: 'A CORS preflight asked for an origin, method or header this app does not allow.' },

  // ---- UPLOAD: multipart bodies and files ---------------------------------------------

  // ---- FORM: validation ---------------------------------------------------------------

  // ---- HEADERS: security headers and CSP ----------------------------------------------
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where the documentation page of a code lives, relative to the package root. */
export function docsLink(code: ErrorCode): string {
  return `docs/errors/${code}.md`;
}

/**
 * PalisadeError is the base class of every error Palisade raises.
 *
 * `code` is stable and documented; `status` is what a client is answered with when the
 * error escapes a handler; `docs` points to the page that explains cause and fix.
 *
 * ```ts
 * try { await req.json() } catch (e) { if (e instanceof PalisadeError) e.code }
 * ```
 */
export class PalisadeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly docs: string;
  /** Extra facts for logs and error pages (a limit, a field name); never secret. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    const spec: ErrorSpec = ERROR_CODES[code];
    super(message ?? spec.title, options);
    this.name = 'PalisadeError';
    this.code = code;
    this.status = spec.status;
    this.docs = docsLink(code);
    this.details = details;
  }
}

/** An error in a template, with the position that caused it. See docs/templates.md. */
export class TemplateError extends PalisadeError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without the position prefix. */
  readonly reason: string;

  constructor(code: ErrorCode, reason: string, pos: { file: string; line: number; column: number }) {
    super(code, `${pos.file}:${pos.line}:${pos.column}: ${reason} [${code}]`, { ...pos });
    this.name = 'TemplateError';
    this.file = pos.file;
    this.line = pos.line;
    this.column = pos.column;
    this.reason = reason;
  }
}

/** Settings that cannot work, found when the app is created. */
export class ConfigError extends PalisadeError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, `${message} [${code}] (see ${docsLink(code)})`, details);
    this.name = 'ConfigError';
  }
}

/**
 * An error meant to become a 4xx answer: thrown by body parsers and protections, caught
 * by the app, rendered as an HTML or JSON page that names the code and the fix.
 */
export class HttpError extends PalisadeError {
  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'HttpError';
  }
}
