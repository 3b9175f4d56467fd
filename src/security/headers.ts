/**
 * Security headers on every response: a strict, nonce-based Content-Security-Policy,
 * `X-Frame-Options`, `Referrer-Policy`, `Cross-Origin-Opener-Policy`,
 * `Cross-Origin-Resource-Policy`, and `Strict-Transport-Security` when the request came
 * over HTTPS. (`X-Content-Type-Options: nosniff` is set by the app itself, always.)
 *
 * Everything is decided once, when the app is created: the header pairs are a frozen
 * array, the policy is split around its nonces. Per response the work is one nonce and a
 * loop that fills in the headers the handler did not set itself — a handler's own header
 * (the sandbox CSP of a served upload, say) always wins.
 *
 * ```ts
 * createApp({ headers: { frameOptions: 'DENY', csp: { trustedTypes: true } } });
 * ```
 * See docs/headers.md.
 */
import type { Protection, ProtectionContext } from '../app/protection.js';
import { ConfigError } from '../errors.js';
import type { RequestScope } from '../http/context.js';
import type { Request } from '../http/request.js';
import type { Response } from '../http/response.js';
import { compileCsp, createNonce, cspRenderer, NONCE, type CompiledCsp, type CspOptions } from './csp.js';

/** `Referrer-Policy` values (W3C Referrer Policy §3). */
export type ReferrerPolicy =
  | 'no-referrer'
  | 'no-referrer-when-downgrade'
  | 'origin'
  | 'origin-when-cross-origin'
  | 'same-origin'
  | 'strict-origin'
  | 'strict-origin-when-cross-origin'
  | 'unsafe-url';

/** `Strict-Transport-Security` settings; sent only on requests that came over HTTPS. */
export interface HstsOptions {
  /** Seconds the browser remembers to use HTTPS only. Default 31 536 000 (one year). */
  maxAge?: number;
  /** Also for every subdomain. Default false: only set it when all of them serve HTTPS. */
  includeSubDomains?: boolean;
  /** Ask to be put on browsers' preload list (needs `includeSubDomains` and a long maxAge). */
  preload?: boolean;
}

/**
 * The `headers` section of the app options. Every header is on by default; `false`
 * switches one off, and `palisade check` lists what is off. `headers: false` switches
 * them all off.
 *
 * ```ts
 * createApp({ headers: { csp: { directives: { 'img-src': ["'self'", 'https://images.example.com'] } } } });
 * ```
 * See docs/headers.md.
 */
export interface HeadersOptions {
  /** The Content-Security-Policy; see `CspOptions`. Default: strict with nonces. */
  csp?: CspOptions | false;
  /** `X-Frame-Options`. Default `SAMEORIGIN`. */
  frameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  /** `Referrer-Policy`. Default `strict-origin-when-cross-origin`. */
  referrerPolicy?: ReferrerPolicy | false;
  /** `Cross-Origin-Opener-Policy`. Default `same-origin`. */
  crossOriginOpenerPolicy?: 'same-origin' | 'same-origin-allow-popups' | 'unsafe-none' | false;
  /** `Cross-Origin-Resource-Policy`. Default `same-origin`. */
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false;
  /** `Strict-Transport-Security`, on HTTPS requests only. Default one year. */
  hsts?: HstsOptions | false;
}

const KEYS = new Set(['csp', 'frameOptions', 'referrerPolicy', 'crossOriginOpenerPolicy', 'crossOriginResourcePolicy', 'hsts']);
const CSP_KEYS = new Set(['directives', 'reportOnly', 'reportUri', 'reportTo', 'trustedTypes']);
const REFERRER: readonly string[] = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
];

/** The resolved headers configuration: what the protection sends, built once. */
export interface CompiledHeaders {
  /** Header pairs for plain-HTTP responses: `[name, value, name, value, …]`, lower-case names. */
  readonly plain: readonly string[];
  /** The same plus `strict-transport-security`, for HTTPS responses. */
  readonly secure: readonly string[];
  /** The policy, or null when `csp: false`. */
  readonly csp: CompiledCsp | null;
  readonly options: Readonly<HeadersOptions>;
}

