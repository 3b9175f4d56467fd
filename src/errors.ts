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

/**
 * Every error code Palisade uses, with its HTTP status and a one-line title. Each has a
 * page in docs/errors/, named for the code, that says what happened and what to do.
 */
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
  HTTP_HTML_FOR_OTHER_REQUEST: { status: 500, title: 'An HTML response was rendered while another request was handled.' },
  HTTP_TIMEOUT: { status: 503, title: 'The handler did not answer in time.' },
  HTTP_INVALID_HEADER: { status: 500, title: 'A response header has a name or value that HTTP cannot carry.' },
  HTTP_URL_FOR_VALUE: {
    status: 500,
    title: 'A value given to urlFor would make a URL that leaves its route (a path starting with //, an empty segment, or a . or .. segment).',
  },
  HTTP_INVALID_STATUS: { status: 500, title: 'The response status is not a whole number from 200 to 599.' },

  // ---- BODY: request bodies and their limits ------------------------------------------
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than the limit.' },
  BODY_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body has the wrong Content-Type for the parser asked for.' },
  BODY_MALFORMED: { status: 400, title: 'The body could not be parsed.' },
  BODY_ALREADY_READ: { status: 500, title: 'The body was read twice in different forms.' },
  BODY_ABORTED: { status: 400, title: 'The client stopped sending the body.' },

  // ---- CONFIG: settings checked at start-up -------------------------------------------
  CONFIG_INVALID: { status: 500, title: 'A setting has a value of the wrong kind.' },
  CONFIG_SECRET_MISSING: { status: 500, title: 'Production mode needs a secret key.' },
  CONFIG_SECRET_WEAK: { status: 500, title: 'The secret key is too short, or (in production) too easy to guess.' },
  CONFIG_ROUTE: { status: 500, title: 'A route is declared wrongly.' },
  CONFIG_ALLOWED_HOSTS_MISSING: { status: 500, title: 'Production mode needs allowedHosts.' },
  CONFIG_PACKAGE_MISSING: { status: 500, title: 'A feature in use needs an optional package that is not installed.' },
  CONFIG_SERVER_TIMEOUTS: { status: 500, title: 'The server timeouts cannot work together, or one is longer than node can time.' },
  CONFIG_LISTEN_FAILED: { status: 500, title: 'The server could not listen on the host and port it was given.' },
  CONFIG_SETUP_FINISHED: {
    status: 500,
    title: 'A route, hook, error handler or blueprint was declared after the app handled its first request or began listening.',
  },

  // ---- TEMPLATE: parsing and contextual escaping -------------------------------------
  TEMPLATE_SYNTAX: { status: 500, title: 'The template is not valid template syntax.' },
  TEMPLATE_UNCLOSED: { status: 500, title: 'A tag, value, comment, string or block in the template is not closed.' },
  TEMPLATE_UNKNOWN_TAG: { status: 500, title: 'The template uses a tag Palisade does not know.' },
  TEMPLATE_UNKNOWN_FILTER: { status: 500, title: 'The template uses a filter that does not exist.' },
  TEMPLATE_UNKNOWN_TEST: { status: 500, title: 'The template uses an `is` test that does not exist.' },
  TEMPLATE_BRANCH_CONTEXT: { status: 500, title: 'The branches of an if (or a loop and its else) end in different HTML contexts.' },
  TEMPLATE_LOOP_CONTEXT: { status: 500, title: 'A loop body changes the HTML context, so its values cannot be escaped the same way each time.' },
  TEMPLATE_UNTERMINATED: {
    status: 500,
    title: 'The template (or a macro, call or set block) ends inside a tag, attribute, script, style, comment, <svg> or <math>.',
  },
  TEMPLATE_PARTIAL_NAME: { status: 500, title: 'A tag or attribute name is cut off by a template tag or value.' },
  TEMPLATE_VALUE_IN_TAG: { status: 500, title: 'A value is written where a tag or attribute name goes.' },
  TEMPLATE_AMBIGUOUS_URL: { status: 500, title: 'A value is written in a URL where it is unclear whether the URL has started.' },
  TEMPLATE_AMBIGUOUS_JS_SLASH: { status: 500, title: 'A "/" in a script could start a regular expression or be a division.' },
  TEMPLATE_DYNAMIC_SCRIPT_TYPE: { status: 500, title: 'The type of a <script> comes from a value.' },
  TEMPLATE_UNQUOTED_VALUE: { status: 500, title: 'An unquoted attribute value that starts with a value contains a double quote.' },
  TEMPLATE_FOREIGN_CONTENT: {
    status: 500,
    title: 'Inside <svg> or <math>, a value cannot be escaped for one reading: a script or style, or markup whose reading depends on the HTML around it.',
  },
  // Retired: values inside srcdoc documents are escaped for their context there.
  TEMPLATE_SRCDOC_MARKUP: { status: 500, title: 'A value is written inside srcdoc after markup.', deprecated: true },
  TEMPLATE_INCLUDE_CONTEXT: { status: 500, title: 'An include is placed outside HTML text.' },
  TEMPLATE_BLOCK_CONTEXT: { status: 500, title: 'A block starts or ends in a different context than the block it overrides.' },
  TEMPLATE_DUPLICATE_BLOCK: { status: 500, title: 'A template defines the same block name twice.' },
  TEMPLATE_UNDEFINED: { status: 500, title: 'A template used a variable or attribute that is not defined (strict mode).' },
  TEMPLATE_NOT_FOUND: { status: 500, title: 'A template could not be found.' },
  TEMPLATE_RUNTIME: { status: 500, title: 'An expression in a template failed while rendering.' },
  TEMPLATE_CSRF_UNAVAILABLE: { status: 500, title: 'csrf_token() or csrf_field() was called outside a request with CSRF protection.' },

  // ---- ESCAPE: trusted values -----------------------------------------------------
  ESCAPE_REFUSED_VALUE: { status: 500, title: 'A value was refused in a URL or CSS slot and replaced by the sentinel (reported, not thrown).' },
  ESCAPE_TRUSTED_REQUEST_DATA: {
    status: 500,
    title: 'Text containing a value from the current request was trusted as HTML, a URL, a script or a style (development and test).',
  },

  // ---- SESSION: signed cookies and server-side stores ---------------------------------
  SESSION_STORE_UNAVAILABLE: { status: 503, title: 'The server-side session store is not answering.' },
  SESSION_COOKIE_TOO_LARGE: { status: 500, title: 'The session does not fit in a cookie.' },
  SESSION_VALUE_INVALID: { status: 500, title: 'A session value cannot be saved as JSON.' },
  SESSION_REVOCATION_MISSING: {
    status: 500,
    title: 'session.setUser() or logout() was called in an app without the setting that ends a login (session.userEpoch, session.endUserSessions).',
  },

  // ---- AUTH: passwords and logins -----------------------------------------------------
  AUTH_PASSWORD_TOO_LONG: { status: 400, title: 'A password is longer than any password hashPassword or verifyPassword accepts.' },
  AUTH_HASH_INVALID: { status: 500, title: 'verifyPassword was given a stored hash that is not a valid scrypt PHC string, or asks for too much.' },
  AUTH_LOGIN_REQUIRED: { status: 401, title: 'A route that needs a logged-in user was asked for without one.' },

  // ---- RATE: rate limits ---------------------------------------------------------------
  RATE_LIMITED: { status: 429, title: 'Too many requests: a rate limit of this route was reached.' },
  RATE_LIMIT_STORE_UNAVAILABLE: { status: 503, title: 'The rate limit store is not answering, so a rate-limited route cannot be served.' },

  // ---- CSRF: cross-site request forgery protection ------------------------------------
  CSRF_ORIGIN_MISMATCH: { status: 403, title: 'A state-changing request came from another site.' },
  CSRF_TOKEN_MISSING: { status: 403, title: 'A state-changing request carried no CSRF token.' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'The CSRF token does not belong to this session.' },

  // ---- JSON: output and input ---------------------------------------------------------
  JSON_TOP_LEVEL_NOT_OBJECT: { status: 500, title: 'jsonify was given a top-level array or other non-object.' },
  JSON_UNSERIALIZABLE: { status: 500, title: 'The value cannot be represented as JSON.' },
  JSON_CROSS_SITE_LOAD: { status: 403, title: 'Another site tried to load this URL as a script, image or other subresource.' },
  JSON_CORS_REFUSED: { status: 403, title: 'A CORS preflight asked for an origin, method or header this app does not allow.' },

  // ---- UPLOAD: multipart bodies and files ---------------------------------------------
  UPLOAD_FILE_TOO_LARGE: { status: 413, title: 'An uploaded file is larger than uploads.maxFileSize.' },
  UPLOAD_TOO_MANY_FILES: { status: 413, title: 'The upload has more files than uploads.maxFiles.' },
  // Retired: multipart text fields are held to the form limits (FORM_TOO_MANY_FIELDS, FORM_VALUE_TOO_LONG).
  UPLOAD_TOO_MANY_FIELDS: { status: 413, title: 'The upload had more fields than uploads.maxFields (retired: now FORM_TOO_MANY_FIELDS).', deprecated: true },
  UPLOAD_FIELD_TOO_LARGE: { status: 413, title: 'A form field was larger than uploads.maxFieldSize (retired: now FORM_VALUE_TOO_LONG).', deprecated: true },
  UPLOAD_TOO_MANY_PARTS: { status: 413, title: 'The upload had more parts than uploads.maxParts (retired: now FORM_TOO_MANY_FIELDS).', deprecated: true },
  UPLOAD_PART_HEADER_TOO_LARGE: { status: 413, title: "A part's headers are larger than uploads.maxPartHeaderSize." },
  UPLOAD_TOTAL_TOO_LARGE: { status: 413, title: 'The multipart body of a route that takes uploads is larger than uploads.maxTotalSize.' },
  UPLOAD_MALFORMED: { status: 400, title: 'The multipart body could not be parsed.' },
  UPLOAD_UNSAFE_PATH: { status: 404, title: 'A file path would leave its base directory.' },
  UPLOAD_FILE_EXISTS: { status: 409, title: 'save() would replace an existing file.' },
  UPLOAD_FILE_GONE: { status: 500, title: 'The uploaded file was already saved or deleted.' },

  // ---- FORM: validation ---------------------------------------------------------------
  FORM_TOO_MANY_FIELDS: { status: 413, title: 'The submitted form has more fields than forms.maxFields.' },
  FORM_NAME_TOO_LONG: { status: 413, title: 'A submitted field name is longer than forms.maxNameLength.' },
  FORM_VALUE_TOO_LONG: { status: 413, title: 'A submitted field value is longer than forms.maxValueLength.' },
  FORM_DEFINITION: { status: 500, title: 'A form is defined wrongly (a field name, a field, or an option).' },
  FORM_CSRF_UNAVAILABLE: { status: 500, title: 'A form that checks a CSRF token was validated in an app without CSRF protection.' },

  // ---- VALIDATION: route schemas -------------------------------------------------------
  VALIDATION_FAILED: { status: 422, title: "The request does not match the route's schema." },
  VALIDATION_RESPONSE: { status: 500, title: "The handler's response does not match the route's response schema." },
  VALIDATION_SCHEMA_ERROR: { status: 500, title: 'A schema of the route threw instead of returning its issues.' },

  // ---- WS: WebSockets ------------------------------------------------------------------
  WS_UPGRADE_REQUIRED: { status: 426, title: 'A plain HTTP request was sent to a WebSocket route.' },
  WS_BAD_HANDSHAKE: { status: 400, title: 'The WebSocket handshake is malformed.' },
  WS_MESSAGE_TOO_LARGE: { status: 413, title: 'A client sent a WebSocket message larger than websocket.maxPayload (closed with 1009).' },
  WS_SEND_BUFFER_FULL: { status: 503, title: 'A WebSocket client did not read what was sent to it; the connection was dropped.' },
  WS_IDLE_TIMEOUT: { status: 408, title: 'A WebSocket client did not answer a ping in time; the connection was dropped.' },
  WS_SESSION_READ_ONLY: { status: 500, title: 'A WebSocket handler or handshake hook tried to change the session.' },
  WS_TOO_MANY_CONNECTIONS: { status: 503, title: 'websocket.maxConnections WebSockets are open already; the handshake was refused.' },

  // ---- SSE: server-sent events ------------------------------------------------------------
  SSE_INVALID_FIELD: { status: 500, title: 'An event id or name holds a line break or NUL, which would add fields to the stream.' },

  // ---- HEADERS: security headers and CSP ----------------------------------------------
} as const satisfies Record<string, ErrorSpec>;

/** One of the codes in `ERROR_CODES`. */
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
    const spec: ErrorSpec | undefined = Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code] : undefined;
    // A JavaScript caller may pass a status (`new HttpError(404)`) or a misspelt code: say so
    // rather than fail while building the error.
    if (spec === undefined) {
      throw new TypeError(
        `${JSON.stringify(code)} is not a Palisade error code (they are listed in docs/errors/; a 404 is 'HTTP_NOT_FOUND'). To answer with any status, return a Response.`,
      );
    }
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
