/**
 * The development guard on trusting constructors: in development and test, trusting text
 * as HTML, a URL, a script or a style (`Markup.unsafeTrust`, `|safe`,
 * `SafeURL/SafeScript/SafeStyle.unsafeTrust`) throws ESCAPE_TRUSTED_REQUEST_DATA when the
 * text contains a value that arrived in the current request. In production the app installs
 * nothing, and each trusting call costs one comparison (see escape/trust-guard.ts).
 *
 * What counts as a value from the request: query values, urlencoded form fields, multipart
 * text fields and uploaded file names, JSON string values, cookie values and the values of
 * headers that carry free text (not `host`, `accept*`, `sec-*` and the other headers
 * browsers fill in with protocol tokens that ordinary markup also contains). Bodies are
 * seen once the handler (or a protection, or a form) has read them; the guard never reads
 * a body itself.
 *
 * Short values are ignored, so that a page number, an id or a word such as `name` does
 * not match ordinary markup by chance. The rule: a value counts when it has at least 8
 * characters, or at least 4 characters one of which is not an ASCII letter or digit. Any
 * text that could inject markup or a `javascript:` URL needs punctuation, so a harmful
 * value of 4 characters or more is always looked for.
 *
 * The guard is global (escape/trust-guard.ts holds one function), but each app decides for
 * its own requests: the guard looks up the current request scope, which only apps running
 * in development or test register. Several apps with different modes in one process each
 * get their own behaviour. See docs/templates.md#trusting-html.
 */
import { ConfigError, PalisadeError } from '../errors.js';
import { setTrustGuard, type TrustKind } from '../escape/trust-guard.js';
import { currentScope, type RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Params } from '../http/params.js';
import type { MultipartBody } from '../files/multipart.js';
import type { Protection, ProtectionContext } from '../app/protection.js';
import { CSRF_FIELD, CSRF_HEADER } from '../http/csrf-names.js';

/** One value from the request and where it came from, e.g. `query "q"`. */
interface Found {
  readonly field: string;
  readonly value: string;
}

/** What the guard knows about one request. */
interface Seen {
  readonly req: Request;
  form?: Params;
  json?: unknown;
  files?: MultipartBody;
  /** The values collected so far; cleared when a body arrives. */
  values?: Found[];
}

declare module '../http/context.js' {
  interface RequestScope {
    /** What the trust guard has seen of this request (development and test only). */
    trustGuard?: Seen;
  }
}

// Headers whose values are protocol tokens set by browsers or Palisade's own helpers;
// ordinary markup contains them (`text/html`, `localhost:3000`, `XMLHttpRequest`).
const SKIP_HEADERS = new Set([
  'host',
  'origin',
  'connection',
  'keep-alive',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'cache-control',
  'pragma',
  'te',
  'trailer',
  'upgrade',
  'upgrade-insecure-requests',
  'if-none-match',
  'if-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
  'priority',
  'dnt',
  'x-requested-with',
  'cookie',
  CSRF_HEADER.toLowerCase(),
]);
const skipHeader = (name: string): boolean => SKIP_HEADERS.has(name) || name.startsWith('accept') || name.startsWith('sec-') || name.startsWith('x-forwarded-');

const ALNUM = /^[A-Za-z0-9]*$/;

/** The rule for values worth looking for (see the module comment). */
export function isDistinctive(v: string): boolean {
  return v.length >= 8 || (v.length >= 4 && !ALNUM.test(v));
}

// A JSON body can hold many strings; look at this many at most.
const MAX_JSON_STRINGS = 10_000;