/** Validates the `headers` section and builds the header pairs. Throws ConfigError. */
export function compileHeaders(raw: unknown): CompiledHeaders {
  const opts = (raw ?? {}) as HeadersOptions;
  if (typeof opts !== 'object' || Array.isArray(opts)) invalid('headers', 'an object or false', raw);
  for (const k of Object.keys(opts)) {
    if (!KEYS.has(k)) throw new ConfigError('CONFIG_INVALID', `Unknown setting "headers.${k}". Known: ${[...KEYS].join(', ')}.`, { key: `headers.${k}` });
  }
  const pairs: string[] = [];
  let csp: CompiledCsp | null = null;
  if (opts.csp !== false) {
    const c = opts.csp ?? {};
    if (c === null || typeof c !== 'object') invalid('headers.csp', 'an object or false', c);
    for (const k of Object.keys(c)) {
      if (!CSP_KEYS.has(k))
        throw new ConfigError('CONFIG_INVALID', `Unknown setting "headers.csp.${k}". Known: ${[...CSP_KEYS].join(', ')}.`, { key: `headers.csp.${k}` });
    }
    if (c.reportOnly !== undefined && typeof c.reportOnly !== 'boolean') invalid('headers.csp.reportOnly', 'a boolean', c.reportOnly);
    // frameOptions: 'DENY' means no framing at all; browsers that know frame-ancestors
    // ignore X-Frame-Options, so the policy has to say the same unless told otherwise.
    const denyFrames = opts.frameOptions === 'DENY' && c.directives?.['frame-ancestors'] === undefined;
    csp = compileCsp(denyFrames ? { ...c, directives: { ...c.directives, 'frame-ancestors': "'none'" } } : c);
    for (const [k, v] of csp.extra) pairs.push(k, v);
  }
  const frame = opts.frameOptions ?? 'SAMEORIGIN';
  if (frame !== false) {
    if (frame !== 'DENY' && frame !== 'SAMEORIGIN') invalid('headers.frameOptions', '"DENY", "SAMEORIGIN" or false', frame);
    pairs.push('x-frame-options', frame);
  }
  const referrer = opts.referrerPolicy ?? 'strict-origin-when-cross-origin';
  if (referrer !== false) {
    if (!REFERRER.includes(referrer)) invalid('headers.referrerPolicy', `one of ${REFERRER.join(', ')} or false`, referrer);
    pairs.push('referrer-policy', referrer);
  }
  const coop = opts.crossOriginOpenerPolicy ?? 'same-origin';
  if (coop !== false) {
    if (!['same-origin', 'same-origin-allow-popups', 'unsafe-none'].includes(coop)) {
      invalid('headers.crossOriginOpenerPolicy', '"same-origin", "same-origin-allow-popups", "unsafe-none" or false', coop);
    }
    pairs.push('cross-origin-opener-policy', coop);
  }
  const corp = opts.crossOriginResourcePolicy ?? 'same-origin';
  if (corp !== false) {
    if (!['same-origin', 'same-site', 'cross-origin'].includes(corp)) {
      invalid('headers.crossOriginResourcePolicy', '"same-origin", "same-site", "cross-origin" or false', corp);
    }
    pairs.push('cross-origin-resource-policy', corp);
  }
  const secure = [...pairs];
  if (opts.hsts !== false) {
    const h = opts.hsts ?? {};
    if (h === null || typeof h !== 'object') invalid('headers.hsts', 'an object or false', h);
    const maxAge = h.maxAge ?? 31_536_000;
    if (!Number.isInteger(maxAge) || maxAge < 0) invalid('headers.hsts.maxAge', 'a whole number of seconds', maxAge);
    let v = `max-age=${maxAge}`;
    if (h.includeSubDomains === true) v += '; includeSubDomains';
    if (h.preload === true) {
      if (h.includeSubDomains !== true || maxAge < 31_536_000) {
        invalid('headers.hsts.preload', 'used with includeSubDomains: true and maxAge of at least 31536000 (the preload list requires both)', true);
      }
      v += '; preload';
    }
    secure.push('strict-transport-security', v);
  }
  return Object.freeze({ plain: Object.freeze(pairs), secure: Object.freeze(secure), csp, options: Object.freeze({ ...opts }) });
}

/**
 * The security-headers protection. Its `finish`, in the `headers` phase near the end, sees
 * every response, error pages included. Its `begin` gives the request its CSP nonce in
 * `req.nonce` (its scope's `nonce`), which templates put on every `<script>` and `<style>`.
 */
