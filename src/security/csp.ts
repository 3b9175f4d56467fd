/**
 * Content-Security-Policy: the policy is assembled once, when the app starts, into the
 * pieces around its nonces; each response then costs one fresh nonce and a concatenation.
 *
 * The default is a strict, nonce-based policy (the shape CSP Level 3 §8.2 recommends and
 * Google's "strict CSP" guide uses):
 *
 * ```text
 * default-src 'self'; script-src 'nonce-…' 'strict-dynamic'; style-src 'self' 'nonce-…';
 * img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self';
 * form-action 'self'
 * ```
 *
 * Scripts run only when their tag carries this response's nonce (the template engine adds
 * it to every `<script>` and `<style>` it writes), and the scripts they load
 * (`'strict-dynamic'`). An injected `<script>` has no nonce and does not run.
 * See docs/headers.md.
 */
import { randomFillSync } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * The placeholder for this response's nonce in a directive's source list; it becomes
 * `'nonce-<value>'`.
 *
 * ```ts
 * createApp({ headers: { csp: { directives: { 'script-src': [NONCE, "'strict-dynamic'", 'https:'] } } } });
 * ```
 * See docs/headers.md.
 */
export const NONCE = "'nonce'";

/** A directive's sources: one string, a list, or `false` to drop a default directive. */
export type CspSources = string | readonly string[] | false;

/** The `headers.csp` section of the app options. See docs/headers.md. */
export interface CspOptions {
  /**
   * Directives merged over the defaults: a key replaces that directive, `false` removes
   * it. Use `NONCE` (`"'nonce'"`) where the response's nonce goes.
   */
  directives?: Readonly<Record<string, CspSources>>;
  /** Send `Content-Security-Policy-Report-Only` instead: report, do not block. */
  reportOnly?: boolean;
  /** Adds `report-uri <uri>`; mount `cspReportHandler()` there to log reports. */
  reportUri?: string;
  /**
   * Adds `report-to <group>` and a `Reporting-Endpoints: <group>="<url>"` header (the
   * Reporting API; browsers send there only over HTTPS).
   */
  reportTo?: { group: string; url: string };
  /** Adds `require-trusted-types-for 'script'` (Trusted Types; Chromium). */
  trustedTypes?: boolean;
}

/** The default directives, in the order they are sent. */
export const DEFAULT_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': [NONCE, "'strict-dynamic'"],
  'style-src': ["'self'", NONCE],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'self'"],
  'form-action': ["'self'"],
});

/** A policy split around its nonces: the header value is `parts.join(nonce)`. */
export interface CompiledCsp {
  /** `content-security-policy` or `content-security-policy-report-only`. */
  readonly header: string;
  /** The policy text between nonces; length 1 when the policy uses no nonce. */
  readonly parts: readonly string[];
  /** Extra headers the policy needs (`reporting-endpoints`). */
  readonly extra: readonly (readonly [string, string])[];
  /** The final directives, for `palisade check` and tests. */
  readonly directives: Readonly<Record<string, readonly string[]>>;
}

const DIRECTIVE_NAME = /^[a-z][a-z0-9-]*$/;
// Characters that would end a source, a directive or the policy (CSP3 §2.2.1), or the header.
const BAD_SOURCE = /[;,\s]/;