function jsonStrings(v: unknown, path: string, out: Found[]): void {
  if (out.length >= MAX_JSON_STRINGS) return;
  if (typeof v === 'string') {
    if (isDistinctive(v)) out.push({ field: `JSON value ${path === '' ? '(the body)' : `"${path}"`}`, value: v });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => jsonStrings(x, `${path}[${i}]`, out));
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) jsonStrings((v as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`, out);
  }
}

function params(p: Params, what: string, out: Found[]): void {
  for (const [k, v] of p) if (k !== CSRF_FIELD && isDistinctive(v)) out.push({ field: `${what} "${k}"`, value: v });
}

/** Every distinctive value of the request, as far as it has been read. */
function collect(s: Seen): Found[] {
  if (s.values !== undefined) return s.values;
  const out: Found[] = [];
  const req = s.req;
  params(req.query, 'query', out);
  if (s.form !== undefined) params(s.form, 'form field', out);
  if (s.files !== undefined) {
    params(s.files.fields, 'form field', out);
    for (const f of s.files.files) {
      if (isDistinctive(f.filename)) out.push({ field: `uploaded file name (field "${f.fieldName}")`, value: f.filename });
    }
  }
  if (s.json !== undefined) jsonStrings(s.json, '', out);
  const cookies = req.cookies;
  for (const k of Object.keys(cookies)) if (isDistinctive(cookies[k]!)) out.push({ field: `cookie "${k}"`, value: cookies[k]! });
  for (const name of Object.keys(req.headers)) {
    if (skipHeader(name)) continue;
    const v = req.header(name);
    if (v !== undefined && isDistinctive(v)) out.push({ field: `header "${name}"`, value: v });
  }
  return (s.values = out);
}

const CONSTRUCTOR: Record<TrustKind, string> = {
  html: 'Markup.unsafeTrust() (or |safe in a template)',
  url: 'SafeURL.unsafeTrust()',
  script: 'SafeScript.unsafeTrust()',
  style: 'SafeStyle.unsafeTrust()',
};

function show(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}

/** The guard installed with setTrustGuard: checks `text` against the current request. */
function guard(kind: TrustKind, text: string): void {
  if (text.length < 4) return;
  const scope = currentScope();
  if (scope === undefined) return;
  const s = scope.trustGuard;
  if (s === undefined) return; // a production app, or outside a request
  for (const f of collect(s)) {
    if (text.includes(f.value)) {
      throw new PalisadeError(
        'ESCAPE_TRUSTED_REQUEST_DATA',
        `${CONSTRUCTOR[kind]} was given text that contains ${f.field} from this request (${show(f.value)}). ` +
          'Text from a request must be escaped, not trusted: write it into a template ({{ value }}) or the html tag ' +
          '(html`<p>${value}</p>`), which escape it for where it lands. This check runs in development and test only; ' +
          'see docs/errors/ESCAPE_TRUSTED_REQUEST_DATA.md.',
        { field: f.field, kind },
      );
    }
  }
}

/** Remembers the bodies of `req` as they are read, without reading them. */
function watch(req: Request, s: Seen): void {
  const form = req.form;
  req.form = function (this: Request) {
    const p = form.call(this);
    p.then(
      (v) => {
        s.form = v;
        s.values = undefined;
      },
      () => {},
    );
    return p;
  };
  const json = req.json;
  req.json = function <T>(this: Request) {
    const p = json.call(this) as Promise<T>;
    p.then(
      (v) => {
        s.json = v;
        s.values = undefined;
      },
      () => {},
    );
    return p;
  };
  const files = req.files as Request['files'] | undefined;
  if (typeof files === 'function') {
    req.files = function (this: Request) {
      const p = files.call(this);
      p.then(
        (v) => {
          s.files = v;
          s.values = undefined;
        },
        () => {},
      );
      return p;
    };
  }
}

let installed = false;

/**
 * The protection that turns the guard on for an app's requests, in development and test
 * (option `trustGuard`, default true outside production; false switches it off). It only
 * has `begin`: it records the request; the check happens in the trusting constructors.
 */
export function trustGuardProtection({ settings, options }: ProtectionContext): Protection | null {
  const opt = options.trustGuard;
  if (opt !== undefined && typeof opt !== 'boolean') {
    throw new ConfigError('CONFIG_INVALID', `trustGuard must be true or false, not ${JSON.stringify(opt)}`);
  }
  if (settings.env === 'production' || opt === false) return null;
  if (!installed) {
    setTrustGuard(guard);
    installed = true;
  }
  return {
    name: 'trust-guard',
    phases: { begin: 'record' },
    begin(req, scope) {
      const s: Seen = { req };
      watch(req, s);
      scope.trustGuard = s;
    },
  };
}