export function headersProtection(ctx: ProtectionContext): Protection | null {
  if (ctx.options.headers === false) return null;
  const compiled = compileHeaders(ctx.options.headers);
  const { plain, secure, csp } = compiled;
  const cspHeader = csp?.header ?? '';
  const render = csp === null ? null : cspRenderer(csp.parts);
  const usesNonce = csp !== null && csp.parts.length > 1;
  const hsts = secure.length !== plain.length;

  const finish = (req: Request, res: Response, scope: RequestScope): void => {
    const h = res.headers;
    const pairs = hsts && req.secure ? secure : plain;
    for (let i = 0; i < pairs.length; i += 2) {
      if (h[pairs[i]!] === undefined) h[pairs[i]!] = pairs[i + 1]!;
    }
    if (render !== null && h[cspHeader] === undefined) {
      // A request answered before this protection's check ran (a refused Host, a CSRF
      // failure) still gets a policy, with a nonce nothing on the page carries.
      h[cspHeader] = render(usesNonce ? (scope.nonce ??= createNonce()) : '');
    }
  };

  return {
    name: 'headers',
    phases: { begin: 'values', finish: 'headers' },
    // In begin, not check: requests refused by an earlier check (a foreign Host, CSRF)
    // get an error page whose <style> carries this nonce too.
    begin: usesNonce
      ? (_req, scope) => {
          scope.nonce = createNonce();
        }
      : undefined,
    finish,
    audit: () => auditHeaders(compiled),
  };
}

/** What `palisade check` says about the headers configuration. */
export function auditHeaders(c: CompiledHeaders): string[] {
  const out: string[] = [];
  const o = c.options;
  if (c.csp === null) {
    out.push(
      'csp-off: The Content-Security-Policy is switched off (headers.csp: false), so an injected <script> runs. Fix: remove `csp: false`; adjust `headers.csp.directives` instead.',
    );
  } else {
    const d = c.csp.directives;
    if (c.csp.header.endsWith('report-only')) {
      out.push(
        'csp-report-only: The Content-Security-Policy is report-only (headers.csp.reportOnly), so it blocks nothing. Fix: remove `reportOnly` once the reports are clean.',
      );
    }
    const script = d['script-src'] ?? d['default-src'] ?? [];
    const guarded = script.includes(NONCE) || script.some((s) => /^'(sha256|sha384|sha512)-/.test(s));
    if (script.includes("'unsafe-inline'") && !guarded) {
      out.push(
        "csp-unsafe-inline: script-src allows 'unsafe-inline' without a nonce or hash, so injected inline scripts run. Fix: remove 'unsafe-inline'; templates add nonces for you.",
      );
    }
    if (script.includes("'unsafe-eval'")) {
      out.push("csp-unsafe-eval: script-src allows 'unsafe-eval' (eval, new Function). Fix: remove 'unsafe-eval' and the code that needs it.");
    }
    if (!script.includes("'strict-dynamic'") && script.some((s) => s === '*' || s === 'https:' || s === 'http:' || s === 'data:')) {
      out.push(
        `csp-wide-script-src: script-src allows scripts from any host (${script.join(' ')}). Fix: list the hosts you load scripts from, or use the default nonce policy.`,
      );
    }
    if (d['object-src'] === undefined && d['default-src'] === undefined) {
      out.push("csp-object-src: The policy has no object-src (nor default-src), so plugins may load. Fix: keep object-src 'none'.");
    }
    if (d['base-uri'] === undefined) {
      out.push("csp-base-uri: The policy has no base-uri, so an injected <base> can redirect relative script URLs. Fix: keep base-uri 'none' or 'self'.");
    }
  }
  const framed = c.csp?.directives['frame-ancestors'];
  if (o.frameOptions === false && (framed === undefined || framed.includes('*'))) {
    out.push(
      'clickjacking: Neither X-Frame-Options nor a CSP frame-ancestors limits who may frame the app. Fix: remove `frameOptions: false`, or set `frame-ancestors` to the origins that may frame it.',
    );
  }
  if (o.hsts === false) {
    out.push(
      'hsts-off: Strict-Transport-Security is switched off (headers.hsts: false), so a first visit over http can be intercepted. Fix: remove `hsts: false` when the site is served over HTTPS.',
    );
  }
  if (o.referrerPolicy === 'unsafe-url' || o.referrerPolicy === 'no-referrer-when-downgrade') {
    out.push(
      `referrer-policy: Referrer-Policy "${o.referrerPolicy}" sends full URLs (with their query strings) to other sites. Fix: use the default strict-origin-when-cross-origin.`,
    );
  }
  return out;
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError('CONFIG_INVALID', `Setting "${key}" must be ${expected}; got ${JSON.stringify(got)}.`, { key });
}