/** Builds the policy once from options; throws ConfigError on a malformed directive. */
export function compileCsp(opts: CspOptions = {}): CompiledCsp {
  const directives: Record<string, readonly string[]> = { ...DEFAULT_CSP_DIRECTIVES };
  const given = opts.directives ?? {};
  if (given === null || typeof given !== 'object') invalid('headers.csp.directives', 'an object of directive → sources', given);
  for (const [name, value] of Object.entries(given)) {
    if (!DIRECTIVE_NAME.test(name)) invalid(`headers.csp.directives["${name}"]`, 'a lower-case directive name', name);
    if (value === false) {
      delete directives[name];
      continue;
    }
    const list = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === '' || BAD_SOURCE.test(s))) {
      invalid(`headers.csp.directives["${name}"]`, 'a source or a list of sources without ";", "," or spaces', value);
    }
    directives[name] = [...(list as string[])];
  }
  if (opts.trustedTypes === true) directives['require-trusted-types-for'] = ["'script'"];
  else if (opts.trustedTypes !== undefined && typeof opts.trustedTypes !== 'boolean') {
    invalid('headers.csp.trustedTypes', 'a boolean', opts.trustedTypes);
  }
  const extra: [string, string][] = [];
  if (opts.reportUri !== undefined) {
    if (typeof opts.reportUri !== 'string' || opts.reportUri === '' || BAD_SOURCE.test(opts.reportUri)) {
      invalid('headers.csp.reportUri', 'a URL or path without spaces, ";" or ","', opts.reportUri);
    }
    directives['report-uri'] = [opts.reportUri];
  }
  if (opts.reportTo !== undefined) {
    const rt = opts.reportTo;
    if (
      rt === null ||
      typeof rt !== 'object' ||
      typeof rt.group !== 'string' ||
      !/^[A-Za-z0-9_-]+$/.test(rt.group) ||
      typeof rt.url !== 'string' ||
      /[\s"\\,;]/.test(rt.url) ||
      rt.url === ''
    ) {
      invalid('headers.csp.reportTo', '{ group: "name", url: "https://…" }', rt);
    }
    directives['report-to'] = [rt.group];
    extra.push(['reporting-endpoints', `${rt.group}="${rt.url}"`]);
  }

  // Split the policy text at every nonce placeholder, so a response only joins pieces.
  const parts: string[] = [''];
  const names = Object.keys(directives);
  names.forEach((name, i) => {
    const sources = directives[name]!;
    parts[parts.length - 1] += (i === 0 ? '' : '; ') + name;
    for (const s of sources) {
      if (s === NONCE) {
        parts[parts.length - 1] += " 'nonce-";
        parts.push("'");
      } else {
        parts[parts.length - 1] += ` ${s}`;
      }
    }
  });
  return Object.freeze({
    header: opts.reportOnly === true ? 'content-security-policy-report-only' : 'content-security-policy',
    parts: Object.freeze(parts),
    extra: Object.freeze(extra.map((e) => Object.freeze(e))),
    directives: Object.freeze(directives),
  });
}

/**
 * Returns a function that renders the header value for a nonce, specialised for the
 * usual one or two nonces so the hot path is a plain concatenation.
 */
export function cspRenderer(parts: readonly string[]): (nonce: string) => string {
  const [a = '', b = '', c = ''] = parts;
  switch (parts.length) {
    case 1:
      return () => a;
    case 2:
      return (n) => a + n + b;
    case 3:
      return (n) => a + n + b + n + c;
    default:
      return (n) => parts.join(n);
  }
}

// ---- Nonces ------------------------------------------------------------------------
//
// A nonce is 18 random bytes (144 bits; CSP3 §7.1 asks for at least 128) written as 24
// base64 characters, so no padding. Asking the CSPRNG for 18 bytes per response costs
// about 2.5 µs; instead one fill of 9 216 bytes is encoded once and cut into 512 nonces
// (about 20 ns each, measured on Node 20). Every nonce is still fresh random bytes,
// used once; the pool never leaves this module.
const NONCE_BYTES = 18;
const NONCE_CHARS = 24;
const POOL_NONCES = 512;
const pool = Buffer.alloc(NONCE_BYTES * POOL_NONCES);
let poolText = '';
let poolOffset = NONCE_CHARS * POOL_NONCES;

/** A fresh CSP nonce: 24 base64 characters of 144 random bits. */
export function createNonce(): string {
  if (poolOffset === NONCE_CHARS * POOL_NONCES) {
    randomFillSync(pool);
    poolText = pool.toString('base64');
    poolOffset = 0;
  }
  const n = poolText.slice(poolOffset, poolOffset + NONCE_CHARS);
  poolOffset += NONCE_CHARS;
  return n;
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
